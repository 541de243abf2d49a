import { describe, expect, test } from 'vitest';
import {
	cadenceOfPeriod,
	formatPeriod,
	isOverdue,
	nextExpectedUpdate,
	parseIsoDate,
	periodEnd,
	periodOf,
	periodStart,
	shiftPeriod,
	toIsoDate
} from '#shared/periods';

/** Local calendar day, the way the module works (no time zone attached). */
const day = (iso: string) => {
	const [y, m, d] = iso.split('-').map(Number);
	return new Date(y!, m! - 1, d!);
};
const iso = (date: Date | null) => (date ? toIsoDate(date) : null);

describe('parseIsoDate', () => {
	test('accepts real calendar days, including 29 February of a leap year', () => {
		expect(iso(parseIsoDate('2026-11-21'))).toBe('2026-11-21');
		expect(iso(parseIsoDate('2024-02-29'))).toBe('2024-02-29');
		expect(iso(parseIsoDate('2026-12-31'))).toBe('2026-12-31');
	});

	test.each(['2026-02-30', '2026-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00'])(
		'rejects the impossible day %s instead of rolling it over',
		(value) => {
			expect(parseIsoDate(value)).toBeNull();
		}
	);

	test.each([
		'',
		'2026-2-3',
		'26-02-03',
		'2026/02/03',
		'03.02.2026',
		' 2026-02-03',
		'2026-02-03T00:00',
		'heute'
	])('rejects the malformed string %j', (value) => {
		expect(parseIsoDate(value)).toBeNull();
	});

	test('returns local midnight of the day', () => {
		const date = parseIsoDate('2026-03-29')!;
		expect([date.getFullYear(), date.getMonth(), date.getDate(), date.getHours()]).toEqual([
			2026, 2, 29, 0
		]);
	});
});

describe('periodOf', () => {
	test('gives the key of every cadence for one day', () => {
		const d = day('2026-11-21');
		expect(periodOf(d, 'daily')).toBe('2026-11-21');
		expect(periodOf(d, 'weekly')).toBe('2026-W47');
		expect(periodOf(d, 'monthly')).toBe('2026-11');
		expect(periodOf(d, 'quarterly')).toBe('2026-Q4');
		expect(periodOf(d, 'yearly')).toBe('2026');
	});

	test.each([
		// ISO 8601: week 1 is the week with the year's first Thursday; weeks start on Monday.
		['2026-01-01', '2026-W01'], // a Thursday
		['2025-12-29', '2026-W01'], // Monday of 2026-W01 still lies in 2025
		['2025-12-28', '2025-W52'],
		['2021-01-03', '2020-W53'], // a Sunday of 2020's 53rd week
		['2021-01-04', '2021-W01'],
		['2020-12-31', '2020-W53'],
		['2024-12-30', '2025-W01'],
		['2027-01-01', '2026-W53'], // 2026 starts on a Thursday, so it has 53 weeks
		['2027-01-04', '2027-W01'],
		['2026-03-02', '2026-W10']
	])('%s lies in ISO week %s', (date, week) => {
		expect(periodOf(day(date), 'weekly')).toBe(week);
	});

	test.each([
		['2026-01-01', '2026-Q1'],
		['2026-03-31', '2026-Q1'],
		['2026-04-01', '2026-Q2'],
		['2026-09-30', '2026-Q3'],
		['2026-10-01', '2026-Q4'],
		['2026-12-31', '2026-Q4']
	])('%s lies in %s', (date, quarter) => {
		expect(periodOf(day(date), 'quarterly')).toBe(quarter);
	});

	test('keys of one cadence sort in time as strings', () => {
		const days = [
			'2020-12-28',
			'2021-01-03',
			'2021-01-04',
			'2021-06-01',
			'2022-01-02',
			'2022-01-03'
		];
		for (const cadence of ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const) {
			const keys = days.map((d) => periodOf(day(d), cadence));
			expect([...keys].sort()).toEqual(keys);
		}
	});
});

describe('cadenceOfPeriod', () => {
	test('recognises each key shape and nothing else', () => {
		expect(cadenceOfPeriod('2026-11-21')).toBe('daily');
		expect(cadenceOfPeriod('2026-W47')).toBe('weekly');
		expect(cadenceOfPeriod('2026-11')).toBe('monthly');
		expect(cadenceOfPeriod('2026-Q4')).toBe('quarterly');
		expect(cadenceOfPeriod('2026')).toBe('yearly');
		expect(cadenceOfPeriod('2026-Q5')).toBeNull();
		expect(cadenceOfPeriod('2026-W4')).toBeNull();
		expect(cadenceOfPeriod('November 2026')).toBeNull();
	});
});

