import iconv from 'iconv-lite';
import { AGE_GROUPS, BEVOELKERUNG_KPI } from '#server/db/demo/ids/bevoelkerung';
import { membersOf } from '#server/kpis/aggregate';
import type { FeedDefinitionInput } from '#shared/feeds';
import { periodEnd, toIsoDate } from '#shared/periods';
import { DISTRICTS } from '#server/db/demo/city';
import type { GeneratedObservation } from '#server/db/demo/rows';
import { csvLine, germanNumber, stichtagOf, windowsLines } from './format';

/** "Merkmal" of the register extract → KPI, in the order the extract lists them. */
const MERKMALE = {
	Einwohner: BEVOELKERUNG_KPI.inhabitants,
	'Ausländische Einwohner': BEVOELKERUNG_KPI.foreignNationals,
	Lebendgeborene: BEVOELKERUNG_KPI.births,
	Gestorbene: BEVOELKERUNG_KPI.deaths,
	Zuzüge: BEVOELKERUNG_KPI.movesIn,
	Fortzüge: BEVOELKERUNG_KPI.movesOut,
	'Einwohner nach Altersgruppe': BEVOELKERUNG_KPI.ageGroups
} as const;

/** The KPIs the register delivers; the foreign share and net migration are derived from them. */
export const REGISTER_KPIS: string[] = Object.values(MERKMALE);

const CITY_WIDE = 'Gesamtstadt';
const ALL_AGES = 'insgesamt';
const COLUMNS = [
	'Stichtag',
	'Stadtbezirk',
	'Altersgruppe',
	'Merkmal',
	'Anzahl',
	'Anteil an Gesamtstadt in %'
];

export const REGISTER_FEED: FeedDefinitionInput = {
	id: 'einwohnermelderegister',
	title: 'Einwohnermelderegister',
	description:
		'Auszug des Einwohnermelderegisters (nur Hauptwohnsitze) aus dem Meldeverfahren: Einwohner und ausländische Einwohner am Monatsende nach Stadtbezirk, Geburten, Sterbefälle, Zu- und Fortzüge je Monat, am 31.12. die Einwohner nach Altersgruppen. CSV mit Semikolon in Windows-1252, zwei Titelzeilen vor der Kopfzeile.',
	owner: { department: 'Bürgeramt', contact: 'Statistikstelle', email: 'statistik@stadt.example' },
	source: {
		format: 'csv',
		dialect: {
			delimiter: ';',
			encoding: 'windows-1252',
			decimal: ',',
			thousands: '.',
			header: true,
			skipLines: 2
		}
	},
	mapping: {
		period: { column: 'Stichtag', format: 'DD.MM.YYYY' },
		dimensions: {
			district: {
				column: 'Stadtbezirk',
				lookup: Object.fromEntries(DISTRICTS.map(([id, name]) => [name, id])),
				total: [CITY_WIDE]
			},
			age_group: {
				column: 'Altersgruppe',
				lookup: Object.fromEntries(Object.entries(AGE_GROUPS).map(([id, label]) => [label, id])),
				total: [ALL_AGES, '']
			}
		},
		values: [{ column: 'Anzahl', kpi: { column: 'Merkmal', lookup: { ...MERKMALE } } }]
	},
	cadence: 'monthly',
	// The extract of a month is run in the first two weeks of the next (as the KPIs expect).
	graceDays: 15
};

const merkmalOf = new Map<string, string>(Object.entries(MERKMALE).map(([m, kpi]) => [kpi, m]));
const merkmalOrder = new Map(REGISTER_KPIS.map((kpi, i) => [kpi, i]));
const districtOrder = new Map<string, number>(DISTRICTS.map(([id], i) => [id, i]));
const ageOrder = new Map(Object.keys(AGE_GROUPS).map((id, i) => [id, i]));

/**
 * The register extract as the Meldeverfahren exports it: two title lines, then one line per
 * Stichtag, Merkmal and Stadtbezirk (or Altersgruppe), in Windows-1252 with CRLF. Only the
 * rows of the register's KPIs are written; other rows are ignored.
 */
export function registerExport(rows: readonly GeneratedObservation[], stand: Date): Buffer {
	const own = rows.filter((r) => merkmalOf.has(r.kpiId));
	const totals = new Map<string, number>();
	for (const r of own) {
		const key = `${r.kpiId}|${r.period}`;
		totals.set(key, (totals.get(key) ?? 0) + r.value);
	}
	const lines = own.map((r) => {
		const { district, age_group: ageGroup, ...rest } = membersOf(r.dimensionKey);
		if (Object.keys(rest).length)
			throw new Error(`register: unexpected dimension ${r.dimensionKey}`);
		const total = totals.get(`${r.kpiId}|${r.period}`)!;
		const share = district || ageGroup ? (total === 0 ? 0 : (r.value / total) * 100) : 100;
		return {
			sortKey: [
				toIsoDate(periodEnd(r.period)!),
				merkmalOrder.get(r.kpiId)!,
				district ? districtOrder.get(district)! : ageGroup ? ageOrder.get(ageGroup)! : -1
			] as const,
			text: csvLine([
				stichtagOf(r.period),
				district ? districtName(district) : CITY_WIDE,
				ageGroup ? AGE_GROUPS[ageGroup]! : ALL_AGES,
				merkmalOf.get(r.kpiId)!,
				germanNumber(r.value, 0, '.'),
				germanNumber(share, 1, '')
			])
		};
	});
	lines.sort(
		(a, b) =>
			a.sortKey[0].localeCompare(b.sortKey[0]) ||
			a.sortKey[1] - b.sortKey[1] ||
			a.sortKey[2] - b.sortKey[2]
	);
	const text = windowsLines([
		'Einwohnermelderegister – Auszug Hauptwohnsitze (Bürgeramt, Statistikstelle)',
		`Stand: ${stichtagOf(toIsoDate(stand))}`,
		csvLine(COLUMNS),
		...lines.map((l) => l.text)
	]);
	return iconv.encode(text, 'windows-1252');
}

function districtName(id: string): string {
	const district = DISTRICTS.find(([districtId]) => districtId === id);
	if (!district) throw new Error(`register: unknown district ${id}`);
	return district[1];
}
