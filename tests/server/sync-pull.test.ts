import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { COURSE_PROVIDERS, DISTRICTS, FACILITIES } from '#server/db/demo/city';
import { demoCatalogue } from '#server/db/demo/catalogue';

const INITIAL_CATALOGUE = demoCatalogue().kpis;
import { recordChange, widerVisibility } from '#server/sync/change-log';
import { decodeCursor, encodeCursor } from '#server/sync/cursor';
import { createCaller } from '#server/trpc/router';
import { PullResponseV1, UPDATE_REQUIRED_MESSAGE, type ChangeV1 } from '#shared/protocol';
import {
	anonymousContext,
	contextForToken,
	copyDatabase,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	V,
	type Session,
	SEED_NOW
} from './helpers';

const ALL_KPIS = INITIAL_CATALOGUE.map((k) => k.id).sort();
const INTERNAL_KPIS = INITIAL_CATALOGUE.filter((k) => k.visibility === 'internal').map((k) => k.id);
/** What staff scoped to asyl read: everything released, and the internal KPIs of asyl only. */
const ASYL_STAFF_KPIS = INITIAL_CATALOGUE.filter(
	(k) => k.visibility !== 'internal' || k.areaId === 'asyl'
)
	.map((k) => k.id)
	.sort();
const FACILITY_IDS = FACILITIES.map((f) => f.id).sort();
const DISTRICT_IDS = DISTRICTS.map(([id]) => id).sort();
const AREA_IDS = demoCatalogue()
	.areas.map((a) => a.id)
	.sort();
const DIMENSION_IDS = demoCatalogue()
	.dimensions.map((d) => d.id)
	.sort();
const PROVIDER_IDS = COURSE_PROVIDERS.map((p) => p.id).sort();

type Changes = Extract<PullResponseV1, { kind: 'changes' }>;

async function pullChanges(
	session: Session,
	cursor: string | null,
	limit?: number
): Promise<Changes> {
	const response = await session.caller.sync.pull({ schemaVersion: V, cursor, limit });
	// Whatever the server sends must be valid under the protocol the browser parses with.
	PullResponseV1.parse(response);
	if (response.kind !== 'changes')
		throw new Error(`expected changes, got ${JSON.stringify(response)}`);
	return response;
}

/** Follows hasMore to the end; returns every page. */
async function pullAllPages(session: Session, cursor: string | null, limit?: number) {
	const pages: Changes[] = [];
	for (;;) {
		const page = await pullChanges(session, pages.at(-1)?.cursor ?? cursor, limit);
		pages.push(page);
		if (!page.hasMore) return pages;
		if (pages.length > 100) throw new Error('pull does not end');
	}
}

/** Every change of a full sync, over as many pages as the server needs. */
async function fullSync(session: Session): Promise<ChangeV1[]> {
	return (await pullAllPages(session, null)).flatMap((p) => p.changes);
}

const idsOf = (changes: ChangeV1[], entity: ChangeV1['entity'], op: ChangeV1['op'] = 'put') =>
	changes
		.filter((c) => c.entity === entity && c.op === op)
		.map((c) => c.id)
		.sort();

let db: KlarDatabase;
let spitze: Session;
let rat: Session;
let erfassung: Session;
let leitung: Session;

beforeAll(async () => {
	({ db } = await openSeededDatabase());
	spitze = await loginAs(db, 'spitze');
	rat = await loginAs(db, 'rat');
	erfassung = await loginAs(db, 'erfassung');
	leitung = await loginAs(db, 'leitung');
});

afterAll(() => {
	db.$client.close();
	removeTempDirs();
});

