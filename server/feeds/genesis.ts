import { openSync, readSync, closeSync } from 'node:fs';
import { GENESIS_COLUMNS, type FeedMapping } from '#shared/feeds';
import { FeedFailure, PERIOD_COLUMN, rowError, variableColumn } from './mapping';
import { csvReader, fileChunks, type FileStats, type TableSink, type TextReader } from './readers';
import { isZipStart, zipEntryChunks } from './zip';

/**
 * The flat file CSV (ffcsv) of GENESIS-Online, the Regionaldatenbank Deutschland and the
 * Zensus database, as delivered since November 2024: `;`-separated, one value per row, the
 * classifying variables ("Merkmale") in numbered blocks whose order differs between tables and,
 * for the regional levels, between rows of one table.
 *
 * The reader turns every row into a fixed set of cells the ordinary mapping reads: the file's
 * own columns (`value`, `value_unit`, `value_variable_code` …), one cell per variable the
 * definition names (its attribute code, wherever the row has it), and the period joined from
 * `time` and, if named, the month or quarter variable.
 */

const HEAD = ['statistics_code', 'statistics_label', 'time_code', 'time_label', 'time'];
const BLOCK = [
	'variable_code',
	'variable_label',
	'variable_attribute_code',
	'variable_attribute_label'
];
const TAIL = ['value', 'value_unit', 'value_variable_code', 'value_variable_label'];

/** Signs GENESIS writes instead of a number (its Zeichenerklärung); `value_q` may hold one. */
const SIGNS = new Set(['-', '.', 'x', '/', '...']);

/** What of the file's variables a definition uses. */
export interface GenesisPlan {
	/** Variables that are a dimension or filtered on: a row must have each. */
	variables: string[];
	/** The variable that splits the year (`MONAT`, `QUARTG`), if the period reads one. */
	periodVariable: string | undefined;
}

export function genesisPlan(mapping: FeedMapping): GenesisPlan {
	const variables = [
		...Object.values(mapping.dimensions).map((d) => d.variable),
		...mapping.filters.map((f) => f.variable)
	].filter((v): v is string => v !== undefined);
	return { variables: [...new Set(variables)], periodVariable: mapping.period?.variable };
}

/** The cells the mapping sees, in order. */
export function genesisColumns(plan: GenesisPlan): string[] {
	return [...GENESIS_COLUMNS, ...plan.variables.map(variableColumn), PERIOD_COLUMN];
}

const headerFailure = (message: string, developerMessage: string) =>
	new FeedFailure({ line: 1, column: null, code: 'columns', message }, developerMessage);

/** Where each part of a row is, from the header; a header of another layout is refused. */
function layoutOf(header: readonly string[]) {
	if (header[0] === 'Statistik_Code') {
		throw headerFailure(
			'Die Datei hat das alte Flat-File-Format von GENESIS (bis November 2024, Spalte „Statistik_Code“). Bitte die Tabelle neu als Flat-File-CSV (ffcsv) herunterladen.',
			'Pre-2024 GENESIS flat file layout'
		);
	}
	const expected: string[] = [...HEAD];
	const blocks = Math.max(0, Math.floor((header.length - HEAD.length - TAIL.length) / 4));
	for (let n = 1; n <= blocks; n++) expected.push(...BLOCK.map((b) => `${n}_${b}`));
	expected.push(...TAIL);
	const withQuality = header.length === expected.length + 1;
	if (withQuality) expected.push('value_q');
	const wrong = expected.findIndex((name, i) => header[i] !== name);
	if (wrong >= 0 || header.length !== expected.length) {
		const at = wrong >= 0 ? wrong : expected.length;
		throw headerFailure(
			`Die Kopfzeile ist nicht die einer GENESIS-Flat-File-CSV: an Stelle ${at + 1} steht ${header[at] === undefined ? 'nichts' : `„${header[at]}“`}, erwartet ${expected[at] === undefined ? 'nichts mehr' : `„${expected[at]}“`}. Erwartet wird „statistics_code;statistics_label;time_code;time_label;time;1_variable_code;…;value;value_unit;value_variable_code;value_variable_label“ (optional „;value_q“).`,
			`Not a GENESIS ffcsv header: column ${at + 1} is ${header[at]}, expected ${expected[at]}`
		);
	}
	const indexOf = (name: string) => header.indexOf(name);
	return {
		width: header.length,
		fixed: GENESIS_COLUMNS.map((name) => indexOf(name)),
		time: indexOf('time'),
		timeCode: indexOf('time_code'),
		value: indexOf('value'),
		quality: withQuality ? indexOf('value_q') : -1,
		blocks: Array.from({ length: blocks }, (_, i) => ({
			code: indexOf(`${i + 1}_variable_code`),
			attribute: indexOf(`${i + 1}_variable_attribute_code`)
		}))
	};
}

/** `MONAT07` → 7, `QUART3` → 3: the attribute codes of GENESIS' month and quarter variables. */
const MONTH = /^MONAT(0[1-9]|1[0-2])$/;
const QUARTER = /^QUART([1-4])$/;

/**
 * A reader for GENESIS flat files: text in, rows as `genesisColumns(plan)` out. A row is left
 * out (skipped) when it lacks a variable the definition names (another regional level) or
 * breaks down by a variable the definition does not name (only its total, the empty attribute
 * code "Insgesamt", counts); a variable named but absent from the whole file fails the run.
 */
