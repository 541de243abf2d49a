import { formatDate } from './format';

/**
 * A leading = + - @ (or TAB/CR) makes Excel evaluate a cell as a formula (CSV injection): such
 * text gets a leading apostrophe. Every CSV KLAR writes – the phone's downloads, the demo's
 * export files, open data – passes its text cells through this.
 */
export function neutraliseFormula(text: string): string {
	return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export type CsvCell = string | number | null;

/** `21.11.2026`, which Excel reads as a date; empty when there is none. */
export function excelDate(iso: string | null): string {
	const text = formatDate(iso);
	return text === '–' ? '' : text;
}

/**
 * The dialect German Excel opens on a double click: UTF-8 only with a byte-order mark, `;`
 * because `,` is the decimal separator, CRLF line ends.
 */
const BOM = '\uFEFF';
const DELIMITER = ';';
const LINE_END = '\r\n';

const numberFormats = new Map<number | undefined, Intl.NumberFormat>();

/** `-1234,5`: decimal comma, plain hyphen and no grouping, which Excel would read as text. */
function csvNumber(value: number, decimals: number | undefined): string {
	let nf = numberFormats.get(decimals);
	if (!nf) {
		nf = new Intl.NumberFormat('de-DE', {
			useGrouping: false,
			minimumFractionDigits: 0,
			maximumFractionDigits: decimals ?? 20,
			signDisplay: 'negative'
		});
		numberFormats.set(decimals, nf);
	}
	return nf.format(value);
}

function csvText(text: string): string {
	const safe = neutraliseFormula(text);
	return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvCell(cell: CsvCell, decimals: number | undefined): string {
	if (cell === null) return '';
	if (typeof cell === 'number') return Number.isFinite(cell) ? csvNumber(cell, decimals) : '';
	return csvText(cell);
}

export function toExcelCsv(rows: CsvCell[][], options: { decimals?: number } = {}): string {
	return (
		BOM +
		rows
			.map((row) => row.map((cell) => csvCell(cell, options.decimals)).join(DELIMITER))
			.join(LINE_END)
	);
}
