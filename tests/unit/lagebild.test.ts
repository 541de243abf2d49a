import { describe, expect, test } from 'vitest';
import { buildLagebild } from '../../src/lib/kpis/lagebild';
import type { KpiSnapshot } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';

function kpi(id: string, areaId: KpiDefinition['areaId'], extra: Partial<KpiDefinition> = {}) {
	return {
		id,
		areaId,
		title: `Titel ${id}`,
		shortTitle: id,
		description: '',
		method: '',
		unit: '',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: { amber: 10, red: 20 },
		cadence: 'monthly',
		graceDays: 10,
		dimensions: [],
		source: { kind: 'feed', name: 'x' },
		owner: { department: 'Amt', contact: 'K' },
		visibility: 'public',
		disclosureMinCount: 0,
		tags: [],
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' },
		...extra
	} satisfies KpiDefinition;
}

function snap(kpiId: string, period: string, status: KpiSnapshot['status']): KpiSnapshot {
	return {
		kpiId,
		areaId: 'finanzen',
		period,
		value: 1,
		previousPeriod: null,
		previousValue: null,
		change: null,
		changePercent: null,
		status,
		series: { start: period, values: [1] },
		breakdownDimension: null,
		breakdown: [],
		asOf: null,
		overdue: false,
		nextExpectedUpdate: null,
		computedAt: '2026-11-01T00:00:00Z'
	};
}

const today = new Date(2026, 10, 22);
const catalogue = [
	kpi('fin.b', 'finanzen', { sortOrder: 20 }),
	kpi('fin.a', 'finanzen', { sortOrder: 10 }),
	kpi('soz.late', 'soziales', { graceDays: 5 }),
	kpi('soz.later', 'soziales', { cadence: 'yearly', graceDays: 30, sortOrder: 5 }),
	kpi('bev.nosnap', 'bevoelkerung')
];
const snapshots = new Map([
	['fin.a', snap('fin.a', '2026-10', 'red')],
	['fin.b', snap('fin.b', '2026-10', 'amber')],
	// September is the latest value: October's was due by 5 November.
	['soz.late', snap('soz.late', '2026-09', 'green')],
	['soz.later', snap('soz.later', '2024', 'none')]
]);

// The catalogue's order of areas, not the order of their KPIs, orders the summaries.
const AREAS = [
	{ id: 'finanzen', title: 'Finanzen', description: '', sortOrder: 10, openDataTheme: null },
	{ id: 'asyl', title: 'Asyl', description: '', sortOrder: 20, openDataTheme: null },
	{ id: 'bevoelkerung', title: 'Bevölkerung', description: '', sortOrder: 30, openDataTheme: null },
	{ id: 'soziales', title: 'Soziales', description: '', sortOrder: 40, openDataTheme: null }
].reverse();

describe('Lagebild on the device', () => {
	test('pins come first in the order pinned; unknown pins (no longer visible) are skipped', () => {
		const l = buildLagebild(AREAS, catalogue, snapshots, ['soz.late', 'gone', 'fin.b'], [], today);
		expect(l.pinned.map((p) => p.definition.id)).toEqual(['soz.late', 'fin.b']);
	});

	test('newly red lists only alerts that are still red', () => {
		const l = buildLagebild(
			AREAS,
			catalogue,
			snapshots,
			[],
			[
				{ kpiId: 'fin.a', detectedAt: 'x' },
				{ kpiId: 'fin.b', detectedAt: 'x' }
			],
			today
		);
		expect(l.newlyRed.map((p) => p.definition.id)).toEqual(['fin.a']);
	});

	test('overdue is judged with the device clock, most overdue first, with the days late', () => {
		const l = buildLagebild(AREAS, catalogue, snapshots, [], [], today);
		expect(l.overdue.map((o) => [o.definition.id, o.expectedBy, o.daysLate])).toEqual([
			// 2025 was due by 30 January 2026 (end of 2025 + 30 days).
			['soz.later', '2026-01-30', 296],
			// October was due by 5 November.
			['soz.late', '2026-11-05', 17]
		]);
	});

	test('one summary per area in catalogue order, with its title, counts and first KPI as headline', () => {
		const l = buildLagebild(AREAS, catalogue, snapshots, [], [], today);
		expect(l.areas.map((a) => [a.areaId, a.kpiCount, a.red, a.amber, a.overdue])).toEqual([
			['finanzen', 2, 1, 1, 0],
			['bevoelkerung', 1, 0, 0, 0],
			['soziales', 2, 0, 0, 2]
		]);
		expect(l.areas.map((a) => a.title)).toEqual(['Finanzen', 'Bevölkerung', 'Soziales']);
		expect(l.areas[0]!.headline.definition.id).toBe('fin.a');
		expect(l.areas[2]!.headline.definition.id).toBe('soz.later');
	});
});
