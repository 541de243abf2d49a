import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { cellBases, districts, facilities, feedRuns } from '../db/schema';
import { appendAudit } from '../audit';
import { loadDefinitions } from '../kpis/catalogue';
import { rebuildSnapshots } from '../kpis/snapshots';
import { cellKeyOf, refreshCells, type CellKey } from '../entries/cells';
import type {
	FeedDefinition,
	FeedEncoding,
	FeedRunError,
	FeedRunReport
} from '../../src/lib/shared/feeds';
import type { NumberStyle } from './dialect';
import { tabularResource, type TabularResource } from './datapackage';
import {
	compileMapping,
	FeedFailure,
	kpiIdsOf,
	type MappedKpi,
	type MappingContext
} from './mapping';
import { KeySet } from './key-set';
import {
	decodedText,
	fileChunks,
	readCsv,
	readJson,
	type FileStats,
	type TableSink
} from './readers';

export interface FeedFileInput {
	/** The name shown in the run report (an upload keeps the name it was sent with). */
	fileName?: string;
	path: string;
}

export interface RunOptions {
	/** `validate` reads and checks everything, counts what an import would do, and keeps nothing. */
	mode: 'import' | 'validate';
	origin: 'cli' | 'upload' | 'demo';
	userId: string | null;
	/** The day snapshots are judged on (overdue). */
	today?: Date;
	/** When the run happens; the demo dates its history of deliveries in the past. */
	now?: Date;
	/** Files above this many bytes are refused. */
	maxBytes?: number;
}

/** How many errors a report lists; the counts cover all of them. */
export const REPORTED_ERRORS = 20;

class ValidationOnly extends Error {}
/** The run read the whole file but rejected more rows than the definition tolerates. */
class RejectedRows extends FeedFailure {}

interface Counts {
	rowsRead: number;
	rowsAccepted: number;
	rowsUnchanged: number;
	rowsRejected: number;
	rowsSkipped: number;
	observationsCreated: number;
	observationsUpdated: number;
}

/**
 * Imports one file of a feed as one atomic run: every row is read, checked and written in a
 * single SQLite transaction, or nothing is. Unchanged values are not written again, so the
 * same file twice creates no new observations, snapshots or sync changes. Every run that
 * reaches the database is recorded in `feed_runs`, a failed one too; observations a run
 * created or changed carry its id as their `source_ref`.
 *
 * Synchronous on purpose: between an `await` another request could write through the same
 * connection into the open transaction. An upload is spooled to a file first.
 */
