import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type KlarDatabase as ServerDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { KlarDatabase, readState, writeState, type SignedOut } from '../../src/lib/sync/db';
import { enqueueEntry } from '../../src/lib/sync/outbox';
import { SyncEngine } from '../../src/lib/sync/engine';
import { SessionExpiredError, type SyncTransport } from '../../src/lib/sync/transport';
import {
	deviceSessionOver,
	endPendingServerSession,
	forgetLogin,
	openDeviceSession,
	rememberLogin,
	unsentWorkOf,
	wipeDeviceData,
	type LoginAnswer
} from '../../src/lib/sync/session';
import { togglePin } from '../../src/lib/sync/pins';
import { occupancyForm } from '#shared/forms/index';
import { toIsoDate } from '#shared/periods';
import { routerTransport } from './router-transport';
import { systemClock } from '#server/clock';

let dir: string;
let server: ServerDatabase;
let devices = 0;
const daysAgo = (days: number) => toIsoDate(new Date(Date.now() - days * 86_400_000));

const EDITOR: LoginAnswer = {
	id: 'u-erfassung',
	username: 'erfassung',
	displayName: 'E',
	role: 'editor',
	areas: ['asyl'],
	writableAreas: ['asyl']
};
const LEAD: LoginAnswer = {
	id: 'u-leitung',
	username: 'leitung',
	displayName: 'L',
	role: 'lead',
	areas: ['asyl'],
	writableAreas: ['asyl']
};

/** One occupancy per facility and day is allowed: each device reports another day. */
const occupancy = (occupied: number, day: number) => ({
	facilityId: 'wh-kotten',
	date: daysAgo(day),
	occupied,
	capacity: 96
});

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'klar-wipe-'));
	server = openDatabase(join(dir, 'klar.db'));
	await seedDemo(server, new Date());
});

afterAll(() => {
	server.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
	delete (globalThis as { caches?: unknown }).caches;
});

/** Every row of every table of the device, by table. */
async function contents(device: KlarDatabase): Promise<Record<string, unknown[]>> {
	const tables: Record<string, unknown[]> = {};
	for (const table of device.tables) tables[table.name] = await table.toArray();
	return tables;
}

/**
 * A device the editor used for real: synced through the engine (catalogue, snapshots, reference
 * lists, entries, cursor, status, red alerts), one entry sent and acknowledged, one still in the
 * outbox, a draft, a pin, and an entry a colleague left queued on the same device.
 */
async function usedDevice(): Promise<KlarDatabase> {
	const day = 1 + 3 * devices;
	const device = new KlarDatabase(`klar-wipe-${devices++}`);
	await rememberLogin(device, EDITOR);
	await enqueueEntry(device, occupancyForm, occupancy(80, day), EDITOR.id);
	const engine = new SyncEngine(device, routerTransport(server, EDITOR.id, systemClock), {
		autoRetry: false
	});
	await engine.sync('start');
	await engine.sync('manual');
	engine.stop();
	await enqueueEntry(device, occupancyForm, occupancy(81, day + 1), EDITOR.id);
	await enqueueEntry(device, occupancyForm, occupancy(82, day + 2), LEAD.id);
	await device.drafts.put({
		id: 'd1',
		userId: EDITOR.id,
		formId: occupancyForm.id,
		values: {},
		updatedAt: new Date().toISOString()
	});
	await togglePin(device, EDITOR.id, 'asyl.belegung');
	const before = await contents(device);
	for (const table of ['catalogue', 'snapshots', 'facilities', 'districts', 'entries'])
		expect(before[table]!.length, table).toBeGreaterThan(0);
	expect(before.sentEntries).toHaveLength(1);
	expect(await readState(device, 'cursor')).toEqual(expect.any(String));
	expect(await readState(device, 'redAlerts')).toBeDefined();
	return device;
}

describe('logout wipes the device', () => {
	it('leaves no synced figure, cursor or acknowledged entry; keeps the outbox, drafts and pins', async () => {
		const device = await usedDevice();
		await forgetLogin(device);
		const after = await contents(device);
		for (const table of [
			'catalogue',
			'snapshots',
			'facilities',
			'districts',
			'providers',
			'entries',
			'sentEntries'
		])
			expect(after[table], table).toEqual([]);
		// What is left of the sync state says nothing about the city's figures.
		expect((after.syncState as { key: string }[]).map((r) => r.key).sort()).toEqual([
			'signedOut',
			'updateRequired',
			'witness'
		]);
		expect(await readState(device, 'updateRequired')).toBeNull();
		expect((after.outbox as { authorId: string }[]).map((e) => e.authorId).sort()).toEqual([
			EDITOR.id,
			LEAD.id
		]);
		expect(after.drafts).toHaveLength(1);
		expect(after.pins).toEqual([expect.objectContaining({ kpiId: 'asyl.belegung' })]);
		expect(await readState<SignedOut>(device, 'signedOut')).toMatchObject({
			reason: 'logout',
			userId: EDITOR.id,
			serverLogoutPending: false
		});
		device.close();
	});

	it('discarding drops exactly this person’s unsent entries and drafts', async () => {
		const device = await usedDevice();
		expect(await unsentWorkOf(device, EDITOR.id)).toEqual({ queued: 1, rejected: 0, drafts: 1 });
		await forgetLogin(device, { discardUnsent: true, serverSessionEnded: false });
		expect((await device.outbox.toArray()).map((e) => e.authorId)).toEqual([LEAD.id]);
		expect(await device.drafts.count()).toBe(0);
		expect(await device.snapshots.count()).toBe(0);
		expect((await readState<SignedOut>(device, 'signedOut'))?.serverLogoutPending).toBe(true);
		device.close();
	});

	it('deletes every Cache Storage cache but the precached app shell', async () => {
		const names = new Set(['workbox-precache-v2-http://127.0.0.1/', 'klar-figures', 'other']);
		(globalThis as { caches?: unknown }).caches = {
			keys: async () => [...names],
			delete: async (name: string) => names.delete(name)
		};
		const device = new KlarDatabase(`klar-wipe-${devices++}`);
		await wipeDeviceData(device);
		expect([...names]).toEqual(['workbox-precache-v2-http://127.0.0.1/']);
		device.close();
	});

	it('the next start neither shows nor recovers the session; a pending server logout is retried', async () => {
		const device = await usedDevice();
		await forgetLogin(device, { serverSessionEnded: false });
		let asked = 0;
		const askServer = async () => {
			asked++;
			return EDITOR;
		};
		// The server session could not be ended offline; at the next start it must not log back in.
		expect(await openDeviceSession(device, askServer)).toBeNull();
		expect(asked).toBe(0);
		await endPendingServerSession(device, async () => 'unreachable');
		expect((await readState<SignedOut>(device, 'signedOut'))?.serverLogoutPending).toBe(true);
		await endPendingServerSession(device, async () => 'ended');
		expect((await readState<SignedOut>(device, 'signedOut'))?.serverLogoutPending).toBe(false);
		device.close();
	});
});

