import { getISOWeeksInYear } from 'date-fns';
import type { Cadence } from '#shared/kpi';
import type { PeriodFormat } from '#shared/feeds';
import { periodOf } from '#shared/periods';

export type PeriodReading = { period: string } | { error: string };

const CADENCE_WORD: Record<Cadence, string> = {
	daily: 'tägliche',
	weekly: 'wöchentliche',
	monthly: 'monatliche',
	quarterly: 'vierteljährliche',
	yearly: 'jährliche'
};

const PATTERNS: Record<PeriodFormat, RegExp> = {
	YYYY: /^(\d{4})$/,
	'YYYY-MM': /^(\d{4})-(\d{2})$/,
	'MM.YYYY': /^(\d{1,2})\.(\d{4})$/,
	'YYYY-MM-DD': /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+Z?)?$/,
	'DD.MM.YYYY': /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/,
	'YYYY-Www': /^(\d{4})-?W(\d{1,2})$/i,
	'KW ww/YYYY': /^KW\s*(\d{1,2})\s*[/-]\s*(\d{4})$/i,
	'YYYY-Qq': /^(\d{4})-?Q([1-4])$/i
};

const EXAMPLE: Record<PeriodFormat, string> = {
	YYYY: '2026',
	'YYYY-MM': '2026-03',
	'MM.YYYY': '03.2026',
	'YYYY-MM-DD': '2026-03-31',
	'DD.MM.YYYY': '31.03.2026',
	'YYYY-Www': '2026-W13',
	'KW ww/YYYY': 'KW 13/2026',
	'YYYY-Qq': '2026-Q1'
};

/** The granularity a format writes: a date fits every cadence (it names a "Stichtag"). */
const GRANULARITY: Record<PeriodFormat, Cadence> = {
	YYYY: 'yearly',
	'YYYY-MM': 'monthly',
	'MM.YYYY': 'monthly',
	'YYYY-MM-DD': 'daily',
	'DD.MM.YYYY': 'daily',
	'YYYY-Www': 'weekly',
	'KW ww/YYYY': 'weekly',
	'YYYY-Qq': 'quarterly'
};

const plausibleYear = (year: number) => year >= 1900 && year <= 2100;
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Reads a period as the file writes it and returns the period key of the KPI's cadence. A date
 * becomes the period that contains it; other formats must match the cadence, because a month
 * figure says nothing certain about its year. Impossible dates (31.02.) are refused.
 */
export function readPeriod(text: string, format: PeriodFormat, cadence: Cadence): PeriodReading {
	const trimmed = text.trim();
	const match = PATTERNS[format].exec(trimmed);
	if (!match) {
		return {
			error: `„${trimmed}“ ist kein Zeitraum im Format ${format} (z. B. ${EXAMPLE[format]}).`
		};
	}
	const granularity = GRANULARITY[format];
	if (granularity !== 'daily' && granularity !== cadence) {
		return {
			error: `„${trimmed}“ passt nicht zur Kennzahl: sie hat ${CADENCE_WORD[cadence]} Werte.`
		};
	}
	const numbers = match.slice(1).map(Number);
	switch (format) {
		case 'YYYY': {
			const [year] = numbers as [number];
			return plausibleYear(year) ? { period: String(year) } : impossible(trimmed);
		}
		case 'YYYY-MM':
		case 'MM.YYYY': {
			const [year, month] = (format === 'YYYY-MM' ? numbers : [numbers[1], numbers[0]]) as [
				number,
				number
			];
			if (!plausibleYear(year) || month < 1 || month > 12) return impossible(trimmed);
			return { period: `${year}-${pad(month)}` };
		}
		case 'YYYY-Www':
		case 'KW ww/YYYY': {
			const [year, week] = (format === 'YYYY-Www' ? numbers : [numbers[1], numbers[0]]) as [
				number,
				number
			];
			if (!plausibleYear(year) || week < 1) return impossible(trimmed);
			// Mid-year the ISO week year and the calendar year agree.
			if (week > getISOWeeksInYear(new Date(year, 5, 1))) {
				return { error: `Das Jahr ${year} hat keine Kalenderwoche ${week}.` };
			}
			return { period: `${year}-W${pad(week)}` };
		}
		case 'YYYY-Qq': {
			const [year, quarter] = numbers as [number, number];
			return plausibleYear(year) ? { period: `${year}-Q${quarter}` } : impossible(trimmed);
		}
		case 'YYYY-MM-DD':
		case 'DD.MM.YYYY': {
			const [year, month, day] = (
				format === 'YYYY-MM-DD' ? numbers : [numbers[2], numbers[1], numbers[0]]
			) as [number, number, number];
			const date = new Date(year, month - 1, day);
			if (
				!plausibleYear(year) ||
				date.getFullYear() !== year ||
				date.getMonth() !== month - 1 ||
				date.getDate() !== day
			) {
				return impossible(trimmed);
			}
			return { period: periodOf(date, cadence) };
		}
	}
}

const impossible = (text: string): PeriodReading => ({
	error: `Den Zeitraum „${text}“ gibt es nicht.`
});
