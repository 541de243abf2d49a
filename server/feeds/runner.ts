import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { inArray } from 'drizzle-orm';
import type { KlarDatabase, DbOrTx } from '#server/db/connection';
import type { Clock } from '#server/clock';
import { openConnection } from '#server/db/connection';
import { cellBases, districts, facilities, feedRuns } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { loadDefinitions } from '#server/kpis/catalogue';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { isDerived } from '#shared/catalogue';
import { cellKeyOf, refreshCells, type CellKey } from '#server/entries/cells';
import type {
	FeedDefinition,
	FeedEncoding,
	FeedPreviewValue,
	FeedRunError,
	FeedRunReport
} from '#shared/feeds';
import type { NumberStyle } from './dialect';
import { tabularResource, type TabularResource } from './datapackage';
import { storedVersion, writeDefinition } from './definitions';
import {
	compileMapping,
	definitionError,
	FeedFailure,
	kpiIdsOf,
	type MappedKpi,
	type MappingContext,
	type SourceConventions
} from './mapping';
import { genesisChunks, genesisPlan, genesisReader, type GenesisPlan } from './genesis';
import { genesisPeriodReader } from './periods';
import { isZipStart } from './zip';
import { KeySet } from './key-set';
import {
	CHUNK_BYTES,
	COOPERATIVE_CHUNK_BYTES,
	csvReader,
	decodedText,
	fileChunks,
	jsonReader,
	readAll,
	type CsvOptions,
	type TextReader,
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
	/**
	 * The server's clock: when the run starts and ends, and the day its snapshots are judged on.
	 * The demo dates its history of deliveries in the past with a fixed clock.
	 */
	clock: Clock;
	/** Files above this many bytes are refused. */
	maxBytes?: number;
	/**
	 * The definition is new or changed (the command line): it is stored with the run's success,
	 * in the same transaction. A failed run keeps the stored definition and creates no feed.
	 */
	storeDefinition?: boolean;
	/** A check (`validate`) collects this many values as they would be stored, for a preview. */
	previewValues?: number;
}

/** How many errors a report lists; the counts cover all of them. */
export const REPORTED_ERRORS = 20;

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
	observationsRemoved: number;
}

/**
 * Imports one file of a feed as one atomic run: every row is read, checked and written in a
 * single SQLite transaction, or nothing is. Unchanged values are not written again, so the
 * same file twice creates no new observations, snapshots or sync changes. Every run that
 * reaches the database is recorded in `feed_runs`, a failed one too; observations a run
 * created or changed carry its id as their `source_ref`.
 *
 * This one runs synchronously on the given connection (the command line, the demo seed, the
 * tests); inside an outer transaction (the seed) it becomes a savepoint of it. The server runs
 * uploads with `runFeedCooperatively`, which pauses between pieces of the file.
 */
export function runFeed(
	db: DbOrTx,
	definition: FeedDefinition,
	input: FeedFileInput,
	options: RunOptions
): FeedRunReport {
	const run = new FeedRun(definition, input, options);
	try {
		db.transaction((tx) => {
			const t = tx;
			const reading = run.start(t, connectionOf(db), CHUNK_BYTES);
			readAll(reading.texts, reading.reader);
			run.complete(t, reading);
		});
	} catch (error) {
		run.failed(error);
	}
	return run.report(db);
}

/** How long the cooperative run works before it lets other requests in. */
const SLICE_MS = 8;

/**
 * The same run as `runFeed`, for the server: on a connection of its own to the database file,
 * in an explicit transaction, pausing every few milliseconds so that the server answers other
 * people's requests meanwhile (their reads see the state before the run, WAL). Other writers
 * of this process wait for `writeLock`, which the caller holds for the run.
 */
export async function runFeedCooperatively(
	databaseFile: string,
	definition: FeedDefinition,
	input: FeedFileInput,
	options: RunOptions
): Promise<FeedRunReport> {
	const db = openConnection(databaseFile);
	const sqlite = db.$client;
	const run = new FeedRun(definition, input, options);
	try {
		sqlite.exec('BEGIN IMMEDIATE');
		try {
			const reading = run.start(db, sqlite, COOPERATIVE_CHUNK_BYTES);
			let since = performance.now();
			for (const text of reading.texts) {
				reading.reader.write(text);
				if (performance.now() - since > SLICE_MS) {
					await new Promise((resolve) => setImmediate(resolve));
					since = performance.now();
				}
			}
			reading.reader.end();
			run.complete(db, reading);
			sqlite.exec('COMMIT');
		} catch (error) {
			if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
			throw error;
		}
	} catch (error) {
		run.failed(error);
	}
	try {
		return run.report(db);
	} finally {
		sqlite.close();
	}
}

