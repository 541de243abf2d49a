import 'fake-indexeddb/auto';
import { subDays } from 'date-fns';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase as ServerDatabase } from '#server/db/connection';
import { createSession } from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import { clashingRecord, myEntryItems, releaseQueue } from '../../src/lib/entries/entries-view';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { occupancyForm, type OccupancyEntry } from '#shared/forms/index';
import type { KpiSnapshot } from '#shared/kpi';
import type { AreaId } from '#shared/areas';
import { toIsoDate } from '#shared/periods';
import type { Principal } from '#shared/permissions';
import type { PushRequestV1 } from '#shared/protocol';
import {
	dropSyncedData,
	KlarDatabase,
	readState,
	type OutboxEntry,
	type SyncStatus
} from '../../src/lib/sync/db';
import { SyncEngine } from '../../src/lib/sync/engine';
import { enqueueEntry } from '../../src/lib/sync/outbox';
import { rememberLogin } from '../../src/lib/sync/session';
import type { SyncTransport } from '../../src/lib/sync/transport';
import {
	contextForToken,
	copyDatabase,
	LAST_DATA_DAY,
	openSeededDatabase,
	removeTempDirs,
	SEED_DAY,
	TEST_CLOCK,
	SEED_NOW
} from '../server/helpers';
import { routerTransport } from './router-transport';

/**
 * The life of a form entry as the phones see it: made on the editor's device, sent through the
 * real router into a seeded SQLite database, released by the lead on another device, read by the
 * council. Every device is a Dexie database on fake-indexeddb.
 */
type DevicePrincipal = Principal & { writableAreas: AreaId[] };

const EDITOR: DevicePrincipal = {
	id: 'u-erfassung',
	username: 'erfassung',
	displayName: 'Sachbearbeitung Unterbringung (Demo)',
	role: 'editor',
	areas: ['asyl'],
	writableAreas: ['asyl']
};
const LEAD: DevicePrincipal = {
	id: 'u-leitung',
	username: 'leitung',
	displayName: 'Leitung Unterbringung (Demo)',
	role: 'lead',
	areas: ['asyl'],
	writableAreas: ['asyl']
};
const COUNCILLOR: DevicePrincipal = {
	id: 'u-rat',
	username: 'rat',
	displayName: 'Ratsmitglied (Demo)',
	role: 'councillor',
	areas: [],
	writableAreas: []
};
const VHS: DevicePrincipal = {
	id: 'u-vhs',
	username: 'vhs',
	displayName: 'Volkshochschule, Integrationskurse (Demo)',
	role: 'editor',
	areas: ['bildung'],
	writableAreas: ['bildung']
};

const UNKNOWN_FACILITY_MESSAGE =
	'Diese Einrichtung gibt es nicht (mehr). Bitte eine andere Einrichtung wählen.';

let template: ServerDatabase;
const servers: ServerDatabase[] = [];
const devices: KlarDatabase[] = [];
let deviceCount = 0;

beforeAll(async () => {
	({ db: template } = await openSeededDatabase());
});

afterEach(() => {
	for (const device of devices.splice(0)) device.close();
	for (const server of servers.splice(0)) server.$client.close();
});

afterAll(() => {
	template.$client.close();
	removeTempDirs();
});

/** A server of its own for each test: a copy of the seeded database. */
function ownServer(): ServerDatabase {
	const server = copyDatabase(template);
	servers.push(server);
	return server;
}

interface Device {
	db: KlarDatabase;
	user: DevicePrincipal;
	/** Every push request the device sent. */
	pushes: PushRequestV1[];
	sync(): Promise<void>;
}

async function deviceOf(server: ServerDatabase, user: DevicePrincipal): Promise<Device> {
	const db = new KlarDatabase(`klar-entries-${deviceCount++}`);
	devices.push(db);
	await rememberLogin(db, user);
	const real = routerTransport(server, user.id, TEST_CLOCK);
	const pushes: PushRequestV1[] = [];
	const transport: SyncTransport = {
		pull: (request) => real.pull(request),
		push: (request) => {
			pushes.push(request);
			return real.push(request);
		}
	};
	const engine = new SyncEngine(db, transport, { autoRetry: false });
	return {
		db,
		user,
		pushes,
		async sync() {
			await engine.sync('manual');
			engine.stop();
			// The engine keeps failures to itself (for the status line); a test must not.
			const status = await readState<SyncStatus>(db, 'status');
			expect(status?.lastError ?? null).toBeNull();
		}
	};
}

