import { describe, expect, test } from 'vitest';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { CatalogueKpiV1 } from '#shared/catalogue';
import {
	emptyKpiForm,
	formErrorsOf,
	formFromKpi,
	generatedMethod,
	inputCandidates,
	kpiFormErrors,
	kpiFromForm,
	parseGermanNumber,
	type KpiFormValues
} from '../../src/lib/catalogue/kpi-form';
import {
	areaFromForm,
	countLabel,
	filterCatalogue,
	groupByArea,
	nextSortOrder,
	NO_FILTER,
	type CatalogueRow
} from '../../src/lib/catalogue/catalogue-view';

const CATALOGUE = demoCatalogue();
const catalogue = { ...CATALOGUE, kpis: CATALOGUE.kpis.map((k) => ({ ...k, active: true })) };

/** A new KPI in the health area as an admin would fill the form in. */
function filled(over: Partial<KpiFormValues> = {}): KpiFormValues {
	return {
		...emptyKpiForm('gesundheit', 100),
		id: 'ges.rettungseinsaetze',
		title: 'Rettungseinsätze je Tag',
		shortTitle: 'Rettungseinsätze',
		unit: 'Einsätze',
		cadence: 'daily',
		graceDays: '2',
		sourceName: 'Integrierte Leitstelle',
		department: 'Feuerwehr',
		contact: 'Leitstelle',
		...over
	};
}

describe('the KPI form', () => {
	test('every KPI of the demo catalogue survives form and back unchanged', () => {
		for (const kpi of catalogue.kpis) {
			expect(CatalogueKpiV1.parse(kpiFromForm(formFromKpi(kpi))), kpi.id).toEqual(kpi);
		}
	});

	test('a well-filled new KPI has no messages; numbers may be typed the German way', () => {
		const values = filled({ hasThresholds: true, amber: '1.200', red: '1.500,5', target: '900' });
		expect(kpiFormErrors(values, catalogue, 'create')).toEqual({});
		expect(kpiFromForm(values)).toMatchObject({
			thresholds: { amber: 1200, red: 1500.5 },
			target: 900,
			source: { kind: 'feed' },
			formula: { kind: 'stock' }
		});
	});

	test('messages in German beside the fields they are about', () => {
		const errors = kpiFormErrors(
			filled({
				id: 'asyl.belegung',
				title: '',
				decimals: 'zwei',
				hasThresholds: true,
				amber: '',
				red: '10',
				email: 'keine-adresse'
			}),
			catalogue,
			'create'
		);
		expect(errors).toMatchObject({
			id: 'Die Kennung „asyl.belegung“ ist schon vergeben.',
			title: 'Bitte den Titel angeben.',
			decimals: 'Bitte die Nachkommastellen als ganze Zahl angeben.',
			amber: 'Bitte die Warnschwelle angeben.',
			email: 'Bitte eine gültige E-Mail-Adresse angeben (oder das Feld leer lassen).'
		});
	});

	test('bands in the wrong order are named even while other fields are still missing', () => {
		const errors = kpiFormErrors(
			filled({
				shortTitle: '',
				direction: 'lower_is_better',
				hasThresholds: true,
				amber: '60',
				red: '40'
			}),
			catalogue,
			'create'
		);
		expect(errors).toEqual({
			shortTitle: 'Bitte den Kurztitel angeben.',
			red: 'Die kritische Schwelle liegt über der Warnschwelle.'
		});
	});

	test('a derived KPI: the source is "derived", inputs are checked against the catalogue', () => {
		const rate = filled({
			formulaKind: 'per_100000',
			inputs: ['ges.rettungseinsaetze_neu', 'bev.einwohner'],
			cadence: 'monthly'
		});
		expect(kpiFromForm(rate).source.kind).toBe('derived');
		expect(kpiFormErrors(rate, catalogue, 'create')).toEqual({
			'inputs.0': 'Die Kennzahl „ges.rettungseinsaetze_neu“ gibt es nicht.',
			'inputs.1':
				'„Einwohnerinnen und Einwohner“ ist anders aufgegliedert als diese Kennzahl: beide brauchen dieselben Aufgliederungen.'
		});
	});

	test('the method text follows the formula with the inputs’ titles', () => {
		expect(
			generatedMethod(
				{ formulaKind: 'share', inputs: ['asyl.belegung', 'asyl.kapazitaet'] },
				catalogue.kpis
			)
		).toBe(
			'Anteil: „Belegte Plätze in Unterkünften“ geteilt durch „Kapazität der Unterkünfte“, mal 100 (in %).'
		);
		expect(
			generatedMethod({ formulaKind: 'ratio', inputs: ['asyl.belegung'] }, catalogue.kpis)
		).toBe('„Belegte Plätze in Unterkünften“ geteilt durch „…“.');
		expect(generatedMethod({ formulaKind: 'stock', inputs: [] }, catalogue.kpis)).toBe('');
	});

	test('the input pickers offer active KPIs of the same cadence and breakdown, a coarser population for rates', () => {
		const daily = {
			id: 'x.neu',
			cadence: 'daily',
			dimensions: ['facility'],
			formulaKind: 'share' as const
		};
		const offered = inputCandidates(daily, catalogue.kpis, 0).map((k) => k.id);
		expect(offered).toEqual(expect.arrayContaining(['asyl.belegung', 'asyl.kapazitaet']));
		expect(
			offered.every((id) => catalogue.kpis.find((k) => k.id === id)!.cadence === 'daily')
		).toBe(true);
		const monthlyRate = {
			id: 'x.rate',
			cadence: 'monthly',
			dimensions: [],
			formulaKind: 'per_1000' as const
		};
		const populations = inputCandidates(monthlyRate, catalogue.kpis, 1).map((k) => k.cadence);
		expect(new Set(populations)).toEqual(new Set(['monthly', 'quarterly', 'yearly']));
		const retired = catalogue.kpis.map((k) =>
			k.id === 'asyl.belegung' ? { ...k, active: false } : k
		);
		expect(inputCandidates(daily, retired, 0).map((k) => k.id)).not.toContain('asyl.belegung');
	});

	test('server messages by path land on the form’s fields', () => {
		expect(
			formErrorsOf({
				'thresholds.red': 'a',
				'formula.inputs.1': 'b',
				'owner.email': 'c',
				'view.supply': 'd',
				'comparison.plan': 'e',
				_form: 'f'
			})
		).toEqual({
			red: 'a',
			'inputs.1': 'b',
			email: 'c',
			viewPartner: 'd',
			comparisonPlan: 'e',
			_form: 'f'
		});
	});

	test('German numbers', () => {
		expect(parseGermanNumber('1.234,5')).toBe(1234.5);
		expect(parseGermanNumber('1.234')).toBe(1234);
		expect(parseGermanNumber('12.5')).toBe(12.5);
		expect(parseGermanNumber('-0,75')).toBe(-0.75);
		expect(parseGermanNumber('')).toBeNaN();
		expect(parseGermanNumber('zwölf')).toBeNaN();
	});
});

