import { addDays, differenceInCalendarDays, differenceInCalendarMonths } from 'date-fns';
import { formatDate } from '#shared/format';
import type { SeriesPoint } from '#shared/kpi';
import { parseIsoDate, toIsoDate } from '#shared/periods';

export type Projection =
	| {
			kind: 'runs_out';
			/** First day after the last observed day on which the trend line reaches the capacity. */
			date: string;
			/** Days from the last observed day to `date`. */
			days: number;
			slopePerDay: number;
			capacity: number;
			lastPeriod: string;
			window: { from: string; to: string };
	  }
	| {
			kind: 'suffices';
			horizonEnd: string;
			slopePerDay: number;
			capacity: number;
			lastPeriod: string;
			window: { from: string; to: string };
	  }
	| { kind: 'exhausted'; lastPeriod: string; capacity: number; occupancy: number }
	/** Too few occupancy values in the window, or no capacity value at all. */
	| { kind: 'insufficient_data'; needed: number; found: number };

export interface ProjectionOptions {
	/** Calendar days, ending at the latest occupancy value, that the trend line is fitted to. */
	windowDays?: number;
	/** How far ahead a run-out date is still reported. */
	horizonDays?: number;
	/** Fewest occupancy values in the window that make a trend. */
	minPoints?: number;
}

const DEFAULTS = { windowDays: 90, horizonDays: 365, minPoints: 14 };

// Float noise in an exact line must not push the run-out a day later.
const EPSILON_DAYS = 1e-6;

export const PROJECTION_METHOD =
	'Durch die tägliche Gesamtbelegung der letzten 90 Tage wird eine Ausgleichsgerade nach der Methode der kleinsten Quadrate gelegt und bis zu 12 Monate fortgeschrieben. ' +
	'Die Kapazität bleibt auf ihrem aktuellen Stand; geplante Eröffnungen oder Schließungen sind nicht berücksichtigt. ' +
	'Das Datum ist ein „ca.“-Wert, weil es einen Trend fortschreibt und keine Prognose ist.';

interface DayValue {
	date: Date;
	value: number;
}

/** Values of valid day keys, ascending; nulls and other keys dropped. */
function dailyValues(points: SeriesPoint[]): DayValue[] {
	const values: DayValue[] = [];
	for (const point of points) {
		const date = parseIsoDate(point.period);
		if (date && point.value !== null) values.push({ date, value: point.value });
	}
	return values.sort((a, b) => a.date.getTime() - b.date.getTime());
}

interface Fit {
	slope: number;
	/** Fitted value at the window start (x = 0). */
	intercept: number;
	found: number;
}

/** Ordinary least squares with x = days since `from`, over the values in [from, to]. */
function fitLine(values: DayValue[], from: Date, to: Date): Fit {
	const xs: number[] = [];
	const ys: number[] = [];
	for (const { date, value } of values) {
		if (date < from || date > to) continue;
		xs.push(differenceInCalendarDays(date, from));
		ys.push(value);
	}
	const n = xs.length;
	if (n === 0) return { slope: 0, intercept: 0, found: 0 };
	const meanX = xs.reduce((s, x) => s + x, 0) / n;
	const meanY = ys.reduce((s, y) => s + y, 0) / n;
	let sxx = 0;
	let sxy = 0;
	xs.forEach((x, i) => {
		sxx += (x - meanX) ** 2;
		sxy += (x - meanX) * (ys[i]! - meanY);
	});
	const slope = sxx === 0 ? 0 : sxy / sxx;
	return { slope, intercept: meanY - slope * meanX, found: n };
}

/**
 * "Reichen die Plätze?": when the trend of the total occupancy reaches the latest capacity.
 * Occupancy and capacity are daily series (ascending day keys, nulls allowed).
 */
