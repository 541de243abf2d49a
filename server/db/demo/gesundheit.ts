import { differenceInCalendarDays } from 'date-fns';
import { GESUNDHEIT_KPI } from '#server/db/demo/ids/gesundheit';
import { periodEnd, shiftPeriod } from '#shared/periods';
import { noise, streamFor } from './random';
import {
	between,
	DEMO_SEED,
	demoPeriods,
	jitter,
	progressOf,
	round,
	rowsOf,
	type GeneratedObservation
} from './rows';

/** A wave of infections: its peak (days before today), width and height in cases per 100,000. */
const bump = (daysAgo: number, peak: number, width: number, height: number) =>
	height * Math.exp(-(((daysAgo - peak) / width) ** 2));

/**
 * The shape of infections over the last three years, by days before today: a summer low,
 * a wave last winter and the spring before, and a wave rising now.
 */
function infections(daysAgo: number): number {
	const rising = 62 / (1 + Math.exp((daysAgo - 20) / 9));
	return (
		14 +
		rising +
		bump(daysAgo, 270, 22, 96) +
		bump(daysAgo, 420, 30, 70) +
		bump(daysAgo, 640, 28, 85) +
		bump(daysAgo, 790, 30, 60) +
		bump(daysAgo, 1010, 30, 90)
	);
}

/** Wastewater gene copies per litre per case per 100,000 (order of magnitude of AMELAG data). */
const COPIES_PER_INCIDENCE = 4200;
/** The lab has not reported for the last three weeks: the last value is four weeks old. */
const WASTEWATER_WEEKS_MISSING = 3;

/**
 * The health office: the daily 7-day incidence of the Warnmelder (in the amber band now, a
 * wave rising), the weekly wastewater load (overdue), school-entry examinations per year.
 */
export function generateGesundheitObservations(
	today: Date,
	seed = DEMO_SEED
): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const daysAgoOf = (period: string) => differenceInCalendarDays(today, periodEnd(period)!);

	const random = streamFor(seed, GESUNDHEIT_KPI.incidence7d);
	const incidence = rowsOf(GESUNDHEIT_KPI.incidence7d, rows);
	// Reporting noise that lingers for some days, as late reports do.
	let lingering = 0;
	for (const day of demoPeriods(today, 'daily')) {
		lingering = 0.8 * lingering + 0.015 * noise(random);
		incidence.total(day, round(infections(daysAgoOf(day)) * (1 + lingering), 1));
	}

	const wastewaterRandom = streamFor(seed, GESUNDHEIT_KPI.wastewaterLoad);
	const wastewater = rowsOf(GESUNDHEIT_KPI.wastewaterLoad, rows);
	const weeks = demoPeriods(today, 'weekly');
	const lastReported = shiftPeriod(weeks.at(-1)!, -WASTEWATER_WEEKS_MISSING)!;
	for (const week of weeks) {
		if (week > lastReported) break;
		const load = infections(daysAgoOf(week) + 3) * COPIES_PER_INCIDENCE;
		wastewater.total(week, Math.round(jitter(wastewaterRandom, load, 0.1) / 1000) * 1000);
	}

	const years = demoPeriods(today, 'yearly');
	for (const [kpiId, from, to, spread] of [
		[GESUNDHEIT_KPI.schoolEntryLanguageSupport, 22.4, 30.8, 0.9],
		[GESUNDHEIT_KPI.schoolEntryOverweight, 10.9, 12.6, 0.35]
	] as const) {
		const yearRandom = streamFor(seed, kpiId);
		const kpi = rowsOf(kpiId, rows);
		years.forEach((year, i) =>
			kpi.total(
				year,
				round(between(from, to, progressOf(i, years.length)) + spread * noise(yearRandom), 1)
			)
		);
	}
	return rows;
}
