import { addDays } from 'date-fns';
import { describe, expect, test } from 'vitest';
import {
	aggregate,
	buildSnapshot,
	derivedAggregate,
	planProRata,
	dimensionKeyOf,
	membersOf,
	roundTo,
	type ObservationValue
} from '#server/kpis/aggregate';
import { type KpiDefinition } from '#shared/catalogue';
import { expandSeries } from '#shared/series';
import { shiftPeriod, toIsoDate } from '#shared/periods';

const A = 'facility=a';
const B = 'facility=b';
const obs = (period: string, dimensionKey: string, value: number | null): ObservationValue => ({
	period,
	dimensionKey,
	value
});

describe('aggregate', () => {
	// Facility a reports every day; b reports on the 1st and the 3rd only.
	const rows = [
		obs('2026-11-03', B, 30),
		obs('2026-11-01', A, 100),
		obs('2026-11-01', B, 20),
		obs('2026-11-02', A, 110),
		obs('2026-11-03', A, 120)
	];

	test('a stock carries a silent member’s last value forward', () => {
		const { series, latestByMember } = aggregate(rows, 'stock');
		expect(series).toEqual([
			{ period: '2026-11-01', value: 120 },
			{ period: '2026-11-02', value: 130 },
			{ period: '2026-11-03', value: 150 }
		]);
		expect(Object.fromEntries(latestByMember)).toEqual({
			[A]: { value: 120, period: '2026-11-03' },
			[B]: { value: 30, period: '2026-11-03' }
		});
	});

	test('a flow counts only what was reported in the period', () => {
		const { series } = aggregate(rows, 'flow');
		expect(series).toEqual([
			{ period: '2026-11-01', value: 120 },
			{ period: '2026-11-02', value: 110 },
			{ period: '2026-11-03', value: 150 }
		]);
	});

	test('the breakdown of a stock shows each member as of its own last report', () => {
		const { latestByMember } = aggregate(rows.slice(0, 4), 'stock');
		expect(latestByMember.get(B)).toEqual({ value: 30, period: '2026-11-03' });
		const { latestByMember: upToSecond } = aggregate(rows.slice(1, 4), 'stock');
		expect(upToSecond.get(B)).toEqual({ value: 20, period: '2026-11-01' });
		expect(upToSecond.get(A)).toEqual({ value: 110, period: '2026-11-02' });
	});

	test('the breakdown of a flow holds only the members of the latest period', () => {
		const weeks = [
			obs('2026-W46', 'origin=ukr', 9),
			obs('2026-W46', 'origin=syr', 4),
			obs('2026-W47', 'origin=ukr', 7)
		];
		const { latestByMember } = aggregate(weeks, 'flow');
		expect(Object.fromEntries(latestByMember)).toEqual({
			'origin=ukr': { value: 7, period: '2026-W47' }
		});
	});

	test('a reported total wins over the sum of members', () => {
		const { series } = aggregate(
			[obs('2026', A, 5), obs('2026', B, 6), obs('2026', '', 100)],
			'stock'
		);
		expect(series).toEqual([{ period: '2026', value: 100 }]);
	});

	test('members without a value are left out; a period of only gaps has no total', () => {
		const { series } = aggregate(
			[obs('2026-11-01', A, null), obs('2026-11-02', A, 4), obs('2026-11-02', B, null)],
			'flow'
		);
		expect(series).toEqual([
			{ period: '2026-11-01', value: null },
			{ period: '2026-11-02', value: 4 }
		]);
	});

	test('a member reporting a gap stops carrying its old value', () => {
		const { series } = aggregate(
			[obs('2026-11-01', A, 10), obs('2026-11-01', B, 5), obs('2026-11-02', B, null)],
			'stock'
		);
		expect(series.at(-1)).toEqual({ period: '2026-11-02', value: 10 });
	});

	test('no observations, empty series', () => {
		expect(aggregate([], 'stock').series).toEqual([]);
	});
});

