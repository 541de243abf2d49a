import { differenceInCalendarDays, subDays } from 'date-fns';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DISTRICTS, FACILITIES } from '#server/db/demo/city';
import { generateAsylObservations } from '#server/db/demo/asyl';
import { generateBevoelkerungObservations } from '#server/db/demo/bevoelkerung';
import { generateBildungObservations } from '#server/db/demo/bildung';
import { generateFinanzenObservations } from '#server/db/demo/finanzen';
import { generateGesundheitObservations } from '#server/db/demo/gesundheit';
import { generateInfrastrukturObservations } from '#server/db/demo/infrastruktur';
import { generateSozialesObservations } from '#server/db/demo/soziales';
import {
	DEMO_SEED,
	generateDemoObservations,
	type GeneratedObservation
} from '#server/db/demo/generate';
import { DEMO_CATALOGUE_FILE, demoCatalogue } from '#server/db/demo/catalogue';
import { aggregate, membersOf } from '#server/kpis/aggregate';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { BEVOELKERUNG_KPI } from '#server/db/demo/ids/bevoelkerung';
import { BILDUNG_KPI } from '#server/db/demo/ids/bildung';
import { FINANZEN_KPI } from '#server/db/demo/ids/finanzen';
import { GESUNDHEIT_KPI } from '#server/db/demo/ids/gesundheit';
import { INFRASTRUKTUR_KPI } from '#server/db/demo/ids/infrastruktur';
import { STATIC_DIMENSION_LABELS } from '#server/db/demo/ids/dimensions';
import { SOZIALES_KPI } from '#server/db/demo/ids/soziales';
import { type KpiSnapshot } from '#shared/kpi';
import {
	catalogueProblems,
	isDerived,
	unknownFieldProblems,
	type CatalogueKpi
} from '#shared/catalogue';
import { readFileSync } from 'node:fs';
import { parseIsoDate, periodOf, shiftPeriod, toIsoDate } from '#shared/periods';
import type { KlarDatabase } from '#server/db/connection';
import { openSeededDatabase, removeTempDirs, SEED_DAY } from '../server/helpers';

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

describe('the occupancy trend of the last 90 days', () => {
	test('a straight line through total occupancy reaches the capacity 2 to 6 months after today', () => {
		const occupied = aggregate(ofKpi(ASYL_KPI.occupancy), 'stock').series.slice(-90);
		const capacity = aggregate(ofKpi(ASYL_KPI.capacity), 'stock').series.at(-1)!.value!;
		expect(occupied).toHaveLength(90);
		expect(capacity).toBe(FACILITIES.reduce((sum, f) => sum + f.capacity, 0));
		// Least squares over x = 0 … 89 (days), y = occupied places.
		const xs = occupied.map((_, x) => x);
		const ys = occupied.map((p) => p.value!);
		const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
		const [mx, my] = [mean(xs), mean(ys)];
		const slope =
			xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i]! - my), 0) /
			xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
		const reachesCapacityOnDay = (capacity - (my - slope * mx)) / slope;
		const lastDay = parseIsoDate(occupied.at(-1)!.period)!;
		const runOut = new Date(lastDay.getTime());
		runOut.setDate(runOut.getDate() + Math.ceil(reachesCapacityOnDay - 89));
		expect(slope).toBeGreaterThan(0);
		const months = differenceInCalendarDays(runOut, today) / 30.44;
		expect(months).toBeGreaterThanOrEqual(2);
		expect(months).toBeLessThanOrEqual(6);
	});
});

const all = generateDemoObservations(today);
const rowsOfKpi = new Map<string, GeneratedObservation[]>();
for (const r of all) {
	const list = rowsOfKpi.get(r.kpiId);
	if (list) list.push(r);
	else rowsOfKpi.set(r.kpiId, [r]);
}
const periodsOf = (kpiId: string) =>
	[...new Set((rowsOfKpi.get(kpiId) ?? []).map((r) => r.period))].sort();
const CATALOGUE = demoCatalogue();
const INITIAL_CATALOGUE = CATALOGUE.kpis;
const AREA_IDS = CATALOGUE.areas.map((area) => area.id);
const byId = new Map(INITIAL_CATALOGUE.map((k) => [k.id, k]));
const isFormula = (k: CatalogueKpi) => isDerived(k.formula);