function leadCaller(server: ServerDatabase) {
	return createCaller(contextForToken(server, createSession(server, LEAD.id, SEED_NOW)));
}

async function itemsOn(device: Device) {
	return myEntryItems({
		userId: device.user.id,
		drafts: await device.db.drafts.toArray(),
		outbox: await device.db.outbox.toArray(),
		sent: await device.db.sentEntries.toArray(),
		entries: await device.db.entries.toArray()
	});
}

async function occupancySnapshot(device: Device): Promise<KpiSnapshot> {
	const snapshot = await device.db.snapshots.get(ASYL_KPI.occupancy);
	if (!snapshot) throw new Error('no occupancy snapshot on the device');
	return snapshot;
}

const hoheneckerOn = async (device: Device) =>
	(await occupancySnapshot(device)).breakdown.find((row) => row.key === 'gu-hohenecker')?.value;

function formEntryRow(server: ServerDatabase, id: string) {
	return server.$client
		.prepare(
			'SELECT record_id AS recordId, version, state, author_id AS authorId FROM form_entries WHERE id = ?'
		)
		.get(id) as { recordId: string; version: number; state: string; authorId: string } | undefined;
}

/** An occupancy figure for the last day with data that differs from the seeded one. */
async function freshOccupancy(
	editor: Device,
	overrides: Partial<OccupancyEntry> = {}
): Promise<OccupancyEntry> {
	const seeded = await hoheneckerOn(editor);
	return {
		facilityId: 'gu-hohenecker',
		date: LAST_DATA_DAY,
		occupied: seeded === 200 ? 201 : 200,
		capacity: 240,
		...overrides
	};
}

/** The editor's device after a first sync, with one occupancy entry sent and waiting. */
async function editorWithSentEntry(server: ServerDatabase) {
	const editor = await deviceOf(server, EDITOR);
	await editor.sync();
	const payload = await freshOccupancy(editor);
	const entry = await enqueueEntry(editor.db, occupancyForm, payload, EDITOR.id);
	await editor.sync();
	return { editor, entry, payload };
}

