import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { JSONParser } from '@streamparser/json';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { FeedEncoding, FeedRunError } from '#shared/feeds';
import {
	countLines,
	detectDelimiter,
	findMojibake,
	lastRecordBoundary,
	sampleRecords,
	SEP_HINT,
	suspectDelimiter
} from './dialect';
import { FeedFailure } from './mapping';

/**
 * Reading files in fixed-size chunks: a run holds one chunk and one slice of records, never
 * the file. The cooperative run (an upload on the server) takes smaller chunks, so it can
 * pause more often for other requests.
 */
export const CHUNK_BYTES = 256 * 1024;
export const COOPERATIVE_CHUNK_BYTES = 64 * 1024;

export interface FileStats {
	bytes: number;
	sha256: string;
}

/** The chunks of a file, refusing it once it grows past `maxBytes`. */
export function* fileChunks(
	path: string,
	stats: FileStats,
	maxBytes = Infinity,
	chunkBytes = CHUNK_BYTES
): Generator<Buffer> {
	const fd = openSync(path, 'r');
	const hash = createHash('sha256');
	const buffer = Buffer.allocUnsafe(chunkBytes);
	try {
		// The file's size, also when the run stops before its end (a wrong header, too many
		// rejected rows): the run records what was delivered, not how far it got.
		stats.bytes = fstatSync(fd).size;
		if (stats.bytes > maxBytes) throw tooLarge(maxBytes);
		let read = 0;
		for (;;) {
			const n = readSync(fd, buffer, 0, chunkBytes, null);
			if (n === 0) break;
			read += n;
			if (read > maxBytes) throw tooLarge(maxBytes);
			if (read > stats.bytes) stats.bytes = read;
			const chunk = buffer.subarray(0, n);
			hash.update(chunk);
			yield chunk;
		}
		stats.sha256 = hash.digest('hex');
	} finally {
		closeSync(fd);
	}
}

export function tooLarge(maxBytes: number) {
	const megabytes = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }).format(
		maxBytes / 1024 / 1024
	);
	return new FeedFailure(
		{
			line: null,
			column: null,
			code: 'too_large',
			message: `Die Datei ist zu groß. Erlaubt sind höchstens ${megabytes} MB.`
		},
		`File exceeds the limit of ${maxBytes} bytes`
	);
}

const ENCODING_NAMES: Record<FeedEncoding, string> = {
	'utf-8': 'UTF-8',
	'windows-1252': 'Windows-1252',
	'iso-8859-1': 'ISO-8859-1'
};

/**
 * Decodes the chunks (a UTF-8 byte-order mark is dropped) and refuses text that shows the
 * file was written in another encoding than the definition names. With `bomMeansUtf8` a file
 * that starts with the UTF-8 byte-order mark is read as UTF-8 whatever the definition says:
 * GENESIS writes one, and the Data Package spec lets the file's mark decide.
 */
export function* decodedText(
	chunks: Iterable<Buffer>,
	declared: FeedEncoding,
	bomMeansUtf8 = false
): Generator<string> {
	let encoding = declared;
	let decoder: ReturnType<typeof iconv.getDecoder> | null = null;
	let lines = 0;
	const check = (text: string) => {
		const found = findMojibake(text, encoding);
		if (!found) return;
		const line = lines + countLines(text, 0, found.index) + 1;
		const other = encoding === 'utf-8' ? 'Windows-1252 oder ISO-8859-1' : 'UTF-8';
		throw new FeedFailure(
			{
				line,
				column: null,
				code: 'encoding',
				message: `Die Datei ist offenbar nicht in ${ENCODING_NAMES[encoding]} kodiert, sondern in ${other} (Zeile ${line}: „${found.sample}“). Bitte die Kodierung in der Definition oder beim Export anpassen.`
			},
			`File does not look like ${encoding} (${found.kind} at line ${line})`
		);
	};
	for (const chunk of chunks) {
		if (!decoder) {
			if (bomMeansUtf8 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
				encoding = 'utf-8';
			}
			decoder = iconv.getDecoder(encoding, { stripBOM: true });
		}
		const text = decoder.write(chunk);
		if (!text) continue;
		check(text);
		lines += countLines(text);
		yield text;
	}
	const rest = decoder?.end();
	if (rest) {
		check(rest);
		yield rest;
	}
}

