import { describe, expect, test } from 'vitest';
import { defaultRange, mergeHistory, pointsInRange, rangeNeedsHistory } from '$lib/kpis/history';
import { compactSeries, expandSeries, SERIES_LENGTH } from '#shared/series';
import type { SeriesPoint } from '#shared/kpi';

/** `count` months ending with `last`, valued 1, 2, 3, … */
function months(count: number, last = '2026-11'): SeriesPoint[] {
	const [y, m] = last.split('-').map(Number) as [number, number];
	return Array.from({ length: count }, (_, i) => {
		const index = y * 12 + (m - 1) - (count - 1 - i);
		return {
			period: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
			value: i + 1
		};
	});
}

describe('the range of a history', () => {
	test('1 Jahr and 5 Jahre count back from the last period; Alles is everything', () => {
		const series = months(200);
		expect(pointsInRange(series, '1j').map((p) => p.period)).toEqual(
			months(12).map((p) => p.period)
		);
		expect(pointsInRange(series, '5j')).toHaveLength(60);
		expect(pointsInRange(series, 'alles')).toHaveLength(200);
	});

	test('the page opens with a range the synced window always covers', () => {
		expect(defaultRange('daily')).toBe('1j');
		expect(defaultRange('weekly')).toBe('1j');
		expect(defaultRange('monthly')).toBe('5j');
		// 400 days on the phone hold a year; 120 months hold five.
		expect(SERIES_LENGTH.daily).toBeGreaterThan(366);
		expect(SERIES_LENGTH.monthly).toBeGreaterThanOrEqual(60);
	});

	test('a longer range needs the history only when the synced window is full', () => {
		const full = months(SERIES_LENGTH.monthly);
		expect(rangeNeedsHistory(full, 'monthly', '5j')).toBe(false);
		expect(rangeNeedsHistory(full, 'monthly', 'alles')).toBe(true);
		// A KPI with fewer values than the window has its whole history on the phone.
		expect(rangeNeedsHistory(months(30), 'monthly', 'alles')).toBe(false);
	});

	test('the loaded history before the window, the synced values from there; withheld stays withheld', () => {
		const synced = { series: compactSeries(months(3)), suppressed: undefined };
		const history = {
			series: compactSeries(months(6).map((p) => ({ ...p, value: (p.value ?? 0) * 100 }))),
			suppressed: {
				value: false,
				previousValue: false,
				periods: ['2026-06'],
				members: [],
				minCount: 3
			}
		};
		const merged = mergeHistory(synced, history);
		expect(merged.points.map((p) => [p.period, p.value])).toEqual([
			['2026-06', 100],
			['2026-07', 200],
			['2026-08', 300],
			['2026-09', 1],
			['2026-10', 2],
			['2026-11', 3]
		]);
		expect(merged.suppressed?.periods).toEqual(['2026-06']);
		expect(mergeHistory(synced, null).points).toEqual(expandSeries(synced.series));
	});
});
