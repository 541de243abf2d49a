import { describe, expect, test } from 'vitest';
import {
	compareToPreviousPeriod,
	compareToPreviousYear,
	describeComparison,
	samePeriodLastYear,
	type Comparison,
	type ComparisonFormat,
	type Reading
} from '#shared/comparisons';

const NBSP = '\u00a0';
const MINUS = '\u2212';

const persons: ComparisonFormat = {
	unit: 'Personen',
	decimals: 0,
	direction: 'lower_is_better',
	numberFormat: 'integer'
};

describe('samePeriodLastYear', () => {
	test.each([
		['2026-11-21', '2025-11-21'],
		['2026-01-01', '2025-01-01'],
		['2028-02-29', '2027-02-28'], // no 29 February in 2027
		['2025-02-28', '2024-02-28'], // not the leap day, even though 2024 had one
		['2025-03-01', '2024-03-01'],
		['2026-W47', '2025-W47'],
		['2026-W01', '2025-W01'],
		['2027-W01', '2026-W01'],
		['2021-W01', '2020-W01'],
		['2027-W52', '2026-W52'],
		['2026-11', '2025-11'],
		['2026-01', '2025-01'],
		['2026-Q4', '2025-Q4'],
		['2026-Q1', '2025-Q1'],
		['2026', '2025']
	])('%s → %s', (period, expected) => {
		expect(samePeriodLastYear(period)).toBe(expected);
	});

	test('ISO week 53 becomes week 52 when the previous ISO year has only 52 weeks', () => {
		expect(samePeriodLastYear('2026-W53')).toBe('2025-W52');
		expect(samePeriodLastYear('2020-W53')).toBe('2019-W52');
		// Two years with 53 weeks never follow each other, so week 53 never maps to week 53.
		expect(samePeriodLastYear('2032-W53')).toBe('2031-W52');
	});

	test.each(['2026-13', '2026-02-30', '2025-W53', 'heute', ''])(
		'rejects the malformed key %j',
		(period) => {
			expect(() => samePeriodLastYear(period)).toThrow(RangeError);
		}
	);
});

const weekly = (values: Record<string, number | null | 'suppressed'>): Reading[] =>
	Object.entries(values).map(([period, value]) =>
		value === 'suppressed' ? { period, value: null, suppressed: true } : { period, value }
	);

