import { describe, expect, test } from 'vitest';
import { compactSeries, expandSeries } from '#shared/series';

describe('compact series', () => {
	test('consecutive days round-trip', () => {
		const points = [
			{ period: '2026-02-27', value: 1 },
			{ period: '2026-02-28', value: 2 },
			{ period: '2026-03-01', value: null },
			{ period: '2026-03-02', value: 4.5 }
		];
		const compact = compactSeries(points);
		expect(compact).toEqual({ start: '2026-02-27', values: [1, 2, null, 4.5] });
		expect(expandSeries(compact)).toEqual(points);
	});

	test('missing periods between the first and the last become null', () => {
		const compact = compactSeries([
			{ period: '2026-W51', value: 10 },
			{ period: '2027-W01', value: 30 }
		]);
		// 2026 has 53 ISO weeks.
		expect(compact).toEqual({ start: '2026-W51', values: [10, null, null, 30] });
		expect(expandSeries(compact).map((p) => p.period)).toEqual([
			'2026-W51',
			'2026-W52',
			'2026-W53',
			'2027-W01'
		]);
	});

	test('months, quarters and years', () => {
		expect(expandSeries({ start: '2026-11', values: [1, 2, 3] }).map((p) => p.period)).toEqual([
			'2026-11',
			'2026-12',
			'2027-01'
		]);
		expect(expandSeries({ start: '2026-Q4', values: [1, 2] }).map((p) => p.period)).toEqual([
			'2026-Q4',
			'2027-Q1'
		]);
		expect(
			compactSeries([
				{ period: '2024', value: 1 },
				{ period: '2026', value: 3 }
			])
		).toEqual({
			start: '2024',
			values: [1, null, 3]
		});
	});

	test('an empty series', () => {
		expect(compactSeries([])).toEqual({ start: null, values: [] });
		expect(expandSeries({ start: null, values: [] })).toEqual([]);
	});

	test('is much smaller than period/value pairs for a year of days', () => {
		const points = Array.from({ length: 400 }, (_, i) => ({
			period: expandSeries({ start: '2025-10-18', values: Array(400).fill(0) })[i]!.period,
			value: 800 + (i % 50)
		}));
		const pairs = JSON.stringify(points).length;
		const compact = JSON.stringify(compactSeries(points)).length;
		expect(compact * 5).toBeLessThan(pairs);
	});
});