export function runFeed(
	db: KlarDatabase,
	definition: FeedDefinition,
	input: FeedFileInput,
	options: RunOptions
): FeedRunReport {
	// Called inside an outer transaction (the demo seed) the run becomes a savepoint of it.
	const sqlite = connectionOf(db);
	const started = options.now ?? new Date();
	const startedAt = started.toISOString();
	const runId =
		options.mode === 'import'
			? `${definition.id}:${startedAt.replace(/[-:.]/g, '').slice(0, 15)}:${randomBytes(3).toString('hex')}`
			: null;
	const fileName = input.fileName ?? basename(input.path);
	const stats: FileStats = { bytes: 0, sha256: '' };
	const counts: Counts = {
		rowsRead: 0,
		rowsAccepted: 0,
		rowsUnchanged: 0,
		rowsRejected: 0,
		rowsSkipped: 0,
		observationsCreated: 0,
		observationsUpdated: 0
	};
	const errors: FeedRunError[] = [];
	const markers = { missing: 0, suppressed: 0 };
	let kpisChanged: string[] = [];
	let failure: FeedFailure | null = null;
	let succeeded: FeedRunReport | null = null;

	const finish = (status: 'succeeded' | 'failed', summary: string): FeedRunReport => ({
		runId,
		feedId: definition.id,
		mode: options.mode,
		status,
		startedAt,
		finishedAt: options.now ? startedAt : new Date().toISOString(),
		fileName,
		fileBytes: stats.bytes,
		...counts,
		valuesMissing: markers.missing,
		valuesSuppressed: markers.suppressed,
		kpisChanged,
		errors: errors.slice(0, REPORTED_ERRORS),
		summary
	});

	try {
		db.transaction((tx) => {
			const t = tx as unknown as KlarDatabase;
			const run = importRows(t, sqlite, definition, input, options, {
				runId: runId ?? 'validate',
				changedAt: startedAt,
				stats,
				counts,
				errors,
				markers
			});
			kpisChanged = run.kpisChanged;
			if (counts.rowsRejected > definition.maxRejectedRows) {
				throw new RejectedRows(
					{
						line: null,
						column: null,
						code: errors[0]?.code ?? 'malformed',
						message: rejectedSummary(counts.rowsRejected, definition.maxRejectedRows)
					},
					`${counts.rowsRejected} rows rejected, ${definition.maxRejectedRows} tolerated`
				);
			}
			if (options.mode === 'validate') throw new ValidationOnly();
			const report = finish('succeeded', successSummary(counts, markers, 'import'));
			succeeded = report;
			t.insert(feedRuns)
				.values(runRow(report, options, stats))
				.run();
			appendAudit(
				t,
				{
					userId: options.userId,
					action: 'feed.import',
					entity: 'feed',
					entityId: definition.id,
					newValue: auditSummary(report)
				},
				started
			);
			if (kpisChanged.length) rebuildSnapshots(t, kpisChanged, options.today ?? new Date());
		});
	} catch (error) {
		if (error instanceof ValidationOnly) {
			return finish('succeeded', successSummary(counts, markers, 'validate'));
		}
		if (!(error instanceof FeedFailure)) throw error;
		failure = error;
	}
	if (!failure) return succeeded!;

	// Nothing of the run was kept: the counts of what was read stay, nothing was written.
	kpisChanged = [];
	counts.observationsCreated = 0;
	counts.observationsUpdated = 0;
	// A run that failed on its rejected rows shows those; otherwise the reason comes first.
	if (!(failure instanceof RejectedRows)) errors.unshift(failure.error);
	const summary =
		options.mode === 'validate'
			? `Prüfung fehlgeschlagen: ${failure.error.message}`
			: `Nichts importiert: ${failure.error.message}`;
	const report = finish('failed', summary);
	if (options.mode === 'import') {
		db.transaction((tx) => {
			const t = tx as unknown as KlarDatabase;
			t.insert(feedRuns)
				.values(runRow(report, options, stats))
				.run();
			appendAudit(
				t,
				{
					userId: options.userId,
					action: 'feed.import_failed',
					entity: 'feed',
					entityId: definition.id,
					newValue: auditSummary(report)
				},
				started
			);
		});
	}
	return report;
}

interface RunState {
	runId: string;
	changedAt: string;
	stats: FileStats;
	counts: Counts;
	errors: FeedRunError[];
	markers: { missing: number; suppressed: number };
}

