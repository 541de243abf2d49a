import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { loadDefinitionFile, parseDefinition, registerFeed } from '#server/feeds/definitions';
import { runFeed, type RunOptions } from '#server/feeds/runner';
import { applyCatalogue } from '#server/kpis/catalogue-admin';
import { demoCatalogue } from '#server/db/demo/catalogue';
import type { FeedDefinition } from '#shared/feeds';
import { genesisZip } from '../support/zip';
import {
	copyDatabase,
	count,
	openSeededDatabase,
	removeTempDirs,
	SEED_NOW,
	tempDir,
	TEST_CLOCK
} from './helpers';

const FIXTURES = 'tests/fixtures/feeds';
const fixture = (name: string) => join(FIXTURES, name);
const IMPORT: RunOptions = { mode: 'import', origin: 'cli', userId: null, clock: TEST_CLOCK };

const BEVOELKERUNG_CSV = fixture('genesis/12411-01-01-4_1764000000000_de_flat.csv');
const MIETINDEX_CSV = fixture('genesis/61111-0021_1764000000001_de_flat.csv');
const GEMEINDEN_ZIP = fixture('genesis/11111-02-01-4_1744312684828_de_flat.zip');

/**
 * Per-Kreis figures of the Regionaldatenbank need KPIs the demo city does not have: they are
 * added through the catalogue, with a dimension of source `open` (AGS codes as members).
 */
function regionalCatalogue() {
	const template = demoCatalogue().kpis.find((k) => k.id === 'fin.pro_kopf_verschuldung')!;
	const kpi = (id: string, title: string, cadence: 'yearly' | 'monthly', dimensions: string[]) => ({
		...template,
		id,
		title,
		shortTitle: title.slice(0, 40),
		areaId: 'bevoelkerung',
		cadence,
		dimensions,
		thresholds: null,
		numberFormat: 'decimal' as const,
		decimals: 1,
		source: { kind: 'feed' as const, name: 'Regionaldatenbank Deutschland' }
	});
	return {
		format: 'klar-catalogue',
		version: 1,
		dimensions: [{ id: 'kreis', title: 'Kreis (AGS)', source: 'open', members: [] }],
		kpis: [
			kpi('reg.bevoelkerung', 'Bevölkerung nach Kreisen', 'yearly', ['kreis']),
			kpi('reg.gemeinden', 'Zahl der Gemeinden nach Kreisen', 'yearly', ['kreis']),
			kpi('reg.mietindex', 'Index der Nettokaltmieten Rheinland-Pfalz', 'monthly', [])
		]
	};
}

let seeded: KlarDatabase;
beforeAll(async () => {
	seeded = (await openSeededDatabase()).db;
	const report = applyCatalogue(seeded, regionalCatalogue(), { userId: null, now: SEED_NOW });
	if (!report.ok) throw new Error(JSON.stringify(report.problems));
});
afterAll(removeTempDirs);

function withFeed(definition: FeedDefinition) {
	const db = copyDatabase(seeded);
	registerFeed(db, definition, null, SEED_NOW);
	return db;
}

const value = (db: KlarDatabase, kpiId: string, period: string, dimensionKey = '') =>
	(
		db.$client
			.prepare(
				'SELECT value FROM observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
			)
			.get(kpiId, period, dimensionKey) as { value: number | null } | undefined
	)?.value;

const observationCount = (db: KlarDatabase, kpiId: string) =>
	count(db, 'observations', `kpi_id = '${kpiId}'`);

