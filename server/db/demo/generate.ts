import { addDays, subDays } from 'date-fns';
import { periodOf, toIsoDate } from '../../../src/lib/shared/periods';
import { dimensionKeyOf } from '../../../src/lib/kpis/aggregate';
import { ASYL_KPI } from '../../../src/lib/kpis/asyl';
import { ARRIVAL_MEANS, FACILITIES } from './city';
import { noise, seededRandom } from './random';

export interface GeneratedObservation {
	kpiId: string;
	period: string;
	dimensionKey: string;
	value: number;
}

export const DEMO_SEED = 20261122;
const DAYS = 3 * 365;

/**
 * Three years of daily occupancy and capacity per facility and weekly arrivals by origin
 * group, up to the day before `today`. A pure function of (seed, today): the same inputs give
 * the same rows, in the same order.
 */
export function generateAsylObservations(today: Date, seed = DEMO_SEED): GeneratedObservation[] {
	const random = seededRandom(seed);
	const rows: GeneratedObservation[] = [];
	const first = subDays(today, DAYS);
	for (const facility of FACILITIES) {
		const dimensionKey = dimensionKeyOf({ facility: facility.id });
		let level = facility.rateThen;
		for (let i = 0; i < DAYS; i++) {
			const day = addDays(first, i);
			const daysAgo = DAYS - i;
			if (facility.openedDaysAgo && daysAgo > facility.openedDaysAgo) continue;
			const progress = i / DAYS;
			const rateTrend = facility.rateThen + (facility.rateNow - facility.rateThen) * progress;
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
		}
	}
	return rows;
}
