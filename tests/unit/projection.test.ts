import { addDays } from 'date-fns';
import { describe, expect, test } from 'vitest';
import type { SeriesPoint } from '#shared/kpi';
import { parseIsoDate, toIsoDate } from '#shared/periods';
import {
	PROJECTION_METHOD,
	projectCapacity,
	projectionPoints,
	projectionSentence,
	type Projection
} from '../../src/lib/kpis/projection';

/** `days` daily points ending on `last`, value f(x) with x = 0 on the first day. */
function daily(last: string, days: number, f: (x: number) => number | null): SeriesPoint[] {
	const first = addDays(parseIsoDate(last)!, -(days - 1));
	return Array.from({ length: days }, (_, x) => ({
		period: toIsoDate(addDays(first, x)),
		value: f(x)
	}));
}

const LAST = '2026-11-22';
const capacityOf = (value: number): SeriesPoint[] => [{ period: LAST, value }];
// 90 days of an exact line: 1000 on 25.08.2026, +2 a day, 1178 on 22.11.2026.
const rising = daily(LAST, 90, (x) => 1000 + 2 * x);

describe('projectCapacity', () => {
	test('an exact straight line runs out on the day it reaches the capacity', () => {
		const p = projectCapacity(rising, capacityOf(1200));
		expect(p).toEqual({
			kind: 'runs_out',
			date: '2026-12-03', // x = 100, 11 days after the last value
			days: 11,
			slopePerDay: 2,
			capacity: 1200,
			lastPeriod: LAST,
			window: { from: '2026-08-25', to: LAST }
		});
		expect(projectionSentence(p)).toBe(
			'Die Plätze reichen bei aktuellem Trend bis ca. 03.12.2026.'
		);
	});

	test('between two days the run-out is the first day at or above the capacity', () => {
		// 1200 on day 100, 1202 on day 101.
		expect(projectCapacity(rising, capacityOf(1201))).toMatchObject({
			date: '2026-12-04',
			days: 12
		});
	});

	test('only the last 90 days count', () => {
		const older = daily('2026-08-24', 200, () => 5000);
		const p = projectCapacity([...older, ...rising], capacityOf(1200));
		expect(p).toMatchObject({ kind: 'runs_out', date: '2026-12-03', slopePerDay: 2 });
		const shortWindow = projectCapacity(rising, capacityOf(1200), { windowDays: 30 });
		expect(shortWindow).toMatchObject({
			date: '2026-12-03',
			window: { from: '2026-10-24', to: LAST }
		});
	});

	test('a falling trend suffices over the whole horizon', () => {
		const p = projectCapacity(
			daily(LAST, 90, (x) => 1100 - x),
			capacityOf(1200)
		);
		expect(p).toEqual({
			kind: 'suffices',
			horizonEnd: '2027-11-22',
			slopePerDay: -1,
			capacity: 1200,
			lastPeriod: LAST,
			window: { from: '2026-08-25', to: LAST }
		});
		expect(projectionSentence(p)).toBe(
			'Die Plätze reichen bei aktuellem Trend über den Prognosezeitraum von 12 Monaten (bis 22.11.2027).'
		);
	});

	test('a flat trend suffices', () => {
		const p = projectCapacity(
			daily(LAST, 90, () => 900),
			capacityOf(1200)
		);
		expect(p).toMatchObject({ kind: 'suffices', slopePerDay: 0 });
	});

	test('already full, or over full, is exhausted whatever the trend', () => {
		expect(projectCapacity(rising, capacityOf(1178))).toEqual({
			kind: 'exhausted',
			lastPeriod: LAST,
			capacity: 1178,
			occupancy: 1178
		});
		expect(projectCapacity([{ period: LAST, value: 1300 }], capacityOf(1200))).toMatchObject({
			kind: 'exhausted',
			occupancy: 1300
		});
		expect(projectionSentence(projectCapacity(rising, capacityOf(1000)))).toBe(
			'Die Plätze sind bereits ausgeschöpft.'
		);
	});

	test('a trend line already above the capacity runs out tomorrow, not in the past', () => {
		// The line ends near 1177, but the last day dipped to 1100, below the 1150 places.
		const dip = daily(LAST, 90, (x) => (x === 89 ? 1100 : 1000 + 2 * x));
		expect(projectCapacity(dip, capacityOf(1150))).toMatchObject({
			kind: 'runs_out',
			date: '2026-11-23',
			days: 1
		});
	});

	test('gaps and nulls leave an exact line exact', () => {
		const gappy = rising
			.filter((_, x) => x % 3 !== 1)
			.map((p, i) => (i % 5 === 2 ? { ...p, value: null } : p));
		expect(projectCapacity(gappy, capacityOf(1200))).toMatchObject({
			kind: 'runs_out',
			date: '2026-12-03'
		});
	});

	test('trailing days without a value: the window ends at the latest value', () => {
		const trailing = [...rising, ...daily('2026-11-30', 8, () => null)];
		expect(projectCapacity(trailing, capacityOf(1200))).toMatchObject({
			lastPeriod: LAST,
			date: '2026-12-03'
		});
	});

	test('the order of the points does not matter', () => {
		expect(projectCapacity([...rising].reverse(), capacityOf(1200))).toMatchObject({
			date: '2026-12-03'
		});
	});

	test('the latest capacity value counts, not the largest', () => {
		const capacity = [
			{ period: '2026-10-01', value: 5000 },
			{ period: '2026-11-01', value: 1200 },
			{ period: LAST, value: null }
		];
		expect(projectCapacity(rising, capacity)).toMatchObject({ capacity: 1200, date: '2026-12-03' });
	});

	test('too few values in the window', () => {
		const few = daily(LAST, 13, (x) => 1000 + x);
		const p = projectCapacity(few, capacityOf(1200));
		expect(p).toEqual({ kind: 'insufficient_data', needed: 14, found: 13 });
		expect(projectionSentence(p)).toBe('Für eine Prognose liegen zu wenige Werte vor.');
		expect(
			projectCapacity(
				daily(LAST, 14, (x) => 1000 + x),
				capacityOf(1200)
			).kind
		).toBe('runs_out');
		// Many values, but all older than the window before the latest one.
		const stale = [...daily('2026-01-31', 30, () => 1000), { period: LAST, value: 1000 }];
		expect(projectCapacity(stale, capacityOf(1200))).toEqual({
			kind: 'insufficient_data',
			needed: 14,
			found: 1
		});
		expect(projectCapacity(few, capacityOf(1200), { minPoints: 5 }).kind).toBe('runs_out');
	});

	test('no values at all, or no capacity', () => {
		expect(projectCapacity([], capacityOf(1200))).toEqual({
			kind: 'insufficient_data',
			needed: 14,
			found: 0
		});
		expect(
			projectCapacity(
				daily(LAST, 5, () => null),
				capacityOf(1200)
			)
		).toMatchObject({
			kind: 'insufficient_data',
			found: 0
		});
		expect(projectCapacity(rising, [{ period: LAST, value: null }]).kind).toBe('insufficient_data');
	});

	test('horizon edge: a run-out exactly at the horizon counts, one day later does not', () => {
		// Day 89 + 365 = day 454 reaches 1000 + 2 × 454 = 1908.
		expect(projectCapacity(rising, capacityOf(1908))).toMatchObject({
			kind: 'runs_out',
			days: 365,
			date: '2027-11-22'
		});
		expect(projectCapacity(rising, capacityOf(1909))).toMatchObject({
			kind: 'suffices',
			horizonEnd: '2027-11-22'
		});
		expect(projectCapacity(rising, capacityOf(1200), { horizonDays: 11 }).kind).toBe('runs_out');
		const short = projectCapacity(rising, capacityOf(1200), { horizonDays: 10 });
		expect(short).toMatchObject({ kind: 'suffices', horizonEnd: '2026-12-02' });
		expect(projectionSentence(short)).toBe(
			'Die Plätze reichen bei aktuellem Trend über den Prognosezeitraum von 10 Tagen (bis 02.12.2026).'
		);
	});

	test('a horizon across 29 February is still twelve months', () => {
		const p = projectCapacity(
			daily('2027-11-22', 90, () => 1),
			capacityOf(1200)
		);
		expect(p).toMatchObject({ kind: 'suffices', horizonEnd: '2028-11-21' });
		expect(projectionSentence(p)).toContain('von 12 Monaten (bis 21.11.2028)');
	});
});

