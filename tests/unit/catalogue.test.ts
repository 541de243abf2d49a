import { describe, expect, test } from 'vitest';
import {
	applyFormula,
	CatalogueKpiV1,
	catalogueProblems,
	describeFormula,
	KpiIdV1,
	unknownFieldProblems,
	type CatalogueKpi,
	type CatalogueKpiInput
} from '#shared/catalogue';

const AREA = {
	id: 'rettung',
	title: 'Rettung',
	description: '',
	sortOrder: 10,
	openDataTheme: null
};
const DIMENSIONS = [
	{ id: 'district', title: 'Stadtteil', source: 'districts' as const, members: [] },
	{ id: 'level', title: 'Niveau', source: 'list' as const, members: [{ id: 'A1', label: 'A1' }] }
];

function kpi(over: Partial<CatalogueKpiInput> & Pick<CatalogueKpiInput, 'id'>): CatalogueKpi {
	return CatalogueKpiV1.parse({
		areaId: 'rettung',
		title: `Titel ${over.id}`,
		shortTitle: over.id,
		numberFormat: 'integer',
		decimals: 0,
		direction: 'neutral',
		cadence: 'monthly',
		graceDays: 5,
		source: { kind: 'feed', name: 'Quelle' },
		owner: { department: 'Amt', contact: 'Person' },
		visibility: 'internal',
		disclosureMinCount: 0,
		sortOrder: 10,
		formula: { kind: 'flow' },
		...over
	});
}

const derived = (
	id: string,
	formula: CatalogueKpiInput['formula'],
	over: Partial<CatalogueKpiInput> = {}
) => kpi({ id, source: { kind: 'derived', name: 'Formel' }, formula, ...over });

/** The problems of a catalogue of these KPIs, as `path: message`. */
function problems(...kpis: CatalogueKpi[]): string[] {
	return catalogueProblems({ areas: [AREA], dimensions: DIMENSIONS, kpis }).map(
		(p) => `${p.path.join('.')}: ${p.message}`
	);
}