describe('an entry from the editor’s device to the council', () => {
	test('an entry made from a draft leaves the draft, is sent, and waits on the device as provisional', async () => {
		const server = ownServer();
		const editor = await deviceOf(server, EDITOR);
		await editor.sync();
		const payload = await freshOccupancy(editor);
		await editor.db.drafts.put({
			id: 'draft-1',
			userId: EDITOR.id,
			formId: occupancyForm.id,
			values: { facilityId: payload.facilityId, date: payload.date, occupied: '1' },
			updatedAt: new Date().toISOString()
		});

		const entry = await enqueueEntry(editor.db, occupancyForm, payload, EDITOR.id, {
			draftId: 'draft-1'
		});
		expect(await editor.db.drafts.count()).toBe(0);
		expect(await editor.db.outbox.get(entry.id)).toMatchObject({ state: 'queued', attempts: 0 });
		expect((await itemsOn(editor)).map((i) => [i.key, i.status])).toEqual([[entry.id, 'queued']]);

		await editor.sync();
		expect(await editor.db.outbox.count()).toBe(0);
		expect(await editor.db.entries.get(entry.id)).toMatchObject({
			id: entry.id,
			recordId: entry.id,
			version: 1,
			formId: occupancyForm.id,
			areaId: 'asyl',
			authorId: EDITOR.id,
			authorName: 'Sachbearbeitung Unterbringung (Demo)',
			state: 'pending',
			reviewedBy: null,
			payload
		});
		const snapshot = await occupancySnapshot(editor);
		expect(snapshot.provisionalPeriods).toContain(payload.date);
		expect(await hoheneckerOn(editor)).toBe(payload.occupied);
		expect(await itemsOn(editor)).toMatchObject([
			{ key: entry.id, recordId: entry.id, status: 'pending', version: 1, reason: null }
		]);
	});

	test('the lead releases it from another device; the editor sees it released, the council sees the figure', async () => {
		const server = ownServer();
		const { editor, entry, payload } = await editorWithSentEntry(server);

		const councillor = await deviceOf(server, COUNCILLOR);
		await councillor.sync();
		const seeded = await hoheneckerOn(councillor);
		expect(seeded).not.toBe(payload.occupied);
		expect((await occupancySnapshot(councillor)).provisionalPeriods).toBeUndefined();

		const lead = await deviceOf(server, LEAD);
		await lead.sync();
		const queue = releaseQueue(await lead.db.entries.toArray(), LEAD);
		expect(queue.map((item) => [item.entry.id, item.released])).toEqual([[entry.id, null]]);

		const result = await leadCaller(server).entries.release({ entryId: entry.id });
		expect(result.changedKpis).toContain(ASYL_KPI.occupancy);

		await editor.sync();
		expect(await editor.db.entries.get(entry.id)).toMatchObject({
			state: 'released',
			reviewedBy: LEAD.id,
			reviewerName: 'Leitung Unterbringung (Demo)'
		});
		expect((await occupancySnapshot(editor)).provisionalPeriods).toBeUndefined();
		expect(await hoheneckerOn(editor)).toBe(payload.occupied);
		expect(await itemsOn(editor)).toMatchObject([
			{ key: entry.id, status: 'released', hasReleasedVersion: false }
		]);

		await councillor.sync();
		expect(await hoheneckerOn(councillor)).toBe(payload.occupied);
		expect(await councillor.db.entries.count()).toBe(0);

		await lead.sync();
		expect(releaseQueue(await lead.db.entries.toArray(), LEAD)).toEqual([]);
	});

	test('a correction is pushed with its record id, queued before the sync and sent after', async () => {
		const server = ownServer();
		const { editor, entry, payload } = await editorWithSentEntry(server);
		await leadCaller(server).entries.release({ entryId: entry.id });
		await editor.sync();

		const corrected = { ...payload, occupied: payload.occupied - 10 };
		const correction = await enqueueEntry(editor.db, occupancyForm, corrected, EDITOR.id, {
			recordId: entry.id
		});
		expect(await itemsOn(editor)).toMatchObject([
			{
				key: entry.id,
				recordId: entry.id,
				status: 'queued',
				version: 2,
				hasReleasedVersion: true,
				outboxId: correction.id,
				payload: corrected
			}
		]);

		editor.pushes.length = 0;
		await editor.sync();
		expect(editor.pushes.flatMap((p) => p.entries)).toEqual([
			expect.objectContaining({ id: correction.id, recordId: entry.id })
		]);
		expect(formEntryRow(server, correction.id)).toEqual({
			recordId: entry.id,
			version: 2,
			state: 'pending',
			authorId: EDITOR.id
		});
		expect(formEntryRow(server, entry.id)).toMatchObject({ version: 1, state: 'released' });
		expect(await itemsOn(editor)).toMatchObject([
			{ key: entry.id, status: 'pending', version: 2, hasReleasedVersion: true }
		]);
		expect(await editor.db.entries.where('recordId').equals(entry.id).count()).toBe(2);
		// The editor sees the correction, marked provisional; the council keeps the released figure.
		expect(await hoheneckerOn(editor)).toBe(corrected.occupied);
		expect((await occupancySnapshot(editor)).provisionalPeriods).toContain(payload.date);
		const councillor = await deviceOf(server, COUNCILLOR);
		await councillor.sync();
		expect(await hoheneckerOn(councillor)).toBe(payload.occupied);
	});

	test('a refused entry stays in the outbox with its German reason until a fixed one replaces it', async () => {
		const server = ownServer();
		const editor = await deviceOf(server, EDITOR);
		await editor.sync();
		const payload = await freshOccupancy(editor);
		const refused = await enqueueEntry(
			editor.db,
			occupancyForm,
			{ ...payload, facilityId: 'gu-gibt-es-nicht' },
			EDITOR.id
		);
		await editor.sync();

		const stored = (await editor.db.outbox.get(refused.id)) as OutboxEntry;
		expect(stored.state).toBe('rejected');
		expect(stored.attempts).toBe(1);
		expect(stored.rejection).toMatchObject({
			code: 'unknown_reference',
			message: UNKNOWN_FACILITY_MESSAGE,
			fieldErrors: { facilityId: 'Unbekannte oder geschlossene Einrichtung.' }
		});
		expect(formEntryRow(server, refused.id)).toBeUndefined();
		expect(await editor.db.sentEntries.count()).toBe(0);
		expect(await itemsOn(editor)).toMatchObject([
			{ key: refused.id, status: 'refused', reason: UNKNOWN_FACILITY_MESSAGE }
		]);

		// A refused entry is not sent again by itself.
		editor.pushes.length = 0;
		await editor.sync();
		expect(editor.pushes).toEqual([]);
		expect((await editor.db.outbox.get(refused.id))?.attempts).toBe(1);

		const fixed = await enqueueEntry(editor.db, occupancyForm, payload, EDITOR.id, {
			replacesOutboxId: refused.id
		});
		expect((await editor.db.outbox.toArray()).map((e) => [e.id, e.state])).toEqual([
			[fixed.id, 'queued']
		]);
		await editor.sync();
		expect(await editor.db.outbox.count()).toBe(0);
		expect(formEntryRow(server, fixed.id)).toMatchObject({ version: 1, state: 'pending' });
		expect(await itemsOn(editor)).toMatchObject([{ key: fixed.id, status: 'pending' }]);
		expect(await itemsOn(editor)).toHaveLength(1);
	});

	// Regression (found by this test, fixed): the device's check for a second record about the same facility and day
	// (clashingRecord) looks only at each record's latest version, while the server refuses a new
	// record whenever any version with that key is pending or released. Here version 1 is
	// released for the day and version 2 (waiting) moved to the day before: the form lets the
	// entry through, the server refuses it as a conflict.
	test('the device lets through a second record for a day the server still holds', async () => {
		const server = ownServer();
		const { editor, entry, payload } = await editorWithSentEntry(server);
		await leadCaller(server).entries.release({ entryId: entry.id });
		const dayBefore = toIsoDate(subDays(SEED_DAY, 2));
		await enqueueEntry(editor.db, occupancyForm, { ...payload, date: dayBefore }, EDITOR.id, {
			recordId: entry.id
		});
		await editor.sync();

		const second = { ...payload, occupied: payload.occupied - 1 };
		const clashOnDevice = clashingRecord(await editor.db.entries.toArray(), occupancyForm, second);
		const sent = await enqueueEntry(editor.db, occupancyForm, second, EDITOR.id);
		await editor.sync();
		expect((await editor.db.outbox.get(sent.id))?.rejection?.code).toBe('conflict');
		expect(clashOnDevice).toBe(entry.id);
	});
});

