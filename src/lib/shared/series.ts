import type { Cadence, CompactSeries, SeriesPoint } from './kpi';
import { shiftPeriod } from './periods';

/**
 * Period/value pairs (ascending, one cadence) to a compact series. Periods missing between the
 * first and the last become null, so position i is always `start` shifted by i periods.
 */
export function compactSeries(points: SeriesPoint[]): CompactSeries {
	const first = points[0];
	if (!first) return { start: null, values: [] };
	const byPeriod = new Map(points.map((p) => [p.period, p.value]));
	const last = points.at(-1)!.period;
	const values: (number | null)[] = [];
	for (let period: string | null = first.period; period !== null;) {
		values.push(byPeriod.get(period) ?? null);
		if (period === last) break;
		period = shiftPeriod(period, 1);
	}
	return { start: first.period, values };
}

/** A compact series back to period/value pairs, for charts and tables. */
export function expandSeries(series: CompactSeries): SeriesPoint[] {
	const points: SeriesPoint[] = [];
	let period = series.start;
	for (const value of series.values) {
		if (period === null) break;
		points.push({ period, value });
		period = shiftPeriod(period, 1);
	}
	return points;
}

/**
 * How many points of the series a snapshot carries, by cadence: what every phone keeps. A
 * series shorter than this is the KPI's whole history; a longer history is loaded on request.
 */
export const SERIES_LENGTH: Record<Cadence, number> = {
	daily: 400,
	weekly: 160,
	monthly: 120,
	quarterly: 80,
	yearly: 30
};