/** Where a reader hands the file's header and rows. */
export interface RowSink {
	/** The file's column names; throws a FeedFailure when expected ones are missing. */
	header(columns: string[]): void;
	row(line: number, cells: unknown[]): void;
}

/** The run's sink: rows, and rows a reader decides on itself. */
export interface TableSink extends RowSink {
	/** A row the reader itself leaves out by the definition (a GENESIS breakdown not asked for). */
	skip(line: number): void;
	/** A row the reader itself refuses, with the reason. */
	reject(error: FeedRunError): void;
}

export interface CsvOptions {
	delimiter: string | 'auto';
	/** '' for a file without quoting (TSV): every delimiter and line break splits. */
	quote: string;
	header: boolean;
	columns?: string[];
	skipLines: number;
	/** Whitespace after a delimiter is dropped, so a quote may follow it (`a, "b"`). */
	trimStart?: boolean;
	/** Lines that start with this character are comments, before the header and after it. */
	commentChar?: string;
}

const DELIMITER_NAMES: Record<string, string> = {
	';': 'Semikolon',
	',': 'Komma',
	'\t': 'Tabulator',
	'|': 'senkrechter Strich'
};
const delimiterName = (c: string) => DELIMITER_NAMES[c] ?? `„${c}“`;

/**
 * Longest header line and longest record a delivery may have. A real export stays far below;
 * a file of one line with millions of columns is a wrong file, refused before it is parsed.
 */
export const MAX_HEADER_CHARS = 64 * 1024;
export const MAX_RECORD_CHARS = 1024 * 1024;

const germanCount = (n: number) => new Intl.NumberFormat('de-DE').format(n);

function lineTooLong(line: number, header: boolean): FeedFailure {
	const limit = header ? MAX_HEADER_CHARS : MAX_RECORD_CHARS;
	return new FeedFailure(
		{
			line,
			column: null,
			code: 'malformed',
			message: header
				? `Die Kopfzeile (Zeile ${line}) ist zu lang: erlaubt sind höchstens ${germanCount(limit)} Zeichen. Ist das die richtige Datei, und stimmt das Trennzeichen?`
				: `Zeile ${line} ist zu lang: erlaubt sind höchstens ${germanCount(limit)} Zeichen je Datensatz. Ist das die richtige Datei?`
		},
		`${header ? 'Header line' : 'Record'} at line ${line} exceeds ${limit} characters`
	);
}

/** A reader that is handed a file's decoded text piece by piece. */
export interface TextReader {
	write(text: string): void;
	end(): void;
}

/** Hands every piece of text to the reader, then ends it. */
export function readAll(texts: Iterable<string>, reader: TextReader): void {
	for (const text of texts) reader.write(text);
	reader.end();
}

/**
 * Reads a CSV file record by record with csv-parse, in slices cut at record boundaries, so
 * memory holds one slice and never the file. Line numbers are the file's, counted from 1.
 * The text is pushed in (`write`), so the caller decides when to pause between pieces.
 */