describe('aggregate year to date', () => {
	const P11 = 'produktbereich=pb-11';
	const P31 = 'produktbereich=pb-31';
	// Monthly expenses of two Produktbereiche across a turn of the year.
	const months = [
		obs('2025-11', P11, 10),
		obs('2025-11', P31, 5),
		obs('2025-12', P11, 20),
		obs('2025-12', P31, 5),
		obs('2026-01', P11, 3),
		obs('2026-01', P31, 4),
		obs('2026-02', P11, 6)
	];

	test('each month is the sum of its year so far, and a new year restarts at zero', () => {
		expect(aggregate(months, 'ytd').series).toEqual([
			{ period: '2025-11', value: 15 },
			{ period: '2025-12', value: 40 },
			{ period: '2026-01', value: 7 },
			{ period: '2026-02', value: 13 }
		]);
	});

	test('the breakdown gives each member’s sum in the year of the latest period', () => {
		const { latestByMember } = aggregate(months, 'ytd');
		expect(Object.fromEntries(latestByMember)).toEqual({
			[P11]: { value: 9, period: '2026-02' },
			// pb-31 reported nothing in February: its January sum stands, as of January.
			[P31]: { value: 4, period: '2026-01' }
		});
		// A member that reported only last year is not part of this year's breakdown.
		const lastYearOnly = aggregate([...months, obs('2025-12', 'produktbereich=pb-61', 7)], 'ytd');
		expect(lastYearOnly.latestByMember.has('produktbereich=pb-61')).toBe(false);
	});

	test('a month missing inside the year leaves no point, and the next month counts what came before', () => {
		const { series } = aggregate(
			[obs('2026-01', '', 100), obs('2026-02', '', 50), obs('2026-04', '', 25)],
			'ytd'
		);
		expect(series).toEqual([
			{ period: '2026-01', value: 100 },
			{ period: '2026-02', value: 150 },
			{ period: '2026-04', value: 175 }
		]);
	});

	test('a month that reports only gaps has no value, but the year keeps its sum', () => {
		const { series } = aggregate(
			[obs('2026-01', P11, 8), obs('2026-02', P11, null), obs('2026-03', P11, 2)],
			'ytd'
		);
		expect(series).toEqual([
			{ period: '2026-01', value: 8 },
			{ period: '2026-02', value: null },
			{ period: '2026-03', value: 10 }
		]);
	});

	test('a reported total wins over the sum of members, month by month', () => {
		const { series } = aggregate(
			[obs('2026-01', P11, 1), obs('2026-01', '', 30), obs('2026-02', P11, 2)],
			'ytd'
		);
		expect(series).toEqual([
			{ period: '2026-01', value: 30 },
			{ period: '2026-02', value: 32 }
		]);
	});

	test('quarters and ISO weeks restart with the year of their key', () => {
		const { series } = aggregate(
			[obs('2025-Q4', '', 4), obs('2026-Q1', '', 1), obs('2026-Q2', '', 2)],
			'ytd'
		);
		expect(series.map((p) => p.value)).toEqual([4, 1, 3]);
	});
});

describe('derivedAggregate', () => {
	const aggregateOf = (values: [string, number | null][]) => ({
		series: values.map(([period, value]) => ({ period, value })),
		latestByMember: new Map()
	});
	const occupied = aggregateOf([
		['2026-11-01', 90],
		['2026-11-02', null],
		['2026-11-03', 45],
		['2026-11-04', 10]
	]);
	const capacity = aggregateOf([
		['2026-11-01', 100],
		['2026-11-02', 100],
		['2026-11-03', 0]
	]);
	const daily = (a: ReturnType<typeof aggregateOf>) => ({
		aggregate: a,
		cadence: 'daily' as const
	});

	test('share in percent, only where both inputs have the period; zero capacity gives no value', () => {
		expect(derivedAggregate('share', [daily(occupied), daily(capacity)], 'daily').series).toEqual([
			{ period: '2026-11-01', value: 90 },
			{ period: '2026-11-02', value: null },
			{ period: '2026-11-03', value: null }
		]);
	});

	test('difference, e.g. free places', () => {
		expect(
			derivedAggregate('difference', [daily(capacity), daily(occupied)], 'daily').series
		).toEqual([
			{ period: '2026-11-01', value: 10 },
			{ period: '2026-11-02', value: null },
			{ period: '2026-11-03', value: -45 }
		]);
	});

	test('per 1,000 inhabitants with a yearly population carried into the months', () => {
		const births = {
			aggregate: aggregateOf([
				['2025-12', 80],
				['2026-01', 90],
				['2026-02', 60]
			]),
			cadence: 'monthly' as const
		};
		const population = {
			aggregate: aggregateOf([
				['2025', 100_000],
				['2024', 99_000]
			]),
			cadence: 'yearly' as const
		};
		population.aggregate.series.reverse();
		expect(derivedAggregate('per_1000', [births, population], 'monthly').series).toEqual([
			{ period: '2025-12', value: 0.8 },
			// 2026 has no population yet: the latest, of 2025, carries forward.
			{ period: '2026-01', value: 0.9 },
			{ period: '2026-02', value: 0.6 }
		]);
	});

	test('change against the previous period, nothing for the first one', () => {
		const monthly = aggregateOf([
			['2026-09', 100],
			['2026-10', 110],
			['2026-11', 99]
		]);
		expect(
			derivedAggregate('change_percent', [{ aggregate: monthly, cadence: 'monthly' }], 'monthly')
				.series
		).toEqual([
			{ period: '2026-09', value: null },
			{ period: '2026-10', value: 10 },
			{ period: '2026-11', value: -10 }
		]);
	});
});