export function genesisReader(plan: GenesisPlan, sink: TableSink): TextReader {
	const named = new Map(plan.variables.map((v, i) => [v, GENESIS_COLUMNS.length + i]));
	const periodCell = GENESIS_COLUMNS.length + plan.variables.length;
	const width = periodCell + 1;
	const valueCell = GENESIS_COLUMNS.indexOf('value');
	const seen = new Set<string>();
	let layout: ReturnType<typeof layoutOf> | null = null;
	let rows = 0;

	const csv = csvReader(
		{ delimiter: ';', quote: '"', header: true, skipLines: 0 },
		{
			header(columns) {
				layout = layoutOf(columns);
				sink.header(genesisColumns(plan));
			},
			row(line, raw) {
				const l = layout!;
				const cells = raw as string[];
				rows++;
				if (cells.length < l.width) {
					sink.reject(
						rowError(
							line,
							null,
							'columns',
							`Die Zeile hat ${cells.length} statt ${l.width} Spalten.`
						)
					);
					return;
				}
				const out: string[] = new Array<string>(width).fill('');
				l.fixed.forEach((index, i) => {
					if (index >= 0) out[i] = cells[index] ?? '';
				});
				let found = 0;
				let periodAttribute: string | null = null;
				let unnamed = false;
				for (const block of l.blocks) {
					const code = cells[block.code] ?? '';
					const attribute = (cells[block.attribute] ?? '').trim();
					if (code === '') continue;
					if (seen.size < 1000) seen.add(code);
					const cell = named.get(code);
					if (cell !== undefined) {
						out[cell] = attribute;
						found++;
					} else if (code === plan.periodVariable) {
						periodAttribute = attribute;
					} else if (attribute !== '') {
						unnamed = true;
					}
				}
				if (
					unnamed ||
					found < named.size ||
					(plan.periodVariable !== undefined && !periodAttribute)
				) {
					sink.skip(line);
					return;
				}
				const period = periodOf(
					line,
					cells[l.timeCode] ?? '',
					cells[l.time] ?? '',
					periodAttribute
				);
				if (typeof period !== 'string') {
					sink.reject(period);
					return;
				}
				out[periodCell] = period;
				// A sign may stand in value_q with the value left empty.
				if (out[valueCell]!.trim() === '' && l.quality >= 0) {
					const sign = (cells[l.quality] ?? '').trim();
					if (SIGNS.has(sign)) out[valueCell] = sign;
				}
				sink.row(line, out);
			}
		}
	);

	const periodOf = (
		line: number,
		timeCode: string,
		time: string,
		attribute: string | null
	): string | ReturnType<typeof rowError> => {
		const code = timeCode.trim();
		const text = time.trim();
		if (code === 'STAG') {
			if (attribute === null) return text;
			return rowError(
				line,
				'time_code',
				'bad_period',
				`Ein Stichtag (STAG) lässt sich nicht mit dem Merkmal „${plan.periodVariable}“ in Monate oder Quartale teilen.`
			);
		}
		if (code !== 'JAHR') {
			return rowError(
				line,
				'time_code',
				'bad_period',
				`Die Zeitangabe „${code}“ (time_code) liest KLAR nicht; gelesen werden JAHR (Jahr) und STAG (Stichtag).`
			);
		}
		if (attribute === null) return text;
		const month = MONTH.exec(attribute);
		if (month) return `${text}-${month[1]}`;
		const quarter = QUARTER.exec(attribute);
		if (quarter) return `${text}-Q${quarter[1]}`;
		return rowError(
			line,
			variableColumn(plan.periodVariable!),
			'bad_period',
			`„${attribute}“ (Merkmal ${plan.periodVariable}) ist kein Monat (MONAT01 … MONAT12) und kein Quartal (QUART1 … QUART4).`
		);
	};

	return {
		write(text) {
			csv.write(text);
		},
		end() {
			csv.end();
			if (!rows) return;
			const absent = [
				...plan.variables,
				...(plan.periodVariable ? [plan.periodVariable] : [])
			].filter((v) => !seen.has(v));
			if (absent.length) {
				throw new FeedFailure(
					{
						line: null,
						column: null,
						code: 'columns',
						message: `${absent.length === 1 ? 'Das Merkmal' : 'Die Merkmale'} ${absent.map((v) => `„${v}“`).join(', ')} ${absent.length === 1 ? 'kommt' : 'kommen'} in der Datei nicht vor. Die Datei hat: ${[...seen].map((v) => `„${v}“`).join(', ') || 'keine Merkmale'}.`
					},
					`Variables ${absent.join(', ')} not in the file`
				);
			}
		}
	};
}

/**
 * The bytes of a GENESIS delivery: the file itself, or the one `*_flat.csv` of a zip. The
 * delivered file's size and checksum are what the run records, also for a zip.
 */
export function* genesisChunks(
	path: string,
	stats: FileStats,
	maxBytes: number,
	chunkBytes: number
): Generator<Buffer> {
	const fd = openSync(path, 'r');
	const start = Buffer.alloc(4);
	try {
		readSync(fd, start, 0, 4, 0);
	} finally {
		closeSync(fd);
	}
	if (!isZipStart(start)) {
		yield* fileChunks(path, stats, maxBytes, chunkBytes);
		return;
	}
	// The size limit and checksum of the archive as delivered.
	for (const chunk of fileChunks(path, stats, maxBytes, chunkBytes)) void chunk;
	yield* zipEntryChunks(path, /_flat\.csv$/i, 'Datei „…_flat.csv“', chunkBytes);
}
