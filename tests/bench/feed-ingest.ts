/**
 * Feed ingest benchmark (part of `npm run bench`; alone: `npx tsx tests/bench/feed-ingest.ts`).
 *
 * One file of N rows (1,000 measuring points × N/1,000 days) in the resident register's
 * dialect – semicolon, Windows-1252, decimal comma, DD.MM.YYYY – is imported by the real runner
 * into a copy of the demo database. The baseline inserts the same rows, already parsed and in
 * memory, with one prepared better-sqlite3 statement in one transaction into a copy of the
 * same database. Each measurement runs in a child process of its own, so its peak memory
 * (maxRSS) is its own.
 */
import { spawnSync } from 'node:child_process';
import {
	closeSync,
	copyFileSync,
	mkdtempSync,
	openSync,
	rmSync,
	statSync,
	writeSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import { addDays } from 'date-fns';
import { openDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { kpiDefinitions } from '#server/db/schema';
import { toRow } from '#server/kpis/catalogue';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { parseDefinition, registerFeed } from '#server/feeds/definitions';
import { runFeed } from '#server/feeds/runner';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { toIsoDate } from '#shared/periods';
import { fixedClock } from '#server/clock';

/** The bench's database is seeded for a fixed day and the runs are timed on that day's clock. */
const SEED_NOW = new Date('2026-11-22T08:00:00+01:00');

const POINTS = 1000;
const FIRST_DAY = new Date(2020, 0, 1);
export const BENCH_KPI = 'bench.messwerte';
const KPI = BENCH_KPI;

export const BENCH_DEFINITION = {
	id: 'bench-messwerte',
	title: 'Messwerte (Benchmark)',
	owner: { department: 'Benchmark', contact: 'Benchmark' },
	source: {
		format: 'csv',
		dialect: { delimiter: ';', encoding: 'windows-1252', decimal: ',', thousands: '.' }
	},
	mapping: {
		period: { column: 'Datum', format: 'DD.MM.YYYY' },
		dimensions: { sensor: { column: 'Messstelle' } },
		values: [{ column: 'Wert', kpi: { fixed: KPI } }]
	},
	cadence: 'daily'
} as const;

/** Row i: point i % 1000, day i / 1000, a value with one decimal. */
function rowOf(i: number) {
	const day = addDays(FIRST_DAY, Math.floor(i / POINTS));
	const point = `M${String(i % POINTS).padStart(4, '0')}`;
	const value = ((i * 7919) % 100_000) / 10;
	return { day, point, value };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function writeFile(path: string, rows: number) {
	const fd = openSync(path, 'w');
	let text = 'Datum;Messstelle;Wert\r\n';
	for (let i = 0; i < rows; i++) {
		const { day, point, value } = rowOf(i);
		const german = value.toLocaleString('de-DE', { maximumFractionDigits: 1 });
		text += `${pad(day.getDate())}.${pad(day.getMonth() + 1)}.${day.getFullYear()};${point};${german}\r\n`;
		if (text.length > 1 << 20) {
			writeSync(fd, iconv.encode(text, 'windows-1252'));
			text = '';
		}
	}
	writeSync(fd, iconv.encode(text, 'windows-1252'));
	closeSync(fd);
}

export async function template(dir: string) {
	const file = join(dir, 'template.db');
	const db = openDatabase(file);
	await seedDemo(db, SEED_NOW);
	const base = demoCatalogue().kpis.find((d) => d.dimensions.length === 0)!;
	db.insert(kpiDefinitions)
		.values(
			toRow(
				{
					...base,
					id: KPI,
					title: 'Messwerte',
					cadence: 'daily',
					dimensions: ['sensor'],
					formula: { kind: 'stock' }
				},
				SEED_NOW
			)
		)
		.run();
	registerFeed(db, parseDefinition(BENCH_DEFINITION), null, SEED_NOW);
	db.$client.pragma('wal_checkpoint(TRUNCATE)');
	db.$client.close();
	return file;
}

/** Child process: one measurement, printed as JSON. */
function child(kind: string, dbFile: string, csv: string, rows: number) {
	const db = openDatabase(dbFile);
	const result: Record<string, number | string> = {};
	if (kind === 'baseline') {
		const parsed: [string, string, string, number][] = [];
		for (let i = 0; i < rows; i++) {
			const { day, point, value } = rowOf(i);
			parsed.push([KPI, toIsoDate(day), `sensor=${point}`, value]);
		}
		const insert = db.$client.prepare(
			`INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind, source_ref, changed_at)
			 VALUES (?, ?, ?, ?, 'final', 'feed', 'baseline', ?)`
		);
		const now = new Date().toISOString();
		const start = performance.now();
		db.$client.transaction(() => {
			for (const r of parsed) insert.run(r[0], r[1], r[2], r[3], now);
		})();
		result.ms = performance.now() - start;
	} else {
		const definition = parseDefinition(BENCH_DEFINITION);
		// A validation reads, checks and writes every row, then rolls back: the ingest alone.
		const mode = kind === 'validate' ? 'validate' : 'import';
		const runs = kind === 'reimport' ? 2 : 1;
		for (let i = 0; i < runs; i++) {
			const start = performance.now();
			const report = runFeed(
				db,
				definition,
				{ path: csv },
				{ mode, origin: 'cli', userId: null, clock: fixedClock(SEED_NOW) }
			);
			result.ms = performance.now() - start;
			result.status = report.status;
			result.created = report.observationsCreated;
			result.unchanged = report.rowsUnchanged;
		}
		if (mode === 'import') {
			// The same rebuild again writes nothing but costs what the run's rebuild cost.
			const start = performance.now();
			rebuildSnapshots(db, [KPI], SEED_NOW);
			result.rebuildMs = performance.now() - start;
		}
	}
	db.$client.close();
	result.maxRssMb = process.resourceUsage().maxRSS / 1024;
	console.log(JSON.stringify(result));
}

function measure(kind: string, templateFile: string, csv: string, rows: number, dir: string) {
	const dbFile = join(dir, `${kind}-${rows}.db`);
	copyFileSync(templateFile, dbFile);
	const out = spawnSync(
		process.execPath,
		['--import', 'tsx', 'tests/bench/feed-ingest.ts', 'child', kind, dbFile, csv, String(rows)],
		{ encoding: 'utf8', maxBuffer: 1 << 20 }
	);
	if (out.status !== 0) throw new Error(`${kind} failed: ${out.stderr}`);
	rmSync(dbFile, { force: true });
	return JSON.parse(out.stdout.trim().split('\n').at(-1)!);
}

export interface FeedIngestResult {
	rows: number;
	fileMb: number;
	importMs: number;
	rebuildMs: number;
	baselineMs: number;
	reimportMs: number;
	importRssMb: number;
	validateMs: number;
	ingestRssMb: number;
	smallIngestRssMb: number;
	smallRows: number;
	baselineRssMb: number;
}

export async function feedIngest(rows = 1_000_000): Promise<FeedIngestResult> {
	const dir = mkdtempSync(join(tmpdir(), 'klar-feed-bench-'));
	try {
		const templateFile = await template(dir);
		const csv = join(dir, 'messwerte.csv');
		writeFile(csv, rows);
		const smallRows = rows / 10;
		const smallCsv = join(dir, 'messwerte-klein.csv');
		writeFile(smallCsv, smallRows);
		const baseline = measure('baseline', templateFile, csv, rows, dir);
		const run = measure('import', templateFile, csv, rows, dir);
		const ingest = measure('validate', templateFile, csv, rows, dir);
		const smallIngest = measure('validate', templateFile, smallCsv, smallRows, dir);
		const again = measure('reimport', templateFile, csv, rows, dir);
		if (run.status !== 'succeeded' || run.created !== rows) {
			throw new Error(`import did not create ${rows} observations: ${JSON.stringify(run)}`);
		}
		if (again.unchanged !== rows)
			throw new Error(`re-import changed rows: ${JSON.stringify(again)}`);
		const { size } = statSync(csv);
		return {
			rows,
			fileMb: size / 1024 / 1024,
			importMs: run.ms,
			rebuildMs: run.rebuildMs,
			baselineMs: baseline.ms,
			reimportMs: again.ms,
			importRssMb: run.maxRssMb,
			validateMs: ingest.ms,
			ingestRssMb: ingest.maxRssMb,
			smallIngestRssMb: smallIngest.maxRssMb,
			smallRows,
			baselineRssMb: baseline.maxRssMb
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export function describeFeedIngest(r: FeedIngestResult): string[] {
	const ingestMs = r.importMs - r.rebuildMs;
	const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
	const perSecond = (ms: number) => Math.round((r.rows / ms) * 1000).toLocaleString('en');
	const rows = r.rows.toLocaleString('en');
	return [
		`feed import of ${rows} rows (${r.fileMb.toFixed(1)} MB; semicolon, Windows-1252, decimal comma): ${seconds(r.importMs)} = ${perSecond(r.importMs)} rows/s, of which the snapshot rebuild of the KPI with ${rows} observations ${seconds(r.rebuildMs)}; peak memory (maxRSS) ${r.importRssMb.toFixed(0)} MB`,
		`  reading, checking and writing the rows (the import less the rebuild): ${seconds(ingestMs)} = ${perSecond(ingestMs)} rows/s; the same as a validation, which rolls back: ${seconds(r.validateMs)}, peak memory ${r.ingestRssMb.toFixed(0)} MB (${r.smallRows.toLocaleString('en')} rows: ${r.smallIngestRssMb.toFixed(0)} MB)`,
		`  baseline, raw better-sqlite3 prepared inserts of the same rows (parsed, in memory) in one transaction: ${seconds(r.baselineMs)} = ${perSecond(r.baselineMs)} rows/s, peak memory ${r.baselineRssMb.toFixed(0)} MB`,
		`  ratio import/baseline in rows/s: ${(r.baselineMs / ingestMs).toFixed(2)} for reading, checking and writing (goal ≥ 0.6), ${(r.baselineMs / r.importMs).toFixed(2)} with the snapshot rebuild`,
		`  the same file again (nothing changes, nothing written): ${seconds(r.reimportMs)}`
	];
}

if (process.argv[2] === 'child') {
	child(process.argv[3]!, process.argv[4]!, process.argv[5]!, Number(process.argv[6]));
} else if (import.meta.url === `file://${process.argv[1]}`) {
	const rows = Number(process.argv[2] ?? 1_000_000);
	for (const line of describeFeedIngest(await feedIngest(rows))) console.log(line);
}
