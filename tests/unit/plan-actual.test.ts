import { describe, expect, test } from 'vitest';
import type { BreakdownRow, SeriesPoint } from '#shared/kpi';
import {
	describePlanActual,
	latestBookedYear,
	planVsActualByMember,
	planVsActualByMonth,
	type PlanActualMonth
} from '../../src/lib/kpis/plan-actual';
import { expectedShareOfYear } from '#shared/periods';

const NBSP = '\u00a0';
const mio = { unit: 'Mio. €', decimals: 1 };

/** Cumulated monthly values from January of `year` on. */
const cumulated = (year: number, monthly: (number | null)[]): SeriesPoint[] =>
	monthly.map((value, i) => ({ period: `${year}-${String(i + 1).padStart(2, '0')}`, value }));

const plan2026 = cumulated(2026, [30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 360]);

describe('planVsActualByMonth', () => {
	test('twelve months; actual null after the last booked month', () => {
		const actual = cumulated(2026, [28, 61, 87.5]);
		const rows = planVsActualByMonth(actual, plan2026, 2026);
		expect(rows.map((r) => r.period)).toEqual([
			'2026-01',
			'2026-02',
			'2026-03',
			'2026-04',
			'2026-05',
			'2026-06',
			'2026-07',
			'2026-08',
			'2026-09',
			'2026-10',
			'2026-11',
			'2026-12'
		]);
		expect(rows[0]).toEqual({
			period: '2026-01',
			plan: 30,
			actual: 28,
			deviation: -2,
			deviationPercent: (-2 / 30) * 100
		});
		expect(rows[2]).toMatchObject({ actual: 87.5, deviation: -2.5 });
		expect(rows[3]).toEqual({
			period: '2026-04',
			plan: 120,
			actual: null,
			deviation: null,
			deviationPercent: null
		});
		expect(rows[11]).toMatchObject({ plan: 360, actual: null });
	});

	test('takes only the requested year from a series across the year boundary', () => {
		const actual = [...cumulated(2025, Array(12).fill(400)), ...cumulated(2026, [35])];
		const plan = [...cumulated(2025, Array(12).fill(390)), ...plan2026];
		const rows2026 = planVsActualByMonth(actual, plan, 2026);
		expect(rows2026[0]).toMatchObject({ period: '2026-01', actual: 35, plan: 30, deviation: 5 });
		expect(rows2026[1]!.actual).toBeNull();
		const rows2025 = planVsActualByMonth(actual, plan, 2025);
		expect(rows2025[11]).toMatchObject({ period: '2025-12', actual: 400, plan: 390 });
	});

	test('a month missing in between stays empty, not carried forward', () => {
		const actual = [
			{ period: '2026-01', value: 28 },
			{ period: '2026-03', value: 90 },
			{ period: '2026-04', value: null }
		];
		const rows = planVsActualByMonth(actual, plan2026, 2026);
		expect(rows.map((r) => r.actual).slice(0, 5)).toEqual([28, null, 90, null, null]);
		expect(rows[1]!.deviation).toBeNull();
	});

	test('a plan of zero gives a deviation but no percentage', () => {
		const rows = planVsActualByMonth(cumulated(2026, [5]), cumulated(2026, [0]), 2026);
		expect(rows[0]).toMatchObject({ plan: 0, actual: 5, deviation: 5, deviationPercent: null });
	});

	test('no plan at all', () => {
		const rows = planVsActualByMonth(cumulated(2026, [5]), [], 2026);
		expect(rows[0]).toMatchObject({
			plan: null,
			actual: 5,
			deviation: null,
			deviationPercent: null
		});
	});
});

describe('latestBookedYear', () => {
	test('the year of the latest month with a value', () => {
		expect(
			latestBookedYear([...cumulated(2025, Array(12).fill(1)), ...cumulated(2026, [1, 2])])
		).toBe(2026);
		expect(latestBookedYear([...cumulated(2025, [1]), ...cumulated(2026, [null, null])])).toBe(
			2025
		);
		expect(
			latestBookedYear([
				{ period: '2026-01', value: 1 },
				{ period: '2025-12', value: 1 }
			])
		).toBe(2026);
	});

	test('null without any booked month', () => {
		expect(latestBookedYear([])).toBeNull();
		expect(latestBookedYear(cumulated(2026, [null]))).toBeNull();
	});
});

