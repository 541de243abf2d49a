import { describe, expect, test } from 'vitest';
import { changeBetween, statusOf, trendOf } from '#shared/status';

describe('statusOf', () => {
	// Utilisation: lower is better, amber from 88 %, red from 95 %.
	const utilisation = { amber: 88, red: 95 };
	// Free places: higher is better, amber at or below 100, red at or below 50.
	const freePlaces = { amber: 100, red: 50 };

	test.each([
		[80, 'green'],
		[87.9, 'green'],
		[88, 'amber'],
		[94.9, 'amber'],
		[95, 'red'],
		[120, 'red']
	] as const)('lower is better: %d is %s', (value, status) => {
		expect(statusOf(value, 'lower_is_better', utilisation)).toBe(status);
	});

	test.each([
		[250, 'green'],
		[101, 'green'],
		[100, 'amber'],
		[51, 'amber'],
		[50, 'red'],
		[0, 'red'],
		[-5, 'red']
	] as const)('higher is better: %d is %s', (value, status) => {
		expect(statusOf(value, 'higher_is_better', freePlaces)).toBe(status);
	});

	test.each([
		[30, 'green'],
		[45, 'amber'],
		[59, 'amber'],
		[60, 'red']
	] as const)('neutral with bands reads like lower is better: %d is %s', (value, status) => {
		expect(statusOf(value, 'neutral', { amber: 45, red: 60 })).toBe(status);
	});

	test('no value or no bands means no assessment', () => {
		expect(statusOf(null, 'lower_is_better', utilisation)).toBe('none');
		expect(statusOf(99, 'lower_is_better', null)).toBe('none');
		expect(statusOf(0, 'higher_is_better', null)).toBe('none');
	});
});

describe('changeBetween', () => {
	test('absolute and relative change', () => {
		expect(changeBetween(110, 100)).toEqual({ absolute: 10, percent: 10 });
		expect(changeBetween(75, 100)).toEqual({ absolute: -25, percent: -25 });
		expect(changeBetween(100, 100)).toEqual({ absolute: 0, percent: 0 });
	});

	test('relative change from a negative previous value keeps the direction of the change', () => {
		// From −200 to −100 is an improvement of 100, i.e. +50 %, not −50 %.
		expect(changeBetween(-100, -200)).toEqual({ absolute: 100, percent: 50 });
	});

	test('no percent from a previous value of zero', () => {
		expect(changeBetween(5, 0)).toEqual({ absolute: 5, percent: null });
		expect(changeBetween(0, 0)).toEqual({ absolute: 0, percent: null });
	});

	test('no change without both values', () => {
		expect(changeBetween(5, null)).toEqual({ absolute: null, percent: null });
		expect(changeBetween(null, 5)).toEqual({ absolute: null, percent: null });
		expect(changeBetween(null, null)).toEqual({ absolute: null, percent: null });
	});
});

describe('trendOf', () => {
	test.each([
		[3, 'higher_is_better', 'better'],
		[-3, 'higher_is_better', 'worse'],
		[3, 'lower_is_better', 'worse'],
		[-3, 'lower_is_better', 'better'],
		[3, 'neutral', 'changed'],
		[-3, 'neutral', 'changed'],
		[0, 'higher_is_better', 'unchanged'],
		[0, 'lower_is_better', 'unchanged'],
		[0, 'neutral', 'unchanged'],
		[null, 'higher_is_better', 'unknown'],
		[null, 'neutral', 'unknown']
	] as const)('a change of %s with %s is %s', (change, direction, trend) => {
		expect(trendOf(change, direction)).toBe(trend);
	});
});