/** KPIs that stop early on purpose, and how many of their periods are missing at the end. */
const OVERDUE = {
	[GESUNDHEIT_KPI.wastewaterLoad]: 3,
	[SOZIALES_KPI.housingBenefitHouseholds]: 3,
	[INFRASTRUKTUR_KPI.projectsOnTrack]: 1
} as Record<string, number>;

describe('generateDemoObservations', () => {
	test('the same day and seed give the same rows in the same order', () => {
		expect(generateDemoObservations(new Date(2026, 10, 22), DEMO_SEED)).toEqual(all);
	});

	test('each area draws from streams of its own: the whole is the areas side by side', () => {
		const generators = [
			generateFinanzenObservations,
			generateAsylObservations,
			generateBevoelkerungObservations,
			generateBildungObservations,
			generateGesundheitObservations,
			generateSozialesObservations,
			generateInfrastrukturObservations
		];
		expect(generators.flatMap((generate) => generate(today))).toEqual(all);
		// Another seed changes every area's values, not its periods.
		const other = generateDemoObservations(today, DEMO_SEED + 1);
		expect(other.map((r) => `${r.kpiId}|${r.period}|${r.dimensionKey}`)).toEqual(
			all.map((r) => `${r.kpiId}|${r.period}|${r.dimensionKey}`)
		);
		for (const area of AREA_IDS) {
			const values = (rows: GeneratedObservation[]) =>
				rows.filter((r) => byId.get(r.kpiId)?.areaId === area).map((r) => r.value);
			expect(values(other), area).not.toEqual(values(all));
		}
	});

	test('every catalogue KPI that is not computed from others has data, and nothing else has', () => {
		const withData = [...rowsOfKpi.keys()].sort();
		const base = INITIAL_CATALOGUE.filter((k) => !isFormula(k))
			.map((k) => k.id)
			.sort();
		expect(withData).toEqual(base);
		expect(base.length).toBeGreaterThan(40);
	});

	test('values are finite numbers; counts of persons, places and households are whole and not negative', () => {
		for (const r of all) {
			expect(Number.isFinite(r.value), `${r.kpiId} ${r.period}`).toBe(true);
			const kpi = byId.get(r.kpiId)!;
			if (kpi.numberFormat === 'integer') {
				expect(Number.isInteger(r.value) && r.value >= 0, `${r.kpiId} ${r.period}`).toBe(true);
			}
			if (kpi.unit === '%') expect(r.value).toBeGreaterThanOrEqual(0);
			if (kpi.unit === '%') expect(r.value).toBeLessThanOrEqual(100);
		}
	});

	test('history by cadence: 10 years, 36 months, 12 quarters, 156 weeks, 365 days, all completed', () => {
		const expected = {
			yearly: { count: 10, last: '2025' },
			quarterly: { count: 12, last: '2026-Q3' },
			monthly: { count: 36, last: '2026-10' },
			weekly: { count: 156, last: '2026-W46' },
			daily: { count: 365, last: '2026-11-21' }
		};
		for (const kpi of INITIAL_CATALOGUE.filter((k) => !isFormula(k) && k.areaId !== 'asyl')) {
			if (kpi.formula.kind === 'ytd') continue;
			const periods = periodsOf(kpi.id);
			const { count, last } = expected[kpi.cadence];
			const missing = OVERDUE[kpi.id] ?? 0;
			expect(periods.at(-1), kpi.id).toBe(shiftPeriod(last, -missing));
			expect(periods, kpi.id).toHaveLength(count - missing);
			// Consecutive: no period is skipped.
			expect(periods, kpi.id).toEqual(periods.map((_, i) => shiftPeriod(periods[0]!, i)));
		}
		for (const id of [ASYL_KPI.followUpHousing, ASYL_KPI.benefitRecipients]) {
			expect(periodsOf(id)).toHaveLength(36);
			expect(periodsOf(id).at(-1)).toBe('2026-10');
		}
	});

	test('year-to-date KPIs cover whole years: plans to December of this year, actuals to last month', () => {
		const ytd = INITIAL_CATALOGUE.filter((k) => k.formula.kind === 'ytd');
		expect(ytd.length).toBe(11);
		for (const kpi of ytd) {
			const periods = periodsOf(kpi.id);
			expect(periods[0], kpi.id).toBe('2023-01');
			const isPlan = kpi.id.endsWith('.plan');
			expect(periods.at(-1), kpi.id).toBe(isPlan ? '2026-12' : '2026-10');
			expect(periods, kpi.id).toHaveLength(isPlan ? 48 : 46);
		}
	});

	test('rows by dimension name known members; by district, all 18 districts report every period', () => {
		const known: Record<string, Set<string>> = {
			district: new Set(DISTRICTS.map(([id]) => id)),
			facility: new Set(FACILITIES.map((f) => f.id)),
			...Object.fromEntries(
				Object.entries(STATIC_DIMENSION_LABELS).map(([d, labels]) => [
					d,
					new Set(Object.keys(labels))
				])
			)
		};
		for (const kpi of INITIAL_CATALOGUE.filter((k) => !isFormula(k))) {
			const rows = rowsOfKpi.get(kpi.id)!;
			const dimension = kpi.dimensions[0];
			for (const r of rows) {
				const members = membersOf(r.dimensionKey);
				if (r.dimensionKey === '') continue;
				expect(Object.keys(members), kpi.id).toEqual([dimension]);
				expect(known[dimension!]!.has(members[dimension!]!), `${kpi.id} ${r.dimensionKey}`).toBe(
					true
				);
			}
			if (!dimension)
				expect(
					rows.every((r) => r.dimensionKey === ''),
					kpi.id
				).toBe(true);
			if (dimension === 'district') {
				for (const period of periodsOf(kpi.id)) {
					const districts = rows.filter((r) => r.period === period && r.dimensionKey !== '');
					expect(districts, `${kpi.id} ${period}`).toHaveLength(DISTRICTS.length);
				}
			}
		}
	});

	test('district figures add up to the city: counts sum, rates lie between the districts', () => {
		const withBoth = new Set<string>();
		for (const kpi of INITIAL_CATALOGUE.filter((k) => k.dimensions[0] === 'district')) {
			for (const period of periodsOf(kpi.id)) {
				const rows = rowsOfKpi.get(kpi.id)!.filter((r) => r.period === period);
				const total = rows.find((r) => r.dimensionKey === '');
				const districts = rows.filter((r) => r.dimensionKey !== '').map((r) => r.value);
				if (!total) continue;
				withBoth.add(kpi.id);
				if (kpi.unit === '%') {
					// The city rate is over all children, so it lies between the districts' rates.
					expect(total.value).toBeGreaterThanOrEqual(Math.min(...districts) - 0.05);
					expect(total.value).toBeLessThanOrEqual(Math.max(...districts) + 0.05);
				} else {
					expect(total.value, `${kpi.id} ${period}`).toBe(districts.reduce((a, b) => a + b, 0));
				}
			}
		}
		// Rates need the city's own figure; counts are summed by the aggregation.
		expect([...withBoth].sort()).toEqual([BILDUNG_KPI.childcare3to6, BILDUNG_KPI.childcareUnder3]);

		const sumAt = (kpiId: string, period: string) =>
			rowsOfKpi
				.get(kpiId)!
				.filter((r) => r.period === period)
				.reduce((sum, r) => sum + r.value, 0);
		const inhabitants = rowsOfKpi.get(BEVOELKERUNG_KPI.inhabitants)!;
		for (const period of periodsOf(BEVOELKERUNG_KPI.inhabitants)) {
			expect(sumAt(BEVOELKERUNG_KPI.inhabitants, period)).toBeGreaterThan(97_000);
			expect(sumAt(BEVOELKERUNG_KPI.inhabitants, period)).toBeLessThan(103_000);
		}
		for (const r of inhabitants) {
			expect(r.value).toBeGreaterThanOrEqual(1_500);
			expect(r.value).toBeLessThanOrEqual(12_500);
		}
		// Foreign nationals are part of the inhabitants of their district.
		const inhabitantsOf = new Map(
			inhabitants.map((r) => [`${r.period}|${r.dimensionKey}`, r.value])
		);
		for (const r of rowsOfKpi.get(BEVOELKERUNG_KPI.foreignNationals)!) {
			expect(r.value).toBeLessThan(inhabitantsOf.get(`${r.period}|${r.dimensionKey}`)!);
		}
		// The age groups at the end of a year are the December inhabitants.
		for (const year of ['2023', '2024', '2025']) {
			expect(sumAt(BEVOELKERUNG_KPI.ageGroups, year)).toBe(
				sumAt(BEVOELKERUNG_KPI.inhabitants, `${year}-12`)
			);
		}
		// The register moves by births, deaths and moves (plus small corrections).
		const [before, after] = ['2026-09', '2026-10'].map((m) =>
			sumAt(BEVOELKERUNG_KPI.inhabitants, m)
		);
		const balance =
			sumAt(BEVOELKERUNG_KPI.births, '2026-10') -
			sumAt(BEVOELKERUNG_KPI.deaths, '2026-10') +
			sumAt(BEVOELKERUNG_KPI.movesIn, '2026-10') -
			sumAt(BEVOELKERUNG_KPI.movesOut, '2026-10');
		expect(Math.abs(after! - before! - balance)).toBeLessThanOrEqual(25);
		const sgb2 = sumAt(SOZIALES_KPI.sgb2Households, '2026-10');
		expect(sgb2).toBeGreaterThan(5_500);
		expect(sgb2).toBeLessThan(6_100);
	});

	test('amounts and flows are of the size of a city of 100,000', () => {
		const yearSum = (kpiId: string, year: string) =>
			rowsOfKpi
				.get(kpiId)!
				.filter((r) => r.period.startsWith(year))
				.reduce((sum, r) => sum + r.value, 0);
		const mio = (value: number) => value / 1_000_000;
		expect(mio(yearSum(FINANZEN_KPI.expensesPlan, '2026'))).toBeCloseTo(418, 0);
		expect(mio(yearSum(FINANZEN_KPI.expensesActual, '2025'))).toBeGreaterThan(385);
		expect(mio(yearSum(FINANZEN_KPI.expensesActual, '2025'))).toBeLessThan(425);
		// The budget plans a deficit.
		expect(yearSum(FINANZEN_KPI.revenuePlan, '2026')).toBeLessThan(
			yearSum(FINANZEN_KPI.expensesPlan, '2026')
		);
		expect(mio(yearSum(FINANZEN_KPI.investmentActual, '2025'))).toBeGreaterThan(35);
		expect(mio(yearSum(FINANZEN_KPI.investmentActual, '2025'))).toBeLessThan(55);
		expect(mio(yearSum(FINANZEN_KPI.tradeTaxActual, '2025'))).toBeGreaterThan(75);
		expect(mio(yearSum(FINANZEN_KPI.tradeTaxActual, '2025'))).toBeLessThan(95);
		expect(mio(yearSum(FINANZEN_KPI.propertyTaxActual, '2025'))).toBeGreaterThan(18);
		expect(mio(yearSum(FINANZEN_KPI.propertyTaxActual, '2025'))).toBeLessThan(22);

		const monthlyMean = (kpiId: string) => {
			const rows = rowsOfKpi.get(kpiId)!;
			return rows.reduce((sum, r) => sum + r.value, 0) / rows.length;
		};
		for (const [kpiId, mean] of [
			[BEVOELKERUNG_KPI.births, 80],
			[BEVOELKERUNG_KPI.deaths, 110],
			[BEVOELKERUNG_KPI.movesIn, 600],
			[BEVOELKERUNG_KPI.movesOut, 580]
		] as const) {
			expect(monthlyMean(kpiId) / mean, kpiId).toBeGreaterThan(0.9);
			expect(monthlyMean(kpiId) / mean, kpiId).toBeLessThan(1.1);
		}
		const vhs = monthlyMean(BILDUNG_KPI.adultEducationEnrolments);
		expect(vhs).toBeGreaterThan(3_500);
		expect(vhs).toBeLessThan(4_500);
	});

	test('at A1 and B1 more people wait for a language course than there are places', () => {
		const latest = (kpiId: string, level: string) =>
			rowsOfKpi.get(kpiId)!.findLast((r) => r.dimensionKey === `level=${level}`)!.value;
		for (const level of ['A1', 'B1']) {
			expect(latest(BILDUNG_KPI.languageCourseWaitingList, level)).toBeGreaterThan(
				latest(BILDUNG_KPI.languageCoursePlaces, level)
			);
		}
	});
});

