import { describe, expect, test } from 'vitest';
import { demoCatalogue } from '#server/db/demo/catalogue';
import type { KpiDefinition } from '#shared/catalogue';
import type { KpiSnapshot } from '#shared/kpi';
import { areaViews, kpiViews, type ViewSources } from '../../src/lib/kpis/views';

const CATALOGUE = demoCatalogue();
const definitions: KpiDefinition[] = CATALOGUE.kpis.map(({ active: _, ...d }) => d);

function snapshot(definition: KpiDefinition, breakdown: [string, number][] = []): KpiSnapshot {
	return {
		kpiId: definition.id,
		areaId: definition.areaId,
		period: '2026-11-21',
		value: 10,
		previousPeriod: null,
		previousValue: null,
		change: null,
		changePercent: null,
		status: 'none',
		series: { start: '2026-11-21', values: [10] },
		breakdownDimension: breakdown.length ? (definition.dimensions[0] ?? null) : null,
		breakdown: breakdown.map(([key, value]) => ({ key, label: `L-${key}`, value, asOf: null })),
		asOf: '2026-11-21',
		overdue: false,
		nextExpectedUpdate: null,
		computedAt: 'now'
	};
}

/** The device holds these KPIs (and all the others unless `hidden`). */
function sources(
	hidden: string[] = [],
	breakdowns: Record<string, [string, number][]> = {}
): ViewSources {
	return {
		kpi: (id) => {
			const definition = definitions.find((d) => d.id === id);
			if (!definition || hidden.includes(id)) return undefined;
			return { definition, snapshot: snapshot(definition, breakdowns[id]) };
		},
		dimension: (id) => CATALOGUE.dimensions.find((d) => d.id === id)
	};
}

const ofArea = (area: string) => definitions.filter((d) => d.areaId === area);

describe('views from the catalogue', () => {
	test('the Warnmelder is the gauge the catalogue puts on the incidence', () => {
		const views = areaViews(ofArea('gesundheit'), sources());
		expect(views.map((v) => [v.kind, v.kind === 'gauge' && v.title])).toEqual([
			['gauge', 'Warnmelder']
		]);
	});

	test('all plan-vs-actual pairs of an area form one table, positions named by the catalogue', () => {
		const [budget, ...rest] = areaViews(ofArea('finanzen'), sources());
		expect(rest).toEqual([]);
		expect(
			budget?.kind === 'plan_actual' && budget.lines.map((l) => [l.item, l.plan.definition.id])
		).toEqual([
			['Erträge', 'fin.ertraege.plan'],
			['Aufwendungen', 'fin.aufwendungen.plan'],
			['Gewerbesteuer', 'fin.gewerbesteuer.plan'],
			['Grundsteuer B', 'fin.grundsteuer_b.plan'],
			['Investitionen', 'fin.investitionen.plan']
		]);
	});

	test('a pair is only shown when the device holds both halves', () => {
		expect(areaViews(ofArea('asyl'), sources(['asyl.kapazitaet']))).toEqual([]);
		const [places] = areaViews(ofArea('asyl'), sources());
		expect(places).toMatchObject({
			kind: 'supply_demand',
			title: 'Reichen die Plätze?',
			projection: true
		});
	});

	test('supply and demand by member follow the order of the dimension’s list', () => {
		const [courses] = areaViews(
			ofArea('bildung'),
			sources([], {
				'bil.sprachkurs_warteliste': [
					['B1', 5],
					['A1', 9],
					['X9', 1]
				],
				'bil.sprachkurs_plaetze': [['A2', 4]]
			})
		);
		expect(courses?.kind === 'supply_demand' && courses.breakdown).toEqual({
			title: 'Sprachniveau',
			members: [
				{ id: 'A1', label: 'A1' },
				{ id: 'A2', label: 'A2' },
				{ id: 'B1', label: 'B1' },
				{ id: 'X9', label: 'L-X9' }
			]
		});
	});

	test('a KPI’s page shows the views it is part of, also as the partner', () => {
		const kinds = (id: string) => kpiViews(id, definitions, sources()).map((v) => v.kind);
		expect(kinds('asyl.kapazitaet')).toEqual(['supply_demand']);
		expect(kinds('fin.aufwendungen.plan')).toEqual(['plan_actual']);
		expect(kinds('ges.inzidenz_7t')).toEqual(['gauge']);
		expect(kinds('bev.einwohner')).toEqual([]);
	});

	test('an admin’s own gauge and pair show without code', () => {
		const own: KpiDefinition[] = [
			{
				...definitions.find((d) => d.id === 'ges.abwasser_viruslast')!,
				view: { kind: 'gauge', title: 'Abwasser' }
			},
			{
				...definitions.find((d) => d.id === 'asyl.anschlussunterbringung')!,
				view: { kind: 'supply_demand', supply: 'asyl.kapazitaet', projection: false }
			}
		];
		const lookup: ViewSources = {
			kpi: (id) => {
				const definition = own.find((d) => d.id === id) ?? definitions.find((d) => d.id === id);
				return definition ? { definition, snapshot: snapshot(definition) } : undefined;
			},
			dimension: () => undefined
		};
		expect(areaViews(own, lookup).map((v) => [v.kind, 'title' in v ? v.title : null])).toEqual([
			['gauge', 'Abwasser'],
			['supply_demand', 'Anschlussunterbringung und Kapazität']
		]);
	});
});