describe('reference lists and dropping synced data', () => {
	test('districts reach everyone, course providers only the education area', async () => {
		const server = ownServer();
		const expected: [DevicePrincipal, number][] = [
			[EDITOR, 0],
			[VHS, 6],
			[COUNCILLOR, 0]
		];
		for (const [user, providers] of expected) {
			const device = await deviceOf(server, user);
			await device.sync();
			expect(await device.db.districts.count(), user.username).toBe(18);
			expect(await device.db.providers.count(), user.username).toBe(providers);
		}
		const vhs = await deviceOf(server, VHS);
		await vhs.sync();
		expect((await vhs.db.providers.get('vhs'))?.name).toBe('Volkshochschule');
		expect((await vhs.db.districts.get('betzenberg'))?.name).toBe('Betzenberg');
	});

	test('dropSyncedData empties entries, districts and providers but keeps drafts and the outbox', async () => {
		const server = ownServer();
		const { editor } = await editorWithSentEntry(server);
		expect(await editor.db.entries.count()).toBe(1);
		expect(await editor.db.districts.count()).toBe(18);
		await editor.db.drafts.put({
			id: 'draft-kept',
			userId: EDITOR.id,
			formId: occupancyForm.id,
			values: { facilityId: 'wh-kotten' },
			updatedAt: new Date().toISOString()
		});
		const unsent = await enqueueEntry(
			editor.db,
			occupancyForm,
			{ facilityId: 'wh-kotten', date: LAST_DATA_DAY, occupied: 50, capacity: 96 },
			EDITOR.id
		);

		await dropSyncedData(editor.db);
		expect(await editor.db.entries.count()).toBe(0);
		expect(await editor.db.districts.count()).toBe(0);
		expect(await editor.db.providers.count()).toBe(0);
		expect(await editor.db.snapshots.count()).toBe(0);
		expect(await readState(editor.db, 'cursor')).toBeUndefined();
		expect((await editor.db.drafts.toArray()).map((d) => d.id)).toEqual(['draft-kept']);
		expect((await editor.db.outbox.toArray()).map((e) => e.id)).toEqual([unsent.id]);

		// The next sync sends what waited and pulls everything anew.
		await editor.sync();
		expect(await editor.db.outbox.count()).toBe(0);
		expect(await editor.db.entries.count()).toBe(2);
		expect(await editor.db.districts.count()).toBe(18);
		expect(await editor.db.drafts.count()).toBe(1);
	});
});