describe('catalogueProblems', () => {
	const calls = kpi({ id: 'ret.einsaetze' });
	const population = kpi({ id: 'ret.einwohner', cadence: 'yearly', formula: { kind: 'stock' } });

	test('a sound catalogue has none', () => {
		expect(
			problems(
				calls,
				population,
				derived('ret.rate', { kind: 'per_1000', inputs: ['ret.einsaetze', 'ret.einwohner'] })
			)
		).toEqual([]);
	});

	test('ids, areas and dimensions that do not fit', () => {
		expect(
			problems(
				calls,
				kpi({ id: 'ret.einsaetze' }),
				kpi({ id: 'ret.x', areaId: 'umwelt', dimensions: ['district', 'district', 'alter'] })
			)
		).toEqual([
			'kpis.1.id: Die Kennzahl „ret.einsaetze“ steht doppelt im Katalog.',
			'kpis.2.areaId: Den Bereich „umwelt“ gibt es nicht.',
			'kpis.2.dimensions.2: Die Aufgliederung „alter“ gibt es nicht.',
			'kpis.2.dimensions: Eine Aufgliederung steht doppelt.'
		]);
	});

	test('bands in the wrong order for the direction', () => {
		expect(
			problems(
				kpi({ id: 'a.b', direction: 'lower_is_better', thresholds: { amber: 50, red: 40 } }),
				kpi({ id: 'a.c', direction: 'higher_is_better', thresholds: { amber: 50, red: 60 } }),
				kpi({ id: 'a.d', direction: 'higher_is_better', thresholds: { amber: 50, red: 40 } })
			)
		).toEqual([
			'kpis.0.thresholds.red: Die kritische Schwelle liegt über der Warnschwelle.',
			'kpis.1.thresholds.red: Bei „höher ist besser“ liegt die kritische Schwelle unter der Warnschwelle.'
		]);
	});

	test('formulas: source, arity, unknown or own inputs, cadence and breakdown must fit', () => {
		const byDistrict = kpi({ id: 'ret.bezirk', dimensions: ['district'] });
		expect(
			problems(
				calls,
				population,
				byDistrict,
				kpi({
					id: 'ret.falsch',
					formula: { kind: 'sum', inputs: ['ret.einsaetze', 'ret.einsaetze'] }
				}),
				derived('ret.eins', { kind: 'ratio', inputs: ['ret.einsaetze'] }),
				derived('ret.selbst', { kind: 'difference', inputs: ['ret.selbst', 'ret.gibtsnicht'] }),
				derived('ret.takt', { kind: 'difference', inputs: ['ret.einsaetze', 'ret.einwohner'] }),
				derived('ret.teil', { kind: 'share', inputs: ['ret.bezirk', 'ret.einsaetze'] })
			)
		).toEqual([
			'kpis.3.source.kind: Eine berechnete Kennzahl hat die Quelle „derived“.',
			'kpis.4.formula.inputs: Diese Formel braucht genau 2 Ausgangskennzahlen.',
			'kpis.5.formula.inputs.0: Eine Kennzahl kann nicht aus sich selbst berechnet werden.',
			'kpis.5.formula.inputs.1: Die Kennzahl „ret.gibtsnicht“ gibt es nicht.',
			'kpis.6.formula.inputs.1: „Titel ret.einwohner“ hat einen anderen Rhythmus (yearly) als diese Kennzahl (monthly).',
			'kpis.7.formula.inputs.0: „Titel ret.bezirk“ ist anders aufgegliedert als diese Kennzahl: beide brauchen dieselben Aufgliederungen.'
		]);
	});

	test('a rate per inhabitants may take a population reported less often, but not more often', () => {
		const daily = kpi({ id: 'ret.tag', cadence: 'daily' });
		expect(
			problems(
				daily,
				population,
				derived(
					'ret.a',
					{ kind: 'per_100000', inputs: ['ret.tag', 'ret.einwohner'] },
					{ cadence: 'daily' }
				),
				derived(
					'ret.b',
					{ kind: 'per_1000', inputs: ['ret.einwohner', 'ret.tag'] },
					{ cadence: 'yearly' }
				)
			)
		).toEqual([
			'kpis.3.formula.inputs.1: „Titel ret.tag“ hat einen anderen Rhythmus (daily) als diese Kennzahl (yearly).'
		]);
	});

	test('cycles through formulas are found and shown as a path', () => {
		expect(
			problems(
				derived('a.x', { kind: 'change', inputs: ['a.y'] }),
				derived('a.y', { kind: 'change', inputs: ['a.x'] })
			)
		).toEqual(['kpis.0.formula.inputs: Die Formeln bilden einen Kreis: a.x → a.y → a.x.']);
	});

	test('views and comparisons need a fitting partner', () => {
		expect(
			problems(
				calls,
				population,
				kpi({ id: 'a.gauge', view: { kind: 'gauge' } }),
				kpi({ id: 'a.pair', view: { kind: 'plan_actual', plan: 'ret.einwohner' } }),
				kpi({ id: 'a.self', view: { kind: 'supply_demand', supply: 'a.self', projection: true } }),
				kpi({ id: 'a.plan', comparison: { kind: 'plan_pro_rata', plan: 'ret.einsaetze' } })
			)
		).toEqual([
			'kpis.2.view.kind: Ein Tacho braucht Schwellen (Warn- und kritische Schwelle).',
			'kpis.3.view.plan: Der Plan „Titel ret.einwohner“ hat einen anderen Rhythmus als diese Kennzahl.',
			'kpis.4.view.projection: Die Vorausschau „reicht bis“ gibt es nur für tägliche Kennzahlen.',
			'kpis.4.view.supply: Das Angebot muss eine andere Kennzahl sein.',
			'kpis.5.comparison.kind: Mit dem Plan zeitanteilig wird nur eine seit Jahresbeginn aufsummierte Kennzahl (ytd) verglichen.'
		]);
	});
});