describe('planVsActualByMember', () => {
	const row = (key: string, label: string, value: number | null): BreakdownRow => ({
		key,
		label,
		value,
		asOf: '2026-10-31'
	});

	test('union of both breakdowns, sorted by label, with the share of the plan used', () => {
		const members = planVsActualByMember(
			[row('pb-11', '11 Innere Verwaltung', 40), row('pb-57', '57 Wirtschaft und Tourismus', 3)],
			[row('pb-11', '11 Innere Verwaltung', 50), row('pb-12', '12 Sicherheit und Ordnung', 20)]
		);
		expect(members).toEqual([
			{
				key: 'pb-11',
				label: '11 Innere Verwaltung',
				annualPlan: 50,
				actualToDate: 40,
				usedPercent: 80
			},
			{
				key: 'pb-12',
				label: '12 Sicherheit und Ordnung',
				annualPlan: 20,
				actualToDate: null,
				usedPercent: null
			},
			{
				key: 'pb-57',
				label: '57 Wirtschaft und Tourismus',
				annualPlan: null,
				actualToDate: 3,
				usedPercent: null
			}
		]);
	});

	test('German collation: umlauts sort with their base letter, numbers by value', () => {
		const members = planVsActualByMember(
			[row('c', 'Zoo', 1), row('b', 'Ämter', 1), row('a', 'Bauhof', 1)],
			[row('d', '9 Neun', 1), row('e', '10 Zehn', 1)]
		);
		expect(members.map((m) => m.label)).toEqual(['9 Neun', '10 Zehn', 'Ämter', 'Bauhof', 'Zoo']);
	});

	test('a plan of zero has no share used', () => {
		const [m] = planVsActualByMember([row('x', 'X', 5)], [row('x', 'X', 0)]);
		expect(m).toMatchObject({ annualPlan: 0, actualToDate: 5, usedPercent: null });
	});

	test('empty breakdowns', () => {
		expect(planVsActualByMember([], [])).toEqual([]);
	});
});

describe('expectedShareOfYear', () => {
	test('months, quarters and years', () => {
		expect(expectedShareOfYear('2026-10')).toBeCloseTo(83.333, 3);
		expect(expectedShareOfYear('2026-01')).toBeCloseTo(8.333, 3);
		expect(expectedShareOfYear('2026-12')).toBe(100);
		expect(expectedShareOfYear('2026-Q2')).toBe(50);
		expect(expectedShareOfYear('2026')).toBe(100);
	});

	test.each(['2026-11-21', '2026-W47', '2026-13', 'kaputt'])('refuses %s', (period) => {
		expect(() => expectedShareOfYear(period)).toThrow(RangeError);
	});
});

describe('describePlanActual', () => {
	const month = (over: Partial<PlanActualMonth>): PlanActualMonth => {
		const m = { period: '2026-10', plan: 325.8, actual: 312.4, ...over };
		const deviation = m.actual !== null && m.plan !== null ? m.actual - m.plan : null;
		const deviationPercent =
			deviation !== null && m.plan !== null && m.plan !== 0
				? (deviation / Math.abs(m.plan)) * 100
				: null;
		return { deviation, deviationPercent, ...m };
	};

	test('below and above plan, in percent', () => {
		expect(describePlanActual(month({}), mio)).toBe(
			`Ist bis Oktober 2026: 312,4${NBSP}Mio. € – 4,1${NBSP}% unter Plan (325,8${NBSP}Mio. €)`
		);
		expect(describePlanActual(month({ actual: 340 }), mio)).toBe(
			`Ist bis Oktober 2026: 340,0${NBSP}Mio. € – 4,4${NBSP}% über Plan (325,8${NBSP}Mio. €)`
		);
	});

	test('a deviation that rounds away is "im Plan"', () => {
		expect(describePlanActual(month({ actual: 325.81 }), mio)).toBe(
			`Ist bis Oktober 2026: 325,8${NBSP}Mio. € – im Plan (325,8${NBSP}Mio. €)`
		);
	});

	test('a plan of zero: the deviation as an amount', () => {
		expect(describePlanActual(month({ period: '2026-01', plan: 0, actual: 1.5 }), mio)).toBe(
			`Ist bis Januar 2026: 1,5${NBSP}Mio. € – 1,5${NBSP}Mio. € über Plan (0,0${NBSP}Mio. €)`
		);
		expect(describePlanActual(month({ plan: 0, actual: 0 }), mio)).toContain('– im Plan');
	});

	test('months without actual or plan', () => {
		expect(describePlanActual(month({ actual: null }), mio)).toBe(
			`Ist bis Oktober 2026: noch kein Wert (Plan: 325,8${NBSP}Mio. €)`
		);
		expect(describePlanActual(month({ actual: null, plan: null }), mio)).toBe(
			'Ist bis Oktober 2026: noch kein Wert'
		);
		expect(describePlanActual(month({ plan: null }), mio)).toBe(
			`Ist bis Oktober 2026: 312,4${NBSP}Mio. € – kein Planwert`
		);
	});

	test('from the monthly table', () => {
		const [january] = planVsActualByMonth(cumulated(2026, [28]), plan2026, 2026);
		expect(describePlanActual(january!, { unit: 'Mio. €', decimals: 0 })).toBe(
			`Ist bis Januar 2026: 28${NBSP}Mio. € – 6,7${NBSP}% unter Plan (30${NBSP}Mio. €)`
		);
	});
});
