import { and, eq, gt, inArray, max, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { changeLog, courseProviders, districts, facilities, meta } from '#server/db/schema';
import { ENTRY_SCOPE } from '#server/entries/lifecycle';
import { loadEntries } from '#server/entries/queries';
import {
	loadAreas,
	loadDefinitionsByIds,
	loadDimensions,
	publicDefinition
} from '#server/kpis/catalogue';
import { disclosedViews, loadSnapshots } from '#server/kpis/snapshots';
import {
	canRead,
	canReadEntries,
	canReadProvisional,
	readScopeFingerprint,
	ROLE_RULES,
	seesSmallCounts,
	type Principal
} from '#shared/permissions';
import {
	EntityName,
	isSupportedSchemaVersion,
	UPDATE_REQUIRED_MESSAGE,
	type ChangeV1,
	type PullRequestV1,
	type PullResponseV1
} from '#shared/protocol';
import type { AreaId } from '#shared/areas';
import { decodeCursor, decodeWitness, encodeCursor, encodeWitness } from './cursor';

export const DEFAULT_PAGE_LIMIT = 200;

/** Facilities are an internal reference list of the accommodation area. */
export const FACILITY_SCOPE = { areaId: 'asyl' as AreaId, visibility: 'internal' as const };
/** Course providers are an internal reference list of the education area. */
export const PROVIDER_SCOPE = { areaId: 'bildung' as AreaId, visibility: 'internal' as const };
/** Districts name the city's parts: public, every picker and label needs them. */
export const DISTRICT_SCOPE = { areaId: 'bevoelkerung' as AreaId, visibility: 'public' as const };

export function syncEpoch(db: DbOrTx): string {
	return db.select({ value: meta.value }).from(meta).where(eq(meta.key, 'sync_epoch')).get()!.value;
}

/** A short check of the change-log row at `seq`, so a cursor names one history, not just a number. */
export function changeCheck(db: DbOrTx, seq: number): string {
	if (seq === 0) return '';
	const row = db
		.select({ nonce: changeLog.nonce })
		.from(changeLog)
		.where(eq(changeLog.seq, seq))
		.get();
	return row ? row.nonce : 'missing';
}

/** SQL filter for change-log rows whose scope the principal may read (deny by default). */
function scopeFilter(principal: Principal): SQL {
	const rules = ROLE_RULES[principal.role];
	const everywhere = [...rules.readEverywhere];
	const own = [...rules.readInOwnAreas];
	const clauses: SQL[] = [];
	if (everywhere.length) clauses.push(inArray(changeLog.visibility, everywhere));
	if (own.length && principal.areas.length) {
		clauses.push(
			and(inArray(changeLog.visibility, own), inArray(changeLog.areaId, principal.areas))!
		);
	}
	const entryAreas = principal.areas.filter((area) => canReadEntries(principal, area));
	if (entryAreas.length) {
		clauses.push(
			and(eq(changeLog.visibility, ENTRY_SCOPE), inArray(changeLog.areaId, entryAreas))!
		);
	}
	return clauses.length ? or(...clauses)! : sql`0`;
}

/**
 * One page of changes since the cursor, filtered to what the principal may read. Everything is
 * read in one transaction, so the cursor and the data agree.
 */
export function pull(
	db: DbOrTx,
	principal: Principal,
	request: PullRequestV1,
	now: Date
): PullResponseV1 {
	if (!isSupportedSchemaVersion(request.schemaVersion)) {
		return { kind: 'update_required', message: UPDATE_REQUIRED_MESSAGE };
	}
	const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
	const fingerprint = readScopeFingerprint(principal);
	return db.transaction((tx) => {
		const epoch = syncEpoch(tx);
		const head = changeLogHead(tx);
		let from = 0;
		if (!witnessHolds(tx, request.witness, epoch, head)) {
			return { kind: 'reset', reason: 'unknown_cursor' };
		}
		if (request.cursor !== null) {
			const cursor = decodeCursor(request.cursor);
			if (!cursor || cursor.epoch !== epoch) return { kind: 'reset', reason: 'unknown_cursor' };
			if (cursor.upTo > cursor.head) return { kind: 'reset', reason: 'unknown_cursor' };
			if (cursor.head > head) return { kind: 'reset', reason: 'cursor_from_future' };
			if (cursor.headCheck !== changeCheck(tx, cursor.head)) {
				return { kind: 'reset', reason: 'unknown_cursor' };
			}
			if (cursor.userId !== principal.id) return { kind: 'reset', reason: 'other_user' };
			if (cursor.scope !== fingerprint) return { kind: 'reset', reason: 'permissions_changed' };
			from = cursor.upTo;
		}
		const lastSeq = max(changeLog.seq);
		const rows = tx
			.select({ entity: changeLog.entity, entityId: changeLog.entityId, seq: lastSeq })
			.from(changeLog)
			.where(and(gt(changeLog.seq, from), scopeFilter(principal)))
			.groupBy(changeLog.entity, changeLog.entityId)
			.orderBy(lastSeq)
			.limit(limit + 1)
			.all();
		const hasMore = rows.length > limit;
		const page = rows.slice(0, limit);
		const upTo = hasMore ? page.at(-1)!.seq! : head;
		const changes = materialise(tx, principal, page);
		return {
			kind: 'changes',
			changes,
			cursor: encodeCursor({
				epoch,
				upTo,
				head,
				headCheck: changeCheck(tx, head),
				userId: principal.id,
				scope: fingerprint
			}),
			hasMore,
			serverTime: now.toISOString()
		};
	});
}

/** What a put of an entity carries. */
export type EntityData<E extends EntityName> = Extract<ChangeV1, { op: 'put'; entity: E }>['data'];

/**
 * Reads the current state of changed entities of one kind for a principal: the data of those
 * that exist and that the principal may read. An id missing from the answer travels as a
 * tombstone (deleted, or no longer readable).
 */
type EntityReader<E extends EntityName> = (
	db: DbOrTx,
	principal: Principal,
	ids: string[]
) => Map<string, EntityData<E>>;

/**
 * Every synced entity and how a pull reads it. A new entity name in the protocol does not
 * compile until it has its reader here.
 */
export const ENTITY_READERS: { [E in EntityName]: EntityReader<E> } = {
	'area.v1': (db, _principal, ids) => {
		const wanted = new Set(ids);
		return new Map(
			loadAreas(db)
				.filter((a) => wanted.has(a.id))
				.map((a) => [a.id, a])
		);
	},
	'dimension.v1': (db, _principal, ids) => {
		const wanted = new Set(ids);
		return new Map(
			loadDimensions(db)
				.filter((d) => wanted.has(d.id))
				.map((d) => [d.id, d])
		);
	},
	'kpi.v2': (db, principal, ids) => {
		const readable = new Map<string, EntityData<'kpi.v2'>>();
		for (const definition of loadDefinitionsByIds(db, ids)) {
			// A retired KPI leaves the phones: a tombstone, as for one they may no longer read.
			if (definition.active && canRead(principal, definition)) {
				readable.set(definition.id, publicDefinition(definition));
			}
		}
		return readable;
	},
	'snapshot.v2': (db, principal, ids) => {
		const definitions = new Map(loadDefinitionsByIds(db, ids).map((d) => [d.id, d]));
		const readableIds = ids.filter((id) => {
			const definition = definitions.get(id);
			return definition?.active && canRead(principal, definition);
		});
		const snapshots = loadSnapshots(db, readableIds);
		// Readers who may not see small counts get the disclosed view and never the raw one.
		const disclosed = disclosedViews(
			db,
			snapshots,
			readableIds.filter((id) => !seesSmallCounts(principal, definitions.get(id)!.areaId))
		);
		const readable = new Map<string, EntityData<'snapshot.v2'>>();
		for (const id of readableIds) {
			const definition = definitions.get(id)!;
			const snapshot = snapshots.get(id);
			if (!snapshot) continue;
			if (!seesSmallCounts(principal, definition.areaId)) {
				const view = disclosed.get(id);
				if (!view) throw new Error(`No disclosed view of snapshot ${id}`);
				readable.set(id, view);
				continue;
			}
			// Values that await release only reach those who read the area's internal figures.
			readable.set(
				id,
				snapshot.internal && canReadProvisional(principal, definition.areaId)
					? snapshot.internal
					: snapshot.released
			);
		}
		return readable;
	},
	'district.v1': (db, principal, ids) =>
		!canRead(principal, DISTRICT_SCOPE)
			? new Map()
			: byId(ids, (wanted) =>
					db
						.select({
							id: districts.id,
							name: districts.name,
							sortOrder: districts.sortOrder,
							active: districts.active
						})
						.from(districts)
						.where(inArray(districts.id, wanted))
						.all()
				),
	'provider.v1': (db, principal, ids) =>
		!canRead(principal, PROVIDER_SCOPE)
			? new Map()
			: byId(ids, (wanted) =>
					db
						.select({
							id: courseProviders.id,
							name: courseProviders.name,
							districtId: courseProviders.districtId,
							district: districts.name,
							active: courseProviders.active
						})
						.from(courseProviders)
						.innerJoin(districts, eq(districts.id, courseProviders.districtId))
						.where(inArray(courseProviders.id, wanted))
						.all()
				),
	'facility.v1': (db, principal, ids) =>
		!canRead(principal, FACILITY_SCOPE)
			? new Map()
			: byId(ids, (wanted) =>
					db
						.select({
							id: facilities.id,
							name: facilities.name,
							district: districts.name,
							capacity: facilities.capacity,
							active: facilities.active
						})
						.from(facilities)
						.innerJoin(districts, eq(districts.id, facilities.districtId))
						.where(inArray(facilities.id, wanted))
						.all()
				),
	'entry.v1': (db, principal, ids) =>
		new Map(
			loadEntries(db, ids)
				.filter((entry) => canReadEntries(principal, entry.areaId))
				.map((entry) => [entry.id, entry])
		)
};

const isEntityName = (name: string): name is EntityName => EntityName.safeParse(name).success;

/** Current state of each changed entity: a put when it exists and is readable, else a tombstone. */
function materialise(
	db: DbOrTx,
	principal: Principal,
	page: { entity: string; entityId: string }[]
): ChangeV1[] {
	const idsByEntity = new Map<EntityName, string[]>();
	for (const { entity, entityId } of page) {
		if (!isEntityName(entity)) throw new Error(`Unknown entity ${entity} in change log`);
		const ids = idsByEntity.get(entity) ?? [];
		ids.push(entityId);
		idsByEntity.set(entity, ids);
	}
	const readable = new Map<EntityName, Map<string, unknown>>();
	for (const [entity, ids] of idsByEntity) {
		readable.set(entity, ENTITY_READERS[entity](db, principal, ids));
	}
	return page.map(({ entity, entityId: id }) => {
		const name = entity as EntityName;
		const data = readable.get(name)?.get(id);
		return (
			data === undefined
				? { op: 'delete', entity: name, id }
				: { op: 'put', entity: name, id, data }
		) as ChangeV1;
	});
}

function byId<T extends { id: string }>(
	wanted: string[],
	load: (ids: string[]) => T[]
): Map<string, T> {
	return wanted.length ? new Map(load(wanted).map((row) => [row.id, row])) : new Map();
}

/** The last sequence number of the change log (0 when it is empty). */
export function changeLogHead(db: DbOrTx): number {
	return (
		db
			.select({ seq: max(changeLog.seq) })
			.from(changeLog)
			.get()?.seq ?? 0
	);
}

/** Whether the server's history still contains the point a device last had acknowledged. */
export function witnessHolds(
	db: DbOrTx,
	value: string | null | undefined,
	epoch = syncEpoch(db),
	head = changeLogHead(db)
): boolean {
	if (!value) return true;
	const witness = decodeWitness(value);
	return (
		witness !== null &&
		witness.epoch === epoch &&
		witness.seq <= head &&
		witness.check === changeCheck(db, witness.seq)
	);
}

/** Where the server's history stands now, for the device to show back on its next pull. */
export function currentWitness(db: DbOrTx): string {
	const head = changeLogHead(db);
	return encodeWitness({ epoch: syncEpoch(db), seq: head, check: changeCheck(db, head) });
}
