import { addDays } from 'date-fns';
import { describe, expect, test } from 'vitest';
import {
	aggregate,
	buildSnapshot,
	combineSeries,
	difference,
	dimensionKeyOf,
	membersOf,
	ratioPercent,
	roundTo,
	type ObservationValue
} from '#server/kpis/aggregate';
import type { KpiDefinition, SeriesPoint } from '#shared/kpi';
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

describe('combineSeries', () => {
	const occupied: SeriesPoint[] = [
		{ period: '2026-11-01', value: 90 },
		{ period: '2026-11-02', value: null },
		{ period: '2026-11-03', value: 45 },
		{ period: '2026-11-04', value: 10 }
	];
	const capacity: SeriesPoint[] = [
		{ period: '2026-11-01', value: 100 },
		{ period: '2026-11-02', value: 100 },
		{ period: '2026-11-03', value: 0 }
	];

	test('ratio in percent, point by point, only where both series have the period', () => {
		expect(combineSeries(occupied, capacity, ratioPercent)).toEqual([
			{ period: '2026-11-01', value: 90 },
			{ period: '2026-11-02', value: null },
			{ period: '2026-11-03', value: null } // no ratio of a zero capacity
		]);
	});

	test('difference, e.g. free places', () => {
		expect(combineSeries(capacity, occupied, difference)).toEqual([
			{ period: '2026-11-01', value: 10 },
			{ period: '2026-11-02', value: null },
			{ period: '2026-11-03', value: -45 }
		]);
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
		sortOrder: 10
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
			change: 2.5,
			changePercent: 2.9,
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
