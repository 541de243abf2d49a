/**
 * Pure helpers for the dialects of departmental export files: German numbers, delimiter
 * detection, mojibake detection, and cutting decoded text into whole CSV records.
 */

export interface NumberStyle {
	decimal: ',' | '.';
	/** '' for none; ' ' also matches the no-break spaces spreadsheets write. */
	thousands: '' | '.' | ',' | ' ' | "'";
	/**
	 * False when a number may carry text before or after it (`1.234,50 €`, `EUR 12`, `4 %`): the
	 * Table Schema's `bareNumber: false`. Only the number is read.
	 */
	bare?: boolean;
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A strict pattern for numbers in a style: with a thousands separator, groups must be whole
 * (`1.234.567,8`), so "12.34" in a decimal-comma file is refused instead of read as 1234.
 */
export function numberPattern(style: NumberStyle): RegExp {
	const decimal = escape(style.decimal);
	const digits = `\\d+(?:${decimal}\\d+)?`;
	if (!style.thousands) return new RegExp(`^[+-]?(?:${digits}|${decimal}\\d+)$`);
	const group = style.thousands === ' ' ? '[ \\u00a0\\u202f]' : escape(style.thousands);
	return new RegExp(
		`^[+-]?(?:\\d{1,3}(?:${group}\\d{3})+(?:${decimal}\\d+)?|${digits}|${decimal}\\d+)$`
	);
}

/** A number reader for one style: the number, or null when the text is not one. */
export function numberReader(style: NumberStyle): (text: string) => number | null {
	const pattern = numberPattern(style);
	const group = style.thousands === ' ' ? /[ \u00a0\u202f]/g : style.thousands;
	// Most cells are plain: digits, perhaps a sign and a decimal part, no grouping.
	const simple = new RegExp(`^-?\\d+(?:${escape(style.decimal)}\\d+)?$`);
	return (text: string) => {
		const trimmed =
			style.bare === false
				? text
						.trim()
						.replace(/^[^\d+\-.,]+/, '')
						.replace(/\D+$/, '')
				: text.trim();
		if (simple.test(trimmed)) {
			return Number(style.decimal === ',' ? trimmed.replace(',', '.') : trimmed);
		}
		if (!pattern.test(trimmed)) return null;
		let plain = group && trimmed.length > 3 ? trimmed.replaceAll(group, '') : trimmed;
		if (style.decimal === ',' && plain.includes(',')) plain = plain.replace(',', '.');
		const value = Number(plain);
		return Number.isFinite(value) ? value : null;
	};
}

export const DELIMITER_CANDIDATES = [';', ',', '\t', '|'] as const;

/** How often `char` occurs outside quotes in `line`. */
function countOutsideQuotes(line: string, char: string, quote: string): number {
	let count = 0;
	let quoted = false;
	for (const c of line) {
		if (c === quote) quoted = !quoted;
		else if (c === char && !quoted) count++;
	}
	return count;
}

/**
 * The delimiter of a CSV sample: the candidate that splits every one of the first lines into
 * the same number (> 0) of parts; among several, the one with the most parts. Null if none.
 */
export function detectDelimiter(lines: readonly string[], quote = '"'): string | null {
	const sample = lines.filter((l) => l.trim() !== '').slice(0, 20);
	if (!sample.length) return null;
	let best: { char: string; count: number } | null = null;
	for (const char of DELIMITER_CANDIDATES) {
		const counts = sample.map((l) => countOutsideQuotes(l, char, quote));
		const first = counts[0]!;
		if (first === 0 || counts.some((c) => c !== first)) continue;
		if (!best || first > best.count) best = { char, count: first };
	}
	return best?.char ?? null;
}

/**
 * The first `count` records of a CSV text as lines, a quoted line break kept inside its
 * record, so that a multi-line cell does not look like a line with too few delimiters.
 */
export function sampleRecords(text: string, quote: string, count: number): string[] {
	const records: string[] = [];
	let quoted = false;
	let start = 0;
	for (let i = 0; i < text.length && records.length < count; i++) {
		const c = text[i];
		if (c === quote) quoted = !quoted;
		else if (c === '\n' && !quoted) {
			records.push(text.slice(start, i).replace(/\r$/, ''));
			start = i + 1;
		}
	}
	if (records.length < count && start < text.length) records.push(text.slice(start));
	return records;
}

/**
 * Another delimiter the header line seems to use when the configured one left it in one
 * piece (a comma file read as semicolon-separated), or null.
 */
export function suspectDelimiter(headerLine: string, configured: string, quote = '"') {
	if (countOutsideQuotes(headerLine, configured, quote) > 0) return null;
	return (
		DELIMITER_CANDIDATES.find(
			(c) => c !== configured && countOutsideQuotes(headerLine, c, quote) > 0
		) ?? null
	);
}

/**
 * UTF-8 read as Windows-1252 or ISO-8859-1 turns "ä" into "Ã¤" and the BOM into "ï»¿";
 * Windows-1252 read as UTF-8 leaves replacement characters. Either means the file's encoding
 * is not the one the definition names.
 */
const UTF8_AS_SINGLE_BYTE =
	/Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]|ï»¿|â‚¬|â€[\u0093\u0094\u009c\u009d\u0098\u0099\u201c\u201d\u2018\u2019\u2122\u0153]/;

export type Mojibake =
	| { kind: 'utf8-as-single-byte'; index: number; sample: string }
	| { kind: 'invalid-utf8'; index: number; sample: string };

export function findMojibake(text: string, encoding: string): Mojibake | null {
	if (encoding === 'utf-8') {
		const index = text.indexOf('\ufffd');
		return index < 0 ? null : { kind: 'invalid-utf8', index, sample: around(text, index) };
	}
	const match = UTF8_AS_SINGLE_BYTE.exec(text);
	return match ? { kind: 'utf8-as-single-byte', index: match.index, sample: match[0] } : null;
}

const around = (text: string, index: number) =>
	text.slice(Math.max(0, index - 12), index + 12).replace(/\s+/g, ' ');

/**
 * Where the decoded text can be cut so that the part before holds only whole records: after
 * the last line break that is not inside quotes (an even number of quote characters before
 * it, as RFC 4180 escapes a quote by doubling it). -1 when no such break exists yet.
 */
export function lastRecordBoundary(text: string, quote: string, quotesBefore: number): number {
	let quotes = quotesBefore;
	let boundary = -1;
	for (let i = text.indexOf(quote); i >= 0; i = text.indexOf(quote, i + 1)) quotes++;
	// Walk back from the end over line breaks, un-counting quotes behind each candidate.
	let tailQuotes = 0;
	for (let i = text.length - 1; i >= 0; i--) {
		const c = text[i];
		if (c === quote) tailQuotes++;
		else if (c === '\n' && (quotes - tailQuotes) % 2 === 0) {
			boundary = i + 1;
			break;
		}
	}
	return boundary;
}

/** Counts line breaks in `text` from `from` to `to`. */
export function countLines(text: string, from = 0, to = text.length): number {
	let n = 0;
	for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
	return n;
}

/** Decoded text of a CSV file, `sep=;` hint lines aside: Excel writes them first. */
export const SEP_HINT = /^sep=(.)\r?\n/i;
