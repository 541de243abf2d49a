import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import type { Clock } from '#server/clock';
import {
	cellBases,
	feedDefinitionVersions,
	feedRunChanges,
	feedRuns,
	feeds,
	observations,
	users
} from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { readJsonText } from '#server/json-text';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { loadDefinitions, loadDimensions } from '#server/kpis/catalogue';
import { refreshCells, type CellKey } from '#server/entries/cells';
import type {
	FeedDefinition,
	FeedRunReport,
	FeedDefinitionVersion,
	FeedOverlap,
	FeedPreview,
	TakeBackReport
} from '#shared/feeds';
import { SAMPLE_LIMIT_BYTES } from '#shared/feeds';
import {
	FeedDefinitionError,
	parseDefinition,
	storedDefinition,
	storedDefinitions,
	writeDefinition
} from './definitions';
import { kpiIdsOf } from './mapping';
import { runFeed } from './runner';

/**
 * The feed administration of the central controlling in the browser: a definition is checked
 * against a sample file before it is stored (preview), saved as a new version, retired or
 * deleted, and a run can be taken back. Every change is audited.
 */

/** How many values a preview shows. */
export const PREVIEW_VALUES = 30;

export interface SampleFile {
	fileName: string;
	/** The file's bytes, base64-encoded. */
	base64: string;
}

export type DefinitionCheck =
	{ ok: true; definition: FeedDefinition } | { ok: false; problems: string[] };

/** Reads and checks a definition typed or pasted in the browser; problems in German. */
export function checkDefinitionText(text: string): DefinitionCheck {
	const read = readJsonText(text, 'Die Definition');
	if (!read.ok) return { ok: false, problems: [read.message] };
	try {
		// No folder: a descriptor or schema given as a path cannot be read from the browser.
		return { ok: true, definition: parseDefinition(read.data) };
	} catch (error) {
		if (error instanceof FeedDefinitionError) return { ok: false, problems: error.problems };
		throw error;
	}
}

type SampleCheck =
	| { ok: false; problems: string[] }
	| {
			ok: true;
			definition: FeedDefinition;
			report: FeedRunReport;
			stored: FeedDefinition | null;
	  };

/** The definition read and run over the sample in a check that keeps nothing. */
function checkWithSample(
	db: DbOrTx,
	text: string,
	sample: SampleFile,
	userId: string,
	clock: Clock
): SampleCheck {
	const checked = checkDefinitionText(text);
	if (!checked.ok) return checked;
	const bytes = sampleBytes(sample);
	if (typeof bytes === 'string') return { ok: false, problems: [bytes] };
	const definition = checked.definition;
	const report = withSampleFile(bytes, (path) =>
		runFeed(
			db,
			definition,
			{ path, fileName: sample.fileName || 'Beispiel' },
			{ mode: 'validate', origin: 'upload', userId, clock, previewValues: PREVIEW_VALUES }
		)
	);
	return { ok: true, definition, report, stored: storedDefinition(db, definition.id) };
}

/**
 * Checks a definition with a sample file and shows what would be stored; keeps nothing. Other
 * active feeds writing the same KPIs are named as a warning (two sources for one figure are
 * allowed, but the later delivery wins, and that should be a decision).
 */
export function previewDefinition(
	db: DbOrTx,
	text: string,
	sample: SampleFile,
	userId: string,
	clock: Clock
): FeedPreview {
	const check = checkWithSample(db, text, sample, userId, clock);
	if (!check.ok) return check;
	const { definition, report, stored } = check;
	// Titles of what the preview shows, so that the table speaks the catalogue's words.
	const shownKpis = new Set((report.preview ?? []).map((v) => v.kpiId));
	return {
		ok: true,
		report,
		kpiTitles: Object.fromEntries(
			loadDefinitions(db)
				.filter((k) => shownKpis.has(k.id) || kpiIdsOf(definition).includes(k.id))
				.map((k) => [k.id, k.title])
		),
		dimensionTitles: Object.fromEntries(loadDimensions(db).map((d) => [d.id, d.title])),
		exists: stored !== null,
		unchanged: stored !== null && JSON.stringify(stored) === JSON.stringify(definition),
		overlaps: overlapsOf(db, definition)
	};
}

export type SaveAnswer =
	| { ok: true; feedId: string; version: number; created: boolean }
	| { ok: false; problems: string[] };

/**
 * Stores a definition after its sample has passed the check: a new feed (`create`) or a new
 * version of an existing one (`edit`). The check is repeated here, so nothing unchecked is ever
 * stored whatever the browser sends.
 */
