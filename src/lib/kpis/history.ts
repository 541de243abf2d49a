import { subYears } from 'date-fns';
import type { Cadence, KpiSnapshot, SeriesPoint, SuppressionMarks } from '#shared/kpi';
import { periodEnd, periodStart } from '#shared/periods';
import { expandSeries, SERIES_LENGTH } from '#shared/series';

/**
 * The time range of a KPI's history on its page. The phone keeps a window of each series (see
 * SERIES_LENGTH); a longer range is loaded from the server when asked for, and kept on the
 * device once viewed.
 */
export const HISTORY_RANGES = {
	'1j': '1 Jahr',
	'5j': '5 Jahre',
	alles: 'Alles'
} as const;
export type HistoryRange = keyof typeof HISTORY_RANGES;

/** The range a KPI's page opens with: the widest one the synced window always covers. */
export function defaultRange(cadence: Cadence): HistoryRange {
	return cadence === 'daily' || cadence === 'weekly' ? '1j' : '5j';
}

/** The points of the range, counted back from the last point's end. */
export function pointsInRange(points: readonly SeriesPoint[], range: HistoryRange): SeriesPoint[] {
	const last = points.at(-1);
	if (range === 'alles' || !last) return [...points];
	const end = periodEnd(last.period);
	if (!end) return [...points];
	const from = subYears(end, range === '1j' ? 1 : 5);
	return points.filter((p) => {
		const start = periodStart(p.period);
		return start !== null && start > from;
	});
}

/**
 * Whether the range reaches further back than the synced window may: the window is full (so
 * there may be older values) and the range begins before its first point.
 */
export function rangeNeedsHistory(
	synced: readonly SeriesPoint[],
	cadence: Cadence,
	range: HistoryRange
): boolean {
	if (synced.length < SERIES_LENGTH[cadence]) return false;
	if (range === 'alles') return true;
	return pointsInRange(synced, range).length === synced.length;
}

/**
 * The series to show: the loaded history before the synced window, the synced window (always
 * the newest values) from there on. Withheld periods of both stay withheld.
 */
export function mergeHistory(
	synced: Pick<KpiSnapshot, 'series' | 'suppressed'>,
	history: Pick<KpiSnapshot, 'series' | 'suppressed'> | null
): { points: SeriesPoint[]; suppressed: SuppressionMarks | undefined } {
	const recent = expandSeries(synced.series);
	if (!history) return { points: recent, suppressed: synced.suppressed };
	const first = recent[0]?.period;
	const older = expandSeries(history.series).filter((p) => first === undefined || p.period < first);
	const periods = [
		...(history.suppressed?.periods ?? []).filter((p) => first === undefined || p < first),
		...(synced.suppressed?.periods ?? [])
	];
	const marks = synced.suppressed ?? history.suppressed;
	return {
		points: [...older, ...recent],
		suppressed: marks ? { ...marks, periods } : undefined
	};
}