describe('the schema of a KPI', () => {
	test('German messages for a wrong id, and "neu" is kept for the form of a new KPI', () => {
		expect(KpiIdV1.safeParse('ges.rettungseinsaetze').success).toBe(true);
		expect(KpiIdV1.safeParse('Ges Einsätze').error?.issues[0]?.message).toMatch(
			/^Die Kennung besteht aus Kleinbuchstaben/
		);
		expect(KpiIdV1.safeParse('neu').error?.issues[0]?.message).toMatch(/„neu“ ist vergeben/);
	});

	test('defaults: line view, previous period, no bands, active', () => {
		const parsed = kpi({ id: 'x.y' });
		expect(parsed).toMatchObject({
			view: { kind: 'line' },
			comparison: { kind: 'previous_period' },
			thresholds: null,
			target: null,
			active: true,
			tags: []
		});
	});
});

describe('applyFormula', () => {
	test('the closed list of formulas', () => {
		expect(applyFormula('sum', [1, 2, 3.5])).toBe(6.5);
		expect(applyFormula('difference', [240, 200])).toBe(40);
		expect(applyFormula('ratio', [3, 4])).toBe(0.75);
		expect(applyFormula('share', [200, 240])).toBeCloseTo(83.333, 3);
		expect(applyFormula('per_1000', [90, 100_000])).toBe(0.9);
		expect(applyFormula('per_100000', [45, 90_000])).toBe(50);
		expect(applyFormula('change', [110], 100)).toBe(10);
		expect(applyFormula('change_percent', [90], -100)).toBe(190);
	});

	test('a division by zero or a missing input is "kein Wert" (null), never Infinity or 0', () => {
		for (const kind of ['ratio', 'share', 'per_1000', 'per_100000'] as const) {
			expect(applyFormula(kind, [5, 0]), kind).toBeNull();
			expect(applyFormula(kind, [null, 5]), kind).toBeNull();
		}
		expect(applyFormula('sum', [1, null])).toBeNull();
		expect(applyFormula('change', [5], null)).toBeNull();
		expect(applyFormula('change_percent', [5], 0)).toBeNull();
	});
});

describe('describeFormula', () => {
	const titles: Record<string, string> = { a: 'Belegte Plätze', b: 'Kapazität' };
	const titleOf = (id: string) => titles[id] ?? id;
	test('writes the method of a derived KPI with its inputs’ titles', () => {
		expect(describeFormula({ kind: 'share', inputs: ['a', 'b'] }, titleOf)).toBe(
			'Anteil: „Belegte Plätze“ geteilt durch „Kapazität“, mal 100 (in %).'
		);
		expect(describeFormula({ kind: 'per_1000', inputs: ['a', 'b'] }, titleOf)).toBe(
			'„Belegte Plätze“ je 1.000: geteilt durch „Kapazität“, mal 1.000.'
		);
		expect(describeFormula({ kind: 'sum', inputs: ['a', 'b', 'c'] }, titleOf)).toBe(
			'Summe aus „Belegte Plätze“, „Kapazität“, „c“.'
		);
		expect(describeFormula({ kind: 'stock' }, titleOf)).toBe(
			'Bestand (letzter Wert je Merkmal gilt weiter)'
		);
	});
});

describe('unknownFieldProblems', () => {
	test('names a misspelt field wherever it stands, and nothing in a correct file', () => {
		const file = {
			format: 'klar-catalogue',
			version: 1,
			areas: [{ ...AREA, colour: 'rot' }],
			dimensions: [{ ...DIMENSIONS[1], members: [{ id: 'A1', label: 'A1', lable: 'x' }] }],
			kpis: [
				{
					...kpi({ id: 'a.b' }),
					shorttitle: 'x',
					owner: { department: 'A', contact: 'B', mail: 'c' }
				}
			],
			kommentar: 'x'
		};
		expect(unknownFieldProblems(file).map((p) => p.path.join('.'))).toEqual([
			'kommentar',
			'areas.0.colour',
			'dimensions.0.members.0.lable',
			'kpis.0.shorttitle',
			'kpis.0.owner.mail'
		]);
		expect(
			unknownFieldProblems({
				format: 'klar-catalogue',
				version: 1,
				areas: [AREA],
				kpis: [kpi({ id: 'a.b' })]
			})
		).toEqual([]);
	});
});