describe('periodStart and periodEnd', () => {
	test.each([
		['2026-11-21', '2026-11-21', '2026-11-21'],
		['2026-W47', '2026-11-16', '2026-11-22'],
		['2026-W01', '2025-12-29', '2026-01-04'],
		['2020-W53', '2020-12-28', '2021-01-03'],
		['2026-W53', '2026-12-28', '2027-01-03'],
		['2026-02', '2026-02-01', '2026-02-28'],
		['2024-02', '2024-02-01', '2024-02-29'],
		['2026-12', '2026-12-01', '2026-12-31'],
		['2026-Q1', '2026-01-01', '2026-03-31'],
		['2026-Q4', '2026-10-01', '2026-12-31'],
		['2026', '2026-01-01', '2026-12-31']
	])('%s runs from %s to %s', (period, start, end) => {
		expect(iso(periodStart(period))).toBe(start);
		expect(iso(periodEnd(period))).toBe(end);
	});

	test.each([
		'2021-W53',
		'2025-W53',
		'2026-W00',
		'2026-W54',
		'2026-13',
		'2026-00',
		'2026-02-30',
		'x'
	])('%s is not a period', (period) => {
		expect(periodStart(period)).toBeNull();
		expect(periodEnd(period)).toBeNull();
	});
});

describe('shiftPeriod', () => {
	test.each([
		['2026-12-31', 1, '2027-01-01'],
		['2024-02-28', 1, '2024-02-29'],
		['2026-03-01', -1, '2026-02-28'],
		['2026-W52', 1, '2026-W53'],
		['2026-W53', 1, '2027-W01'],
		['2021-W01', -1, '2020-W53'],
		['2026-W01', -1, '2025-W52'],
		['2026-W47', -52, '2025-W47'],
		['2026-12', 1, '2027-01'],
		['2026-01', -1, '2025-12'],
		['2026-01', -13, '2024-12'],
		['2026-Q4', 1, '2027-Q1'],
		['2026-Q1', -1, '2025-Q4'],
		['2026', -3, '2023'],
		['2026-11', 0, '2026-11']
	])('%s shifted by %i is %s', (period, steps, expected) => {
		expect(shiftPeriod(period, steps)).toBe(expected);
	});

	test('rejects a key that is not a period', () => {
		expect(shiftPeriod('2021-W53', 1)).toBeNull();
		expect(shiftPeriod('kaputt', 1)).toBeNull();
	});
});

describe('formatPeriod', () => {
	test.each([
		['2026-11-21', '21.11.2026'],
		['2026-03-05', '05.03.2026'],
		['2026-W47', 'KW 47/2026'],
		['2026-W01', 'KW 01/2026'],
		['2026-11', 'November 2026'],
		['2026-03', 'März 2026'],
		['2026-Q4', '4. Quartal 2026'],
		['2026-Q1', '1. Quartal 2026'],
		['2026', '2026']
	])('%s reads %s', (period, label) => {
		expect(formatPeriod(period)).toBe(label);
	});

	test('leaves a malformed key as it is', () => {
		expect(formatPeriod('2026-02-30')).toBe('2026-02-30');
		expect(formatPeriod('irgendwas')).toBe('irgendwas');
	});
});

describe('nextExpectedUpdate and isOverdue', () => {
	test('the next value is due at the end of the following period plus the grace days', () => {
		expect(iso(nextExpectedUpdate('2026-11-20', 2))).toBe('2026-11-23');
		expect(iso(nextExpectedUpdate('2026-W46', 3))).toBe('2026-11-25');
		expect(iso(nextExpectedUpdate('2026-10', 0))).toBe('2026-11-30');
		expect(iso(nextExpectedUpdate('2026-Q3', 10))).toBe('2027-01-10');
		expect(iso(nextExpectedUpdate('2025', 90))).toBe('2027-03-31');
		expect(nextExpectedUpdate('2026-02-30', 2)).toBeNull();
	});

	test('a daily KPI is overdue only after the grace days have passed', () => {
		// Value for the 20th: the 21st is due, with two days of grace up to and including the 23rd.
		expect(isOverdue('2026-11-20', 2, day('2026-11-21'))).toBe(false);
		expect(isOverdue('2026-11-20', 2, day('2026-11-23'))).toBe(false);
		expect(isOverdue('2026-11-20', 2, day('2026-11-24'))).toBe(true);
		expect(isOverdue('2026-11-20', 0, day('2026-11-21'))).toBe(false);
		expect(isOverdue('2026-11-20', 0, day('2026-11-22'))).toBe(true);
	});

	test('the time of day does not matter', () => {
		const lateEvening = new Date(2026, 10, 23, 23, 59);
		expect(isOverdue('2026-11-20', 2, lateEvening)).toBe(false);
	});

	test('a weekly KPI over a year boundary', () => {
		// 2026-W53 ends on Sunday 2027-01-03; the value for 2027-W01 is due on 2027-01-10 + 3.
		expect(iso(nextExpectedUpdate('2026-W53', 3))).toBe('2027-01-13');
		expect(isOverdue('2026-W53', 3, day('2027-01-13'))).toBe(false);
		expect(isOverdue('2026-W53', 3, day('2027-01-14'))).toBe(true);
	});

	test('a KPI without any value is overdue', () => {
		expect(isOverdue(null, 30, day('2026-11-21'))).toBe(true);
	});
});
