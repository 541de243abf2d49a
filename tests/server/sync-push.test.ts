import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { createCaller } from '#server/trpc/router';
import type { KpiSnapshot } from '#shared/kpi';
import {
	PullResponseV1,
	PushResponseV1,
	UPDATE_REQUIRED_MESSAGE,
	type PushResultV1
} from '#shared/protocol';
import {
	anonymousContext,
	sessionForToken,
	copyDatabase,
	LAST_DATA_DAY,
	loginAs,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	V,
	writeCounts,
	type Session
} from './helpers';

let template: KlarDatabase;
const opened: KlarDatabase[] = [];

/** Session tokens of the template; each copy carries the sessions, so no test waits for scrypt. */
const tokens = new Map<string, string>();

beforeAll(async () => {
	({ db: template } = await openSeededDatabase());
	for (const username of ['erfassung', 'leitung', 'rat', 'spitze', 'admin']) {
		tokens.set(username, (await loginAs(template, username)).token);
	}
});

afterEach(() => {
	for (const db of opened.splice(0)) db.$client.close();
});

afterAll(() => {
	template.$client.close();
	removeTempDirs();
});

/** A database of its own for a test that writes, with a session of the given user. */
async function sessionOnOwnDatabase(
	username: string
): Promise<{ db: KlarDatabase; session: Session }> {
	const db = copyDatabase(template);
	opened.push(db);
	return { db, session: sessionOn(db, username) };
}

/** The session the user logged in with on the template, as a request to this copy carries it. */
function sessionOn(db: KlarDatabase, username: string): Session {
	return sessionForToken(db, tokens.get(username)!);
}

async function pushEntries(session: Session, entries: ReturnType<typeof occupancyEntry>[]) {
	const response = await session.caller.sync.push({ schemaVersion: V, entries });
	PushResponseV1.parse(response);
	if (response.kind !== 'results')
		throw new Error(`expected results, got ${JSON.stringify(response)}`);
	return response.results;
}

function rejection(result: PushResultV1 | undefined) {
	if (result?.result !== 'rejected')
		throw new Error(`expected a rejection, got ${JSON.stringify(result)}`);
	return result.reason;
}

function observation(db: KlarDatabase, kpiId: string, period: string, facilityId: string) {
	return db.$client
		.prepare(
			`SELECT value, status, source_kind AS sourceKind, source_ref AS sourceRef FROM observations
			 WHERE kpi_id = ? AND period = ? AND dimension_key = ?`
		)
		.get(kpiId, period, `facility=${facilityId}`);
}

function preview(db: KlarDatabase, kpiId: string, period: string, facilityId: string) {
	return db.$client
		.prepare(
			`SELECT value, removed FROM preview_observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?`
		)
		.get(kpiId, period, `facility=${facilityId}`) as { value: number; removed: number } | undefined;
}

async function release(db: KlarDatabase, entryId: string) {
	return sessionOn(db, 'leitung').caller.entries.release({ entryId });
}

async function pullFrom(session: Session, cursor: string | null) {
	const response = PullResponseV1.parse(
		await session.caller.sync.pull({ schemaVersion: V, cursor, limit: 500 })
	);
	if (response.kind !== 'changes') throw new Error(`expected changes, got ${response.kind}`);
	return response;
}

function snapshotIn(changes: PullResponseV1 & { kind: 'changes' }, kpiId: string): KpiSnapshot {
	const change = changes.changes.find((c) => c.entity === 'snapshot.v2' && c.id === kpiId);
	if (change?.op !== 'put' || change.entity !== 'snapshot.v2')
		throw new Error(`no snapshot ${kpiId}`);
	return change.data;
}