/** Stops a run without keeping anything: a validation, or too many rejected rows. */
class ValidationOnly extends Error {}

/** One run: its counts and errors, the reading, and the report at the end. */
class FeedRun {
	readonly started: Date;
	readonly startedAt: string;
	readonly runId: string | null;
	readonly fileName: string;
	readonly stats: FileStats = { bytes: 0, sha256: '' };
	readonly counts: Counts = {
		rowsRead: 0,
		rowsAccepted: 0,
		rowsUnchanged: 0,
		rowsRejected: 0,
		rowsSkipped: 0,
		observationsCreated: 0,
		observationsUpdated: 0,
		observationsRemoved: 0
	};
	readonly errors: FeedRunError[] = [];
	readonly markers = { missing: 0, suppressed: 0 };
	readonly preview: FeedPreviewValue[] = [];
	kpisChanged: string[] = [];
	private failure: FeedFailure | null = null;
	private validated = false;
	private succeeded: FeedRunReport | null = null;

	constructor(
		readonly definition: FeedDefinition,
		readonly input: FeedFileInput,
		readonly options: RunOptions
	) {
		this.started = options.clock();
		this.startedAt = this.started.toISOString();
		this.runId =
			options.mode === 'import'
				? `${definition.id}:${this.startedAt.replace(/[-:.]/g, '').slice(0, 15)}:${randomBytes(3).toString('hex')}`
				: null;
		this.fileName = input.fileName ?? basename(input.path);
	}

	/** Prepares the writes in the open transaction; the caller pushes the texts into the reader. */
	start(db: DbOrTx, sqlite: KlarDatabase['$client'], chunkBytes: number): Reading {
		return prepareImport(db, sqlite, this.definition, this.input, this.options, chunkBytes, {
			runId: this.runId ?? 'validate',
			started: this.started,
			changedAt: this.startedAt,
			stats: this.stats,
			counts: this.counts,
			errors: this.errors,
			markers: this.markers,
			preview: this.options.mode === 'validate' ? this.preview : null
		});
	}

	/** After the last row: checks the rejections, records the run and rebuilds the snapshots. */
	complete(db: DbOrTx, reading: Reading): void {
		const { counts, definition, options } = this;
		this.kpisChanged = reading.finish().kpisChanged;
		if (counts.rowsRejected > definition.maxRejectedRows) {
			throw new RejectedRows(
				{
					line: null,
					column: null,
					code: this.errors[0]?.code ?? 'malformed',
					message: rejectedSummary(counts.rowsRejected, definition.maxRejectedRows)
				},
				`${counts.rowsRejected} rows rejected, ${definition.maxRejectedRows} tolerated`
			);
		}
		if (options.mode === 'validate') {
			this.validated = true;
			throw new ValidationOnly();
		}
		const report = this.finish('succeeded', successSummary(counts, this.markers, 'import'));
		this.succeeded = report;
		const version = options.storeDefinition
			? writeDefinition(db, definition, options.userId, this.started)
			: storedVersion(db, definition.id);
		db.insert(feedRuns)
			.values({ ...runRow(report, options, this.stats), definitionVersion: version })
			.run();
		appendAudit(
			db,
			{
				userId: options.userId,
				action: 'feed.import',
				entity: 'feed',
				entityId: definition.id,
				newValue: auditSummary(report)
			},
			this.started
		);
		if (this.kpisChanged.length) rebuildSnapshots(db, this.kpisChanged, this.started);
	}

	/** The run ended with this error, after its transaction was rolled back. */
	failed(error: unknown): void {
		if (error instanceof ValidationOnly) return;
		if (!(error instanceof FeedFailure)) throw error;
		this.failure = error;
	}