/** Reads, checks and writes every row; throws a FeedFailure for a problem with the whole file. */
function importRows(
	db: KlarDatabase,
	sqlite: KlarDatabase['$client'],
	definition: FeedDefinition,
	input: FeedFileInput,
	options: RunOptions,
	state: RunState
): { kpisChanged: string[] } {
	const { counts, errors } = state;
	const source = sourceOf(definition);
	const compiled = compileMapping(definition, mappingContext(db), source.numberStyle);
	const kpiIds = kpiIdsOf(definition);

	// Cells that form entries have written are resolved from their base value and the entries:
	// a delivery there changes the base (see server/entries/cells.ts).
	const entryCells = new Set(
		db
			.select({
				kpiId: cellBases.kpiId,
				period: cellBases.period,
				dimensionKey: cellBases.dimensionKey
			})
			.from(cellBases)
			.where(inArray(cellBases.kpiId, kpiIds))
			.all()
			.map((c) => cellKeyOf(c.kpiId, c.period, c.dimensionKey))
	);
	const touchedCells: CellKey[] = [];
	const changedKpis = new Set<string>();

	// The run's constants are part of the statement: four values bound per row, as few as a
	// plain insert needs.
	const upsert = sqlite.prepare(
		`INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind, source_ref, changed_at)
		 VALUES (?, ?, ?, ?, ${literal(definition.status)}, 'feed', ${literal(state.runId)}, ${literal(state.changedAt)})
		 ON CONFLICT (kpi_id, period, dimension_key) DO UPDATE SET
		   value = excluded.value, status = excluded.status, source_kind = 'feed',
		   source_ref = excluded.source_ref, changed_at = excluded.changed_at
		 WHERE observations.value IS NOT excluded.value OR observations.status IS NOT excluded.status`
	);
	const updateBase = sqlite.prepare(
		`UPDATE cell_bases SET value = ?, had_value = 1, status = ?, source_kind = 'feed', source_ref = ?
		 WHERE kpi_id = ? AND period = ? AND dimension_key = ?
		   AND (had_value = 0 OR value IS NOT ? OR status IS NOT ?)`
	);
	// Changed values are audited one by one with old and new value, by SQLite itself and only
	// for rows that really change; created ones are audited with the run (they name its id).
	sqlite.exec(`DROP TRIGGER IF EXISTS temp.feed_run_audit`);
	sqlite.exec(
		`CREATE TEMP TRIGGER feed_run_audit AFTER UPDATE OF value, status ON main.observations
		 WHEN OLD.value IS NOT NEW.value OR OLD.status IS NOT NEW.status
		 BEGIN
		   INSERT INTO audit_log (at, user_id, action, entity, entity_id, old_value, new_value)
		   VALUES (${literal(state.changedAt)}, ${literal(options.userId)}, 'observation.update', 'observation',
		     NEW.kpi_id || '|' || NEW.period || '|' || NEW.dimension_key,
		     json_object('value', OLD.value, 'status', OLD.status),
		     json_object('value', NEW.value, 'status', NEW.status, 'source', 'feed:' || NEW.source_ref));
		 END`
	);

	const status = definition.status;
	const keys = new KeySet();
	let lastRowid = Number(
		(sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM observations').get() as { id: number })
			.id
	);
	let bound: ReturnType<typeof compiled.bind> | null = null;
	let schemaCheck: ReturnType<TabularResource['check']> | null = null;
	let width = 0;
	const rowValues: { kpiId: string; period: string; dimensionKey: string; value: number | null }[] =
		[];
	let rowLength = 0;
	const emit = (kpiId: string, period: string, dimensionKey: string, value: number | null) => {
		const slot = rowValues[rowLength];
		if (slot) {
			slot.kpiId = kpiId;
			slot.period = period;
			slot.dimensionKey = dimensionKey;
			slot.value = value;
		} else rowValues.push({ kpiId, period, dimensionKey, value });
		rowLength++;
	};
	const reject = (error: FeedRunError) => {
		counts.rowsRejected++;
		if (errors.length < REPORTED_ERRORS) errors.push(error);
	};

	const sink: TableSink = {
		header(columns) {
			const expected = [...compiled.columns, ...(source.schemaFields ?? [])];
			const missing = [...new Set(expected.filter((c) => !columns.includes(c)))];
			if (missing.length) {
				throw new FeedFailure(
					{
						line: null,
						column: missing[0]!,
						code: 'columns',
						message: `Es fehlen Spalten: ${quoted(missing)}. Erwartet: ${quoted([...new Set(expected)])}. Gefunden: ${columns.length ? quoted(columns) : 'keine'}.`
					},
					`Missing columns ${missing.join(', ')}; found ${columns.join(', ')}`
				);
			}
			width = columns.length;
			bound = compiled.bind(columns);
			schemaCheck = source.check?.(columns) ?? null;
		},
		row(line, cells) {
			counts.rowsRead++;
			if (source.kind === 'csv' && cells.length < width) {
				reject({
					line,
					column: null,
					code: 'columns',
					message: `Die Zeile hat ${cells.length} statt ${width} Spalten.`
				});
				return;
			}
			if (schemaCheck) {
				const problem = schemaCheck(cells);
				if (problem) {
					reject({ line, column: problem.column, code: 'not_a_number', message: problem.message });
					return;
				}
			}
			rowLength = 0;
			const outcome = bound!(line, cells, emit);
			if (outcome === 'skipped') {
				counts.rowsSkipped++;
				return;
			}
			if (outcome !== 'ok') {
				reject(outcome);
				return;
			}
			for (let i = 0; i < rowLength; i++) {
				const v = rowValues[i]!;
				const first = keys.add(line, v.kpiId, v.period, v.dimensionKey);
				if (first !== null) {
					reject({
						line,
						column: null,
						code: 'duplicate_key',
						message: `Der Wert für „${v.kpiId}“, ${v.period}${v.dimensionKey ? ` (${v.dimensionKey.replaceAll('&', ', ')})` : ''} steht schon in Zeile ${first}.`
					});
					return;
				}
			}
			counts.rowsAccepted++;
			// Past the tolerated rejections the run will be rolled back: stop writing.
			if (counts.rowsRejected > definition.maxRejectedRows) return;
			let changed = false;
			for (let i = 0; i < rowLength; i++) {
				const v = rowValues[i]!;
				if (entryCells.size && entryCells.has(cellKeyOf(v.kpiId, v.period, v.dimensionKey))) {
					const result = updateBase.run(
						v.value,
						status,
						state.runId,
						v.kpiId,
						v.period,
						v.dimensionKey,
						v.value,
						status
					);
					if (result.changes) {
						counts.observationsUpdated++;
						touchedCells.push({ kpiId: v.kpiId, period: v.period, dimensionKey: v.dimensionKey });
						changed = true;
					}
					continue;
				}
				const result = upsert.run(v.kpiId, v.period, v.dimensionKey, v.value);
				if (!result.changes) continue;
				changed = true;
				changedKpis.add(v.kpiId);
				const rowid = Number(result.lastInsertRowid);
				if (rowid > lastRowid) {
					lastRowid = rowid;
					counts.observationsCreated++;
				} else counts.observationsUpdated++;
			}
			if (rowLength > 0 && !changed) counts.rowsUnchanged++;
		}
	};

	const chunks = fileChunks(input.path, state.stats, options.maxBytes);
	if (source.kind === 'csv') {
		readCsv(decodedText(chunks, source.encoding), source.csv, sink);
	} else {
		readJson(decodedText(chunks, 'utf-8'), source.records, source.path, sink);
	}
	state.markers.missing = compiled.counts.missing;
	state.markers.suppressed = compiled.counts.suppressed;
	sqlite.exec(`DROP TRIGGER temp.feed_run_audit`);
	if (touchedCells.length) {
		for (const kpi of refreshCells(db, touchedCells, options.userId)) changedKpis.add(kpi);
	}
	return { kpisChanged: [...changedKpis].sort() };
}

/** Keys seen in the run; created on first use so a validation of a tiny file stays tiny. */
type Source =
	| {
			kind: 'csv';
			encoding: FeedEncoding;
			csv: Parameters<typeof readCsv>[1];
			numberStyle: (column: string) => NumberStyle;
			schemaFields?: string[];
			check?: TabularResource['check'];
	  }
	| {
			kind: 'json';
			records: 'array' | 'lines';
			path: string | undefined;
			numberStyle: (column: string) => NumberStyle;
			schemaFields?: undefined;
			check?: undefined;
	  };

function sourceOf(definition: FeedDefinition): Source {
	const { source } = definition;
	switch (source.format) {
		case 'csv': {
			const { dialect } = source;
			const style: NumberStyle = { decimal: dialect.decimal, thousands: dialect.thousands };
			return {
				kind: 'csv',
				encoding: dialect.encoding,
				csv: {
					delimiter: dialect.delimiter,
					quote: dialect.quote,
					header: dialect.header,
					columns: dialect.columns,
					skipLines: dialect.skipLines
				},
				numberStyle: () => style
			};
		}
		case 'json':
			return {
				kind: 'json',
				records: source.records,
				path: source.path,
				numberStyle: () => ({ decimal: '.', thousands: '' })
			};
		case 'datapackage': {
			const resource = tabularResource(source.descriptor, source.resource);
			return {
				kind: 'csv',
				encoding: resource.encoding,
				csv: {
					delimiter: resource.delimiter,
					quote: resource.quote,
					header: resource.header,
					columns: resource.header ? undefined : resource.fields.map((f) => f.name),
					skipLines: 0
				},
				numberStyle: resource.numberStyle,
				schemaFields: resource.fields.map((f) => f.name),
				check: resource.check
			};
		}
	}
}

function mappingContext(db: KlarDatabase): MappingContext {
	const kpis = new Map<string, MappedKpi>(
		loadDefinitions(db).map((d) => [
			d.id,
			{ id: d.id, cadence: d.cadence, dimensions: d.dimensions }
		])
	);
	const members = new Map<string, Set<string>>([
		[
			'district',
			new Set(
				db
					.select({ id: districts.id })
					.from(districts)
					.all()
					.map((r) => r.id)
			)
		],
		[
			'facility',
			new Set(
				db
					.select({ id: facilities.id })
					.from(facilities)
					.all()
					.map((r) => r.id)
			)
		]
	]);
	return { kpis, members };
}

/** The better-sqlite3 connection of a database or of a drizzle transaction on it. */
function connectionOf(db: KlarDatabase): KlarDatabase['$client'] {
	const client =
		db.$client ??
		(db as unknown as { session?: { client?: KlarDatabase['$client'] } }).session?.client;
	if (!client) throw new Error('runFeed needs a better-sqlite3 database or transaction');
	return client;
}

const literal = (value: string | null) =>
	value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;

const quoted = (names: readonly string[]) => names.map((n) => `„${n}“`).join(', ');

const number = new Intl.NumberFormat('de-DE');

function rejectedSummary(rejected: number, tolerated: number): string {
	const rows = rejected === 1 ? '1 Zeile' : `${number.format(rejected)} Zeilen`;
	return tolerated
		? `${rows} abgelehnt, höchstens ${number.format(tolerated)} sind erlaubt.`
		: `${rows} abgelehnt.`;
}

function successSummary(
	counts: Counts,
	markers: { missing: number; suppressed: number },
	mode: 'import' | 'validate'
): string {
	const parts = [
		`${number.format(counts.rowsRead)} Zeilen gelesen`,
		`${number.format(counts.rowsAccepted)} übernommen (davon ${number.format(counts.rowsUnchanged)} unverändert)`
	];
	if (counts.rowsSkipped) parts.push(`${number.format(counts.rowsSkipped)} übersprungen`);
	if (counts.rowsRejected) parts.push(`${number.format(counts.rowsRejected)} abgelehnt`);
	const values =
		mode === 'import'
			? `${number.format(counts.observationsCreated)} Werte neu, ${number.format(counts.observationsUpdated)} geändert`
			: `${number.format(counts.observationsCreated)} Werte wären neu, ${number.format(counts.observationsUpdated)} geändert – nichts importiert`;
	const withheld = markers.suppressed
		? `; ${number.format(markers.suppressed)} Werte von der Quelle geheim gehalten`
		: '';
	return `${parts.join(', ')}. ${values}${withheld}.`;
}

function auditSummary(report: FeedRunReport) {
	return {
		run: report.runId,
		status: report.status,
		file: report.fileName,
		bytes: report.fileBytes,
		rowsRead: report.rowsRead,
		rowsAccepted: report.rowsAccepted,
		rowsRejected: report.rowsRejected,
		observationsCreated: report.observationsCreated,
		observationsUpdated: report.observationsUpdated
	};
}

function runRow(
	report: FeedRunReport,
	options: RunOptions,
	stats: FileStats
): typeof feedRuns.$inferInsert {
	return {
		id: report.runId!,
		feedId: report.feedId,
		status: report.status,
		origin: options.origin,
		userId: options.userId,
		startedAt: report.startedAt,
		finishedAt: report.finishedAt,
		fileName: report.fileName,
		fileBytes: report.fileBytes,
		fileSha256: stats.sha256,
		rowsRead: report.rowsRead,
		rowsAccepted: report.rowsAccepted,
		rowsUnchanged: report.rowsUnchanged,
		rowsRejected: report.rowsRejected,
		rowsSkipped: report.rowsSkipped,
		valuesMissing: report.valuesMissing,
		valuesSuppressed: report.valuesSuppressed,
		observationsCreated: report.observationsCreated,
		observationsUpdated: report.observationsUpdated,
		kpisChanged: JSON.stringify(report.kpisChanged),
		errors: JSON.stringify(report.errors),
		summary: report.summary
	};
}
