import type { Direction, KpiStatus, Thresholds } from './kpi';

/** Status of a value against its threshold bands (green, amber, red), pure. */
export function statusOf(
	value: number | null,
	direction: Direction,
	thresholds: Thresholds | null
): KpiStatus {
	if (value === null || !thresholds) return 'none';
	if (direction === 'higher_is_better') {
		if (value <= thresholds.red) return 'red';
		if (value <= thresholds.amber) return 'amber';
		return 'green';
	}
	// Neutral KPIs may still carry warning bands (e.g. arrivals per week): they read like
	// lower-is-better bands.
	if (value >= thresholds.red) return 'red';
	if (value >= thresholds.amber) return 'amber';
	return 'green';
}

export interface Change {
	absolute: number | null;
	/** Relative change in percent; null when the previous value is zero or missing. */
	percent: number | null;
}

export function changeBetween(current: number | null, previous: number | null): Change {
	if (current === null || previous === null) return { absolute: null, percent: null };
	const absolute = current - previous;
	const percent = previous === 0 ? null : (absolute / Math.abs(previous)) * 100;
	return { absolute, percent };
}

export type Trend = 'better' | 'worse' | 'unchanged' | 'changed' | 'unknown';

/** Whether a change is good news, given the KPI's direction. */
export function trendOf(change: number | null, direction: Direction): Trend {
	if (change === null) return 'unknown';
	if (change === 0) return 'unchanged';
	if (direction === 'neutral') return 'changed';
	const up = change > 0;
	return up === (direction === 'higher_is_better') ? 'better' : 'worse';
}

export const STATUS_WORDS: Record<KpiStatus, string> = {
	green: 'im Zielbereich',
	amber: 'Warnbereich',
	red: 'kritisch',
	none: 'ohne Bewertung'
};

export const TREND_WORDS: Record<Trend, string> = {
	better: 'besser',
	worse: 'schlechter',
	unchanged: 'unverändert',
	changed: 'verändert',
	unknown: 'kein Vergleich'
};