describe('an ended session wipes the device', () => {
	const expired: SyncTransport = {
		pull: () => Promise.reject(new SessionExpiredError()),
		push: () => Promise.reject(new SessionExpiredError())
	};

	it('UNAUTHORIZED from the server wipes figures but keeps the outbox for the same person', async () => {
		const device = await usedDevice();
		let askedToLogIn = 0;
		const engine = new SyncEngine(device, expired, {
			autoRetry: false,
			onSessionExpired: () => askedToLogIn++
		});
		await engine.sync('manual');
		engine.stop();
		expect(askedToLogIn).toBe(1);
		expect(await device.snapshots.count()).toBe(0);
		expect(await device.catalogue.count()).toBe(0);
		expect(await readState(device, 'session')).toBeUndefined();
		expect(await readState(device, 'status')).toBeUndefined();
		expect(await readState(device, 'sessionExpired')).toBe(true);
		expect(await device.outbox.count()).toBe(2);

		// Someone else logs in on this phone: the editor's entry is not theirs to send.
		const leadTransport = routerTransport(server, LEAD.id, systemClock);
		const pushed: string[] = [];
		const watching: SyncTransport = {
			pull: (request) => leadTransport.pull(request),
			push: (request) => {
				pushed.push(...request.entries.map((e) => e.authorId));
				return leadTransport.push(request);
			}
		};
		await rememberLogin(device, LEAD);
		expect(await readState(device, 'sessionExpired')).toBeUndefined();
		await new SyncEngine(device, watching, { autoRetry: false }).sync('manual');
		expect(pushed).toEqual([LEAD.id]);
		expect((await device.outbox.toArray()).map((e) => e.authorId)).toEqual([EDITOR.id]);

		// The editor logs in again: the entry kept through the expiry goes out now.
		await rememberLogin(device, EDITOR);
		await new SyncEngine(device, routerTransport(server, EDITOR.id, systemClock), {
			autoRetry: false
		}).sync('manual');
		expect(await device.outbox.count()).toBe(0);
		device.close();
	});

	it('the device’s own clock ends the session offline: at the absolute end and after idling', async () => {
		const device = new KlarDatabase(`klar-wipe-${devices++}`);
		const login = new Date('2026-11-01T08:00:00Z');
		await rememberLogin(
			device,
			{ ...EDITOR, session: { endsAt: '2026-11-08T08:00:00Z', idleMinutes: 24 * 60 } },
			login
		);
		await device.snapshots.put({ kpiId: 'asyl.belegung' } as never);
		const hours = (h: number) => new Date(login.getTime() + h * 3_600_000);
		expect(await deviceSessionOver(device, hours(23))).toBe(false);
		expect(await deviceSessionOver(device, hours(24))).toBe(true);
		// A sync the server answered counts as contact and moves the idle limit on.
		await writeState(device, 'status', { lastSyncAt: hours(20).toISOString() });
		expect(await deviceSessionOver(device, hours(43))).toBe(false);
		// Used every day, it still ends at the absolute end.
		await writeState(device, 'status', { lastSyncAt: hours(7 * 24 - 1).toISOString() });
		expect(await deviceSessionOver(device, hours(7 * 24))).toBe(true);

		// Starting the app then, without network, wipes before any screen shows a figure.
		expect(await openDeviceSession(device, null, hours(7 * 24))).toBeNull();
		expect(await device.snapshots.count()).toBe(0);
		expect(await readState(device, 'sessionExpired')).toBe(true);
		expect((await readState<SignedOut>(device, 'signedOut'))?.serverLogoutPending).toBe(true);
		device.close();
	});

	it('a session without limits from the server is left to the server', async () => {
		const device = new KlarDatabase(`klar-wipe-${devices++}`);
		await rememberLogin(device, { ...EDITOR, session: null }, new Date('2020-01-01T00:00:00Z'));
		expect(await deviceSessionOver(device)).toBe(false);
		device.close();
	});
});
