import { addDays, subDays } from 'date-fns';
import { periodOf, toIsoDate } from '#shared/periods';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { ARRIVAL_MEANS, DISTRICT_PROFILES, DISTRICTS, FACILITIES } from './city';
import { noise, streamFor } from './random';
import {
	apportion,
	between,
	DEMO_SEED,
	demoPeriods,
	jitter,
	progressOf,
	round,
	rowsOf,
	type GeneratedObservation
} from './rows';

const DAYS = 3 * 365;
/** Days over which arrivals have been outpacing departures (the "Reichen die Plätze?" trend). */
const SURGE_DAYS = 90;
/** How far below its current rate each facility was before the surge began. */
const SURGE_RATE = 0.05;

/**
 * Three years of daily occupancy and capacity per facility and weekly arrivals by origin
 * group, up to the day before `today`; monthly follow-up housing by district and AsylbLG
 * recipients. Over the last 90 days occupancy rises faster than before, so that at this trend
 * the places run out a few months after `today`. A pure function of (seed, today): the same
 * inputs give the same rows, in the same order.
 */
export function generateAsylObservations(today: Date, seed = DEMO_SEED): GeneratedObservation[] {
	const random = streamFor(seed, 'asyl');
	const rows: GeneratedObservation[] = [];
	const first = subDays(today, DAYS);
	for (const facility of FACILITIES) {
		const dimensionKey = dimensionKeyOf({ facility: facility.id });
		let level = facility.rateThen - SURGE_RATE;
		for (let i = 0; i < DAYS; i++) {
			const day = addDays(first, i);
			const daysAgo = DAYS - i;
			if (facility.openedDaysAgo && daysAgo > facility.openedDaysAgo) continue;
			const progress = i / DAYS;
			const surge = Math.max(0, 1 - daysAgo / SURGE_DAYS);
			const rateTrend =
				facility.rateThen +
				(facility.rateNow - facility.rateThen) * progress -
				SURGE_RATE * (1 - surge);
			// A mean-reverting walk around the trend, so days follow each other plausibly.
			level += (rateTrend - level) * 0.15 + noise(random) * 0.008;
			const capacity =
				facility.capacity - (daysAgo > 500 && facility.id === 'gu-hohenecker' ? 40 : 0);
			const occupied = Math.max(0, Math.min(capacity, Math.round(capacity * level)));
			const period = toIsoDate(day);
			rows.push({ kpiId: ASYL_KPI.capacity, period, dimensionKey, value: capacity });
			rows.push({ kpiId: ASYL_KPI.occupancy, period, dimensionKey, value: occupied });
		}
	}
	// Weekly arrivals for the completed ISO weeks of the three years.
	const lastWeek = periodOf(subDays(today, 7), 'weekly');
	const seen = new Set<string>();
	// Minors come from their own stream, so the arrivals stay what they were before they existed.
	const minorsRandom = streamFor(seed, ASYL_KPI.arrivalMinors);
	for (let i = 0; i <= DAYS; i += 7) {
		const week = periodOf(addDays(first, i), 'weekly');
		if (week > lastWeek || seen.has(week)) continue;
		seen.add(week);
		const season = 1 + 0.35 * Math.sin(((i / 365) * 2 + 0.3) * Math.PI);
		for (const [origin, mean] of Object.entries(ARRIVAL_MEANS)) {
			const value = Math.max(0, Math.round(mean * season + noise(random) * Math.sqrt(mean)));
			rows.push({
				kpiId: ASYL_KPI.arrivals,
				period: week,
				dimensionKey: dimensionKeyOf({ origin }),
				value
			});
			// About a third are children and teenagers, more among families from Ukraine and Syria.
			const share = origin === 'ukr' || origin === 'syr' ? 0.38 : 0.24;
			let minors = 0;
			for (let p = 0; p < value; p++) if (minorsRandom() < share) minors++;
			rows.push({
				kpiId: ASYL_KPI.arrivalMinors,
				period: week,
				dimensionKey: dimensionKeyOf({ origin }),
				value: minors
			});
		}
	}
	rows.push(...followUpHousing(today, seed), ...benefitRecipients(today, seed));
	return rows;
}

/**
 * Persons in follow-up housing by district: mostly in the inner city where the flats are;
 * the villages have a handful or none, which the council and public views suppress.
 */
function followUpHousing(today: Date, seed: number): GeneratedObservation[] {
	const random = streamFor(seed, ASYL_KPI.followUpHousing);
	const rows: GeneratedObservation[] = [];
	const kpi = rowsOf(ASYL_KPI.followUpHousing, rows);
	const weights = DISTRICTS.map(([id]) => {
		const { inhabitants, foreignShare } = DISTRICT_PROFILES[id];
		return inhabitants * foreignShare ** 2;
	});
	const months = demoPeriods(today, 'monthly');
	months.forEach((month, i) => {
		const total = Math.round(
			jitter(random, between(960, 1240, progressOf(i, months.length)), 0.01)
		);
		const monthWeights = weights.map((w) => w * (1 + 0.1 * noise(random)));
		apportion(total, monthWeights).forEach((persons, d) =>
			kpi.member('district', DISTRICTS[d]![0], month, persons)
		);
	});
	return rows;
}

/** Recipients of benefits under the AsylbLG, city-wide at the end of each month. */
function benefitRecipients(today: Date, seed: number): GeneratedObservation[] {
	const random = streamFor(seed, ASYL_KPI.benefitRecipients);
	const rows: GeneratedObservation[] = [];
	const kpi = rowsOf(ASYL_KPI.benefitRecipients, rows);
	const months = demoPeriods(today, 'monthly');
	months.forEach((month, i) => {
		const trend = between(1120, 1360, progressOf(i, months.length) ** 1.4);
		kpi.total(month, round(jitter(random, trend, 0.012)));
	});
	return rows;
}
