import {
	addDays,
	addMonths,
	addQuarters,
	addWeeks,
	addYears,
	differenceInCalendarDays,
	endOfISOWeek,
	endOfMonth,
	endOfQuarter,
	endOfYear,
	format,
	getISOWeek,
	getISOWeekYear,
	parseISO,
	setISOWeek,
	startOfISOWeek,
	startOfISOWeekYear
} from 'date-fns';
import type { Cadence } from './kpi';

/**
 * Period keys are strings that sort in time within one cadence:
 * day `2026-11-21`, ISO week `2026-W47`, month `2026-11`, quarter `2026-Q4`, year `2026`.
 * All calendar maths works on local dates without time; ISO dates (`YYYY-MM-DD`) cross
 * module borders, never Date objects with a time zone attached.
 */
const PATTERNS: Record<Cadence, RegExp> = {
	daily: /^(\d{4})-(\d{2})-(\d{2})$/,
	weekly: /^(\d{4})-W(\d{2})$/,
	monthly: /^(\d{4})-(\d{2})$/,
	quarterly: /^(\d{4})-Q([1-4])$/,
	yearly: /^(\d{4})$/
};

export function cadenceOfPeriod(period: string): Cadence | null {
	for (const cadence of Object.keys(PATTERNS) as Cadence[]) {
		if (PATTERNS[cadence].test(period)) return cadence;
	}
	return null;
}

export function toIsoDate(date: Date): string {
	return format(date, 'yyyy-MM-dd');
}

/** Parses `YYYY-MM-DD` strictly: `2026-02-30` is rejected, not rolled over into March. */
export function parseIsoDate(value: string): Date | null {
	if (!PATTERNS.daily.test(value)) return null;
	const date = parseISO(value);
	if (Number.isNaN(date.getTime()) || toIsoDate(date) !== value) return null;
	return date;
}

export function periodOf(date: Date, cadence: Cadence): string {
	switch (cadence) {
		case 'daily':
			return toIsoDate(date);
		case 'weekly':
			return `${getISOWeekYear(date)}-W${String(getISOWeek(date)).padStart(2, '0')}`;
		case 'monthly':
			return format(date, 'yyyy-MM');
		case 'quarterly':
			return `${date.getFullYear()}-Q${Math.floor(date.getMonth() / 3) + 1}`;
		case 'yearly':
			return String(date.getFullYear());
	}
}

/** First day of a period, or null when the key is malformed. */
export function periodStart(period: string): Date | null {
	const cadence = cadenceOfPeriod(period);
	if (!cadence) return null;
	const m = PATTERNS[cadence].exec(period)!;
	const year = Number(m[1]);
	switch (cadence) {
		case 'daily':
			return parseIsoDate(period);
		case 'weekly': {
			const week = Number(m[2]);
			const start = setISOWeek(startOfISOWeekYear(new Date(year, 0, 4)), week);
			return getISOWeekYear(start) === year && week >= 1 ? startOfISOWeek(start) : null;
		}
		case 'monthly': {
			const month = Number(m[2]);
			return month >= 1 && month <= 12 ? new Date(year, month - 1, 1) : null;
		}
		case 'quarterly':
			return new Date(year, (Number(m[2]) - 1) * 3, 1);
		case 'yearly':
			return new Date(year, 0, 1);
	}
}

/** Last day of a period. */
export function periodEnd(period: string): Date | null {
	const start = periodStart(period);
	const cadence = cadenceOfPeriod(period);
	if (!start || !cadence) return null;
	switch (cadence) {
		case 'daily':
			return start;
		case 'weekly':
			return endOfISOWeek(start);
		case 'monthly':
			return endOfMonth(start);
		case 'quarterly':
			return endOfQuarter(start);
		case 'yearly':
			return endOfYear(start);
	}
}

export function shiftPeriod(period: string, steps: number): string | null {
	const start = periodStart(period);
	const cadence = cadenceOfPeriod(period);
	if (!start || !cadence) return null;
	const add = {
		daily: addDays,
		weekly: addWeeks,
		monthly: addMonths,
		quarterly: addQuarters,
		yearly: addYears
	}[cadence];
	return periodOf(add(start, steps), cadence);
}

const MONTH_FORMAT = new Intl.DateTimeFormat('de-DE', { month: 'long', year: 'numeric' });
const DAY_FORMAT = new Intl.DateTimeFormat('de-DE', {
	day: '2-digit',
	month: '2-digit',
	year: 'numeric'
});

/** German label of a period: `21.11.2026`, `KW 47/2026`, `November 2026`, `4. Quartal 2026`, `2026`. */
export function formatPeriod(period: string): string {
	const cadence = cadenceOfPeriod(period);
	const start = periodStart(period);
	if (!cadence || !start) return period;
	switch (cadence) {
		case 'daily':
			return DAY_FORMAT.format(start);
		case 'weekly':
			return `KW ${period.slice(6)}/${period.slice(0, 4)}`;
		case 'monthly':
			return MONTH_FORMAT.format(start);
		case 'quarterly':
			return `${period.slice(6)}. Quartal ${period.slice(0, 4)}`;
		case 'yearly':
			return period;
	}
}

/**
 * When the value after `latestPeriod` is due: the end of the following period plus the grace.
 * A KPI is overdue once `today` is past that day.
 */
export function nextExpectedUpdate(latestPeriod: string, graceDays: number): Date | null {
	const next = shiftPeriod(latestPeriod, 1);
	const end = next ? periodEnd(next) : null;
	return end ? addDays(end, graceDays) : null;
}

export function isOverdue(latestPeriod: string | null, graceDays: number, today: Date): boolean {
	if (!latestPeriod) return true;
	const due = nextExpectedUpdate(latestPeriod, graceDays);
	return due !== null && differenceInCalendarDays(today, due) > 0;
}

/**
 * How late the next value after `latestPeriod` is on `today`: the ISO day it was due and the
 * days since; null when it is not overdue. Without any value there is no due day to count from.
 */
export function lateness(
	latestPeriod: string | null,
	graceDays: number,
	today: Date
): { dueOn: string | null; daysLate: number | null } | null {
	if (!isOverdue(latestPeriod, graceDays, today)) return null;
	const due = latestPeriod ? nextExpectedUpdate(latestPeriod, graceDays) : null;
	return due
		? { dueOn: toIsoDate(due), daysLate: differenceInCalendarDays(today, due) }
		: { dueOn: null, daysLate: null };
}

/**
 * How much of the year has passed at the end of a period, in percent: the share of the annual
 * plan that a budget spent evenly would have used (`2026-10` → 83,3 %). Months, quarters and
 * years only; throws on other keys.
 */
export function expectedShareOfYear(period: string): number {
	const cadence = cadenceOfPeriod(period);
	if (!periodStart(period)) throw new RangeError(`Kein gültiger Zeitraum: ${period}`);
	switch (cadence) {
		case 'monthly':
			return (Number(period.slice(5)) / 12) * 100;
		case 'quarterly':
			return (Number(period.slice(6)) / 4) * 100;
		case 'yearly':
			return 100;
		default:
			throw new RangeError(`Anteil am Jahr nur für Monat, Quartal oder Jahr: ${period}`);
	}
}
