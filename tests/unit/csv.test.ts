import { describe, expect, test } from 'vitest';
import type { KpiSnapshot } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { breakdownCsv, csvFileName, seriesCsv, toExcelCsv } from '../../src/lib/kpis/csv';

const BOM = '\uFEFF';

/** The cells as Excel would read them back (for tests without quoting only). */
const lines = (csv: string) => csv.slice(1).split('\r\n');

const einwohner: KpiDefinition = {
	id: 'bev.einwohner',
	areaId: 'bevoelkerung',
	title: 'Einwohner (Hauptwohnsitz)',
	shortTitle: 'Einwohner',
	description: '',
	method: '',
	unit: 'Personen',
	numberFormat: 'integer',
	decimals: 0,
	direction: 'neutral',
	target: null,
	thresholds: null,
	cadence: 'monthly',
	graceDays: 10,
	dimensions: ['district'],
	source: { kind: 'feed', name: 'Melderegister' },
	owner: { department: 'Bürgeramt', contact: 'Statistikstelle' },
	visibility: 'public',
	disclosureMinCount: 3,
	tags: [],
	sortOrder: 10,
	formula: { kind: 'stock' },
	view: { kind: 'line' },
	comparison: { kind: 'previous_period' }
};

describe('toExcelCsv', () => {
	test('starts with a byte-order mark, separates with ; and ends lines with CRLF', () => {
		expect(
			toExcelCsv([
				['a', 'b'],
				['c', 'd']
			])
		).toBe(`${BOM}a;b\r\nc;d`);
	});

	test('numbers with decimal comma, no thousands separator and a plain minus', () => {
		expect(toExcelCsv([[1234567.5, -3.5, 0, 0.1 + 0.2]], { decimals: 2 })).toBe(
			`${BOM}1234567,5;-3,5;0;0,3`
		);
		expect(toExcelCsv([[87.456]], { decimals: 1 })).toBe(`${BOM}87,5`);
		expect(toExcelCsv([[87.456, 12]])).toBe(`${BOM}87,456;12`);
	});

	test('a negative number that rounds to zero is 0, not -0', () => {
		expect(toExcelCsv([[-0.04, -0]], { decimals: 1 })).toBe(`${BOM}0;0`);
	});

	test('null and non-finite numbers are empty cells', () => {
		expect(toExcelCsv([[null, 'x', null, Number.NaN, Infinity]])).toBe(`${BOM};x;;;`);
	});

	test('quotes text with ; " CR or LF, doubling the quotes', () => {
		expect(toExcelCsv([['a;b', 'sagt "hallo"', 'zwei\r\nZeilen', 'nur\nLF', 'ohne']])).toBe(
			`${BOM}"a;b";"sagt ""hallo""";"zwei\r\nZeilen";"nur\nLF";ohne`
		);
	});

	test('neutralises text that Excel would run as a formula, never a number', () => {
		expect(toExcelCsv([['=SUM(1)', '-Test', '+49 621', '@A1', '\tx', -3.5]])).toBe(
			`${BOM}'=SUM(1);'-Test;'+49 621;'@A1;'\tx;-3,5`
		);
		expect(toExcelCsv([['=SUM(1;2)']])).toBe(`${BOM}"'=SUM(1;2)"`);
		expect(toExcelCsv([['\rx']])).toBe(`${BOM}"'\rx"`);
		expect(toExcelCsv([['a=b', 'x-1']])).toBe(`${BOM}a=b;x-1`);
	});

	test('umlauts and ß survive unchanged', () => {
		expect(toExcelCsv([['Größe', 'Übergänge', 'Straße']])).toBe(`${BOM}Größe;Übergänge;Straße`);
	});

	test('no rows is just the byte-order mark', () => {
		expect(toExcelCsv([])).toBe(BOM);
	});
});