describe('a Data Package as publishers ship it', () => {
	it('reads the TSV resource named among several, with its Table Schema given as a path', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-einwohner.feed.json'));
		// The schema file was read when the definition was loaded: what is stored is complete.
		expect(definition.source).toMatchObject({
			format: 'datapackage',
			descriptor: {
				resources: [
					{ name: 'beschreibung' },
					{
						name: 'einwohner-stadtteile',
						schema: {
							fields: expect.arrayContaining([
								{
									name: 'stichtag',
									type: 'date',
									format: '%d.%m.%Y',
									constraints: { required: true }
								}
							])
						}
					},
					{ name: 'sgb2-bedarfsgemeinschaften' }
				]
			}
		});
		const db = withFeed(definition);
		const report = runFeed(
			db,
			definition,
			{ path: fixture('sozialdaten/tabellen/einwohner-stadtteile.tsv') },
			IMPORT
		);
		expect(report.errors).toEqual([]);
		expect(report).toMatchObject({
			status: 'succeeded',
			rowsRead: 4,
			rowsAccepted: 3,
			rowsSkipped: 1, // the city total "99"
			rowsRejected: 0
		});
		// The Stichtag 31.10.2026 (`%d.%m.%Y` in the schema) fills October of the monthly KPI.
		expect(value(db, 'bev.einwohner', '2026-10', 'district=innenstadt-ost')).toBe(6498);
		expect(value(db, 'bev.einwohner', '2026-10', 'district=innenstadt-suedwest')).toBe(5099);
		// A quote in a TSV cell is text: the line is read, not refused as a broken quote.
		expect(value(db, 'bev.einwohner', '2026-10', 'district=innenstadt-sued')).toBe(7811);
	});

	it('reads a Windows-1252 CSV resource with a dialect file, comments and German numbers', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-sgb2.feed.json'));
		expect(definition.source).toMatchObject({
			descriptor: { resources: [{}, {}, { dialect: { delimiter: ';', commentChar: '#' } }] }
		});
		const db = withFeed(definition);
		const report = runFeed(
			db,
			definition,
			{ path: fixture('sozialdaten/tabellen/sgb2-2026-10.csv') },
			IMPORT
		);
		expect(report.errors).toEqual([]);
		// Two comment lines are no rows; "1.234.567,89 €" meets the number field (bareNumber false).
		expect(report).toMatchObject({ status: 'succeeded', rowsRead: 3, rowsAccepted: 3 });
		expect(value(db, 'soz.sgb2_bedarfsgemeinschaften', '2026-10', 'district=innenstadt-ost')).toBe(
			1204
		);
		expect(value(db, 'soz.sgb2_bedarfsgemeinschaften', '2026-10', 'district=innenstadt-sued')).toBe(
			987
		);
		// "." is a missing value of the schema, but the definition's markers call it suppressed.
		expect(report.valuesSuppressed).toBe(1);
		expect(
			value(db, 'soz.sgb2_bedarfsgemeinschaften', '2026-10', 'district=innenstadt-suedwest')
		).toBeNull();
	});

	it('a schema missing value the definition does not name is missing: a stored value goes', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-einwohner.feed.json'));
		const db = withFeed(definition);
		runFeed(
			db,
			definition,
			{ path: fixture('sozialdaten/tabellen/einwohner-stadtteile.tsv') },
			IMPORT
		);
		const path = join(tempDir(), 'einwohner.tsv');
		writeFileSync(
			path,
			readFileSync(fixture('sozialdaten/tabellen/einwohner-stadtteile.tsv'), 'utf8').replace(
				'\t6498\t',
				'\t\t'
			)
		);
		const report = runFeed(db, definition, { path }, IMPORT);
		expect(report).toMatchObject({ status: 'succeeded', valuesMissing: 1, observationsRemoved: 1 });
		expect(value(db, 'bev.einwohner', '2026-10', 'district=innenstadt-ost')).toBeUndefined();
	});

	it('a date that does not match the schema’s pattern is a row error that names the pattern', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-einwohner.feed.json'));
		const db = withFeed(definition);
		const path = join(tempDir(), 'einwohner.tsv');
		writeFileSync(
			path,
			readFileSync(fixture('sozialdaten/tabellen/einwohner-stadtteile.tsv'), 'utf8').replace(
				'31.10.2026\t04',
				'2026-10-31\t04'
			)
		);
		const report = runFeed(db, definition, { path }, IMPORT);
		expect(report.status).toBe('failed');
		expect(report.errors[0]).toEqual({
			line: 3,
			column: 'stichtag',
			code: 'not_a_number',
			message:
				'„2026-10-31“ in Spalte „stichtag“ passt nicht zum Typ date (%d.%m.%Y) des Table Schema.'
		});
	});

	it('a period format in the definition wins over the schema, whatever the column’s type', () => {
		const definition = parseDefinition({
			id: 'schulen-jahr',
			title: 'Schulen',
			owner: { department: 'Schulamt', contact: 'Statistik' },
			source: {
				format: 'datapackage',
				descriptor: {
					resources: [
						{
							name: 'abgaenge',
							path: 'abgaenge.csv',
							schema: {
								fields: [
									{ name: 'Jahr', type: 'string' },
									{ name: 'Anteil', type: 'number' }
								]
							}
						}
					]
				}
			},
			mapping: {
				period: { column: 'Jahr', format: 'YYYY' },
				values: [{ column: 'Anteil', kpi: { fixed: 'bil.abgaenger_ohne_abschluss' } }]
			},
			cadence: 'yearly'
		});
		const db = withFeed(definition);
		const path = join(tempDir(), 'abgaenge.csv');
		writeFileSync(path, 'Jahr,Anteil\n2031,4.5\n');
		expect(runFeed(db, definition, { path }, IMPORT)).toMatchObject({ status: 'succeeded' });
		expect(value(db, 'bil.abgaenger_ohne_abschluss', '2031')).toBe(4.5);
	});

	it('regression: a schema path is no longer refused as "expected object, received string"', () => {
		const dir = tempDir();
		cpSync(fixture('sozialdaten'), join(dir, 'sozialdaten'), { recursive: true });
		const raw = JSON.parse(readFileSync(fixture('sozialdaten-einwohner.feed.json'), 'utf8'));
		// Before, the descriptor went unread and the run failed on its first check.
		const definition = parseDefinition(raw, dir);
		const db = withFeed(definition);
		const report = runFeed(
			db,
			definition,
			{ path: join(dir, 'sozialdaten/tabellen/einwohner-stadtteile.tsv') },
			IMPORT
		);
		expect(report.status).toBe('succeeded');
		expect(JSON.stringify(report)).not.toMatch(/Invalid input|expected object/);
	});

	it('regression: a TSV resource is read, not refused as "gelesen wird CSV"', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-einwohner.feed.json'));
		const db = withFeed(definition);
		const report = runFeed(
			db,
			definition,
			{ path: fixture('sozialdaten/tabellen/einwohner-stadtteile.tsv') },
			{ ...IMPORT, mode: 'validate' }
		);
		expect(report.status).toBe('succeeded');
		expect(report.summary).not.toContain('gelesen wird CSV');
	});
});