export function projectCapacity(
	occupancy: SeriesPoint[],
	capacity: SeriesPoint[],
	options: ProjectionOptions = {}
): Projection {
	const { windowDays, horizonDays, minPoints } = { ...DEFAULTS, ...options };
	const values = dailyValues(occupancy);
	const latestCapacity = dailyValues(capacity).at(-1)?.value;
	const last = values.at(-1);
	if (!last || latestCapacity === undefined) {
		return { kind: 'insufficient_data', needed: minPoints, found: values.length };
	}
	const lastPeriod = toIsoDate(last.date);
	if (last.value >= latestCapacity) {
		return { kind: 'exhausted', lastPeriod, capacity: latestCapacity, occupancy: last.value };
	}
	const from = addDays(last.date, -(windowDays - 1));
	const fit = fitLine(values, from, last.date);
	if (fit.found < minPoints) {
		return { kind: 'insufficient_data', needed: minPoints, found: fit.found };
	}
	const window = { from: toIsoDate(from), to: lastPeriod };
	const common = { slopePerDay: fit.slope, capacity: latestCapacity, lastPeriod, window };
	const suffices: Projection = {
		kind: 'suffices',
		horizonEnd: toIsoDate(addDays(last.date, horizonDays)),
		...common
	};
	if (fit.slope <= 0) return suffices;
	const lastX = windowDays - 1;
	const reachX = (latestCapacity - fit.intercept) / fit.slope;
	// The line may already lie above the capacity on the last observed day: then it runs out
	// on the next day, not in the past.
	const days = Math.max(1, Math.ceil(reachX - lastX - EPSILON_DAYS));
	if (!Number.isFinite(days) || days > horizonDays) return suffices;
	return { kind: 'runs_out', date: toIsoDate(addDays(last.date, days)), days, ...common };
}

/** "12 Monaten", or days for a horizon shorter than two months. */
function horizonWords(lastPeriod: string, horizonEnd: string): string {
	const last = parseIsoDate(lastPeriod);
	const end = parseIsoDate(horizonEnd);
	if (!last || !end) return '12 Monaten';
	const months = differenceInCalendarMonths(end, last);
	if (months >= 2) return `${months} Monaten`;
	const days = differenceInCalendarDays(end, last);
	return days === 1 ? 'einem Tag' : `${days} Tagen`;
}

export function projectionSentence(p: Projection): string {
	switch (p.kind) {
		case 'runs_out':
			return `Die Plätze reichen bei aktuellem Trend bis ca. ${formatDate(p.date)}.`;
		case 'suffices':
			return `Die Plätze reichen bei aktuellem Trend über den Prognosezeitraum von ${horizonWords(p.lastPeriod, p.horizonEnd)} (bis ${formatDate(p.horizonEnd)}).`;
		case 'exhausted':
			return 'Die Plätze sind bereits ausgeschöpft.';
		case 'insufficient_data':
			return 'Für eine Prognose liegen zu wenige Werte vor.';
	}
}

/**
 * The fitted line for drawing: one point per day from the window start to the run-out date (or
 * the horizon end); empty when there is no line. The line is fitted again to the projection's
 * window, so `_options` (accepted for symmetry with projectCapacity) changes nothing.
 */
export function projectionPoints(
	p: Projection,
	occupancy: SeriesPoint[],
	_options?: ProjectionOptions
): SeriesPoint[] {
	if (p.kind !== 'runs_out' && p.kind !== 'suffices') return [];
	const from = parseIsoDate(p.window.from);
	const to = parseIsoDate(p.window.to);
	const end = parseIsoDate(p.kind === 'runs_out' ? p.date : p.horizonEnd);
	if (!from || !to || !end) return [];
	const fit = fitLine(dailyValues(occupancy), from, to);
	const points: SeriesPoint[] = [];
	const length = differenceInCalendarDays(end, from);
	for (let x = 0; x <= length; x++) {
		// Occupancy cannot fall below zero, however steep a falling trend is.
		const value = Math.max(0, fit.intercept + fit.slope * x);
		points.push({ period: toIsoDate(addDays(from, x)), value });
	}
	return points;
}