describe('sync.push of an occupancy entry', () => {
	test('is applied once; a retry is a duplicate and changes nothing', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const entry = occupancyEntry('u-erfassung', { occupied: 200, capacity: 240 });
		const before = writeCounts(db);

		const seeded = observation(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker');
		expect(await pushEntries(session, [entry])).toEqual([{ id: entry.id, result: 'applied' }]);
		const afterFirst = writeCounts(db);
		expect(afterFirst.formEntries).toBe(before.formEntries + 1);
		expect(afterFirst.processedEntries).toBe(before.processedEntries + 1);
		// Until a lead releases it, the released value stays; internal readers get the entry's.
		expect(afterFirst.observations).toBe(before.observations);
		expect(observation(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker')).toEqual(seeded);
		expect(preview(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker')).toEqual({
			value: 200,
			removed: 0
		});

		expect(await pushEntries(session, [entry])).toEqual([{ id: entry.id, result: 'duplicate' }]);
		expect(writeCounts(db)).toEqual(afterFirst);

		await release(db, entry.id);
		// The day already had seeded values: they are replaced, not duplicated.
		expect(writeCounts(db).observations).toBe(before.observations);
		expect(observation(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker')).toEqual({
			value: 200,
			status: 'final',
			sourceKind: 'form',
			sourceRef: null
		});
		expect(preview(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker')).toBeUndefined();
	});

	test('a new day adds observations for occupancy and capacity', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		db.$client
			.prepare(`DELETE FROM observations WHERE period = ? AND dimension_key = 'facility=wh-kotten'`)
			.run(LAST_DATA_DAY);
		const before = writeCounts(db);
		const entry = occupancyEntry('u-erfassung', {
			facilityId: 'wh-kotten',
			occupied: 90,
			capacity: 96
		});
		expect(await pushEntries(session, [entry])).toEqual([{ id: entry.id, result: 'applied' }]);
		expect(writeCounts(db).observations).toBe(before.observations);
		expect(preview(db, 'asyl.kapazitaet', LAST_DATA_DAY, 'wh-kotten')).toEqual({
			value: 96,
			removed: 0
		});
		await release(db, entry.id);
		expect(writeCounts(db).observations).toBe(before.observations + 2);
		expect(observation(db, 'asyl.kapazitaet', LAST_DATA_DAY, 'wh-kotten')).toMatchObject({
			value: 96
		});
	});

	test('updates the internal snapshots, marked provisional, and the next pull delivers them', async () => {
		const { session } = await sessionOnOwnDatabase('erfassung');
		const full = await pullFrom(session, null);
		const before = snapshotIn(full, 'asyl.belegung');
		const rowBefore = before.breakdown.find((r) => r.key === 'gu-hohenecker')!;
		const occupied = rowBefore.value === 200 ? 201 : 200;

		const entry = occupancyEntry('u-erfassung', { occupied, capacity: 240 });
		expect(await pushEntries(session, [entry])).toEqual([{ id: entry.id, result: 'applied' }]);

		const delta = await pullFrom(session, full.cursor);
		const changed = delta.changes.map((c) => `${c.entity}:${c.id}`);
		// Occupancy and what is derived from it, and the entry itself; nothing else travels.
		expect(changed).toEqual(
			expect.arrayContaining([
				'snapshot.v2:asyl.belegung',
				'snapshot.v2:asyl.auslastung',
				'snapshot.v2:asyl.freie_plaetze'
			])
		);
		expect(changed).not.toContain('snapshot.v2:asyl.zugaenge');
		expect(changed.filter((c) => !c.startsWith('snapshot.v2:'))).toEqual([`entry.v1:${entry.id}`]);

		const occupancy = snapshotIn(delta, 'asyl.belegung');
		expect(occupancy.provisionalPeriods).toEqual([LAST_DATA_DAY]);
		expect(occupancy.breakdown.find((r) => r.key === 'gu-hohenecker')).toMatchObject({
			label: 'GU Hohenecker Straße',
			value: occupied,
			asOf: LAST_DATA_DAY
		});
		expect(occupancy.value).toBe(before.value! - rowBefore.value! + occupied);
		expect(
			snapshotIn(delta, 'asyl.auslastung').breakdown.find((r) => r.key === 'gu-hohenecker')
		).toMatchObject({
			value: Math.round((occupied / 240) * 1000) / 10,
			reference: 240
		});
		expect(
			snapshotIn(delta, 'asyl.freie_plaetze').breakdown.find((r) => r.key === 'gu-hohenecker')
		).toMatchObject({
			value: 240 - occupied
		});

		// The cursor moved past the change: pulling again brings nothing new.
		expect((await pullFrom(session, delta.cursor)).changes).toEqual([]);
	});

	test('reaches a councillor’s next pull only once released, and only within the councillor’s scope', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const councillor = sessionOn(db, 'rat');
		const { cursor } = await pullFrom(councillor, null);
		const entry = occupancyEntry('u-erfassung', { occupied: 150, capacity: 240 });
		await pushEntries(session, [entry]);
		const unreleased = await pullFrom(councillor, cursor);
		expect(unreleased.changes).toEqual([]);

		await release(db, entry.id);
		const delta = await pullFrom(councillor, unreleased.cursor);
		const ids = delta.changes.map((c) => c.id);
		expect(ids).toEqual(expect.arrayContaining(['asyl.belegung', 'asyl.auslastung']));
		expect(ids).not.toContain('asyl.freie_plaetze');
		expect(delta.changes.map((c) => c.entity)).not.toContain('entry.v1');
		const occupancy = snapshotIn(delta, 'asyl.belegung');
		expect(occupancy.provisionalPeriods).toBeUndefined();
		expect(occupancy.breakdown.find((r) => r.key === 'gu-hohenecker')?.value).toBe(150);
	});

	test('two distinct entries in one batch are both applied', async () => {
		const { db, session } = await sessionOnOwnDatabase('leitung');
		const first = occupancyEntry('u-leitung', {
			facilityId: 'gu-pfaffgelaende',
			occupied: 170,
			capacity: 180
		});
		const second = occupancyEntry('u-leitung', {
			facilityId: 'wh-kotten',
			occupied: 90,
			capacity: 96
		});
		expect(await pushEntries(session, [first, second])).toEqual([
			{ id: first.id, result: 'applied' },
			{ id: second.id, result: 'applied' }
		]);
		expect(preview(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-pfaffgelaende')?.value).toBe(170);
		expect(preview(db, 'asyl.belegung', LAST_DATA_DAY, 'wh-kotten')?.value).toBe(90);
	});

	test('the same id twice in one batch is applied once', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const entry = occupancyEntry('u-erfassung');
		expect(await pushEntries(session, [entry, { ...entry }])).toEqual([
			{ id: entry.id, result: 'applied' },
			{ id: entry.id, result: 'duplicate' }
		]);
		expect(writeCounts(db).formEntries).toBe(before.formEntries + 1);
	});

	test('a rejected id sent twice in one batch is rejected twice, never "duplicate"', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const bad = occupancyEntry('u-erfassung', {
			facilityId: 'wh-kotten',
			occupied: 97,
			capacity: 96
		});
		const [first, second] = await pushEntries(session, [bad, { ...bad }]);
		expect(rejection(first).code).toBe('validation');
		expect(second).toEqual(first);
		expect(writeCounts(db).formEntries).toBe(before.formEntries);
	});

	test('one bad entry does not hold back the good ones in its batch', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const bad = occupancyEntry('u-erfassung', {
			facilityId: 'wh-kotten',
			occupied: 97,
			capacity: 96
		});
		const good = occupancyEntry('u-erfassung', {
			facilityId: 'wh-betzenberg',
			occupied: 60,
			capacity: 72
		});
		const [badResult, goodResult] = await pushEntries(session, [bad, good]);
		expect(rejection(badResult).code).toBe('validation');
		expect(goodResult).toEqual({ id: good.id, result: 'applied' });
		expect(preview(db, 'asyl.belegung', LAST_DATA_DAY, 'wh-betzenberg')?.value).toBe(60);
	});
});

describe('sync.push rejects', () => {
	test('an entry whose author is not the session user', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const [result] = await pushEntries(session, [occupancyEntry('u-leitung')]);
		expect(rejection(result).code).toBe('wrong_author');
		expect(writeCounts(db)).toEqual(before);
	});

	test('an entry id another user already sent', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const lead = sessionOn(db, 'leitung');
		const id = randomUUID();
		await pushEntries(session, [occupancyEntry('u-erfassung', {}, id)]);
		const before = writeCounts(db);
		const [result] = await pushEntries(lead, [occupancyEntry('u-leitung', { occupied: 10 }, id)]);
		expect(rejection(result).code).toBe('wrong_author');
		expect(writeCounts(db)).toEqual(before);
	});

	test('a councillor’s entry: no right to write, and nothing is written', async () => {
		const { db, session } = await sessionOnOwnDatabase('rat');
		const before = writeCounts(db);
		const observationBefore = observation(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker');
		const entry = occupancyEntry('u-rat', { occupied: 1 });
		const reason = rejection((await pushEntries(session, [entry]))[0]);
		expect(reason.code).toBe('forbidden');
		expect(reason.message).toBe(
			'Sie haben keine Berechtigung, Daten für diesen Bereich zu erfassen.'
		);
		expect(writeCounts(db)).toEqual(before);
		expect(observation(db, 'asyl.belegung', LAST_DATA_DAY, 'gu-hohenecker')).toEqual(
			observationBefore
		);
	});

	test.each(['spitze', 'admin'])('%s may read everything but enter nothing', async (username) => {
		const { db, session } = await sessionOnOwnDatabase(username);
		const before = writeCounts(db);
		const entry = occupancyEntry(session.ctx.principal!.id);
		expect(rejection((await pushEntries(session, [entry]))[0]).code).toBe('forbidden');
		expect(writeCounts(db)).toEqual(before);
	});

	test('more occupied places than capacity, with the German message on the field', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const entry = occupancyEntry('u-erfassung', { occupied: 241, capacity: 240 });
		const reason = rejection((await pushEntries(session, [entry]))[0]);
		expect(reason.code).toBe('validation');
		const message =
			'Die Belegung übersteigt die Kapazität. Bitte prüfen – oder „Überbelegung bestätigen“ ankreuzen und begründen.';
		expect(reason.fieldErrors).toEqual({ occupied: message });
		expect(reason.message).toContain(message);
		expect(writeCounts(db)).toEqual(before);
	});

	test('a payload that is not an occupancy entry at all', async () => {
		const { session } = await sessionOnOwnDatabase('erfassung');
		const entry = { ...occupancyEntry('u-erfassung'), payload: { occupied: 'viele' } };
		const reason = rejection((await pushEntries(session, [entry]))[0]);
		expect(reason.code).toBe('validation');
		expect(Object.keys(reason.fieldErrors ?? {}).sort()).toEqual([
			'capacity',
			'date',
			'facilityId',
			'occupied'
		]);
	});

	test('a facility that does not exist', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const entry = occupancyEntry('u-erfassung', { facilityId: 'gu-gibtsnicht' });
		const reason = rejection((await pushEntries(session, [entry]))[0]);
		expect(reason.code).toBe('unknown_reference');
		expect(reason.fieldErrors).toHaveProperty('facilityId');
		expect(writeCounts(db)).toEqual(before);
	});

	test('a facility that has been closed', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		db.$client.prepare(`UPDATE facilities SET active = 0 WHERE id = 'mu-morlautern'`).run();
		const entry = occupancyEntry('u-erfassung', {
			facilityId: 'mu-morlautern',
			occupied: 10,
			capacity: 64
		});
		expect(rejection((await pushEntries(session, [entry]))[0]).code).toBe('unknown_reference');
	});

	test('a form the server does not know', async () => {
		const { session } = await sessionOnOwnDatabase('erfassung');
		const entry = { ...occupancyEntry('u-erfassung'), formId: 'asyl.belegung.v0' };
		expect(rejection((await pushEntries(session, [entry]))[0]).code).toBe('unknown_form');
	});

	test('a rejected entry is audited with its reason', async () => {
		const { db, session } = await sessionOnOwnDatabase('rat');
		const entry = occupancyEntry('u-rat');
		await pushEntries(session, [entry]);
		const audit = db.$client
			.prepare(`SELECT user_id AS userId, action FROM audit_log WHERE entity_id = ?`)
			.all(entry.id);
		expect(audit).toEqual([{ userId: 'u-rat', action: 'entry.refuse' }]);
	});
});

describe('sync.push without a usable request', () => {
	test('needs a session', async () => {
		const db = copyDatabase(template);
		opened.push(db);
		const before = writeCounts(db);
		await trpcError(
			createCaller(anonymousContext(db)).sync.push({
				schemaVersion: V,
				entries: [occupancyEntry('u-erfassung')]
			}),
			'UNAUTHORIZED'
		);
		expect(writeCounts(db)).toEqual(before);
	});

	test('an outdated client is told to update and nothing is written', async () => {
		const { db, session } = await sessionOnOwnDatabase('erfassung');
		const before = writeCounts(db);
		const response = await session.caller.sync.push({
			schemaVersion: 0,
			entries: [occupancyEntry('u-erfassung')]
		});
		expect(response).toEqual({ kind: 'update_required', message: UPDATE_REQUIRED_MESSAGE });
		expect(writeCounts(db)).toEqual(before);
	});

	test('an entry id that is not a UUID is refused as a bad request', async () => {
		const { session } = await sessionOnOwnDatabase('erfassung');
		await trpcError(
			session.caller.sync.push({
				schemaVersion: V,
				entries: [occupancyEntry('u-erfassung', {}, '42')]
			}),
			'BAD_REQUEST'
		);
	});
});