describe('compareToPreviousPeriod', () => {
	test('compares the latest value with the one right before it', () => {
		const c = compareToPreviousPeriod(
			weekly({ '2026-W45': 900, '2026-W46': 950, '2026-W47': 962 })
		);
		expect(c).toEqual({
			kind: 'change',
			period: '2026-W47',
			basePeriod: '2026-W46',
			value: 962,
			baseValue: 950,
			absolute: 12,
			percent: (12 / 950) * 100,
			gap: false
		});
	});

	test('does not depend on the order of the readings', () => {
		const c = compareToPreviousPeriod(
			weekly({ '2026-W47': 962, '2026-W45': 900, '2026-W46': 950 })
		);
		expect(c).toMatchObject({ period: '2026-W47', basePeriod: '2026-W46', absolute: 12 });
	});

	test('the latest reading without a value is not "the latest"', () => {
		const c = compareToPreviousPeriod(
			weekly({ '2026-W45': 900, '2026-W46': 950, '2026-W47': null })
		);
		expect(c).toMatchObject({ kind: 'change', period: '2026-W46', basePeriod: '2026-W45' });
	});

	test('falls back to the latest earlier value when the preceding period is missing', () => {
		const absent = compareToPreviousPeriod(
			weekly({ '2026-W43': 800, '2026-W44': 900, '2026-W46': 950 })
		);
		expect(absent).toMatchObject({
			kind: 'change',
			basePeriod: '2026-W44',
			baseValue: 900,
			gap: true
		});
		const empty = compareToPreviousPeriod(
			weekly({ '2026-W44': 900, '2026-W45': null, '2026-W46': 950 })
		);
		expect(empty).toMatchObject({ kind: 'change', basePeriod: '2026-W44', gap: true });
	});

	test('crosses a year boundary, including ISO week 53', () => {
		const c = compareToPreviousPeriod(weekly({ '2026-W53': 10, '2027-W01': 12 }));
		expect(c).toMatchObject({ kind: 'change', basePeriod: '2026-W53', gap: false });
		const daily = compareToPreviousPeriod([
			{ period: '2026-12-31', value: 5 },
			{ period: '2027-01-01', value: 7 }
		]);
		expect(daily).toMatchObject({
			kind: 'change',
			basePeriod: '2026-12-31',
			absolute: 2,
			gap: false
		});
	});

	test('a month, a quarter and a year compare with their predecessor', () => {
		expect(
			compareToPreviousPeriod([
				{ period: '2025-12', value: 4 },
				{ period: '2026-01', value: 5 }
			])
		).toMatchObject({ basePeriod: '2025-12', gap: false });
		expect(
			compareToPreviousPeriod([
				{ period: '2025-Q4', value: 4 },
				{ period: '2026-Q1', value: 5 }
			])
		).toMatchObject({ basePeriod: '2025-Q4', gap: false });
		expect(
			compareToPreviousPeriod([
				{ period: '2024', value: 4 },
				{ period: '2026', value: 5 }
			])
		).toMatchObject({ basePeriod: '2024', gap: true });
	});

	test('a previous value of zero gives an absolute change but no percentage', () => {
		const c = compareToPreviousPeriod(weekly({ '2026-W46': 0, '2026-W47': 5 }));
		expect(c).toMatchObject({ kind: 'change', absolute: 5, percent: null });
	});

	test('a negative previous value gives a percentage of its size', () => {
		const c = compareToPreviousPeriod(weekly({ '2026-W46': -200, '2026-W47': -100 }));
		expect(c).toMatchObject({ absolute: 100, percent: 50 });
	});

	test('no earlier value, or an empty series, is missing', () => {
		expect(compareToPreviousPeriod(weekly({ '2026-W47': 5 }))).toEqual({
			kind: 'missing',
			period: '2026-W47',
			basePeriod: '2026-W46'
		});
		expect(compareToPreviousPeriod(weekly({ '2026-W46': null, '2026-W47': 5 }))).toMatchObject({
			kind: 'missing'
		});
		expect(compareToPreviousPeriod([])).toEqual({
			kind: 'missing',
			period: null,
			basePeriod: null
		});
		expect(compareToPreviousPeriod(weekly({ '2026-W47': null }))).toEqual({
			kind: 'missing',
			period: null,
			basePeriod: null
		});
	});

	test('a requested period that is not in the series is missing, not the latest', () => {
		const readings = weekly({ '2026-W45': 900, '2026-W46': 950 });
		expect(compareToPreviousPeriod(readings, '2026-W47')).toEqual({
			kind: 'missing',
			period: '2026-W47',
			basePeriod: '2026-W46'
		});
		expect(compareToPreviousPeriod(readings, 'kaputt')).toEqual({
			kind: 'missing',
			period: 'kaputt',
			basePeriod: null
		});
	});

	test('a requested period compares with what came before it, not with the latest', () => {
		const readings = weekly({ '2026-W44': 1, '2026-W45': 3, '2026-W46': 10 });
		expect(compareToPreviousPeriod(readings, '2026-W45')).toMatchObject({
			basePeriod: '2026-W44',
			absolute: 2
		});
	});

	test('a suppressed current value is never compared', () => {
		const c = compareToPreviousPeriod(weekly({ '2026-W46': 10, '2026-W47': 'suppressed' }));
		expect(c).toEqual({ kind: 'suppressed', period: '2026-W47', basePeriod: '2026-W46' });
	});

	test('a suppressed value counts as suppressed even when the value came along', () => {
		const c = compareToPreviousPeriod([
			{ period: '2026-W46', value: 2, suppressed: true },
			{ period: '2026-W47', value: 10 }
		]);
		expect(c).toEqual({ kind: 'suppressed', period: '2026-W47', basePeriod: '2026-W46' });
	});

	test('a suppressed base is not skipped for an older one, which would hide the gap', () => {
		const c = compareToPreviousPeriod(
			weekly({ '2026-W44': 10, '2026-W45': 'suppressed', '2026-W46': null, '2026-W47': 12 })
		);
		expect(c).toEqual({ kind: 'suppressed', period: '2026-W47', basePeriod: '2026-W45' });
	});

	test('readings of another cadence do not take part', () => {
		const c = compareToPreviousPeriod([
			{ period: '2026-11', value: 100 },
			{ period: '2026-W46', value: 10 },
			{ period: '2026-W47', value: 12 }
		]);
		expect(c).toMatchObject({ kind: 'change', period: '2026-W47', basePeriod: '2026-W46' });
	});
});