describe('a GENESIS flat file (ffcsv)', () => {
	const bevoelkerung = () => loadDefinitionFile(fixture('genesis-bevoelkerung.feed.json'));

	it('imports values by Kreis: totals only, other regional levels left out, "-" missing', () => {
		const definition = bevoelkerung();
		const db = withFeed(definition);
		const report = runFeed(db, definition, { path: BEVOELKERUNG_CSV }, IMPORT);
		expect(report.errors).toEqual([]);
		expect(report).toMatchObject({
			status: 'succeeded',
			rowsRead: 7,
			rowsSkipped: 3, // männlich, weiblich, the Land
			rowsAccepted: 4,
			valuesMissing: 1, // Eisenach "-"
			observationsCreated: 3,
			kpisChanged: ['reg.bevoelkerung']
		});
		// The Stichtag 31.12. is the year of the yearly KPI; AGS codes keep their leading zero.
		expect(value(db, 'reg.bevoelkerung', '2024', 'kreis=07312')).toBe(101486);
		expect(value(db, 'reg.bevoelkerung', '2023', 'kreis=07312')).toBe(100030);
		expect(value(db, 'reg.bevoelkerung', '2024', 'kreis=07335')).toBe(106057);
		expect(observationCount(db, 'reg.bevoelkerung')).toBe(3);
	});

	it('the same file zipped as GENESIS ships it gives the same import, and the zip is recorded', () => {
		const definition = bevoelkerung();
		const db = withFeed(definition);
		const path = join(tempDir(), '12411-01-01-4_1764000000000_de_flat.zip');
		const zip = genesisZip([
			{ name: '12411-01-01-4_1764000000000_de_flat.csv', data: readFileSync(BEVOELKERUNG_CSV) }
		]);
		writeFileSync(path, zip);
		const report = runFeed(db, definition, { path }, IMPORT);
		expect(report).toMatchObject({
			status: 'succeeded',
			rowsRead: 7,
			rowsAccepted: 4,
			observationsCreated: 3,
			fileBytes: zip.length
		});
		expect(value(db, 'reg.bevoelkerung', '2024', 'kreis=07312')).toBe(101486);
		// Plain after zipped: nothing changes.
		expect(runFeed(db, definition, { path: BEVOELKERUNG_CSV }, IMPORT)).toMatchObject({
			status: 'succeeded',
			rowsUnchanged: 3,
			observationsCreated: 0,
			observationsUpdated: 0
		});
	});

	it('reads a real Regionaldatenbank reply (zip with data descriptors), signs included', () => {
		const definition = loadDefinitionFile(fixture('genesis-gemeinden.feed.json'));
		const db = withFeed(definition);
		const report = runFeed(db, definition, { path: GEMEINDEN_ZIP }, IMPORT);
		expect(report.errors).toEqual([]);
		expect(report).toMatchObject({
			status: 'succeeded',
			rowsRead: 550,
			rowsSkipped: 61, // Deutschland, Länder, Regierungsbezirke
			rowsAccepted: 489,
			valuesMissing: 74, // "-": Kreise that did not exist on the Stichtag
			valuesSuppressed: 15, // ".": the Berlin boroughs and others with unknown counts
			observationsCreated: 415
		});
		expect(value(db, 'reg.gemeinden', '2023', 'kreis=07312')).toBe(1);
		expect(value(db, 'reg.gemeinden', '2023', 'kreis=07335')).toBe(50);
	});

	it('a monthly table: months from the MONAT variable, filters on a variable and the unit', () => {
		const definition = loadDefinitionFile(fixture('genesis-mietindex.feed.json'));
		const db = withFeed(definition);
		const report = runFeed(db, definition, { path: MIETINDEX_CSV }, IMPORT);
		expect(report.errors).toEqual([]);
		expect(report).toMatchObject({
			status: 'succeeded',
			rowsRead: 7,
			rowsSkipped: 3, // another Land, the year's average, the change in %
			rowsAccepted: 4,
			valuesMissing: 1, // "..." Angabe fällt später an
			valuesSuppressed: 1, // "." in value_q with the value left empty
			observationsCreated: 3
		});
		expect(value(db, 'reg.mietindex', '2025-03')).toBe(109.5);
		expect(value(db, 'reg.mietindex', '2024-12')).toBe(108.6);
		expect(value(db, 'reg.mietindex', '2025-02')).toBeNull();
		expect(value(db, 'reg.mietindex', '2025-07')).toBeUndefined();
	});

	const genesisText = () => readFileSync(BEVOELKERUNG_CSV, 'utf8');
	const bad: { name: string; write: (path: string) => void; code: string; message: RegExp }[] = [
		{
			name: 'the layout before November 2024',
			write: (path) =>
				writeFileSync(
					path,
					'\ufeffStatistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl\n12411;Bevölkerung;STAG;Stichtag;31.12.2022;KREISE;Kreise;07312;Kaiserslautern;99845\n'
				),
			code: 'columns',
			message: /alte Flat-File-Format von GENESIS \(bis November 2024/
		},
		{
			name: 'a variable the file does not have',
			write: (path) => writeFileSync(path, genesisText().replaceAll('KREISE;', 'GEMEIN;')),
			code: 'columns',
			message:
				/^Das Merkmal „KREISE“ kommt in der Datei nicht vor\. Die Datei hat: „GEMEIN“, „GES“, „DLAND“\.$/
		},
		{
			name: 'a time code KLAR does not read',
			write: (path) => writeFileSync(path, genesisText().replaceAll(';STAG;', ';SEMEST;')),
			code: 'bad_period',
			message: /„SEMEST“ \(time_code\) liest KLAR nicht/
		},
		{
			name: 'a zip without a flat file',
			write: (path) =>
				writeFileSync(path, genesisZip([{ name: 'tabelle.json', data: '{"Code":15}' }])),
			code: 'malformed',
			message: /^Das ZIP-Archiv enthält keine Datei „…_flat\.csv“\. Enthalten: „tabelle\.json“\.$/
		},
		{
			name: 'a zip with two flat files',
			write: (path) =>
				writeFileSync(
					path,
					genesisZip([
						{ name: 'a_de_flat.csv', data: genesisText() },
						{ name: 'b_de_flat.csv', data: genesisText() }
					])
				),
			code: 'malformed',
			message: /mehrere Datei „…_flat\.csv“-Dateien/
		},
		{
			name: 'a damaged zip',
			write: (path) =>
				writeFileSync(
					path,
					genesisZip([{ name: 'x_de_flat.csv', data: genesisText(), stored: true }], {
						corrupt: true
					})
				),
			code: 'malformed',
			message: /^Das ZIP-Archiv ist beschädigt oder unvollständig \(Prüfsumme stimmt nicht\)/
		},
		{
			name: 'a zip whose entry claims more than may be unpacked',
			write: (path) => {
				const zip = genesisZip([{ name: 'x_de_flat.csv', data: genesisText() }]);
				const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
				zip.writeUInt32LE(0x7fffffff, central + 24);
				writeFileSync(path, zip);
			},
			code: 'too_large',
			message: /^Die Datei im ZIP-Archiv ist entpackt zu groß/
		}
	];
	for (const c of bad) {
		it(`${c.name} is refused in German and imports nothing`, () => {
			const definition = bevoelkerung();
			const db = withFeed(definition);
			const path = join(tempDir(), 'lieferung');
			c.write(path);
			const report = runFeed(db, definition, { path }, IMPORT);
			expect(report.status).toBe('failed');
			expect(report.errors[0]?.code).toBe(c.code);
			expect(report.errors[0]?.message).toMatch(c.message);
			expect(observationCount(db, 'reg.bevoelkerung')).toBe(0);
		});
	}

	it('a zip sent to a feed of another format is refused as a zip, not as a wrong encoding', () => {
		const definition = loadDefinitionFile(fixture('sozialdaten-einwohner.feed.json'));
		const db = withFeed(definition);
		const path = join(tempDir(), 'einwohner.zip');
		writeFileSync(path, genesisZip([{ name: 'einwohner.tsv', data: 'x' }]));
		const report = runFeed(db, definition, { path }, IMPORT);
		expect(report.errors[0]).toMatchObject({
			code: 'malformed',
			message:
				'Die Datei ist ein ZIP-Archiv. Bitte die Datei entpackt liefern (gepackt gelesen werden nur GENESIS-Dateien).'
		});
	});
});