export function saveDefinition(
	db: DbOrTx,
	input: { text: string; sample: SampleFile; intent: 'create' | 'edit'; feedId?: string },
	userId: string,
	clock: Clock
): SaveAnswer {
	const check = checkWithSample(db, input.text, input.sample, userId, clock);
	if (!check.ok) return check;
	const { definition, report, stored } = check;
	const id = definition.id;
	if (input.intent === 'create' && stored) {
		return { ok: false, problems: [`id: Die Kennung „${id}“ ist schon vergeben.`] };
	}
	if (input.intent === 'edit') {
		if (input.feedId !== id) {
			return {
				ok: false,
				problems: [
					`id: Die Kennung einer Lieferung bleibt, wie sie ist („${input.feedId ?? ''}“); für eine andere Kennung bitte eine neue Lieferung einrichten.`
				]
			};
		}
		if (!stored) return { ok: false, problems: ['Diese Datenlieferung gibt es nicht (mehr).'] };
	}
	if (report.status !== 'succeeded') {
		return {
			ok: false,
			problems: [
				'Die Beispieldatei passt nicht zur Definition; gespeichert wird erst nach einer fehlerfreien Vorschau.'
			]
		};
	}
	const version = db.transaction((tx) => writeDefinition(tx, definition, userId, clock()));
	return { ok: true, feedId: id, version, created: !stored };
}

/** Every saved version of a feed's definition, newest first. */
export function definitionVersions(db: DbOrTx, feedId: string): FeedDefinitionVersion[] {
	return db
		.select({
			version: feedDefinitionVersions.version,
			savedAt: feedDefinitionVersions.savedAt,
			savedBy: users.displayName,
			definition: feedDefinitionVersions.definition
		})
		.from(feedDefinitionVersions)
		.leftJoin(users, eq(users.id, feedDefinitionVersions.savedBy))
		.where(eq(feedDefinitionVersions.feedId, feedId))
		.orderBy(desc(feedDefinitionVersions.version))
		.all()
		.map((row) => ({
			version: row.version,
			savedAt: row.savedAt,
			savedBy: row.savedBy,
			definition: JSON.stringify(JSON.parse(row.definition), null, 2)
		}));
}

/** Retires a feed (no uploads, not expected) or takes it up again; audited. */
export function setFeedActive(
	db: DbOrTx,
	feedId: string,
	active: boolean,
	userId: string,
	now: Date
): boolean {
	return db.transaction((tx) => {
		const row = tx.select({ active: feeds.active }).from(feeds).where(eq(feeds.id, feedId)).get();
		if (!row) return false;
		if (row.active === active) return true;
		tx.update(feeds)
			.set({ active, updatedAt: now.toISOString() })
			.where(eq(feeds.id, feedId))
			.run();
		appendAudit(
			tx,
			{
				userId,
				action: active ? 'feed.activate' : 'feed.deactivate',
				entity: 'feed',
				entityId: feedId,
				oldValue: { active: row.active },
				newValue: { active }
			},
			now
		);
		return true;
	});
}

export type DeleteAnswer = { ok: true } | { ok: false; message: string };

/**
 * Deletes a feed that never delivered a value that still stands: no successful run, or only
 * runs taken back. Its failed runs and versions go with it; the audit keeps the record. The
 * admin confirms by typing the feed's id.
 */
export function deleteFeed(
	db: DbOrTx,
	feedId: string,
	confirmation: string,
	userId: string,
	now: Date
): DeleteAnswer {
	if (confirmation.trim() !== feedId) {
		return {
			ok: false,
			message: 'Zur Bestätigung bitte die Kennung der Lieferung genau abtippen.'
		};
	}
	return db.transaction((tx): DeleteAnswer => {
		const definition = storedDefinition(tx, feedId);
		if (!definition) return { ok: false, message: 'Diese Datenlieferung gibt es nicht (mehr).' };
		const standing = tx
			.select({ id: feedRuns.id })
			.from(feedRuns)
			.where(
				and(
					eq(feedRuns.feedId, feedId),
					eq(feedRuns.status, 'succeeded'),
					isNull(feedRuns.takenBackAt)
				)
			)
			.limit(1)
			.get();
		if (standing) {
			return {
				ok: false,
				message:
					'Diese Lieferung hat Werte geliefert, die noch gelten. Bitte ihre Läufe zurücknehmen oder die Lieferung stilllegen.'
			};
		}
		const runIds = tx
			.select({ id: feedRuns.id })
			.from(feedRuns)
			.where(eq(feedRuns.feedId, feedId))
			.all()
			.map((r) => r.id);
		for (const runId of runIds) {
			tx.delete(feedRunChanges).where(eq(feedRunChanges.runId, runId)).run();
		}
		tx.delete(feedRuns).where(eq(feedRuns.feedId, feedId)).run();
		tx.delete(feedDefinitionVersions).where(eq(feedDefinitionVersions.feedId, feedId)).run();
		tx.delete(feeds).where(eq(feeds.id, feedId)).run();
		appendAudit(
			tx,
			{
				userId,
				action: 'feed.delete',
				entity: 'feed',
				entityId: feedId,
				oldValue: { definition, runs: runIds.length }
			},
			now
		);
		return { ok: true };
	});
}

