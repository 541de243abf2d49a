import { and, eq, gt, inArray, max, or, sql, type SQL } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { changeLog, courseProviders, districts, facilities, meta } from '../db/schema';
import { ENTRY_SCOPE } from '../entries/lifecycle';
import { loadEntries } from '../entries/queries';
import { loadDefinitionsByIds, publicDefinition } from '../kpis/catalogue';
import { disclosedViews, loadSnapshots } from '../kpis/snapshots';
import {
	canRead,
	canReadEntries,
	canReadProvisional,
	readScopeFingerprint,
	ROLE_RULES,
	seesSmallCounts,
	type Principal
} from '../../src/lib/shared/permissions';
import {
	isSupportedSchemaVersion,
	UPDATE_REQUIRED_MESSAGE,
	type ChangeV1,
	type PullRequestV1,
	type PullResponseV1
} from '../../src/lib/shared/protocol';
import type { AreaId } from '../../src/lib/shared/areas';
import { decodeCursor, decodeWitness, encodeCursor, encodeWitness } from './cursor';

export const DEFAULT_PAGE_LIMIT = 200;

/** Facilities are an internal reference list of the accommodation area. */
export const FACILITY_SCOPE = { areaId: 'asyl' as AreaId, visibility: 'internal' as const };
/** Course providers are an internal reference list of the education area. */
export const PROVIDER_SCOPE = { areaId: 'bildung' as AreaId, visibility: 'internal' as const };
/** Districts name the city's parts: public, every picker and label needs them. */
export const DISTRICT_SCOPE = { areaId: 'bevoelkerung' as AreaId, visibility: 'public' as const };

export function syncEpoch(db: KlarDatabase): string {
	return db.select({ value: meta.value }).from(meta).where(eq(meta.key, 'sync_epoch')).get()!.value;
}

/** A short check of the change-log row at `seq`, so a cursor names one history, not just a number. */
export function changeCheck(db: KlarDatabase, seq: number): string {
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
	db: KlarDatabase,
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
		const epoch = syncEpoch(tx as unknown as KlarDatabase);
		const head = changeLogHead(tx as unknown as KlarDatabase);
		let from = 0;
		if (!witnessHolds(tx as unknown as KlarDatabase, request.witness, epoch, head)) {
			return { kind: 'reset', reason: 'unknown_cursor' };
		}
		if (request.cursor !== null) {
			const cursor = decodeCursor(request.cursor);
			if (!cursor || cursor.e !== epoch) return { kind: 'reset', reason: 'unknown_cursor' };
			if (cursor.s > cursor.t) return { kind: 'reset', reason: 'unknown_cursor' };
			if (cursor.t > head) return { kind: 'reset', reason: 'cursor_from_future' };
			if (cursor.h !== changeCheck(tx as unknown as KlarDatabase, cursor.t)) {
				return { kind: 'reset', reason: 'unknown_cursor' };
			}
			if (cursor.u !== principal.id) return { kind: 'reset', reason: 'other_user' };
			if (cursor.p !== fingerprint) return { kind: 'reset', reason: 'permissions_changed' };
			from = cursor.s;
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
		const changes = materialise(tx as unknown as KlarDatabase, principal, page);
		return {
			kind: 'changes',
			changes,
			cursor: encodeCursor({
				e: epoch,
				s: upTo,
				t: head,
				h: changeCheck(tx as unknown as KlarDatabase, head),
				u: principal.id,
				p: fingerprint
			}),
			hasMore,
			serverTime: now.toISOString()
		};
	});
}

