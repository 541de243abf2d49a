import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
	detectDelimiter,
	findMojibake,
	lastRecordBoundary,
	numberReader,
	suspectDelimiter
} from '#server/feeds/dialect';
import { KeySet } from '#server/feeds/key-set';
import { readPeriod } from '#server/feeds/periods';
import { csvReader, decodedText, jsonReader, readCsv, readJson } from '#server/feeds/readers';
import { FeedFailure } from '#server/feeds/mapping';
import { FeedDefinitionV1 } from '#shared/feeds';

describe('German and other numbers', () => {
	const german = numberReader({ decimal: ',', thousands: '.' });
	const plain = numberReader({ decimal: '.', thousands: '' });
	const spaced = numberReader({ decimal: ',', thousands: ' ' });

	it.each([
		['1.234.567,89', 1234567.89],
		['1234567,89', 1234567.89],
		['-12,5', -12.5],
		['+3', 3],
		['0,5', 0.5],
		[',5', 0.5],
		['  42 ', 42]
	])('decimal comma, thousands dot: %s', (text, value) => expect(german(text)).toBe(value));

	it.each(['12.34', '1.23.456', '1,2,3', '12a', '', '1e5', '--1', '1.234,5,6'])(
		'refuses %j in a decimal-comma file',
		(text) => expect(german(text)).toBeNull()
	);

	it('reads points as decimals without grouping, and spaces (also no-break) as groups', () => {
		expect(plain('1234.5')).toBe(1234.5);
		expect(plain('1,234')).toBeNull();
		expect(spaced('1 234 567,5')).toBe(1234567.5);
		expect(spaced('1\u00a0234')).toBe(1234);
	});
});

describe('delimiters', () => {
	it('detects the one that splits every line equally, quotes respected', () => {
		expect(detectDelimiter(['a;b;c', '1;2;3'])).toBe(';');
		expect(detectDelimiter(['a,b,c', '"x,y",2,3'])).toBe(',');
		expect(detectDelimiter(['a\tb', '1,5\t2'])).toBe('\t');
		expect(detectDelimiter(['Datum;Wert', '1.1.2026;1,5'])).toBe(';');
		expect(detectDelimiter(['nur eine Spalte', 'noch eine'])).toBeNull();
	});

	it('suspects another delimiter when the configured one is absent from the header', () => {
		expect(suspectDelimiter('Stichtag,Anzahl', ';')).toBe(',');
		expect(suspectDelimiter('Stichtag;Anzahl', ';')).toBeNull();
		expect(suspectDelimiter('Einzige', ';')).toBeNull();
	});
});

describe('encodings', () => {
	it('finds UTF-8 read as Windows-1252 and Windows-1252 read as UTF-8', () => {
		const utf8 = Buffer.from('Stadtbezirk;Südstadt\n', 'utf8');
		expect(findMojibake(iconv.decode(utf8, 'windows-1252'), 'windows-1252')).toMatchObject({
			kind: 'utf8-as-single-byte',
			sample: 'Ã¼'
		});
		const cp1252 = iconv.encode('Stadtbezirk;Südstadt\n', 'windows-1252');
		expect(findMojibake(iconv.decode(cp1252, 'utf-8'), 'utf-8')).toMatchObject({
			kind: 'invalid-utf8'
		});
		expect(findMojibake('Straße;Größe;€', 'windows-1252')).toBeNull();
		expect(findMojibake('Straße;Größe;€', 'utf-8')).toBeNull();
	});

	it.each(['utf-8', 'windows-1252', 'iso-8859-1'] as const)(
		'decodes %s, a UTF-8 byte-order mark dropped, across chunk borders',
		(encoding) => {
			const text = 'Straße;Müller;Ökonomie\n';
			const bytes = Buffer.concat([
				encoding === 'utf-8' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
				iconv.encode(text, encoding)
			]);
			// Split inside the two-byte "ß" of UTF-8.
			const chunks = [bytes.subarray(0, 8), bytes.subarray(8)];
			expect([...decodedText(chunks, encoding)].join('')).toBe(text);
		}
	);

	it('names the line of the first mojibake', () => {
		const bytes = Buffer.from('a;b\nx;y\nSüd;1\n', 'utf8');
		expect(() => [...decodedText([bytes], 'windows-1252')]).toThrow(
			expect.objectContaining({ error: expect.objectContaining({ code: 'encoding', line: 3 }) })
		);
	});
});