describe('snapshots of the seeded demo as of 22.11.2026', () => {
	let db: KlarDatabase;
	let snapshots: Map<string, KpiSnapshot>;

	beforeAll(async () => {
		({ db } = await openSeededDatabase());
		const stored = db.$client.prepare('SELECT kpi_id, payload FROM snapshots').all() as {
			kpi_id: string;
			payload: string;
		}[];
		snapshots = new Map(stored.map((s) => [s.kpi_id, JSON.parse(s.payload) as KpiSnapshot]));
	});

	afterAll(() => {
		db.$client.close();
		removeTempDirs();
	});

	const idsWhere = (keep: (s: KpiSnapshot) => boolean) =>
		[...snapshots.values()]
			.filter(keep)
			.map((s) => s.kpiId)
			.sort();

	test('every KPI has a current value', () => {
		expect(SEED_DAY).toEqual(today);
		expect(snapshots.size).toBe(INITIAL_CATALOGUE.length);
		expect(idsWhere((s) => s.value === null)).toEqual([]);
	});

	test('exactly the three KPIs whose source fell silent are overdue', () => {
		expect(idsWhere((s) => s.overdue)).toEqual(
			[
				GESUNDHEIT_KPI.wastewaterLoad,
				INFRASTRUKTUR_KPI.projectsOnTrack,
				SOZIALES_KPI.housingBenefitHouseholds
			].sort()
		);
		expect(snapshots.get(GESUNDHEIT_KPI.wastewaterLoad)!.period).toBe('2026-W43');
		expect(snapshots.get(SOZIALES_KPI.housingBenefitHouseholds)!.period).toBe('2026-07');
		expect(snapshots.get(INFRASTRUKTUR_KPI.projectsOnTrack)!.period).toBe('2026-Q2');
	});

	test('the deliberate red cases are red', () => {
		expect(idsWhere((s) => s.status === 'red')).toEqual(
			expect.arrayContaining([
				FINANZEN_KPI.resultForecast,
				FINANZEN_KPI.cashCredits,
				BILDUNG_KPI.languageCourseWaitingList,
				INFRASTRUKTUR_KPI.openFaults
			])
		);
		const forecast = snapshots.get(FINANZEN_KPI.resultForecast)!.value!;
		expect(forecast).toBeGreaterThan(-16_000_000);
		expect(forecast).toBeLessThan(-12_000_000);
		const credits = snapshots.get(FINANZEN_KPI.cashCredits)!.value!;
		expect(credits).toBeGreaterThan(600_000_000);
		expect(credits).toBeLessThan(625_000_000);
	});

	test('the Warnmelder stands in the amber band, between 60 and 80', () => {
		const incidence = snapshots.get(GESUNDHEIT_KPI.incidence7d)!;
		expect(incidence).toMatchObject({ status: 'amber', period: '2026-11-21', overdue: false });
		expect(incidence.value).toBeGreaterThanOrEqual(60);
		expect(incidence.value).toBeLessThanOrEqual(80);
		expect(incidence.series.values).toHaveLength(365);
	});

	test('rates come out as designed: foreign nationals about 17 %, childcare under 3 about 38 %', () => {
		const value = (id: string) => snapshots.get(id)!.value!;
		expect(value(BEVOELKERUNG_KPI.foreignShare)).toBeGreaterThan(16);
		expect(value(BEVOELKERUNG_KPI.foreignShare)).toBeLessThan(18.5);
		expect(value(BILDUNG_KPI.childcareUnder3)).toBeGreaterThan(36);
		expect(value(BILDUNG_KPI.childcareUnder3)).toBeLessThan(40);
		expect(value(INFRASTRUKTUR_KPI.ledShare)).toBeGreaterThan(65);
		expect(value(INFRASTRUKTUR_KPI.ledShare)).toBeLessThan(70);
	});

	test('a year-to-date snapshot sums this year’s months, and so does its breakdown', () => {
		const expenses = snapshots.get(FINANZEN_KPI.expensesActual)!;
		const booked = rowsOfKpi
			.get(FINANZEN_KPI.expensesActual)!
			.filter((r) => r.period.startsWith('2026'))
			.reduce((sum, r) => sum + r.value, 0);
		expect(expenses.period).toBe('2026-10');
		expect(expenses.value).toBe(booked);
		expect(expenses.breakdown).toHaveLength(10);
		expect(expenses.breakdown.reduce((sum, r) => sum + r.value!, 0)).toBe(booked);
		// The plan runs to December; the year to October is what the actual is compared with.
		const plan = snapshots.get(FINANZEN_KPI.expensesPlan)!;
		expect(plan.period).toBe('2026-12');
		expect(plan.overdue).toBe(false);
	});
});