describe('planProRata', () => {
	const plan = [
		{ period: '2026-01', value: 10 },
		{ period: '2026-12', value: 1200 }
	];
	test('the annual plan (its December value) times the share of the year that has passed', () => {
		const result = planProRata('2026-03', plan);
		expect(result?.shareOfYear).toBeCloseTo(25, 5);
		expect(result?.value).toBeCloseTo(300, 5);
	});
	test('no plan for the year: nothing to compare with', () => {
		expect(planProRata('2025-03', plan)).toBeNull();
	});
});

describe('roundTo', () => {
	test('rounds to the given decimals and keeps null', () => {
		expect(roundTo(87.456, 1)).toBe(87.5);
		expect(roundTo(87.44, 0)).toBe(87);
		expect(roundTo(null, 2)).toBeNull();
	});
});

describe('buildSnapshot', () => {
	const utilisation: KpiDefinition = {
		id: 'asyl.auslastung',
		areaId: 'asyl',
		title: 'Auslastung der Unterkünfte',
		shortTitle: 'Auslastung',
		description: '',
		method: '',
		unit: '%',
		numberFormat: 'percent',
		decimals: 1,
		direction: 'lower_is_better',
		target: 85,
		thresholds: { amber: 88, red: 95 },
		cadence: 'daily',
		graceDays: 2,
		dimensions: ['facility'],
		source: { kind: 'derived', name: 'Belegte Plätze / Kapazität' },
		owner: { department: 'Unterbringung', contact: 'Leitung' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: [],
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	};
	const today = new Date(2026, 10, 22);
	const breakdown = {
		dimension: 'facility',
		rows: [{ key: 'a', label: 'GU A', value: 93.3333, reference: 240, asOf: '2026-11-21' }]
	};

	test('current and previous are the last two known values, rounded to the KPI decimals', () => {
		const series = [
			{ period: '2026-11-19', value: 85.04 },
			{ period: '2026-11-20', value: 86.66 },
			{ period: '2026-11-21', value: 89.2345 },
			{ period: '2026-11-22', value: null }
		];
		const snapshot = buildSnapshot(
			utilisation,
			series,
			breakdown,
			today,
			'2026-11-22T06:00:00.000Z'
		);
		expect(snapshot).toMatchObject({
			kpiId: 'asyl.auslastung',
			areaId: 'asyl',
			period: '2026-11-21',
			value: 89.2,
			previousPeriod: '2026-11-20',
			previousValue: 86.7,
			// From the unrounded values (89.2345 − 86.66), not from the rounded ones shown.
			change: 2.6,
			changePercent: 3,
			status: 'amber',
			asOf: '2026-11-21',
			overdue: false,
			nextExpectedUpdate: '2026-11-24',
			breakdownDimension: 'facility',
			computedAt: '2026-11-22T06:00:00.000Z'
		});
		expect(snapshot.breakdown).toEqual([
			{ key: 'a', label: 'GU A', value: 93.3, reference: 240, asOf: '2026-11-21' }
		]);
		expect(snapshot.series.values).toEqual([85, 86.7, 89.2, null]);
	});

	test('a change is rounded once: 1,599.57 after 2,116.16 is −517, not 1,600 − 2,116', () => {
		const whole = { ...utilisation, decimals: 0, thresholds: null };
		const snapshot = buildSnapshot(
			whole,
			[
				{ period: '2026-11-20', value: 2116.16 },
				{ period: '2026-11-21', value: 1599.57 }
			],
			{ dimension: null, rows: [] },
			today,
			'now'
		);
		expect(snapshot).toMatchObject({ value: 1600, previousValue: 2116, change: -517 });
		expect(snapshot.changePercent).toBe(-24.4);
	});

	test('a cumulated actual is compared with its plan pro rata and rated by the deviation', () => {
		const actual = {
			...utilisation,
			cadence: 'monthly' as const,
			decimals: 0,
			direction: 'higher_is_better' as const,
			thresholds: { amber: -3, red: -8 },
			formula: { kind: 'ytd' as const },
			comparison: { kind: 'plan_pro_rata' as const, plan: 'plan' }
		};
		const snapshot = buildSnapshot(
			actual,
			[
				{ period: '2026-09', value: 700 },
				{ period: '2026-10', value: 880 }
			],
			{ dimension: null, rows: [] },
			today,
			'now',
			{ basis: actual.comparison, planSeries: [{ period: '2026-12', value: 1200 }] }
		);
		// October: 10/12 of the year, so 1,000 expected; 880 is 12 % below – red.
		expect(snapshot).toMatchObject({ previousPeriod: null, previousValue: 1000, change: -120 });
		expect(snapshot.changePercent).toBe(-12);
		expect(snapshot.status).toBe('red');
		expect(snapshot.comparison).toEqual({ kind: 'plan_pro_rata', shareOfYear: 83.3 });
	});

	test('a seasonal KPI is compared with the same period a year before', () => {
		const monthly = {
			...utilisation,
			cadence: 'monthly' as const,
			thresholds: null,
			comparison: { kind: 'previous_year' as const }
		};
		const series = [
			{ period: '2025-10', value: 50 },
			...Array.from({ length: 11 }, (_, i) => ({ period: shiftPeriod('2025-11', i)!, value: 70 })),
			{ period: '2026-10', value: 55 }
		];
		const snapshot = buildSnapshot(monthly, series, { dimension: null, rows: [] }, today, 'now', {
			basis: monthly.comparison
		});
		expect(snapshot).toMatchObject({ previousPeriod: '2025-10', previousValue: 50, change: 5 });
		expect(snapshot.comparison).toEqual({ kind: 'previous_year' });
	});

	test('is overdue once the grace days after the expected update have passed', () => {
		const series = [{ period: '2026-11-18', value: 80 }];
		const snapshot = buildSnapshot(utilisation, series, breakdown, today, 'now');
		// The 19th was due by the 21st; on the 22nd it is late.
		expect(snapshot.overdue).toBe(true);
		expect(snapshot.nextExpectedUpdate).toBe('2026-11-21');
		expect(snapshot.status).toBe('green');
		expect(snapshot.previousValue).toBeNull();
		expect(snapshot.change).toBeNull();
		expect(snapshot.changePercent).toBeNull();
	});

	test('asOf is the last day of the current period', () => {
		const weekly: KpiDefinition = { ...utilisation, cadence: 'weekly', graceDays: 3, decimals: 0 };
		const snapshot = buildSnapshot(
			weekly,
			[
				{ period: '2026-W46', value: 40 },
				{ period: '2026-W47', value: 52 }
			],
			{ dimension: null, rows: [] },
			today,
			'now'
		);
		expect(snapshot.asOf).toBe('2026-11-22');
		expect(snapshot.nextExpectedUpdate).toBe('2026-12-02');
		expect(snapshot.change).toBe(12);
		expect(snapshot.changePercent).toBe(30);
	});

	test('a KPI without values has no status and counts as overdue', () => {
		const snapshot = buildSnapshot(utilisation, [], { dimension: null, rows: [] }, today, 'now');
		expect(snapshot).toMatchObject({
			period: null,
			value: null,
			status: 'none',
			asOf: null,
			overdue: true,
			nextExpectedUpdate: null,
			series: { start: null, values: [] }
		});
	});

	test('carries a bounded history: 400 days for a daily KPI, 160 weeks for a weekly one', () => {
		const days = Array.from({ length: 1000 }, (_, i) => ({
			period: toIsoDate(addDays(new Date(2024, 1, 26), i)),
			value: i
		}));
		const daily = buildSnapshot(utilisation, days, { dimension: null, rows: [] }, today, 'now');
		expect(daily.series.values).toHaveLength(400);
		expect(daily.series.start).toBe(days[600]!.period);
		expect(daily.series.values[0]).toBe(600);
		expect(expandSeries(daily.series).at(-1)).toEqual({ period: '2026-11-21', value: 999 });
		const weeks = days.map((d, i) => ({ period: shiftPeriod('2007-W47', i)!, value: d.value }));
		const weekly = buildSnapshot(
			{ ...utilisation, cadence: 'weekly' },
			weeks,
			{ dimension: null, rows: [] },
			today,
			'now'
		);
		expect(weekly.series.values).toHaveLength(160);
		expect(weekly.series.values.at(-1)).toBe(999);
	});
});

describe('dimensionKeyOf and membersOf', () => {
	test('keys are canonical: sorted by dimension name', () => {
		expect(dimensionKeyOf({ facility: 'ae-03' })).toBe('facility=ae-03');
		expect(dimensionKeyOf({ origin: 'ukr', district: 'west' })).toBe('district=west&origin=ukr');
		expect(dimensionKeyOf({ district: 'west', origin: 'ukr' })).toBe(
			dimensionKeyOf({ origin: 'ukr', district: 'west' })
		);
		expect(dimensionKeyOf({})).toBe('');
	});

	test('round trip', () => {
		const examples: Record<string, string>[] = [
			{},
			{ facility: 'gu-hohenecker' },
			{ district: 'west', origin: 'ukr' }
		];
		for (const members of examples) {
			expect(membersOf(dimensionKeyOf(members))).toEqual(members);
		}
	});
});