describe('sync.pull', () => {
	test('needs a session', async () => {
		const anonymous = createCaller(anonymousContext(db));
		await trpcError(anonymous.sync.pull({ schemaVersion: V, cursor: null }), 'UNAUTHORIZED');
	});

	test('a full pull gives the executive every KPI, every snapshot and the reference lists', async () => {
		const changes = await fullSync(spitze);
		expect(changes.every((c) => c.op === 'put')).toBe(true);
		expect(idsOf(changes, 'kpi.v2')).toEqual(ALL_KPIS);
		expect(idsOf(changes, 'snapshot.v2')).toEqual(ALL_KPIS);
		expect(idsOf(changes, 'facility.v1')).toEqual(FACILITY_IDS);
		expect(idsOf(changes, 'district.v1')).toEqual(DISTRICT_IDS);
		expect(idsOf(changes, 'provider.v1')).toEqual(PROVIDER_IDS);
		expect(idsOf(changes, 'area.v1')).toEqual(AREA_IDS);
		expect(idsOf(changes, 'dimension.v1')).toEqual(DIMENSION_IDS);
		expect(changes).toHaveLength(
			AREA_IDS.length +
				DIMENSION_IDS.length +
				ALL_KPIS.length * 2 +
				FACILITY_IDS.length +
				DISTRICT_IDS.length +
				PROVIDER_IDS.length
		);
	});

	test('snapshots arrive computed from the demo data', async () => {
		const changes = await fullSync(spitze);
		const occupancy = changes.find((c) => c.entity === 'snapshot.v2' && c.id === 'asyl.belegung');
		expect(occupancy?.op).toBe('put');
		const snapshot =
			occupancy?.op === 'put' && occupancy.entity === 'snapshot.v2' ? occupancy.data : null;
		expect(snapshot).toMatchObject({ period: '2026-11-21', asOf: '2026-11-21', overdue: false });
		expect(snapshot!.breakdown.map((r) => r.key).sort()).toEqual(FACILITY_IDS);
		// The total is the sum of the facilities' latest values.
		expect(snapshot!.value).toBe(snapshot!.breakdown.reduce((sum, r) => sum + r.value!, 0));
		const kpi = changes.find((c) => c.entity === 'kpi.v2' && c.id === 'asyl.belegung');
		// The server-side aggregation formula stays on the server.
		expect(kpi?.op === 'put' && kpi.data).not.toHaveProperty('aggregation');
	});

	test('paging delivers every entity exactly once, then nothing more', async () => {
		const full = await fullSync(spitze);
		const pages = await pullAllPages(spitze, null, 3);
		expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(full.length / 3));
		for (const page of pages.slice(0, -1)) {
			expect(page.hasMore).toBe(true);
			expect(page.changes).toHaveLength(3);
		}
		const delivered = pages.flatMap((p) => p.changes);
		const keys = delivered.map((c) => `${c.entity}:${c.id}`);
		expect(new Set(keys).size).toBe(keys.length);
		expect(delivered.sort(byKey)).toEqual([...full].sort(byKey));

		const after = await pullChanges(spitze, pages.at(-1)!.cursor);
		expect(after.changes).toEqual([]);
		expect(after.hasMore).toBe(false);
	});

	test('cursors of consecutive pages never go back in time', async () => {
		const pages = await pullAllPages(spitze, null, 4);
		const seqs = pages.map((p) => decodeCursor(p.cursor)!.upTo);
		expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
		expect(new Set(seqs).size).toBe(seqs.length);
	});

	test('a councillor gets no internal KPIs, snapshots or facilities, not even as tombstones', async () => {
		const pages = await pullAllPages(rat, null, 2);
		const changes = pages.flatMap((p) => p.changes);
		const visible = ALL_KPIS.filter((id) => !INTERNAL_KPIS.includes(id));
		expect(idsOf(changes, 'kpi.v2')).toEqual(visible);
		expect(idsOf(changes, 'snapshot.v2')).toEqual(visible);
		expect(changes.filter((c) => c.entity === 'facility.v1')).toEqual([]);
		expect(changes.filter((c) => c.entity === 'provider.v1')).toEqual([]);
		// District names are public: every picker and label needs them.
		expect(idsOf(changes, 'district.v1')).toEqual(DISTRICT_IDS);
		expect(changes.filter((c) => INTERNAL_KPIS.includes(c.id))).toEqual([]);
		expect(changes.every((c) => c.op === 'put')).toBe(true);
	});

	test.each(['erfassung', 'leitung'])(
		'%s, scoped to asyl, sees the internal asyl KPIs and the facilities, not other areas’ internal KPIs',
		async (username) => {
			const session = username === 'erfassung' ? erfassung : leitung;
			const changes = await fullSync(session);
			expect(idsOf(changes, 'kpi.v2')).toEqual(ASYL_STAFF_KPIS);
			expect(idsOf(changes, 'snapshot.v2')).toEqual(ASYL_STAFF_KPIS);
			expect(idsOf(changes, 'facility.v1')).toEqual(FACILITY_IDS);
			// The course providers belong to the education area's internal lists.
			expect(changes.filter((c) => c.entity === 'provider.v1')).toEqual([]);
			expect(ASYL_STAFF_KPIS).toEqual(
				expect.arrayContaining(['asyl.freie_plaetze', 'asyl.zugaenge'])
			);
			const otherInternal = INTERNAL_KPIS.filter((id) => !id.startsWith('asyl.'));
			expect(otherInternal.length).toBeGreaterThan(0);
			expect(changes.filter((c) => otherInternal.includes(c.id))).toEqual([]);
		}
	);

	test('an unsupported schema version is told to update, in German', async () => {
		// 1: before entries had review states; such a client would not understand the new entities.
		for (const schemaVersion of [0, -1, 1]) {
			expect(await spitze.caller.sync.pull({ schemaVersion, cursor: null })).toEqual({
				kind: 'update_required',
				message: UPDATE_REQUIRED_MESSAGE
			});
		}
		expect(UPDATE_REQUIRED_MESSAGE).toMatch(/aktualisieren/);
	});
});

