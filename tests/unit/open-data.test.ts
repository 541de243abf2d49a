import { describe, expect, test } from 'vitest';
import {
	openDataCsv,
	openDataFileUrl,
	openDataLicence,
	openDataPageUrl,
	parseOpenDataFileName,
	type OpenDataEntry,
	type OpenDataKpi,
	type OpenDataSeries
} from '#shared/open-data';
import { searchOpenData } from '../../src/lib/open-data/portal';
import { isOpenDataJson, OPEN_DATA_FILES } from '../../src/lib/open-data/offline';

function kpi(over: Partial<OpenDataKpi> & Pick<OpenDataKpi, 'id' | 'title'>): OpenDataKpi {
	return {
		description: '',
		method: '',
		unit: '',
		numberFormat: 'integer',
		decimals: 0,
		cadence: 'monthly',
		area: { id: 'bev', title: 'Bevölkerung' },
		theme: 'SOCI',
		tags: [],
		source: { kind: 'feed', name: 'Melderegister' },
		maintainer: 'Statistikstelle',
		...over
	};
}

const entry = (k: OpenDataKpi): OpenDataEntry => ({ kpi: k, latest: null, modified: null });

const ENTRIES = [
	entry(kpi({ id: 'inf.strassenleuchten', title: 'Straßenleuchten im Bestand', tags: ['Licht'] })),
	entry(kpi({ id: 'bev.geburten', title: 'Geburten', description: 'Lebendgeborene je Monat' })),
	entry(
		kpi({
			id: 'ges.inzidenz',
			title: 'Sieben-Tage-Inzidenz',
			area: { id: 'ges', title: 'Gesundheit' }
		})
	)
];

const ids = (entries: OpenDataEntry[]) => entries.map((e) => e.kpi.id);

describe('searchOpenData', () => {
	test('an empty query keeps every dataset in catalogue order', () => {
		expect(ids(searchOpenData(ENTRIES, '  '))).toEqual(ids(ENTRIES));
	});

	test('case and umlauts do not matter: "ss", "ß", upper case', () => {
		expect(ids(searchOpenData(ENTRIES, 'STRASSEN'))).toEqual(['inf.strassenleuchten']);
		expect(ids(searchOpenData(ENTRIES, 'straßen'))).toEqual(['inf.strassenleuchten']);
		expect(ids(searchOpenData(ENTRIES, 'bevoelkerung'))).toEqual([
			'inf.strassenleuchten',
			'bev.geburten'
		]);
	});

	test('every word must occur: title, description, area and tags count', () => {
		expect(ids(searchOpenData(ENTRIES, 'lebendgeborene monat'))).toEqual(['bev.geburten']);
		expect(ids(searchOpenData(ENTRIES, 'gesundheit inzidenz'))).toEqual(['ges.inzidenz']);
		expect(ids(searchOpenData(ENTRIES, 'licht'))).toEqual(['inf.strassenleuchten']);
		expect(ids(searchOpenData(ENTRIES, 'geburten gesundheit'))).toEqual([]);
	});
});

describe('open-data addresses', () => {
	test('files and pages live apart, and a file name gives back its KPI and format', () => {
		expect(openDataFileUrl('bev.einwohner', 'csv')).toBe('/offene-daten/daten/bev.einwohner.csv');
		expect(openDataPageUrl('bev.einwohner')).toBe('/offene-daten/datensatz/bev.einwohner');
		expect(parseOpenDataFileName('bev.einwohner.json')).toEqual({
			kpiId: 'bev.einwohner',
			format: 'json'
		});
		expect(parseOpenDataFileName('bev.einwohner.xlsx')).toBeNull();
		expect(parseOpenDataFileName('.csv')).toBeNull();
	});

	test('the service worker answers files as files and keeps only the JSON the page reads', () => {
		const isFile = (path: string) => OPEN_DATA_FILES.some((re) => re.test(path));
		expect(isFile('/offene-daten/daten/bev.einwohner.csv')).toBe(true);
		expect(isFile('/offene-daten/katalog.ttl')).toBe(true);
		expect(isFile('/offene-daten/index.json')).toBe(true);
		expect(isFile('/offene-daten')).toBe(false);
		expect(isFile('/offene-daten/datensatz/bev.einwohner')).toBe(false);
		expect(isOpenDataJson('/offene-daten/index.json')).toBe(true);
		expect(isOpenDataJson('/offene-daten/daten/bev.einwohner.json')).toBe(true);
		expect(isOpenDataJson('/offene-daten/daten/bev.einwohner.csv')).toBe(false);
		expect(isOpenDataJson('/offene-daten/katalog.jsonld')).toBe(false);
	});

	test('a licence id becomes its DCAT-AP.de URI, with a readable name where known', () => {
		expect(openDataLicence('dl-by-de/2.0', 'Stadt X')).toEqual({
			id: 'dl-by-de/2.0',
			uri: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
			name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
			url: 'https://www.govdata.de/dl-de/by-2-0',
			attribution: 'Stadt X'
		});
		expect(openDataLicence('other', 'Stadt X').uri).toBe('http://dcat-ap.de/def/licenses/other');
	});
});

describe('openDataCsv', () => {
	const series: OpenDataSeries = {
		format: 'klar-open-data-series',
		version: 1,
		kpi: kpi({ id: 'bev.x', title: '=HYPERLINK("x")', unit: 'Personen', decimals: 1 }),
		publisher: { name: 'Stadt X', homepage: 'https://x.example/', contactEmail: 'a@x.example' },
		licence: openDataLicence('dl-by-de/2.0', 'Stadt X'),
		modified: null,
		minCount: 3,
		observations: [
			{
				period: '2026-01',
				start: '2026-01-01',
				end: '2026-01-31',
				dimension: null,
				value: -1234.5,
				withheld: false
			},
			{
				period: '2026-02',
				start: '2026-02-01',
				end: '2026-02-28',
				dimension: null,
				value: null,
				withheld: true
			},
			{
				period: '2026-02',
				start: '2026-02-01',
				end: '2026-02-28',
				dimension: {
					id: 'district',
					title: 'Ortsbezirk',
					member: 'o1',
					label: '@Innenstadt; Nord'
				},
				value: 7,
				withheld: false
			}
		]
	};

	test('writes German Excel with formula-safe text, "•" for withheld cells and the footnote', () => {
		const lines = openDataCsv(series).split('\r\n');
		expect(lines[0]).toBe(
			'\uFEFFKennzahl;Kennung;Zeitraum;Periode;Beginn;Ende;Merkmal;Ausprägung;Wert;Einheit'
		);
		expect(lines[1]).toBe(
			`"'=HYPERLINK(""x"")";bev.x;Januar 2026;2026-01;01.01.2026;31.01.2026;Gesamt;;-1234,5;Personen`
		);
		expect(lines[2]!.split(';').slice(6, 9)).toEqual(['Gesamt', '', '•']);
		expect(lines[3]).toContain(`;Ortsbezirk;"'@Innenstadt; Nord";7;Personen`);
		expect(lines.slice(4)).toEqual([
			'',
			'• Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als 3 Fälle).'
		]);
	});
});
