import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import {
	cellBases,
	entryCells,
	formEntries,
	observations,
	previewObservations
} from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { upsertObservation } from './observations';

export interface CellKey {
	kpiId: string;
	period: string;
	dimensionKey: string;
}

export interface Contribution {
	recordId: string;
	version: number;
	state: 'pending' | 'released';
	value: number | null;
	mode: 'set' | 'add';
}

export interface Base {
	hadValue: boolean;
	value: number | null;
}

export type Resolution = { exists: false } | { exists: true; value: number | null };

/**
 * The value of one cell from its base (what other sources gave it) and the entries that write
 * it. Pure. A `set` entry's value wins (the newest version if ever two records meet); `add`
 * entries are summed on top of the base; with no entries the base comes back.
 */
export function resolveCell(base: Base, contributions: readonly Contribution[]): Resolution {
	const sets = contributions.filter((c) => c.mode === 'set');
	if (sets.length) {
		const latest = sets.reduce((a, b) => (b.version > a.version ? b : a));
		return { exists: true, value: latest.value };
	}
	const adds = contributions.filter((c) => c.mode === 'add');
	if (adds.length) {
		const start = base.hadValue ? (base.value ?? 0) : 0;
		return { exists: true, value: adds.reduce((sum, c) => sum + (c.value ?? 0), start) };
	}
	return base.hadValue ? { exists: true, value: base.value } : { exists: false };
}

/**
 * Which versions count for whom: everyone sees released versions; internal readers see a
 * record's pending version instead of its released one (the correction they are about to get).
 */
export function layers(
	contributions: readonly Contribution[],
	recordsWithPending: ReadonlySet<string>
): { released: Contribution[]; preview: Contribution[] } {
	return {
		released: contributions.filter((c) => c.state === 'released'),
		preview: contributions.filter(
			(c) => c.state === 'pending' || !recordsWithPending.has(c.recordId)
		)
	};
}

const same = (a: Resolution, b: Resolution) =>
	a.exists === b.exists && (!a.exists || (b.exists && a.value === b.value));

/** A cell as one string, for sets and maps of cells. */
export const cellKeyOf = (kpiId: string, period: string, dimensionKey: string) =>
	`${kpiId}\u0000${period}\u0000${dimensionKey}`;

const keyOf = (c: CellKey) => cellKeyOf(c.kpiId, c.period, c.dimensionKey);

/**
 * Brings the given cells up to date after entries were submitted, released, rejected or
 * superseded: the released value into `observations` (audited), the value internal readers see
 * while something awaits release into `preview_observations`. Returns the KPIs whose data
 * changed, for the snapshot rebuild. Call inside the transaction of the change.
 */
export function refreshCells(
	db: DbOrTx,
	cells: readonly CellKey[],
	userId: string | null,
	now: Date
): Set<string> {
	const touched = new Set<string>();
	const unique = new Map(cells.map((c) => [keyOf(c), c]));
	for (const cell of unique.values()) {
		const where = and(
			eq(entryCells.kpiId, cell.kpiId),
			eq(entryCells.period, cell.period),
			eq(entryCells.dimensionKey, cell.dimensionKey)
		);
		const rows = db
			.select({
				recordId: formEntries.recordId,
				version: formEntries.version,
				state: formEntries.state,
				value: entryCells.value,
				mode: entryCells.mode
			})
			.from(entryCells)
			.innerJoin(formEntries, eq(formEntries.id, entryCells.entryId))
			.where(and(where, inArray(formEntries.state, ['pending', 'released'])))
			.all() as Contribution[];
		const recordIds = [...new Set(rows.map((r) => r.recordId))];
		const withPending = new Set(
			recordIds.length
				? db
						.select({ recordId: formEntries.recordId })
						.from(formEntries)
						.where(and(inArray(formEntries.recordId, recordIds), eq(formEntries.state, 'pending')))
						.all()
						.map((r) => r.recordId)
				: []
		);
		const base = baseOf(db, cell);
		const { released, preview } = layers(rows, withPending);
		const releasedValue = resolveCell(base, released);
		const previewValue = resolveCell(base, preview);

		if (writeReleased(db, cell, releasedValue, base, released.length > 0, userId, now))
			touched.add(cell.kpiId);
		if (writePreview(db, cell, same(releasedValue, previewValue) ? null : previewValue))
			touched.add(cell.kpiId);
	}
	return touched;
}

/** The cell's value from other sources, captured the first time an entry writes the cell. */
function baseOf(db: DbOrTx, cell: CellKey): Base & { row: typeof cellBases.$inferSelect } {
	const key = and(
		eq(cellBases.kpiId, cell.kpiId),
		eq(cellBases.period, cell.period),
		eq(cellBases.dimensionKey, cell.dimensionKey)
	);
	let row = db.select().from(cellBases).where(key).get();
	if (!row) {
		const current = db
			.select()
			.from(observations)
			.where(
				and(
					eq(observations.kpiId, cell.kpiId),
					eq(observations.period, cell.period),
					eq(observations.dimensionKey, cell.dimensionKey)
				)
			)
			.get();
		row = {
			...cell,
			value: current?.value ?? null,
			hadValue: Boolean(current),
			status: current?.status ?? null,
			sourceKind: current?.sourceKind ?? null,
			sourceRef: current?.sourceRef ?? null
		};
		db.insert(cellBases).values(row).run();
	}
	return { hadValue: row.hadValue, value: row.value, row };
}

function writeReleased(
	db: DbOrTx,
	cell: CellKey,
	resolution: Resolution,
	base: ReturnType<typeof baseOf>,
	fromEntries: boolean,
	userId: string | null,
	now: Date
): boolean {
	if (resolution.exists) {
		return upsertObservation(
			db,
			{
				...cell,
				value: resolution.value,
				status: fromEntries ? 'final' : (base.row.status ?? 'final'),
				sourceKind: fromEntries ? 'form' : (base.row.sourceKind ?? 'form'),
				sourceRef: fromEntries ? null : base.row.sourceRef
			},
			userId,
			now
		);
	}
	const where = and(
		eq(observations.kpiId, cell.kpiId),
		eq(observations.period, cell.period),
		eq(observations.dimensionKey, cell.dimensionKey)
	);
	const old = db.select().from(observations).where(where).get();
	if (!old) return false;
	db.delete(observations).where(where).run();
	appendAudit(
		db,
		{
			userId,
			action: 'observation.delete',
			entity: 'observation',
			entityId: `${cell.kpiId}|${cell.period}|${cell.dimensionKey}`,
			oldValue: { value: old.value, status: old.status }
		},
		now
	);
	return true;
}

function writePreview(db: DbOrTx, cell: CellKey, resolution: Resolution | null): boolean {
	const where = and(
		eq(previewObservations.kpiId, cell.kpiId),
		eq(previewObservations.period, cell.period),
		eq(previewObservations.dimensionKey, cell.dimensionKey)
	);
	const old = db.select().from(previewObservations).where(where).get();
	if (resolution === null) {
		if (!old) return false;
		db.delete(previewObservations).where(where).run();
		return true;
	}
	const next = {
		...cell,
		value: resolution.exists ? resolution.value : null,
		removed: !resolution.exists
	};
	if (old && old.value === next.value && old.removed === next.removed) return false;
	db.insert(previewObservations)
		.values(next)
		.onConflictDoUpdate({
			target: [
				previewObservations.kpiId,
				previewObservations.period,
				previewObservations.dimensionKey
			],
			set: { value: next.value, removed: next.removed }
		})
		.run();
	return true;
}