describe('sync.pull with a cursor it did not issue answers reset', () => {
	const pullWith = (session: Session, cursor: string) =>
		session.caller.sync.pull({ schemaVersion: V, cursor });

	test.each(['kaputt', '', 'eyJ2IjoxfQ', 'x'.repeat(512)])('garbage %j', async (cursor) => {
		expect(await pullWith(spitze, cursor)).toEqual({ kind: 'reset', reason: 'unknown_cursor' });
	});

	test('a cursor issued to another user', async () => {
		const { cursor } = await pullChanges(rat, null);
		expect(await pullWith(spitze, cursor)).toEqual({ kind: 'reset', reason: 'other_user' });
	});

	test('a cursor from the future', async () => {
		const { cursor } = await pullChanges(spitze, null);
		const decoded = decodeCursor(cursor)!;
		const tampered = encodeCursor({ ...decoded, upTo: decoded.upTo + 1, head: decoded.head + 1 });
		expect(await pullWith(spitze, tampered)).toEqual({
			kind: 'reset',
			reason: 'cursor_from_future'
		});
	});

	test('a cursor of another database epoch (e.g. before a restore)', async () => {
		const { cursor } = await pullChanges(spitze, null);
		const decoded = decodeCursor(cursor)!;
		const tampered = encodeCursor({ ...decoded, epoch: `${decoded.epoch}-old` });
		expect(await pullWith(spitze, tampered)).toEqual({ kind: 'reset', reason: 'unknown_cursor' });
	});

	test('a cursor from before a restore, after new changes overtook its sequence', async () => {
		const live = copyDatabase(db);
		const backup = copyDatabase(db);
		try {
			const onLive = await loginAs(live, 'spitze');
			// Changes after the backup was taken: the phone sees them and keeps their cursor.
			for (let i = 0; i < 3; i++) {
				recordChange(
					live,
					{
						entity: 'facility.v1',
						id: 'wh-kotten',
						op: 'put',
						areaId: 'asyl',
						visibility: 'internal'
					},
					SEED_NOW
				);
			}
			const { cursor } = await pullChanges(onLive, null);
			// The restored database gets other changes, more of them, so its head passes the cursor.
			for (let i = 0; i < 5; i++) {
				recordChange(
					backup,
					{
						entity: 'facility.v1',
						id: 'gu-pfaffgelaende',
						op: 'put',
						areaId: 'asyl',
						visibility: 'internal'
					},
					SEED_NOW
				);
			}
			const onBackup = await loginAs(backup, 'spitze');
			expect(await onBackup.caller.sync.pull({ schemaVersion: V, cursor })).toEqual({
				kind: 'reset',
				reason: 'unknown_cursor'
			});
		} finally {
			live.$client.close();
			backup.$client.close();
		}
	});

	test('a cursor issued before the user’s areas changed', async () => {
		const own = copyDatabase(db);
		try {
			const session = await loginAs(own, 'erfassung');
			const { cursor } = await pullChanges(session, null);
			own.$client
				.prepare(`UPDATE users SET areas = '["asyl","soziales"]' WHERE username = 'erfassung'`)
				.run();
			// The next request reads the session's user afresh.
			const next = createCaller(contextForToken(own, session.token));
			expect(await next.sync.pull({ schemaVersion: V, cursor })).toEqual({
				kind: 'reset',
				reason: 'permissions_changed'
			});
		} finally {
			own.$client.close();
		}
	});
});

describe('sync.pull after a KPI left a reader’s scope', () => {
	test('the councillor gets tombstones for the KPI and its snapshot; the executive still gets it', async () => {
		const own = copyDatabase(db);
		try {
			const [councillor, executive] = [await loginAs(own, 'rat'), await loginAs(own, 'spitze')];
			const [ratCursor, spitzeCursor] = [
				(await pullAllPages(councillor, null)).at(-1)!.cursor,
				(await pullAllPages(executive, null)).at(-1)!.cursor
			];
			// Withdraw the occupancy KPI from the council, as a catalogue edit would.
			own.transaction((tx) => {
				own.$client
					.prepare(`UPDATE kpi_definitions SET visibility = 'internal' WHERE id = 'asyl.belegung'`)
					.run();
				for (const entity of ['kpi.v2', 'snapshot.v2'] as const) {
					recordChange(
						tx,
						{
							entity,
							id: 'asyl.belegung',
							op: 'put',
							areaId: 'asyl',
							visibility: widerVisibility('council', 'internal')
						},
						SEED_NOW
					);
				}
			});
			const forCouncillor = await pullChanges(councillor, ratCursor);
			expect(forCouncillor.changes.sort(byKey)).toEqual([
				{ op: 'delete', entity: 'kpi.v2', id: 'asyl.belegung' },
				{ op: 'delete', entity: 'snapshot.v2', id: 'asyl.belegung' }
			]);
			const forExecutive = await pullChanges(executive, spitzeCursor);
			expect(forExecutive.changes.map((c) => `${c.op}:${c.entity}`).sort()).toEqual([
				'put:kpi.v2',
				'put:snapshot.v2'
			]);
			const kpi = forExecutive.changes.find((c) => c.entity === 'kpi.v2');
			expect(kpi?.op === 'put' && kpi.entity === 'kpi.v2' && kpi.data.visibility).toBe('internal');
		} finally {
			own.$client.close();
		}
	});
});

function byKey(a: ChangeV1, b: ChangeV1) {
	return `${a.entity}:${a.id}`.localeCompare(`${b.entity}:${b.id}`);
}
