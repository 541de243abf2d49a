import { differenceInCalendarDays, subDays } from 'date-fns';
import { describe, expect, test } from 'vitest';
import { FACILITIES } from '../../server/db/demo/city';
import { DEMO_SEED, generateAsylObservations } from '../../server/db/demo/generate';
import { membersOf } from '../../src/lib/kpis/aggregate';
import { ASYL_KPI } from '../../src/lib/kpis/asyl';
import { parseIsoDate, periodOf, toIsoDate } from '../../src/lib/shared/periods';

const today = new Date(2026, 10, 22);
const rows = generateAsylObservations(today);
const ofKpi = (kpiId: string) => rows.filter((r) => r.kpiId === kpiId);

describe('generateAsylObservations', () => {
	test('the same day gives the same rows in the same order', () => {
		expect(generateAsylObservations(new Date(2026, 10, 22))).toEqual(rows);
	});

	test('another seed gives other values on the same days', () => {
		const other = generateAsylObservations(today, DEMO_SEED + 1);
		expect(other.map((r) => [r.kpiId, r.period, r.dimensionKey])).toEqual(
			rows.map((r) => [r.kpiId, r.period, r.dimensionKey])
		);
		expect(other.map((r) => r.value)).not.toEqual(rows.map((r) => r.value));
	});

	test('another day shifts the data with it', () => {
		const later = generateAsylObservations(new Date(2026, 10, 23));
		const lastDay = later
			.filter((r) => r.kpiId === ASYL_KPI.occupancy)
			.map((r) => r.period)
			.sort()
			.at(-1);
		expect(lastDay).toBe('2026-11-22');
	});

	test('between 6 and 10 facilities report, each one a facility of the demo city', () => {
		const facilityIds = new Set(
			ofKpi(ASYL_KPI.occupancy).map((r) => membersOf(r.dimensionKey).facility)
		);
		expect(facilityIds.size).toBeGreaterThanOrEqual(6);
		expect(facilityIds.size).toBeLessThanOrEqual(10);
		expect([...facilityIds].sort()).toEqual(FACILITIES.map((f) => f.id).sort());
	});

	test('about three years of daily rows up to the day before today, never today or later', () => {
		const days = [...new Set(ofKpi(ASYL_KPI.occupancy).map((r) => r.period))].sort();
		expect(days.at(-1)).toBe('2026-11-21');
		const first = parseIsoDate(days[0]!)!;
		expect(differenceInCalendarDays(today, first)).toBeGreaterThanOrEqual(3 * 365 - 7);
		expect(differenceInCalendarDays(today, first)).toBeLessThanOrEqual(3 * 366);
		// No gaps: every day from the first to the last has a value.
		expect(days).toHaveLength(differenceInCalendarDays(subDays(today, 1), first) + 1);
	});

	test('every facility reports occupancy and capacity for the same days, once per day', () => {
		for (const facility of FACILITIES) {
			const key = `facility=${facility.id}`;
			const occupied = ofKpi(ASYL_KPI.occupancy).filter((r) => r.dimensionKey === key);
			const capacity = ofKpi(ASYL_KPI.capacity).filter((r) => r.dimensionKey === key);
			expect(occupied.map((r) => r.period)).toEqual(capacity.map((r) => r.period));
			expect(new Set(occupied.map((r) => r.period)).size).toBe(occupied.length);
			expect(occupied.at(-1)!.period).toBe('2026-11-21');
		}
	});

	test('facilities opened recently have no rows before their opening', () => {
		for (const facility of FACILITIES.filter((f) => f.openedDaysAgo > 0)) {
			const first = ofKpi(ASYL_KPI.occupancy).find(
				(r) => r.dimensionKey === `facility=${facility.id}`
			)!;
			const opened = toIsoDate(subDays(today, facility.openedDaysAgo));
			expect(first.period >= opened).toBe(true);
		}
	});

	test('occupancy is a whole number between zero and the capacity of that day', () => {
		const capacity = new Map(
			ofKpi(ASYL_KPI.capacity).map((r) => [`${r.period}|${r.dimensionKey}`, r.value])
		);
		for (const r of ofKpi(ASYL_KPI.occupancy)) {
			const cap = capacity.get(`${r.period}|${r.dimensionKey}`)!;
			expect(Number.isInteger(r.value)).toBe(true);
			expect(r.value).toBeGreaterThanOrEqual(0);
			expect(r.value).toBeLessThanOrEqual(cap);
		}
	});

	test('capacities match the facility list today', () => {
		for (const facility of FACILITIES) {
			const last = ofKpi(ASYL_KPI.capacity).findLast(
				(r) => r.dimensionKey === `facility=${facility.id}`
			);
			expect(last!.value).toBe(facility.capacity);
		}
	});

	test('weekly arrivals cover completed ISO weeks only, one row per origin group and week', () => {
		const arrivals = ofKpi(ASYL_KPI.arrivals);
		const weeks = [...new Set(arrivals.map((r) => r.period))].sort();
		// 2026-11-22 is the Sunday of 2026-W47, which is not over yet.
		expect(weeks.at(-1)).toBe(periodOf(subDays(today, 7), 'weekly'));
		expect(weeks.at(-1)).toBe('2026-W46');
		expect(weeks.length).toBeGreaterThanOrEqual(155);
		for (const week of weeks) {
			const perWeek = arrivals.filter((r) => r.period === week);
			expect(new Set(perWeek.map((r) => r.dimensionKey)).size).toBe(perWeek.length);
		}
		for (const r of arrivals) {
			expect(Number.isInteger(r.value) && r.value >= 0).toBe(true);
		}
	});
});