export type TakeBackAnswer = { ok: true; report: TakeBackReport } | { ok: false; message: string };

/**
 * Takes a successful run back: every value it created goes, every value it changed or removed
 * returns to what it was before, and the bases of cells that form entries write return to
 * theirs, resolved again with the entries (the mechanism entries use). A value that another run
 * or an entry changed since is left as it is and counted. Snapshots are rebuilt, so phones
 * follow at their next sync. Audited.
 */
export function takeBackRun(db: DbOrTx, runId: string, userId: string, now: Date): TakeBackAnswer {
	return db.transaction((tx): TakeBackAnswer => {
		const run = tx
			.select({
				feedId: feedRuns.feedId,
				status: feedRuns.status,
				takenBackAt: feedRuns.takenBackAt,
				created: feedRuns.observationsCreated
			})
			.from(feedRuns)
			.where(eq(feedRuns.id, runId))
			.get();
		if (!run) return { ok: false, message: 'Diesen Lauf gibt es nicht.' };
		if (run.status !== 'succeeded') {
			return { ok: false, message: 'Ein abgelehnter Lauf hat nichts gespeichert.' };
		}
		if (run.takenBackAt) return { ok: false, message: 'Dieser Lauf ist schon zurückgenommen.' };

		const report: TakeBackReport = { removed: 0, restored: 0, keptNewer: 0, kpisChanged: [] };
		const kpis = new Set<string>();
		const cells: CellKey[] = [];
		const changes = tx
			.select()
			.from(feedRunChanges)
			.where(eq(feedRunChanges.runId, runId))
			.orderBy(asc(feedRunChanges.kpiId), asc(feedRunChanges.period))
			.all();
		const changed = new Set(
			changes
				.filter((c) => c.target === 'observation')
				.map((c) => `${c.kpiId}\u0000${c.period}\u0000${c.dimensionKey}`)
		);
		const at = now.toISOString();

		// Values the run created: they carry its id and have no earlier state.
		const created = tx
			.select({
				kpiId: observations.kpiId,
				period: observations.period,
				dimensionKey: observations.dimensionKey,
				value: observations.value,
				status: observations.status
			})
			.from(observations)
			.where(eq(observations.sourceRef, runId))
			.all()
			.filter((o) => !changed.has(`${o.kpiId}\u0000${o.period}\u0000${o.dimensionKey}`));
		// Values it created that carry another source's id by now were overwritten since.
		report.keptNewer += Math.max(0, run.created - created.length);
		for (const o of created) {
			tx.delete(observations).where(cellOf(o)).run();
			auditObservation(tx, userId, at, runId, o, { value: o.value, status: o.status }, null);
			report.removed++;
			kpis.add(o.kpiId);
		}

		for (const c of changes) {
			if (c.target === 'base') {
				const base = tx
					.select({ sourceRef: cellBases.sourceRef })
					.from(cellBases)
					.where(cellOfBase(c))
					.get();
				if (base?.sourceRef !== runId) {
					report.keptNewer++;
					continue;
				}
				tx.update(cellBases)
					.set({
						hadValue: c.oldHadValue,
						value: c.oldValue,
						status: c.oldStatus as 'provisional' | 'final' | null,
						sourceKind: c.oldSourceKind as 'seed' | 'feed' | 'form' | null,
						sourceRef: c.oldSourceRef
					})
					.where(cellOfBase(c))
					.run();
				cells.push({ kpiId: c.kpiId, period: c.period, dimensionKey: c.dimensionKey });
				report.restored++;
				continue;
			}
			const current = tx
				.select({
					value: observations.value,
					status: observations.status,
					sourceRef: observations.sourceRef
				})
				.from(observations)
				.where(cellOf(c))
				.get();
			const stillTheRuns =
				c.change === 'update' ? current?.sourceRef === runId : current === undefined;
			if (!stillTheRuns) {
				report.keptNewer++;
				continue;
			}
			const old = {
				value: c.oldValue,
				status: (c.oldStatus ?? 'final') as 'provisional' | 'final',
				sourceKind: (c.oldSourceKind ?? 'feed') as 'seed' | 'feed' | 'form',
				sourceRef: c.oldSourceRef,
				changedAt: c.oldChangedAt ?? at
			};
			if (current) tx.update(observations).set(old).where(cellOf(c)).run();
			else
				tx.insert(observations)
					.values({ kpiId: c.kpiId, period: c.period, dimensionKey: c.dimensionKey, ...old })
					.run();
			auditObservation(
				tx,
				userId,
				at,
				runId,
				c,
				current ? { value: current.value, status: current.status } : null,
				{ value: old.value, status: old.status }
			);
			report.restored++;
			kpis.add(c.kpiId);
		}
		if (cells.length) for (const kpi of refreshCells(tx, cells, userId, now)) kpis.add(kpi);

		report.kpisChanged = [...kpis].sort();
		tx.update(feedRuns)
			.set({ takenBackAt: at, takenBackBy: userId })
			.where(eq(feedRuns.id, runId))
			.run();
		appendAudit(
			tx,
			{
				userId,
				action: 'feed.run_take_back',
				entity: 'feed',
				entityId: run.feedId,
				newValue: { run: runId, ...report }
			},
			now
		);
		if (report.kpisChanged.length) rebuildSnapshots(tx, report.kpisChanged, now);
		return { ok: true, report };
	});
}

