import { format } from 'date-fns';
import { neutraliseFormula } from '#shared/csv-cells';
import { periodEnd } from '#shared/periods';

/**
 * How the departments' software writes numbers and dates: German style, a comma before the
 * decimals and (for counts and amounts) a dot between thousands.
 */
export function germanNumber(value: number, decimals = 0, thousands: '' | '.' = '.'): string {
	const key = `${decimals}${thousands}`;
	let format = numberFormats.get(key);
	if (!format) {
		format = new Intl.NumberFormat('de-DE', {
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals,
			useGrouping: thousands ? 'always' : false,
			// No "-0,0" for a value that rounds to zero.
			signDisplay: 'negative'
		});
		numberFormats.set(key, format);
	}
	return format.format(value);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `DD.MM.YYYY` of the last day of a period, the "Stichtag" of a register count. */
export function stichtagOf(period: string): string {
	return format(periodEnd(period)!, 'dd.MM.yyyy');
}

/** A number as `germanNumber` writes it: the only text allowed to start with a minus. */
const GERMAN_NUMBER = /^-?\d{1,3}(?:\.?\d{3})*(?:,\d+)?$/;

/**
 * One CSV line; a cell with the delimiter, a quote or a line break is quoted (RFC 4180), and
 * text that a spreadsheet would run as a formula is neutralised.
 */
export function csvLine(cells: readonly (string | number)[], delimiter = ';'): string {
	return cells
		.map((cell) => {
			const raw = String(cell);
			const text =
				typeof cell === 'number' || GERMAN_NUMBER.test(raw) ? raw : neutraliseFormula(raw);
			return text.includes(delimiter) || /["\r\n]/.test(text)
				? `"${text.replaceAll('"', '""')}"`
				: text;
		})
		.join(delimiter);
}

/** Lines as Windows software writes them: CRLF after every line, the last one included. */
export const windowsLines = (lines: readonly string[]) => lines.map((l) => `${l}\r\n`).join('');