describe('compareToPreviousYear', () => {
	test('compares with the same month a year earlier', () => {
		const readings = [
			{ period: '2025-11', value: 200 },
			{ period: '2026-10', value: 230 },
			{ period: '2026-11', value: 250 }
		];
		expect(compareToPreviousYear(readings)).toMatchObject({
			kind: 'change',
			basePeriod: '2025-11',
			absolute: 50,
			percent: 25,
			gap: false
		});
	});

	test('29 February compares with 28 February of the year before', () => {
		const c = compareToPreviousYear([
			{ period: '2027-02-28', value: 10 },
			{ period: '2028-02-29', value: 11 }
		]);
		expect(c).toMatchObject({ kind: 'change', basePeriod: '2027-02-28', absolute: 1 });
	});

	test('ISO week 53 compares with week 52 of a 52-week year', () => {
		const c = compareToPreviousYear(weekly({ '2025-W52': 40, '2026-W53': 44 }));
		expect(c).toMatchObject({ kind: 'change', basePeriod: '2025-W52', absolute: 4 });
	});

	test('takes no stand-in when the base period has no value', () => {
		const readings = [
			{ period: '2025-10', value: 200 },
			{ period: '2025-11', value: null },
			{ period: '2026-11', value: 250 }
		];
		expect(compareToPreviousYear(readings)).toEqual({
			kind: 'missing',
			period: '2026-11',
			basePeriod: '2025-11'
		});
		expect(compareToPreviousYear([{ period: '2026-Q4', value: 1 }])).toMatchObject({
			kind: 'missing',
			basePeriod: '2025-Q4'
		});
	});

	test('quarters and years', () => {
		expect(
			compareToPreviousYear([
				{ period: '2025-Q4', value: 4 },
				{ period: '2026-Q3', value: 1 },
				{ period: '2026-Q4', value: 5 }
			])
		).toMatchObject({ basePeriod: '2025-Q4', absolute: 1 });
		expect(
			compareToPreviousYear([
				{ period: '2025', value: 4 },
				{ period: '2026', value: 5 }
			])
		).toMatchObject({ basePeriod: '2025', absolute: 1 });
	});

	test('suppressed current or base value', () => {
		expect(compareToPreviousYear(weekly({ '2025-W47': 'suppressed', '2026-W47': 10 }))).toEqual({
			kind: 'suppressed',
			period: '2026-W47',
			basePeriod: '2025-W47'
		});
		expect(compareToPreviousYear(weekly({ '2025-W47': 10, '2026-W47': 'suppressed' }))).toEqual({
			kind: 'suppressed',
			period: '2026-W47',
			basePeriod: '2025-W47'
		});
	});

	test('empty series, and a requested period that is not there', () => {
		expect(compareToPreviousYear([])).toEqual({ kind: 'missing', period: null, basePeriod: null });
		expect(compareToPreviousYear([{ period: '2025-11', value: 1 }], '2026-11')).toEqual({
			kind: 'missing',
			period: '2026-11',
			basePeriod: '2025-11'
		});
		expect(compareToPreviousYear([], '2026-13')).toEqual({
			kind: 'missing',
			period: '2026-13',
			basePeriod: null
		});
	});
});