/** The definitions of the feeds that take deliveries. */
export function activeFeedDefinitions(db: DbOrTx): FeedDefinition[] {
	const active = new Set(
		db
			.select({ id: feeds.id })
			.from(feeds)
			.where(eq(feeds.active, true))
			.all()
			.map((r) => r.id)
	);
	return storedDefinitions(db).filter((definition) => active.has(definition.id));
}

/**
 * Other active feeds that write KPIs this definition writes: two deliveries for one figure
 * overwrite each other, so the admin is told (and may still go ahead). A caller that asks for
 * many definitions (the feed list) reads the active ones once and passes them.
 */
export function overlapsOf(
	db: DbOrTx,
	definition: FeedDefinition,
	active: readonly FeedDefinition[] = activeFeedDefinitions(db)
): FeedOverlap[] {
	const mine = new Set(kpiIdsOf(definition));
	return active
		.filter((other) => other.id !== definition.id)
		.map((other) => ({
			feedId: other.id,
			title: other.title,
			kpiIds: kpiIdsOf(other).filter((id) => mine.has(id))
		}))
		.filter((overlap) => overlap.kpiIds.length > 0);
}

function sampleBytes(sample: SampleFile): Buffer | string {
	const bytes = Buffer.from(sample.base64, 'base64');
	if (bytes.length === 0) return 'Die Beispieldatei ist leer.';
	if (bytes.length > SAMPLE_LIMIT_BYTES) {
		return 'Die Beispieldatei ist größer als 1 MB. Für die Vorschau genügt ein Ausschnitt mit den ersten Zeilen.';
	}
	return bytes;
}

function withSampleFile<T>(bytes: Buffer, use: (path: string) => T): T {
	const dir = mkdtempSync(join(tmpdir(), 'klar-sample-'));
	try {
		const path = join(dir, 'sample');
		writeFileSync(path, bytes);
		return use(path);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

type Cell = { kpiId: string; period: string; dimensionKey: string };

const cellOf = (c: Cell) =>
	and(
		eq(observations.kpiId, c.kpiId),
		eq(observations.period, c.period),
		eq(observations.dimensionKey, c.dimensionKey)
	);

const cellOfBase = (c: Cell) =>
	and(
		eq(cellBases.kpiId, c.kpiId),
		eq(cellBases.period, c.period),
		eq(cellBases.dimensionKey, c.dimensionKey)
	);

function auditObservation(
	db: DbOrTx,
	userId: string,
	at: string,
	runId: string,
	cell: Cell,
	oldValue: { value: number | null; status: string } | null,
	newValue: { value: number | null; status: string } | null
) {
	appendAudit(
		db,
		{
			userId,
			action: newValue
				? oldValue
					? 'observation.update'
					: 'observation.create'
				: 'observation.delete',
			entity: 'observation',
			entityId: `${cell.kpiId}|${cell.period}|${cell.dimensionKey}`,
			oldValue: oldValue ?? undefined,
			newValue: { ...(newValue ?? {}), source: `take-back:${runId}` }
		},
		new Date(at)
	);
}
