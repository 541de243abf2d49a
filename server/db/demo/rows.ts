import { subDays } from 'date-fns';
import type { Cadence } from '#shared/kpi';
import { periodEnd, periodOf, shiftPeriod, toIsoDate } from '#shared/periods';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { noise } from './random';

export interface GeneratedObservation {
	kpiId: string;
	period: string;
	dimensionKey: string;
	value: number;
}

export const DEMO_SEED = 20261122;

/** How far back the demo goes, by cadence (the accommodation data keeps its own three years). */
export const HISTORY: Record<Cadence, number> = {
	daily: 365,
	weekly: 3 * 52,
	monthly: 36,
	quarterly: 12,
	yearly: 10
};

/** The latest period of a cadence that is over before `today` (the data runs up to yesterday). */
export function lastCompletedPeriod(today: Date, cadence: Cadence): string {
	const yesterday = subDays(today, 1);
	const period = periodOf(yesterday, cadence);
	return toIsoDate(periodEnd(period)!) > toIsoDate(yesterday) ? shiftPeriod(period, -1)! : period;
}

/** The completed periods of the demo history of a cadence, oldest first. */
export function demoPeriods(today: Date, cadence: Cadence, count = HISTORY[cadence]): string[] {
	const last = lastCompletedPeriod(today, cadence);
	return Array.from({ length: count }, (_, i) => shiftPeriod(last, i - count + 1)!);
}

/**
 * The months of whole fiscal years (= calendar years) from the first year the monthly history
 * touches to the year of `today`: a year-to-date series that began in November would mislead.
 */
export function fiscalYearMonths(today: Date): string[] {
	const firstYear = Number(demoPeriods(today, 'monthly')[0]!.slice(0, 4));
	const months: string[] = [];
	for (let year = firstYear; year <= today.getFullYear(); year++) {
		for (let month = 1; month <= 12; month++)
			months.push(`${year}-${String(month).padStart(2, '0')}`);
	}
	return months;
}

/**
 * Splits a whole number into whole parts proportional to the weights that add up to it
 * exactly (largest remainder), so district figures always add up to the city's.
 */
export function apportion(total: number, weights: number[]): number[] {
	const sum = weights.reduce((a, b) => a + b, 0);
	const exact = weights.map((w) => (sum === 0 ? 0 : (total * w) / sum));
	const parts = exact.map(Math.floor);
	let rest = total - parts.reduce((a, b) => a + b, 0);
	const byRemainder = exact
		.map((value, i) => ({ i, remainder: value - Math.floor(value) }))
		.sort((a, b) => b.remainder - a.remainder || a.i - b.i);
	for (const { i } of byRemainder) {
		if (rest <= 0) break;
		parts[i]!++;
		rest--;
	}
	return parts;
}

/** Linear interpolation between `from` and `to` at `progress` (0 … 1). */
export const between = (from: number, to: number, progress: number) =>
	from + (to - from) * progress;

/** Position of item `i` of `n` on the way from the first (0) to the last (1). */
export const progressOf = (i: number, n: number) => (n <= 1 ? 1 : i / (n - 1));

/** A value with relative noise: `value · (1 + spread · noise)`. */
export const jitter = (random: () => number, value: number, spread: number) =>
	value * (1 + spread * noise(random));

export const round = (value: number, decimals = 0) => {
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
};

/** Collects the rows of one KPI. */
export function rowsOf(kpiId: string, rows: GeneratedObservation[]) {
	return {
		total(period: string, value: number) {
			rows.push({ kpiId, period, dimensionKey: '', value });
		},
		member(dimension: string, member: string, period: string, value: number) {
			rows.push({ kpiId, period, dimensionKey: dimensionKeyOf({ [dimension]: member }), value });
		}
	};
}
