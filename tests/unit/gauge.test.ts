import { describe, expect, test } from 'vitest';
import { gaugeGeometry, gaugeScaleMax, valueToAngle } from '../../src/lib/kpis/gauge';
import { statusOf } from '#shared/status';
import type { Direction, Thresholds } from '#shared/kpi';

const incidence: Thresholds = { amber: 35, red: 50 };
const frame = { cx: 100, cy: 100, radius: 80, width: 20 };

describe('valueToAngle', () => {
	test('min is left, the middle is the top, max is right', () => {
		expect(valueToAngle(0, 0, 100)).toBe(-90);
		expect(valueToAngle(50, 0, 100)).toBe(0);
		expect(valueToAngle(100, 0, 100)).toBe(90);
		expect(valueToAngle(25, 0, 100)).toBe(-45);
		expect(valueToAngle(15, 10, 20)).toBe(0);
	});

	test('clamps to the ends of the scale', () => {
		expect(valueToAngle(-5, 0, 100)).toBe(-90);
		expect(valueToAngle(250, 0, 100)).toBe(90);
	});

	test('an empty scale does not divide by zero', () => {
		expect(valueToAngle(5, 10, 10)).toBe(-90);
	});
});

describe('gaugeScaleMax', () => {
	test.each([
		[20, 100], // 1.5 × 50 = 75
		[70, 100], // 1.1 × 70 = 77
		[91, 200], // 1.1 × 91 = 100.1
		[132, 200],
		[200, 250], // 220
		[260, 500], // 286
		[700, 1000], // 770
		[null, 100]
	])('value %s → %d', (value, max) => {
		expect(gaugeScaleMax(value, incidence)).toBe(max);
	});

	test('a bound that is a nice number up to rounding error is not pushed to the next one', () => {
		expect(gaugeScaleMax(null, { amber: 1, red: 2 / 1.5 })).toBe(2);
		expect(gaugeScaleMax(1000 / 1.1, null)).toBe(1000);
	});

	test('small and missing values', () => {
		expect(gaugeScaleMax(null, { amber: 0.1, red: 0.2 })).toBe(0.5);
		expect(gaugeScaleMax(0.2, { amber: 0.1, red: 0.15 })).toBe(0.25);
		expect(gaugeScaleMax(null, null)).toBe(1);
		expect(gaugeScaleMax(-20, null)).toBe(1);
	});

	test('higher-is-better thresholds: the amber band fits on the scale too', () => {
		expect(gaugeScaleMax(null, { amber: 80, red: 60 })).toBe(200);
	});
});

describe('gaugeGeometry', () => {
	const lower = (value: number | null, extra: Partial<Parameters<typeof gaugeGeometry>[0]> = {}) =>
		gaugeGeometry({
			value,
			thresholds: incidence,
			direction: 'lower_is_better',
			...frame,
			...extra
		});

	test('the needle points at the value on a scale from 0 to a nice max', () => {
		const g = lower(62);
		expect(g.min).toBe(0);
		expect(g.max).toBe(100);
		expect(g.needleAngle).toBeCloseTo(21.6, 9);
		expect(g.clamped).toBe(false);
	});

	test('lower is better: green, amber, red from left to right, split at the thresholds', () => {
		const g = lower(62);
		expect(g.bands.map(({ status, from, to }) => ({ status, from, to }))).toEqual([
			{ status: 'green', from: 0, to: 35 },
			{ status: 'amber', from: 35, to: 50 },
			{ status: 'red', from: 50, to: 100 }
		]);
	});

	test('neutral direction reads like lower is better, as statusOf does', () => {
		const g = gaugeGeometry({ value: 1, thresholds: incidence, direction: 'neutral', ...frame });
		expect(g.bands.map((b) => b.status)).toEqual(['green', 'amber', 'red']);
	});

	test('higher is better: red, amber, green from left to right', () => {
		const g = gaugeGeometry({
			value: 70,
			thresholds: { amber: 80, red: 60 },
			direction: 'higher_is_better',
			...frame,
			max: 100
		});
		expect(g.bands.map(({ status, from, to }) => ({ status, from, to }))).toEqual([
			{ status: 'red', from: 0, to: 60 },
			{ status: 'amber', from: 60, to: 80 },
			{ status: 'green', from: 80, to: 100 }
		]);
	});

	test.each<[Direction, Thresholds]>([
		['lower_is_better', incidence],
		['higher_is_better', { amber: 80, red: 60 }]
	])('%s: the band under the needle has the status of the value', (direction, thresholds) => {
		for (const value of [0, 20, 34.9, 35, 40, 50, 59, 60, 70, 80, 81, 99]) {
			const g = gaugeGeometry({ value, thresholds, direction, ...frame, max: 100 });
			const band = g.bands.find((b) => value > b.from && value < b.to);
			// On a boundary the status is the band's on the "worse" side; inside, the band's own.
			if (band) expect(band.status).toBe(statusOf(value, direction, thresholds));
		}
	});

	test('bands outside the scale are cut off or left out', () => {
		const g = lower(5, { min: 40, max: 45 });
		expect(g.bands.map(({ status, from, to }) => ({ status, from, to }))).toEqual([
			{ status: 'amber', from: 40, to: 45 }
		]);
	});

	test('band paths are annular arcs between the outer and the inner radius', () => {
		const red = lower(62).bands.find((b) => b.status === 'red')!;
		// From the top (value 50) clockwise to the right end, back along the inner edge.
		expect(red.path).toBe('M 100 20 A 80 80 0 0 1 180 100 L 160 100 A 60 60 0 0 0 100 40 Z');
		const green = lower(62).bands.find((b) => b.status === 'green')!;
		expect(green.path.startsWith('M 20 100 A 80 80 0 0 1 ')).toBe(true);
		expect(green.path.endsWith('A 60 60 0 0 0 40 100 Z')).toBe(true);
		expect(green.path).not.toMatch(/-0\b|NaN|e-/);
	});

	test('a value above the scale pins the needle at the right end and says so', () => {
		const g = lower(640, { max: 100 });
		expect(g.needleAngle).toBe(90);
		expect(g.clamped).toBe(true);
		const below = lower(-3);
		expect(below.needleAngle).toBe(-90);
		expect(below.clamped).toBe(true);
	});

	test('without a value the needle rests at min and nothing breaks', () => {
		const g = lower(null);
		expect(g.needleAngle).toBe(-90);
		expect(g.clamped).toBe(false);
		expect(g.max).toBe(100);
		expect(g.bands).toHaveLength(3);
	});

	test('without thresholds there are no bands', () => {
		const g = gaugeGeometry({ value: 3, thresholds: null, direction: 'neutral', ...frame });
		expect(g.bands).toEqual([]);
		expect(g.max).toBe(5);
	});

	test('ticks at round steps from min to max, inside the arc', () => {
		const g = lower(62);
		expect(g.ticks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
		expect(g.ticks[0]).toEqual({ value: 0, angle: -90, x: 50, y: 100 });
		expect(g.ticks.at(-1)).toEqual({ value: 100, angle: 90, x: 150, y: 100 });
		expect(lower(132).ticks.map((t) => t.value)).toEqual([0, 50, 100, 150, 200]);
		expect(lower(200).ticks.map((t) => t.value)).toEqual([0, 50, 100, 150, 200, 250]);
		const custom = lower(62, { tickRadius: 90 });
		expect(custom.ticks[0]).toMatchObject({ x: 10, y: 100 });
	});

	test('a degenerate range still gives a usable scale', () => {
		const g = lower(5, { min: 10, max: 10 });
		expect(g.max).toBe(11);
		expect(g.needleAngle).toBe(-90);
	});
});