describe('the catalogue list', () => {
	const rows: CatalogueRow[] = catalogue.kpis.map((k, i) => ({
		...k,
		active: i !== 0,
		lastPeriod: null
	}));

	test('search by words in id, title, source, owner or tags, without accents; filters by area and state', () => {
		expect(filterCatalogue(rows, { ...NO_FILTER, query: 'uebergewicht' }).map((r) => r.id)).toEqual(
			['ges.schuleingang_uebergewicht']
		);
		expect(
			filterCatalogue(rows, { ...NO_FILTER, query: 'Unterkunfte belegte platze' }).map((r) => r.id)
		).toEqual(expect.arrayContaining(['asyl.belegung']));
		const retired = filterCatalogue(rows, { ...NO_FILTER, state: 'retired' });
		expect(retired.map((r) => r.id)).toEqual([rows[0]!.id]);
		expect(filterCatalogue(rows, { ...NO_FILTER, state: 'all' })).toHaveLength(rows.length);
		const asyl = filterCatalogue(rows, { ...NO_FILTER, areaId: 'asyl', visibility: 'public' });
		expect(asyl.every((r) => r.areaId === 'asyl' && r.visibility === 'public')).toBe(true);
		expect(countLabel(asyl.length, rows.length)).toBe(
			`${asyl.length} von ${rows.length} Kennzahlen`
		);
	});

	test('grouped under the areas in their order; a new KPI goes after the area’s last', () => {
		const groups = groupByArea([...catalogue.areas].reverse(), rows);
		expect(groups.map((g) => g.area.id)).toEqual(catalogue.areas.map((a) => a.id));
		expect(nextSortOrder(rows, 'asyl')).toBe(90);
		expect(nextSortOrder(rows, 'umwelt')).toBe(10);
	});

	test('an area form becomes a definition; a sort order that is no number reaches the server as text', () => {
		expect(
			areaFromForm({
				id: ' umwelt ',
				title: 'Umwelt',
				description: '',
				sortOrder: '80',
				openDataTheme: ''
			})
		).toEqual({
			id: 'umwelt',
			title: 'Umwelt',
			description: '',
			sortOrder: 80,
			openDataTheme: null
		});
		expect(
			areaFromForm({
				id: 'x',
				title: 'X',
				description: '',
				sortOrder: 'zehn',
				openDataTheme: 'ENVI'
			})
		).toMatchObject({ sortOrder: 'zehn', openDataTheme: 'ENVI' });
	});
});