/** Current state of each changed entity: a put when it exists and is readable, else a tombstone. */
function materialise(
	db: KlarDatabase,
	principal: Principal,
	page: { entity: string; entityId: string }[]
): ChangeV1[] {
	const ids = (entity: string) => page.filter((r) => r.entity === entity).map((r) => r.entityId);
	const kpiIds = ids('kpi.v1');
	const snapshotIds = ids('snapshot.v2');
	const definitions = new Map(
		loadDefinitionsByIds(db, [...new Set([...kpiIds, ...snapshotIds])]).map((d) => [d.id, d])
	);
	const snapshots = loadSnapshots(db, snapshotIds);
	// Readers who may not see small counts get the disclosed view and never the raw one.
	const disclosed = disclosedViews(
		db,
		snapshots,
		snapshotIds.filter((id) => {
			const definition = definitions.get(id);
			return definition && !seesSmallCounts(principal, definition.areaId);
		})
	);
	const districtRows = byId(ids('district.v1'), (wanted) =>
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
	);
	const providerRows = byId(ids('provider.v1'), (wanted) =>
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
	);
	const entryRows = byId(ids('entry.v1'), (wanted) => loadEntries(db, wanted));
	const facilityRows = byId(ids('facility.v1'), (wanted) =>
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
	);

	return page.map(({ entity, entityId: id }): ChangeV1 => {
		if (entity === 'kpi.v1') {
			const definition = definitions.get(id);
			if (definition && canRead(principal, definition)) {
				return { op: 'put', entity, id, data: publicDefinition(definition) };
			}
			return { op: 'delete', entity, id };
		}
		if (entity === 'snapshot.v2') {
			const definition = definitions.get(id);
			const snapshot = snapshots.get(id);
			if (definition && snapshot && canRead(principal, definition)) {
				if (!seesSmallCounts(principal, definition.areaId)) {
					const data = disclosed.get(id);
					if (data) return { op: 'put', entity, id, data };
					throw new Error(`No disclosed view of snapshot ${id}`);
				}
				// Values that await release only reach those who read the area's internal figures.
				const data =
					snapshot.internal && canReadProvisional(principal, definition.areaId)
						? snapshot.internal
						: snapshot.released;
				return { op: 'put', entity, id, data };
			}
			return { op: 'delete', entity, id };
		}
		if (entity === 'district.v1') {
			const district = districtRows.get(id);
			if (district && canRead(principal, DISTRICT_SCOPE))
				return { op: 'put', entity, id, data: district };
			return { op: 'delete', entity, id };
		}
		if (entity === 'provider.v1') {
			const provider = providerRows.get(id);
			if (provider && canRead(principal, PROVIDER_SCOPE))
				return { op: 'put', entity, id, data: provider };
			return { op: 'delete', entity, id };
		}
		if (entity === 'entry.v1') {
			const entry = entryRows.get(id);
			if (entry && canReadEntries(principal, entry.areaId))
				return { op: 'put', entity, id, data: entry };
			return { op: 'delete', entity, id };
		}
		if (entity === 'facility.v1') {
			const facility = facilityRows.get(id);
			if (facility && canRead(principal, FACILITY_SCOPE))
				return { op: 'put', entity, id, data: facility };
			return { op: 'delete', entity, id };
		}
		throw new Error(`Unknown entity ${entity} in change log`);
	});
}

function byId<T extends { id: string }>(
	wanted: string[],
	load: (ids: string[]) => T[]
): Map<string, T> {
	return wanted.length ? new Map(load(wanted).map((row) => [row.id, row])) : new Map();
}

/** The last sequence number of the change log (0 when it is empty). */
export function changeLogHead(db: KlarDatabase): number {
	return (
		db
			.select({ seq: max(changeLog.seq) })
			.from(changeLog)
			.get()?.seq ?? 0
	);
}

/** Whether the server's history still contains the point a device last had acknowledged. */
export function witnessHolds(
	db: KlarDatabase,
	value: string | null | undefined,
	epoch = syncEpoch(db),
	head = changeLogHead(db)
): boolean {
	if (!value) return true;
	const witness = decodeWitness(value);
	return (
		witness !== null &&
		witness.e === epoch &&
		witness.s <= head &&
		witness.h === changeCheck(db, witness.s)
	);
}

/** Where the server's history stands now, for the device to show back on its next pull. */
export function currentWitness(db: KlarDatabase): string {
	const head = changeLogHead(db);
	return encodeWitness({ e: syncEpoch(db), s: head, h: changeCheck(db, head) });
}