export function csvReader(options: CsvOptions, sink: RowSink): TextReader {
	let pending = '';
	let line = 0; // lines consumed so far
	let delimiter = options.delimiter;
	let inPreamble = true;
	const quote = options.quote;
	const comment = options.commentChar ?? '';
	let parseOptions: {
		delimiter: string;
		quote: string;
		relax_column_count: true;
		skip_empty_lines: true;
		ltrim: boolean;
		comment?: string;
		comment_no_infix?: boolean;
	};
	const isComment = (text: string) => comment !== '' && text.startsWith(comment);

	const takeLine = (): string | null => {
		const end = pending.indexOf('\n');
		if (end < 0 && !pending) return null;
		const text = (end < 0 ? pending : pending.slice(0, end)).replace(/\r$/, '');
		pending = end < 0 ? '' : pending.slice(end + 1);
		line++;
		return text;
	};

	/** The line being written has grown past what any record may hold. */
	const checkOpenLine = (header: boolean) => {
		const open = pending.length - (pending.lastIndexOf('\n') + 1);
		if (open > (header ? MAX_HEADER_CHARS : MAX_RECORD_CHARS)) {
			throw lineTooLong(line + countLines(pending) + 1, header);
		}
	};

	// Waits for the "sep=" hint, the title lines and enough records to judge the delimiter by.
	const preambleReady = () => countLines(pending) >= 1 + options.skipLines + 21;

	const preamble = () => {
		// Excel writes a "sep=;" line first when asked to; it names the delimiter.
		const hint = SEP_HINT.exec(pending);
		if (hint) {
			if (delimiter === 'auto') delimiter = hint[1]!;
			takeLine();
		}
		for (let i = 0; i < options.skipLines; i++) takeLine();
		while (isComment(pending)) takeLine();
		const headerEnd = pending.indexOf('\n');
		if ((headerEnd < 0 ? pending.length : headerEnd) > MAX_HEADER_CHARS) {
			throw lineTooLong(line + 1, true);
		}
		const sampleLines = sampleRecords(pending, quote, 21).filter((l) => !isComment(l));
		if (delimiter === 'auto') {
			const detected = detectDelimiter(sampleLines, quote);
			if (!detected) {
				throw new FeedFailure(
					{
						line: line + 1,
						column: null,
						code: 'delimiter',
						message:
							'Das Trennzeichen der Spalten ist nicht zu erkennen (erwartet: Semikolon, Komma, Tabulator oder senkrechter Strich, in jeder Zeile gleich oft).'
					},
					'Could not detect the delimiter'
				);
			}
			delimiter = detected;
		} else {
			const other = suspectDelimiter(sampleLines[0] ?? '', delimiter, quote);
			if (other) {
				throw new FeedFailure(
					{
						line: line + 1,
						column: null,
						code: 'delimiter',
						message: `Die Spalten sind mit ${delimiterName(other)} getrennt, die Definition erwartet ${delimiterName(delimiter)}.`
					},
					`Expected delimiter ${JSON.stringify(delimiter)}, the file uses ${JSON.stringify(other)}`
				);
			}
		}
		parseOptions = {
			delimiter,
			quote,
			relax_column_count: true,
			skip_empty_lines: true,
			ltrim: options.trimStart ?? false,
			...(comment ? { comment, comment_no_infix: true } : {})
		};
		if (options.header) {
			const headerLine = takeLine();
			const header =
				headerLine === null
					? []
					: quote
						? ((parseCsv(headerLine, parseOptions)[0] ?? []) as string[])
						: headerLine.split(delimiter);
			sink.header(header.map((c) => c.trim()));
		} else {
			sink.header(options.columns ?? []);
		}
	};

	const records = (final: boolean) => {
		const cut = final
			? pending.length
			: quote
				? lastRecordBoundary(pending, quote, 0)
				: pending.lastIndexOf('\n') + 1 || -1;
		if (cut <= 0) {
			if (!final) checkOpenLine(false);
			return;
		}
		const slice = pending.slice(0, cut);
		pending = pending.slice(cut);
		if (!final) checkOpenLine(false);
		const offset = line;
		try {
			if (quote && slice.includes(quote)) {
				// A quoted cell may hold line breaks: csv-parse tells the line a record ends on.
				parseCsv(slice, {
					...parseOptions,
					on_record: (record: string[], context: { lines: number }) => {
						sink.row(offset + context.lines, record);
						return null;
					}
				});
			} else {
				// Without a quote character every line is a record and every delimiter splits:
				// plain splitting gives what csv-parse would, at a quarter of the time (measured
				// with `npm run bench`), which is most of an import's reading cost.
				let start = 0;
				for (let i = 1; start < slice.length; i++) {
					let end = slice.indexOf('\n', start);
					if (end < 0) end = slice.length;
					const text =
						slice.charCodeAt(end - 1) === 13
							? slice.slice(start, end - 1)
							: slice.slice(start, end);
					start = end + 1;
					if (text && !isComment(text)) sink.row(offset + i, text.split(delimiter));
				}
			}
		} catch (error) {
			if (error instanceof FeedFailure) throw error;
			throw malformed(offset, error);
		}
		line += countLines(slice);
	};

	const pump = (final: boolean) => {
		if (inPreamble) {
			if (!final && !preambleReady()) {
				checkOpenLine(countLines(pending) <= 1 + options.skipLines);
				return;
			}
			preamble();
			inPreamble = false;
		}
		records(final);
	};

	return {
		write(text) {
			pending += text;
			pump(false);
		},
		end() {
			pump(true);
		}
	};
}