describe('periods', () => {
	it.each([
		['2026', 'YYYY', 'yearly', '2026'],
		['2026-03', 'YYYY-MM', 'monthly', '2026-03'],
		['3.2026', 'MM.YYYY', 'monthly', '2026-03'],
		['2026-03-31', 'YYYY-MM-DD', 'daily', '2026-03-31'],
		['31.03.2026', 'DD.MM.YYYY', 'monthly', '2026-03'],
		['31.12.2025', 'DD.MM.YYYY', 'yearly', '2025'],
		['31.12.2025', 'DD.MM.YYYY', 'weekly', '2026-W01'],
		['30.09.2026', 'DD.MM.YYYY', 'quarterly', '2026-Q3'],
		['2026-W05', 'YYYY-Www', 'weekly', '2026-W05'],
		['KW 5/2026', 'KW ww/YYYY', 'weekly', '2026-W05'],
		['2020-W53', 'YYYY-Www', 'weekly', '2020-W53'],
		['2026-Q2', 'YYYY-Qq', 'quarterly', '2026-Q2'],
		['29.02.2024', 'DD.MM.YYYY', 'daily', '2024-02-29']
	] as const)('%s as %s for a %s KPI is %s', (text, format, cadence, period) => {
		expect(readPeriod(text, format, cadence)).toEqual({ period });
	});

	it.each([
		['31.02.2026', 'DD.MM.YYYY', 'daily', 'Den Zeitraum „31.02.2026“ gibt es nicht.'],
		['29.02.2025', 'DD.MM.YYYY', 'daily', 'Den Zeitraum „29.02.2025“ gibt es nicht.'],
		['2026-13', 'YYYY-MM', 'monthly', 'Den Zeitraum „2026-13“ gibt es nicht.'],
		['2025-W53', 'YYYY-Www', 'weekly', 'Das Jahr 2025 hat keine Kalenderwoche 53.'],
		['0999', 'YYYY', 'yearly', 'Den Zeitraum „0999“ gibt es nicht.'],
		[
			'2026-03',
			'YYYY-MM',
			'yearly',
			'„2026-03“ passt nicht zur Kennzahl: sie hat jährliche Werte.'
		],
		[
			'03/2026',
			'MM.YYYY',
			'monthly',
			'„03/2026“ ist kein Zeitraum im Format MM.YYYY (z. B. 03.2026).'
		]
	] as const)('refuses %s (%s, %s)', (text, format, cadence, error) => {
		expect(readPeriod(text, format, cadence)).toEqual({ error });
	});
});

describe('reading CSV in slices', () => {
	function rows(text: string, options: Partial<Parameters<typeof readCsv>[1]> = {}, chunk = 7) {
		const chunks: string[] = [];
		for (let i = 0; i < text.length; i += chunk) chunks.push(text.slice(i, i + chunk));
		const seen: { header?: string[]; rows: [number, unknown[]][] } = { rows: [] };
		readCsv(
			chunks,
			{ delimiter: 'auto', quote: '"', header: true, skipLines: 0, ...options },
			{
				header: (h) => (seen.header = h),
				row: (line, cells) => seen.rows.push([line, cells])
			}
		);
		return seen;
	}

	it('keeps file line numbers across slices (a multi-line cell: its last line), and CRLF', () => {
		const seen = rows('Titel\r\nA;B\r\n1;"zwei\nZeilen"\r\n3;"x;y"\r\n\r\n5;6', { skipLines: 1 });
		expect(seen.header).toEqual(['A', 'B']);
		expect(seen.rows).toEqual([
			[4, ['1', 'zwei\nZeilen']],
			[5, ['3', 'x;y']],
			[7, ['5', '6']]
		]);
	});

	it('takes the delimiter from an Excel "sep=" line', () => {
		expect(rows('sep=,\nA,B\n1,2\n').rows).toEqual([[3, ['1', '2']]]);
	});

	it('names columns of a file without header from the definition', () => {
		const seen = rows('1;2\n3;4\n', { header: false, columns: ['x', 'y'], delimiter: ';' });
		expect(seen.header).toEqual(['x', 'y']);
		expect(seen.rows.map(([line]) => line)).toEqual([1, 2]);
	});

	it('refuses an unclosed quote with the line it starts in', () => {
		expect(() => rows('A;B\n1;2\n3;"offen\n4;5\n')).toThrow(
			expect.objectContaining({ error: expect.objectContaining({ code: 'malformed' }) })
		);
	});

	it('refuses a header line of a million columns before parsing it, in German', () => {
		const header = Array.from({ length: 200_000 }, (_, i) => `c${i}`).join(';');
		let headerSeen = false;
		const reader = csvReader(
			{ delimiter: ';', quote: '"', header: true, skipLines: 0 },
			{ header: () => (headerSeen = true), row: () => {} }
		);
		const failure = catching(() => {
			for (let i = 0; i < header.length; i += 65_536) reader.write(header.slice(i, i + 65_536));
			reader.write('\n1;2\n');
			reader.end();
		});
		expect(failure.error).toMatchObject({ line: 1, code: 'malformed' });
		expect(failure.error.message).toBe(
			'Die Kopfzeile (Zeile 1) ist zu lang: erlaubt sind höchstens 65.536 Zeichen. Ist das die richtige Datei, und stimmt das Trennzeichen?'
		);
		expect(headerSeen).toBe(false);
	});

	it('refuses a record longer than a mebibyte as soon as it passes the limit', () => {
		const rowsSeen: number[] = [];
		const reader = csvReader(
			{ delimiter: ';', quote: '"', header: true, skipLines: 0 },
			{ header: () => {}, row: (line) => rowsSeen.push(line) }
		);
		const lines = ['A;B', ...Array.from({ length: 30 }, (_, i) => `${i};x`)].join('\n') + '\n';
		reader.write(lines);
		const failure = catching(() => {
			// One endless line, delivered in pieces: refused while it grows, not at the end.
			for (let i = 0; i < 40; i++) reader.write('y'.repeat(64 * 1024));
		});
		expect(failure.error.message).toBe(
			'Zeile 32 ist zu lang: erlaubt sind höchstens 1.048.576 Zeichen je Datensatz. Ist das die richtige Datei?'
		);
		expect(rowsSeen).toHaveLength(30);
	});

	it('refuses an endless JSON line the same way', () => {
		const reader = jsonReader('lines', undefined, { header: () => {}, row: () => {} });
		reader.write('{"a":1}\n');
		const failure = catching(() => reader.write(`{"a":"${'z'.repeat(1_100_000)}`));
		expect(failure.error).toMatchObject({ line: 2, code: 'malformed' });
	});

	it('cuts only at line breaks outside quotes', () => {
		expect(lastRecordBoundary('a;"b\nc"\nd;"e\nf', '"', 0)).toBe(8);
		expect(lastRecordBoundary('a;"b\nc', '"', 0)).toBe(-1);
	});
});