	/** The report; a failed import is recorded (in a transaction of its own) on `db`. */
	report(db: DbOrTx): FeedRunReport {
		if (this.validated) {
			return this.finish('succeeded', successSummary(this.counts, this.markers, 'validate'));
		}
		const failure = this.failure;
		if (!failure) return this.succeeded!;
		// Nothing of the run was kept: the counts of what was read stay, nothing was written.
		this.kpisChanged = [];
		this.counts.observationsCreated = 0;
		this.counts.observationsUpdated = 0;
		this.counts.observationsRemoved = 0;
		// A run that failed on its rejected rows shows those; otherwise the reason comes first.
		if (!(failure instanceof RejectedRows)) this.errors.unshift(failure.error);
		const summary =
			this.options.mode === 'validate'
				? `Prüfung fehlgeschlagen: ${failure.error.message}`
				: `Nichts importiert: ${failure.error.message}`;
		const report = this.finish('failed', summary);
		if (this.options.mode === 'import') {
			db.transaction((tx) => {
				const t = tx;
				// The run is listed with its feed; a feed that failed its first run does not exist.
				const version = storedVersion(t, this.definition.id);
				if (version !== null) {
					// With the stored definition's version: a failed run with another one changed nothing.
					t.insert(feedRuns)
						.values({
							...runRow(report, this.options, this.stats),
							definitionVersion: this.options.storeDefinition ? null : version
						})
						.run();
				} else {
					// Nothing recorded it: the report names no run that could be looked up.
					report.runId = null;
				}
				appendAudit(
					t,
					{
						userId: this.options.userId,
						action: 'feed.import_failed',
						entity: 'feed',
						entityId: this.definition.id,
						newValue: auditSummary(report)
					},
					this.started
				);
			});
		}
		return report;
	}

	private finish(status: 'succeeded' | 'failed', summary: string): FeedRunReport {
		return {
			runId: this.runId,
			feedId: this.definition.id,
			mode: this.options.mode,
			status,
			startedAt: this.startedAt,
			finishedAt: this.options.clock().toISOString(),
			fileName: this.fileName,
			fileBytes: this.stats.bytes,
			...this.counts,
			valuesMissing: this.markers.missing,
			valuesSuppressed: this.markers.suppressed,
			kpisChanged: this.kpisChanged,
			errors: this.errors.slice(0, REPORTED_ERRORS),
			summary,
			...(this.options.mode === 'validate' && this.options.previewValues
				? { preview: this.preview }
				: {})
		};
	}
}

/** The reading of a run: the file's texts, the reader to push them into, and the last step. */
interface Reading {
	texts: Iterable<string>;
	reader: TextReader;
	finish(): { kpisChanged: string[] };
}

interface RunState {
	runId: string;
	/** When the run started: the time of everything it writes. */
	started: Date;
	changedAt: string;
	stats: FileStats;
	counts: Counts;
	errors: FeedRunError[];
	markers: { missing: number; suppressed: number };
	/** Where a check collects values for a preview (null: not wanted). */
	preview: FeedPreviewValue[] | null;
}

/**
 * Prepares the reading, checking and writing of every row in the open transaction; a problem
 * with the whole file throws a FeedFailure while the texts are pushed into the reader.
 */