/** Reads a whole CSV text (all pieces at once); see `csvReader`. */
export function readCsv(texts: Iterable<string>, options: CsvOptions, sink: RowSink): void {
	readAll(texts, csvReader(options, sink));
}

function malformed(offset: number, error: unknown) {
	const lines = (error as { lines?: number }).lines;
	const at = lines ? offset + lines : null;
	return new FeedFailure(
		{
			line: at,
			column: null,
			code: 'malformed',
			message: `Die Datei ist kein lesbares CSV${at ? ` (ab Zeile ${at})` : ''}: ein Anführungszeichen ist nicht geschlossen oder steht mitten im Feld.`
		},
		`CSV parse error: ${(error as Error).message}`
	);
}

/**
 * Reads JSON records: one array of objects (at the top or under `path`) with a streaming
 * parser that keeps no more than the record at hand, or JSON Lines. The "line" of a record in
 * an array is its position (1 = first record).
 */
export function jsonReader(
	records: 'array' | 'lines',
	path: string | undefined,
	sink: RowSink
): TextReader {
	let count = 0;
	let header: string[] | null = null;
	const take = (value: unknown, line: number) => {
		count++;
		if (!value || typeof value !== 'object' || Array.isArray(value)) {
			throw new FeedFailure(
				{
					line,
					column: null,
					code: 'malformed',
					message: `Datensatz ${count} ist kein JSON-Objekt mit Feldern.`
				},
				`Record ${count} is not an object`
			);
		}
		const record = value as Record<string, unknown>;
		if (!header) {
			header = Object.keys(record);
			sink.header(header);
		}
		sink.row(
			line,
			header.map((key) => record[key])
		);
	};
	const invalid = (error: unknown) =>
		new FeedFailure(
			{
				line: null,
				column: null,
				code: 'malformed',
				message: `Die Datei ist kein gültiges JSON: ${(error as Error).message}`
			},
			`JSON parse error: ${(error as Error).message}`
		);

	if (records === 'lines') {
		let pending = '';
		let line = 0;
		const handle = (text: string) => {
			line++;
			if (!text.trim()) return;
			let value: unknown;
			try {
				value = JSON.parse(text);
			} catch (error) {
				throw new FeedFailure(
					{
						line,
						column: null,
						code: 'malformed',
						message: `Zeile ${line} ist kein gültiges JSON.`
					},
					`JSON Lines parse error at line ${line}: ${(error as Error).message}`
				);
			}
			take(value, line);
		};
		return {
			write(text) {
				pending += text;
				let end: number;
				while ((end = pending.indexOf('\n')) >= 0) {
					handle(pending.slice(0, end));
					pending = pending.slice(end + 1);
				}
				if (pending.length > MAX_RECORD_CHARS) throw lineTooLong(line + 1, false);
			},
			end() {
				if (pending) handle(pending);
			}
		};
	}

	const parser = new JSONParser({
		paths: [path ? `$.${path}.*` : '$.*'],
		keepStack: false
	});
	let failure: unknown = null;
	let found = false;
	parser.onValue = ({ value }) => {
		found = true;
		if (failure) return;
		try {
			take(value, count + 1);
		} catch (error) {
			failure = error;
		}
	};
	const guarded = (step: () => void) => {
		try {
			step();
		} catch (error) {
			if (error instanceof FeedFailure) throw error;
			throw invalid(error);
		}
		if (failure) throw failure;
	};
	return {
		write(text) {
			guarded(() => parser.write(text));
		},
		end() {
			guarded(() => {
				if (!parser.isEnded) parser.end();
			});
			if (!found) {
				throw new FeedFailure(
					{
						line: null,
						column: null,
						code: 'columns',
						message: path
							? `Die Datei enthält kein Feld „${path}“ mit einer Liste von Datensätzen.`
							: 'Die Datei enthält keine Liste von Datensätzen.'
					},
					`No records found${path ? ` under ${path}` : ''}`
				);
			}
		}
	};
}

/** Reads a whole JSON text (all pieces at once); see `jsonReader`. */
export function readJson(
	texts: Iterable<string>,
	records: 'array' | 'lines',
	path: string | undefined,
	sink: RowSink
): void {
	readAll(texts, jsonReader(records, path, sink));
}