describe('seriesCsv', () => {
	test('one row per period, oldest first, with German dates and the unit', () => {
		const csv = seriesCsv(einwohner, [
			{ period: '2026-11', value: 101234 },
			{ period: '2026-09', value: 100987.4 },
			{ period: '2026-10', value: null }
		]);
		expect(csv.startsWith(BOM)).toBe(true);
		expect(lines(csv)).toEqual([
			'Kennzahl;Zeitraum;Beginn;Ende;Wert;Einheit',
			'Einwohner (Hauptwohnsitz);September 2026;01.09.2026;30.09.2026;100987;Personen',
			'Einwohner (Hauptwohnsitz);Oktober 2026;01.10.2026;31.10.2026;;Personen',
			'Einwohner (Hauptwohnsitz);November 2026;01.11.2026;30.11.2026;101234;Personen'
		]);
	});

	test('weeks, quarters and days, rounded to the KPI decimals', () => {
		const quote = { ...einwohner, title: 'Quote', unit: '%', decimals: 1 };
		expect(lines(seriesCsv(quote, [{ period: '2026-W53', value: 12.345 }]))[1]).toBe(
			'Quote;KW 53/2026;28.12.2026;03.01.2027;12,3;%'
		);
		expect(lines(seriesCsv(quote, [{ period: '2026-Q4', value: -1.25 }]))[1]).toBe(
			'Quote;4. Quartal 2026;01.10.2026;31.12.2026;-1,3;%'
		);
		expect(lines(seriesCsv(quote, [{ period: '2026-11-21', value: 0 }]))[1]).toBe(
			'Quote;21.11.2026;21.11.2026;21.11.2026;0;%'
		);
	});

	test('an empty series is just the header', () => {
		expect(seriesCsv(einwohner, [])).toBe(`${BOM}Kennzahl;Zeitraum;Beginn;Ende;Wert;Einheit`);
	});
});

describe('breakdownCsv', () => {
	const snapshot = {
		asOf: '2026-11-21',
		breakdown: [
			{ key: 'd01', label: 'Innenstadt', value: 12345, asOf: null },
			{ key: 'd02', label: 'Süd; West', value: null, asOf: '2026-11-20' },
			{ key: 'd03', label: '=Nord', value: 7, asOf: '2026-11-19T08:00:00Z' }
		]
	} as KpiSnapshot;

	test('header with the dimension title, the date of each row, quoting and neutralising', () => {
		expect(lines(breakdownCsv(einwohner, snapshot, 'Ortsbezirk'))).toEqual([
			'Kennzahl;Ortsbezirk;Stand;Wert;Einheit',
			'Einwohner (Hauptwohnsitz);Innenstadt;21.11.2026;12345;Personen',
			'Einwohner (Hauptwohnsitz);"Süd; West";20.11.2026;;Personen',
			"Einwohner (Hauptwohnsitz);'=Nord;19.11.2026;7;Personen"
		]);
	});

	test('no date at all leaves the cell empty', () => {
		const noDate = {
			...snapshot,
			asOf: null,
			breakdown: [{ key: 'x', label: 'X', value: 1, asOf: null }]
		};
		expect(lines(breakdownCsv(einwohner, noDate, 'Ortsbezirk'))[1]).toBe(
			'Einwohner (Hauptwohnsitz);X;;1;Personen'
		);
	});
});

describe('csvFileName', () => {
	const today = new Date(2026, 10, 22, 23, 30);

	test('KPI id, part and the local date', () => {
		expect(csvFileName(einwohner, 'verlauf', today)).toBe(
			'klar_bev.einwohner_verlauf_2026-11-22.csv'
		);
	});

	test('a part with umlauts, spaces or slashes becomes a safe file name', () => {
		expect(csvFileName(einwohner, 'Ortsbezirk / Größe', today)).toBe(
			'klar_bev.einwohner_ortsbezirk-groesse_2026-11-22.csv'
		);
		expect(csvFileName(einwohner, '', today)).toBe('klar_bev.einwohner_daten_2026-11-22.csv');
	});
});