function prepareImport(
	db: DbOrTx,
	sqlite: KlarDatabase['$client'],
	definition: FeedDefinition,
	input: FeedFileInput,
	options: RunOptions,
	chunkBytes: number,
	state: RunState
): Reading {
	const { counts, errors } = state;
	const source = sourceOf(definition);
	const compiled = compileMapping(definition, mappingContext(db), source.conventions);
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
	// A value the source now marks missing goes: the period has no value any more.
	const remove = sqlite.prepare(
		`DELETE FROM observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?`
	);
	const clearBase = sqlite.prepare(
		`UPDATE cell_bases SET value = NULL, had_value = 0, status = ?, source_kind = 'feed', source_ref = ?
		 WHERE kpi_id = ? AND period = ? AND dimension_key = ? AND had_value = 1`
	);
	const updateBase = sqlite.prepare(
		`UPDATE cell_bases SET value = ?, had_value = 1, status = ?, source_kind = 'feed', source_ref = ?
		 WHERE kpi_id = ? AND period = ? AND dimension_key = ?
		   AND (had_value = 0 OR value IS NOT ? OR status IS NOT ?)`
	);
	// Changed and removed values are audited one by one with old and new value, by SQLite itself
	// and only for rows that really change; created ones are audited with the run (they name
	// its id).
	sqlite.exec(`DROP TRIGGER IF EXISTS temp.feed_run_audit`);
	sqlite.exec(`DROP TRIGGER IF EXISTS temp.feed_run_audit_delete`);
	sqlite.exec(`DROP TRIGGER IF EXISTS temp.feed_run_base`);
	/** The statement that keeps a value's state before the run changed it (see feed_run_changes). */
	const rememberOld = (target: 'observation' | 'base', change: 'update' | 'delete', had: string) =>
		`INSERT INTO feed_run_changes (run_id, target, change, kpi_id, period, dimension_key,
		   old_had_value, old_value, old_status, old_source_kind, old_source_ref, old_changed_at)
		 VALUES (${literal(state.runId)}, '${target}', '${change}', OLD.kpi_id, OLD.period, OLD.dimension_key,
		   ${had}, OLD.value, OLD.status, OLD.source_kind, OLD.source_ref,
		   ${target === 'observation' ? 'OLD.changed_at' : 'NULL'});`;
	sqlite.exec(
		`CREATE TEMP TRIGGER feed_run_audit AFTER UPDATE OF value, status ON main.observations
		 WHEN OLD.value IS NOT NEW.value OR OLD.status IS NOT NEW.status
		 BEGIN
		   INSERT INTO audit_log (at, user_id, action, entity, entity_id, old_value, new_value)
		   VALUES (${literal(state.changedAt)}, ${literal(options.userId)}, 'observation.update', 'observation',
		     NEW.kpi_id || '|' || NEW.period || '|' || NEW.dimension_key,
		     json_object('value', OLD.value, 'status', OLD.status),
		     json_object('value', NEW.value, 'status', NEW.status, 'source', 'feed:' || NEW.source_ref));
		   ${rememberOld('observation', 'update', '1')}
		 END`
	);
	sqlite.exec(
		`CREATE TEMP TRIGGER feed_run_audit_delete AFTER DELETE ON main.observations
		 BEGIN
		   INSERT INTO audit_log (at, user_id, action, entity, entity_id, old_value, new_value)
		   VALUES (${literal(state.changedAt)}, ${literal(options.userId)}, 'observation.delete', 'observation',
		     OLD.kpi_id || '|' || OLD.period || '|' || OLD.dimension_key,
		     json_object('value', OLD.value, 'status', OLD.status),
		     json_object('source', 'feed:' || ${literal(state.runId)}, 'reason', 'missing'));
		   ${rememberOld('observation', 'delete', '1')}
		 END`
	);
	// The old base of a cell that form entries write, for taking the run back.
	sqlite.exec(
		`CREATE TEMP TRIGGER feed_run_base AFTER UPDATE ON main.cell_bases
		 BEGIN
		   ${rememberOld('base', 'update', 'OLD.had_value')}
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
	const rowValues: {
		kpiId: string;
		period: string;
		dimensionKey: string;
		value: number | null | undefined;
	}[] = [];
	let rowLength = 0;
	const emit = (
		kpiId: string,
		period: string,
		dimensionKey: string,
		value: number | null | undefined
	) => {
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
		skip() {
			counts.rowsRead++;
			counts.rowsSkipped++;
		},
		reject(error) {
			counts.rowsRead++;
			reject(error);
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
			if (state.preview && state.preview.length < (options.previewValues ?? 0)) {
				for (let i = 0; i < rowLength; i++) {
					const v = rowValues[i]!;
					state.preview.push({
						line,
						kpiId: v.kpiId,
						period: v.period,
						dimensionKey: v.dimensionKey,
						value: v.value ?? null,
						missing: v.value === undefined
					});
				}
			}
			// Past the tolerated rejections the run will be rolled back: stop writing.
			if (counts.rowsRejected > definition.maxRejectedRows) return;
			let changed = false;
			for (let i = 0; i < rowLength; i++) {
				const v = rowValues[i]!;
				const entryCell =
					entryCells.size > 0 && entryCells.has(cellKeyOf(v.kpiId, v.period, v.dimensionKey));
				if (v.value === undefined) {
					const result = entryCell
						? clearBase.run(status, state.runId, v.kpiId, v.period, v.dimensionKey)
						: remove.run(v.kpiId, v.period, v.dimensionKey);
					if (result.changes) {
						counts.observationsRemoved++;
						changed = true;
						if (entryCell) {
							touchedCells.push({ kpiId: v.kpiId, period: v.period, dimensionKey: v.dimensionKey });
						} else changedKpis.add(v.kpiId);
					}
					continue;
				}
				if (entryCell) {
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
			// A row of missing values only, where nothing was stored, brought nothing to keep.
			if (!changed && rowValues.slice(0, rowLength).some((v) => v.value !== undefined))
				counts.rowsUnchanged++;
		}
	};

	const maxBytes = options.maxBytes ?? Infinity;
	const chunks =
		source.kind === 'genesis'
			? genesisChunks(input.path, state.stats, maxBytes, chunkBytes)
			: refuseZip(fileChunks(input.path, state.stats, maxBytes, chunkBytes));
	return {
		texts: decodedText(
			chunks,
			source.kind === 'json' ? 'utf-8' : source.encoding,
			source.kind === 'genesis' || definition.source.format === 'datapackage'
		),
		reader:
			source.kind === 'csv'
				? csvReader(source.csv, sink)
				: source.kind === 'genesis'
					? genesisReader(source.plan, sink)
					: jsonReader(source.records, source.path, sink),
		finish() {
			state.markers.missing = compiled.counts.missing;
			state.markers.suppressed = compiled.counts.suppressed;
			sqlite.exec(`DROP TRIGGER temp.feed_run_audit`);
			sqlite.exec(`DROP TRIGGER temp.feed_run_audit_delete`);
			sqlite.exec(`DROP TRIGGER temp.feed_run_base`);
			if (touchedCells.length) {
				for (const kpi of refreshCells(db, touchedCells, options.userId, state.started))
					changedKpis.add(kpi);
			}
			return { kpisChanged: [...changedKpis].sort() };
		}
	};
}

/** How a definition's source is read. */
type Source =
	| {
			kind: 'csv';
			encoding: FeedEncoding;
			csv: CsvOptions;
			conventions: SourceConventions;
			schemaFields?: string[];
			check?: TabularResource['check'];
	  }
	| {
			kind: 'json';
			records: 'array' | 'lines';
			path: string | undefined;
			conventions: SourceConventions;
			schemaFields?: undefined;
			check?: undefined;
	  }
	| {
			kind: 'genesis';
			encoding: FeedEncoding;
			plan: GenesisPlan;
			conventions: SourceConventions;
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
				conventions: { numberStyle: () => style }
			};
		}
		case 'json':
			return {
				kind: 'json',
				records: source.records,
				path: source.path,
				conventions: { numberStyle: () => ({ decimal: '.', thousands: '' }) }
			};
		case 'datapackage': {
			const resource = tabularResource(source.descriptor, source.resource);
			// Without a format in the definition, the Table Schema says how the period is written.
			const period = definition.mapping.period;
			const periodReader =
				period?.column === undefined || period.format !== undefined
					? undefined
					: resource.periodReader(period.column);
			if (periodReader && 'error' in periodReader) {
				throw definitionError(periodReader.error, `No period reader: ${periodReader.error}`);
			}
			return {
				kind: 'csv',
				encoding: resource.encoding,
				csv: {
					delimiter: resource.delimiter,
					quote: resource.quote,
					header: resource.header,
					columns: resource.header ? undefined : resource.fields.map((f) => f.name),
					skipLines: 0,
					trimStart: resource.trimStart,
					commentChar: resource.commentChar
				},
				conventions: {
					numberStyle: resource.numberStyle,
					missingValues: resource.missingValues,
					periodReader
				},
				schemaFields: resource.fields.map((f) => f.name),
				check: resource.check
			};
		}
		case 'genesis-ffcsv': {
			const style: NumberStyle = { decimal: source.decimal, thousands: '' };
			return {
				kind: 'genesis',
				encoding: source.encoding,
				plan: genesisPlan(definition.mapping),
				conventions: { numberStyle: () => style, periodReader: genesisPeriodReader }
			};
		}
	}
}

/**
 * A zip is unpacked only for GENESIS files, whose publishers ship them so; another feed's zip
 * would otherwise be reported as a file in the wrong encoding.
 */
function* refuseZip(chunks: Iterable<Buffer>): Generator<Buffer> {
	let first = true;
	for (const chunk of chunks) {
		if (first && isZipStart(chunk)) {
			throw new FeedFailure(
				{
					line: null,
					column: null,
					code: 'malformed',
					message:
						'Die Datei ist ein ZIP-Archiv. Bitte die Datei entpackt liefern (gepackt gelesen werden nur GENESIS-Dateien).'
				},
				'Zip archive for a format read unpacked'
			);
		}
		first = false;
		yield chunk;
	}
}

function mappingContext(db: DbOrTx): MappingContext {
	const kpis = new Map<string, MappedKpi>(
		loadDefinitions(db).map((d) => [
			d.id,
			{
				id: d.id,
				title: d.title,
				cadence: d.cadence,
				dimensions: d.dimensions,
				derived: isDerived(d.formula),
				active: d.active
			}
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
function connectionOf(db: DbOrTx): KlarDatabase['$client'] {
	const client =
		(db as Partial<KlarDatabase>).$client ??
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
	const removed = counts.observationsRemoved
		? `, ${number.format(counts.observationsRemoved)} entfernt (als fehlend geliefert)`
		: '';
	const values =
		mode === 'import'
			? `${number.format(counts.observationsCreated)} Werte neu, ${number.format(counts.observationsUpdated)} geändert${removed}`
			: `${number.format(counts.observationsCreated)} Werte wären neu, ${number.format(counts.observationsUpdated)} geändert${removed} – nichts importiert`;
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
		observationsUpdated: report.observationsUpdated,
		observationsRemoved: report.observationsRemoved
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
		observationsRemoved: report.observationsRemoved,
		kpisChanged: JSON.stringify(report.kpisChanged),
		errors: JSON.stringify(report.errors),
		summary: report.summary
	};
}