describe('projectionPoints', () => {
	test('the fitted line from the window start to the run-out date, one point a day', () => {
		const p = projectCapacity(rising, capacityOf(1200));
		const points = projectionPoints(p, rising);
		expect(points).toHaveLength(90 + 11);
		expect(points[0]).toEqual({ period: '2026-08-25', value: 1000 });
		expect(points[89]).toEqual({ period: LAST, value: 1178 });
		expect(points.at(-1)).toEqual({ period: '2026-12-03', value: 1200 });
	});

	test('to the horizon end when the places suffice, never below zero', () => {
		const falling = daily(LAST, 90, (x) => 200 - 2 * x);
		const p = projectCapacity(falling, capacityOf(1200));
		const points = projectionPoints(p, falling);
		expect(points).toHaveLength(90 + 365);
		expect(points.at(-1)).toEqual({ period: '2027-11-22', value: 0 });
		expect(points.every((pt) => pt.value! >= 0)).toBe(true);
	});

	test('nothing to draw without a trend', () => {
		const exhausted: Projection = {
			kind: 'exhausted',
			lastPeriod: LAST,
			capacity: 1,
			occupancy: 2
		};
		expect(projectionPoints(exhausted, rising)).toEqual([]);
		expect(projectionPoints({ kind: 'insufficient_data', needed: 14, found: 0 }, [])).toEqual([]);
	});
});

test('the method text names the defaults the maths uses', () => {
	expect(PROJECTION_METHOD).toContain('letzten 90 Tage');
	expect(PROJECTION_METHOD).toContain('12 Monate');
	expect(PROJECTION_METHOD).toContain('kleinsten Quadrate');
});