describe('reading JSON', () => {
	function records(text: string, kind: 'array' | 'lines', path?: string) {
		const seen: { header?: string[]; rows: [number, unknown[]][] } = { rows: [] };
		readJson([text.slice(0, 10), text.slice(10)], kind, path, {
			header: (h) => (seen.header = h),
			row: (line, cells) => seen.rows.push([line, cells])
		});
		return seen;
	}

	it('streams an array under a property, record by record', () => {
		const seen = records(
			'{"stand":"x","daten":[{"d":"2026-01-01","v":1.5},{"d":"2026-01-02","v":null}]}',
			'array',
			'daten'
		);
		expect(seen.header).toEqual(['d', 'v']);
		expect(seen.rows).toEqual([
			[1, ['2026-01-01', 1.5]],
			[2, ['2026-01-02', null]]
		]);
	});

	it('reads JSON Lines with their line numbers', () => {
		expect(records('{"a":1}\n\n{"a":2}\n', 'lines').rows).toEqual([
			[1, [1]],
			[3, [2]]
		]);
	});

	it('refuses broken JSON and records that are not objects', () => {
		expect(() => records('[{"a":1},', 'array')).toThrow(
			expect.objectContaining({ error: expect.objectContaining({ code: 'malformed' }) })
		);
		expect(() => records('[1,2]', 'array')).toThrow(/not an object/);
	});
});

describe('the duplicate check', () => {
	it('remembers a million keys and the line each was first seen on', () => {
		const keys = new KeySet();
		for (let i = 0; i < 1_000_000; i++)
			expect(keys.add(i + 2, 'kpi', String(i), '') === null).toBe(true);
		expect(keys.size).toBe(1_000_000);
		expect(keys.add(9, 'kpi', '123456', '')).toBe(123458);
		// The parts are kept apart: ("ab", "c") is not ("a", "bc").
		expect(keys.add(1, 'ab', 'c', '')).toBeNull();
		expect(keys.add(2, 'a', 'bc', '')).toBeNull();
	});
});

describe('the definition format', () => {
	it('fills defaults and refuses contradictions with German messages', () => {
		const base = {
			id: 'x-feed',
			title: 'X',
			owner: { department: 'Amt', contact: 'Frau X' },
			mapping: {
				period: { column: 'Jahr', format: 'YYYY' },
				values: [{ column: 'Wert', kpi: { fixed: 'k' } }]
			},
			cadence: 'yearly'
		};
		const ok = FeedDefinitionV1.parse({ ...base, source: { format: 'csv', dialect: {} } });
		expect(ok.source).toEqual({
			format: 'csv',
			dialect: {
				delimiter: 'auto',
				quote: '"',
				encoding: 'utf-8',
				decimal: '.',
				thousands: '',
				header: true,
				skipLines: 0
			}
		});
		expect(ok.markers).toEqual({ missing: ['-', ''], suppressed: ['.', 'x'] });
		const clash = FeedDefinitionV1.safeParse({
			...base,
			source: { format: 'csv', dialect: { decimal: ',', thousands: ',' } }
		});
		expect(clash.error?.issues[0]?.message).toBe(
			'Tausender- und Dezimaltrennzeichen dürfen nicht gleich sein.'
		);
		const noHeader = FeedDefinitionV1.safeParse({
			...base,
			source: { format: 'csv', dialect: { header: false } }
		});
		expect(noHeader.error?.issues[0]?.message).toBe(
			'Ohne Kopfzeile müssen die Spaltennamen angegeben sein (dialect.columns).'
		);
	});
});

function catching(run: () => void): FeedFailure {
	try {
		run();
	} catch (error) {
		if (error instanceof FeedFailure) return error;
		throw error;
	}
	throw new Error('expected a FeedFailure');
}