describe('the demo catalogue file', () => {
	const AREA_KPIS = {
		finanzen: FINANZEN_KPI,
		asyl: ASYL_KPI,
		bevoelkerung: BEVOELKERUNG_KPI,
		bildung: BILDUNG_KPI,
		gesundheit: GESUNDHEIT_KPI,
		soziales: SOZIALES_KPI,
		infrastruktur: INFRASTRUKTUR_KPI
	};

	test('is a valid catalogue file: no unknown field, no rule across entries broken', () => {
		const raw: unknown = JSON.parse(readFileSync(DEMO_CATALOGUE_FILE, 'utf8'));
		expect(unknownFieldProblems(raw)).toEqual([]);
		expect(catalogueProblems(CATALOGUE)).toEqual([]);
	});

	test('holds every KPI the demo generators write, in an area of the file', () => {
		for (const [area, ids] of Object.entries(AREA_KPIS)) {
			expect(AREA_IDS, area).toContain(area);
			for (const id of Object.values(ids)) expect(byId.get(id)?.areaId, id).toBe(area);
		}
		expect(new Set(INITIAL_CATALOGUE.map((k) => k.id)).size).toBe(INITIAL_CATALOGUE.length);
	});

	test('derived KPIs are computed from base KPIs of the same breakdown', () => {
		for (const entry of INITIAL_CATALOGUE) {
			const formula = entry.formula;
			if (isDerived(formula)) {
				expect(entry.source.kind, entry.id).toBe('derived');
				for (const part of formula.inputs) {
					expect(byId.has(part), `${entry.id} uses ${part}`).toBe(true);
					expect(byId.get(part)!.dimensions, entry.id).toEqual(entry.dimensions);
				}
			} else {
				expect(entry.source.kind, entry.id).not.toBe('derived');
			}
		}
	});

	test('short titles fit a tile on a 360 px phone; sort orders run 10, 20, … per area', () => {
		for (const entry of INITIAL_CATALOGUE) {
			expect(entry.shortTitle.length, entry.shortTitle).toBeLessThanOrEqual(22);
		}
		for (const area of AREA_IDS) {
			const orders = INITIAL_CATALOGUE.filter((k) => k.areaId === area).map((k) => k.sortOrder);
			expect(orders, area).toEqual(orders.map((_, i) => (i + 1) * 10));
		}
	});

	test('owners, dimensions, tags and thresholds are filled in and fit together', () => {
		for (const entry of INITIAL_CATALOGUE) {
			expect(entry.owner.email, entry.id).toMatch(/@stadt\.example$/);
			expect(entry.tags.length, entry.id).toBeGreaterThanOrEqual(3);
			expect(entry.description.length, entry.id).toBeGreaterThan(30);
			expect(entry.method.length, entry.id).toBeGreaterThan(40);
			for (const dimension of entry.dimensions) {
				expect(CATALOGUE.dimensions.map((d) => d.id)).toContain(dimension);
			}
			if (entry.thresholds) {
				const { amber, red } = entry.thresholds;
				if (entry.direction === 'higher_is_better') expect(amber, entry.id).toBeGreaterThan(red);
				else expect(amber, entry.id).toBeLessThan(red);
			}
			// Small counts of persons are suppressed outside the administration; amounts, rates and
			// balances (which name nobody) are not.
			if (entry.unit === 'Personen' && !isFormula(entry)) {
				expect(entry.disclosureMinCount, entry.id).toBe(3);
			}
			if (entry.unit === '€' || entry.unit === '%') expect(entry.disclosureMinCount).toBe(0);
		}
	});

	test('every area keeps some KPIs internal and releases others, so councillors see less', () => {
		for (const area of AREA_IDS) {
			const visibilities = new Set(
				INITIAL_CATALOGUE.filter((k) => k.areaId === area).map((k) => k.visibility)
			);
			expect(visibilities.has('internal'), area).toBe(true);
			expect(visibilities.size, area).toBeGreaterThanOrEqual(2);
		}
		const publicAreas = new Set(
			INITIAL_CATALOGUE.filter((k) => k.visibility === 'public').map((k) => k.areaId)
		);
		expect(publicAreas.size).toBeGreaterThanOrEqual(6);
	});
});
