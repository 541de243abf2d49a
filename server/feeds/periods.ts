import { getISOWeeksInYear } from 'date-fns';
import type { Cadence } from '#shared/kpi';
import type { PeriodFormat } from '#shared/feeds';
import { periodOf } from '#shared/periods';

export type PeriodReading = { period: string } | { error: string };

/** Reads a period as one source writes it, for a KPI of the given cadence. */
export type PeriodReader = (text: string, cadence: Cadence) => PeriodReading;

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
			return periodOfDay(year, month, day, cadence, trimmed);
		}
	}
}

/** The period of the cadence that contains a day; impossible days (31.02.) are refused. */
function periodOfDay(
	year: number,
	month: number,
	day: number,
	cadence: Cadence,
	text: string
): PeriodReading {
	const date = new Date(year, month - 1, day);
	if (
		!plausibleYear(year) ||
		date.getFullYear() !== year ||
		date.getMonth() !== month - 1 ||
		date.getDate() !== day
	) {
		return impossible(text);
	}
	return { period: periodOf(date, cadence) };
}

export const formatReader =
	(format: PeriodFormat): PeriodReader =>
	(text, cadence) =>
		readPeriod(text, format, cadence);

/**
 * Periods as a GENESIS flat file gives them once its reader has joined `time` with a month or
 * quarter variable: `2023`, `2023-11`, `2023-Q3`, or a Stichtag `2023-12-31` (files from before
 * November 2024 wrote `31.12.2023`).
 */
export const genesisPeriodReader: PeriodReader = (text, cadence) => {
	const format = (['YYYY-MM-DD', 'DD.MM.YYYY', 'YYYY-Qq', 'YYYY-MM', 'YYYY'] as const).find((f) =>
		PATTERNS[f].test(text.trim())
	);
	return format
		? readPeriod(text, format, cadence)
		: {
				error: `„${text.trim()}“ ist keine Zeitangabe einer GENESIS-Datei (z. B. 2023 oder 2023-12-31).`
			};
};

/**
 * Table Schema `date` and `datetime` values: `default` (ISO 8601), `any` (ISO 8601 or the German
 * `31.12.2025`), or a pattern of Python's `strptime` as the spec prescribes (`%d.%m.%Y`). Only
 * numeric directives are read: month and day names depend on the locale the file was written in.
 * A date-time counts by its date as written, whatever its time zone.
 */
export type DatePattern = { read(text: string): DateParts | null } | { error: string };
interface DateParts {
	year: number;
	month: number;
	day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;

const DIRECTIVES: Record<
	string,
	{ pattern: string; part?: keyof DateParts | 'year2' | 'dayOfYear' }
> = {
	Y: { pattern: '(\\d{4})', part: 'year' },
	y: { pattern: '(\\d{2})', part: 'year2' },
	m: { pattern: '(\\d{1,2})', part: 'month' },
	d: { pattern: '(\\d{1,2})', part: 'day' },
	j: { pattern: '(\\d{1,3})', part: 'dayOfYear' },
	H: { pattern: '\\d{1,2}' },
	M: { pattern: '\\d{1,2}' },
	S: { pattern: '\\d{1,2}' },
	f: { pattern: '\\d{1,6}' },
	z: { pattern: '(?:Z|[+-]\\d{2}:?\\d{2})' },
	'%': { pattern: '%' }
};

/** Directives Python reads by the locale's names (Monday, März, PM): a file's language decides. */
const LOCALE_DIRECTIVES = 'aAbBpcxXI';

export function datePattern(type: 'date' | 'datetime', format = 'default'): DatePattern {
	const spec = format.replace(/^fmt:/, '');
	const parts = (m: RegExpExecArray): DateParts => ({
		year: Number(m[1]),
		month: Number(m[2]),
		day: Number(m[3])
	});
	if (spec === 'default') {
		const pattern = type === 'date' ? ISO_DATE : ISO_DATETIME;
		return { read: (text) => ((m) => (m ? parts(m) : null))(pattern.exec(text)) };
	}
	if (spec === 'any') {
		return {
			read(text) {
				const iso = ISO_DATE.exec(text) ?? ISO_DATETIME.exec(text);
				if (iso) return parts(iso);
				const german = GERMAN_DATE.exec(text);
				return german
					? { year: Number(german[3]), month: Number(german[2]), day: Number(german[1]) }
					: null;
			}
		};
	}
	let source = '';
	const order: (keyof DateParts | 'year2' | 'dayOfYear')[] = [];
	for (let i = 0; i < spec.length; i++) {
		const c = spec[i]!;
		if (c !== '%') {
			source += /\s/.test(c) ? '\\s+' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			continue;
		}
		const directive = spec[++i];
		if (directive === undefined)
			return { error: `Das Datumsformat „${spec}“ endet mit einem einzelnen %.` };
		if (LOCALE_DIRECTIVES.includes(directive)) {
			return {
				error: `Das Datumsformat „${spec}“ enthält %${directive}; Namen und 12-Stunden-Angaben hängen von der Sprache der Datei ab. Gelesen werden %Y, %y, %m, %d, %j, %H, %M, %S, %f, %z und %%.`
			};
		}
		const known = DIRECTIVES[directive];
		if (!known) {
			return {
				error: `Das Datumsformat „${spec}“ enthält %${directive}, das KLAR nicht liest. Gelesen werden %Y, %y, %m, %d, %j, %H, %M, %S, %f, %z und %%.`
			};
		}
		source += known.pattern;
		if (known.part) order.push(known.part);
	}
	if (!order.includes('year') && !order.includes('year2')) {
		return { error: `Das Datumsformat „${spec}“ enthält kein Jahr (%Y oder %y).` };
	}
	const regex = new RegExp(`^${source}$`, 'i');
	return {
		read(text) {
			const match = regex.exec(text);
			if (!match) return null;
			// Python's defaults for what a pattern leaves out: 1 January.
			const date: DateParts = { year: 0, month: 1, day: 1 };
			let dayOfYear: number | null = null;
			order.forEach((part, i) => {
				const n = Number(match[i + 1]);
				if (part === 'year2') date.year = n < 69 ? 2000 + n : 1900 + n;
				else if (part === 'dayOfYear') dayOfYear = n;
				else date[part] = n;
			});
			if (dayOfYear !== null) {
				const day = new Date(date.year, 0, dayOfYear);
				if (day.getFullYear() !== date.year) return null;
				return { year: date.year, month: day.getMonth() + 1, day: day.getDate() };
			}
			return date;
		}
	};
}

/** Whether a text is a real day in a Table Schema date pattern. */
export function isDate(pattern: Extract<DatePattern, { read: unknown }>, text: string): boolean {
	const parts = pattern.read(text);
	if (!parts) return false;
	const date = new Date(parts.year, parts.month - 1, parts.day);
	return (
		date.getFullYear() === parts.year &&
		date.getMonth() === parts.month - 1 &&
		date.getDate() === parts.day
	);
}

/** A period reader for a Table Schema date column. */
export function datePeriodReader(
	pattern: Extract<DatePattern, { read: unknown }>,
	format: string
): PeriodReader {
	return (text, cadence) => {
		const trimmed = text.trim();
		const parts = pattern.read(trimmed);
		if (!parts) {
			return { error: `„${trimmed}“ ist kein Datum im Format ${format} des Table Schema.` };
		}
		return periodOfDay(parts.year, parts.month, parts.day, cadence, trimmed);
	};
}

const impossible = (text: string): PeriodReading => ({
	error: `Den Zeitraum „${text}“ gibt es nicht.`
});