describe('describeComparison', () => {
	const change = (over: Partial<Extract<Comparison, { kind: 'change' }>>): Comparison => ({
		kind: 'change',
		period: '2026-11-21',
		basePeriod: '2026-11-20',
		value: 962,
		baseValue: 950,
		absolute: 12,
		percent: (12 / 950) * 100,
		gap: false,
		...over
	});

	test('change with unit, percentage, base period and what it means', () => {
		expect(describeComparison(change({}), persons)).toBe(
			`+12${NBSP}Personen (+1,3${NBSP}%) ggü. 20.11.2026 – schlechter`
		);
		expect(
			describeComparison(change({ absolute: -12, percent: -1.25 }), {
				...persons,
				direction: 'higher_is_better'
			})
		).toBe(`${MINUS}12${NBSP}Personen (${MINUS}1,3${NBSP}%) ggü. 20.11.2026 – schlechter`);
		expect(describeComparison(change({}), { ...persons, direction: 'neutral' })).toMatch(
			/– verändert$/
		);
	});

	test('names the missing period when an earlier one stands in', () => {
		const one = change({ period: '2026-W46', basePeriod: '2026-W44', gap: true });
		expect(describeComparison(one, persons)).toContain('ggü. KW 44/2026 (KW 45/2026 fehlt) – ');
		const two = change({ period: '2026-W47', basePeriod: '2026-W44', gap: true });
		expect(describeComparison(two, persons)).toContain(
			'ggü. KW 44/2026 (KW 45/2026 und KW 46/2026 fehlen)'
		);
		const many = change({ period: '2027-W02', basePeriod: '2026-W50', gap: true });
		expect(describeComparison(many, persons)).toContain(
			'ggü. KW 50/2026 (KW 51/2026 bis KW 01/2027 fehlen)'
		);
	});

	test('a percentage changes by percentage points, without a relative change', () => {
		const c = change({ value: 91.5, baseValue: 88.25, absolute: 3.25, percent: 3.68 });
		expect(
			describeComparison(c, {
				unit: '%',
				decimals: 1,
				direction: 'lower_is_better',
				numberFormat: 'percent'
			})
		).toBe(`+3,3${NBSP}Prozentpunkte ggü. 20.11.2026 – schlechter`);
	});

	test('previous value zero: says why there is no percentage', () => {
		const c = change({ baseValue: 0, value: 5, absolute: 5, percent: null });
		expect(describeComparison(c, persons)).toBe(
			`+5${NBSP}Personen (Vorwert 0 – keine prozentuale Veränderung) ggü. 20.11.2026 – schlechter`
		);
	});

	test('a change that rounds to zero reads as unchanged, not as better or worse', () => {
		const c = change({ value: 0.3, baseValue: 0.1 + 0.2, absolute: 0.3 - (0.1 + 0.2), percent: 0 });
		expect(describeComparison(c, { ...persons, decimals: 1 })).toBe(
			`0,0${NBSP}Personen ggü. 20.11.2026 – unverändert`
		);
	});

	test('without a unit there is no stray space', () => {
		expect(describeComparison(change({}), { ...persons, unit: '' })).toBe(
			`+12 (+1,3${NBSP}%) ggü. 20.11.2026 – schlechter`
		);
	});

	test('missing and suppressed comparisons', () => {
		expect(
			describeComparison({ kind: 'missing', period: '2026-W47', basePeriod: '2026-W46' }, persons)
		).toBe('kein Vergleichswert');
		expect(describeComparison({ kind: 'missing', period: null, basePeriod: null }, persons)).toBe(
			'kein Vergleichswert'
		);
		expect(
			describeComparison({ kind: 'suppressed', period: '2026-W47', basePeriod: null }, persons)
		).toBe('Vergleich unterdrückt (kleine Fallzahl)');
	});

	test('end to end from readings', () => {
		const c = compareToPreviousPeriod([
			{ period: '2026-11-19', value: 950 },
			{ period: '2026-11-21', value: 962 }
		]);
		expect(describeComparison(c, persons)).toBe(
			`+12${NBSP}Personen (+1,3${NBSP}%) ggü. 19.11.2026 (20.11.2026 fehlt) – schlechter`
		);
	});
});
