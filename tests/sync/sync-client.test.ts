import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type KlarDatabase as ServerDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { routerTransport } from './router-transport';
import { KlarDatabase, readState, writeState } from '../../src/lib/sync/db';
import { pullChanges } from '../../src/lib/sync/pull';
import { enqueueEntry, pushOutbox } from '../../src/lib/sync/outbox';
import { QUOTA_MESSAGE, SyncEngine } from '../../src/lib/sync/engine';
import {
	NetworkError,
	SessionExpiredError,
	type SyncTransport
} from '../../src/lib/sync/transport';
import { occupancyForm } from '#shared/forms/index';
import { rememberLogin } from '../../src/lib/sync/session';
import { toIsoDate } from '#shared/periods';
import { systemClock } from '#server/clock';

let dir: string;
let server: ServerDatabase;
const seedDay = new Date();
seedDay.setDate(seedDay.getDate() - 1);
const yesterday = toIsoDate(seedDay);

const transportFor = (userId: string) => routerTransport(server, userId, systemClock);

const EDITOR = {
	id: 'u-erfassung',
	username: 'erfassung',
	displayName: 'E',
	role: 'editor' as const,
	areas: ['asyl' as const],
	writableAreas: ['asyl' as const]
};

const ALL_KPI_COUNT = demoCatalogue().kpis.length;
/** What the asyl editor reads: every released KPI, and the internal ones of asyl only. */
const EDITOR_KPI_COUNT = demoCatalogue().kpis.filter(
	(k) => k.visibility !== 'internal' || k.areaId === 'asyl'
).length;

let dbCounter = 0;
function newDevice(): KlarDatabase {
	return new KlarDatabase(`klar-test-${dbCounter++}`);
}

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'klar-sync-'));
	server = openDatabase(join(dir, 'klar.db'));
	await seedDemo(server, new Date());
});

afterAll(() => {
	server.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('pull into Dexie', () => {
	it('a full pull stores catalogue, snapshots and facilities, and the cursor', async () => {
		const device = newDevice();
		const outcome = await pullChanges(device, transportFor('u-spitze'));
		expect(await device.catalogue.count()).toBe(ALL_KPI_COUNT);
		expect(await device.snapshots.count()).toBe(ALL_KPI_COUNT);
		expect(await device.facilities.count()).toBe(8);
		expect(await readState(device, 'cursor')).toEqual(expect.any(String));
		expect(outcome.resets).toBe(0);
		const again = await pullChanges(device, transportFor('u-spitze'));
		expect(again.changes).toBe(0);
	});

	it('small pages give the same result as one big page', async () => {
		const paged = newDevice();
		const outcome = await pullChanges(paged, transportFor('u-spitze'), 2);
		expect(outcome.pages).toBeGreaterThan(5);
		const whole = newDevice();
		await pullChanges(whole, transportFor('u-spitze'));
		expect(await paged.snapshots.toArray()).toEqual(await whole.snapshots.toArray());
		expect(await paged.catalogue.toArray()).toEqual(await whole.catalogue.toArray());
	});

	it('a councillor device never holds internal KPIs or the facility list', async () => {
		const device = newDevice();
		await pullChanges(device, transportFor('u-rat'));
		const visibilities = (await device.catalogue.toArray()).map((k) => k.visibility);
		expect(visibilities).not.toContain('internal');
		expect(await device.snapshots.get('asyl.freie_plaetze')).toBeUndefined();
		expect(await device.facilities.count()).toBe(0);
	});

	it('an unknown cursor resets: synced data is dropped and pulled anew, the outbox is kept', async () => {
		const device = newDevice();
		await pullChanges(device, transportFor('u-erfassung'));
		await device.snapshots.put({
			...(await device.snapshots.get('asyl.belegung'))!,
			kpiId: 'stale.kpi'
		});
		await enqueueEntry(
			device,
			occupancyForm,
			{ facilityId: 'wh-kotten', date: yesterday, occupied: 1, capacity: 96 },
			'u-erfassung'
		);
		await writeState(device, 'cursor', 'not-a-cursor-this-server-issued');
		const outcome = await pullChanges(device, transportFor('u-erfassung'));
		expect(outcome.resets).toBe(1);
		expect(await device.snapshots.get('stale.kpi')).toBeUndefined();
		expect(await device.snapshots.count()).toBe(EDITOR_KPI_COUNT);
		expect(await device.outbox.count()).toBe(1);
	});

	it('a login as another user starts from empty synced tables', async () => {
		const device = newDevice();
		await rememberLogin(device, {
			id: 'u-spitze',
			username: 'spitze',
			displayName: 'S',
			role: 'executive',
			areas: [],
			writableAreas: []
		});
		await pullChanges(device, transportFor('u-spitze'));
		expect(await device.snapshots.get('asyl.freie_plaetze')).toBeDefined();
		await rememberLogin(device, {
			id: 'u-rat',
			username: 'rat',
			displayName: 'R',
			role: 'councillor',
			areas: [],
			writableAreas: []
		});
		expect(await device.snapshots.count()).toBe(0);
		await pullChanges(device, transportFor('u-rat'));
		expect(await device.snapshots.get('asyl.freie_plaetze')).toBeUndefined();
	});
});

describe('outbox and push', () => {
	beforeEach(() => {
		server.$client.exec(
			'DELETE FROM processed_entries; DELETE FROM entry_cells; DELETE FROM preview_observations; DELETE FROM form_entries;'
		);
	});

	const entry = (facilityId: string, occupied: number, capacity: number) => ({
		facilityId,
		date: yesterday,
		occupied,
		capacity
	});

	it('acknowledged entries leave the outbox; a rejected one stays with its German reason', async () => {
		const device = newDevice();
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 80, 96), 'u-erfassung');
		await enqueueEntry(device, occupancyForm, entry('gibt-es-nicht', 10, 20), 'u-erfassung');
		const outcome = await pushOutbox(device, transportFor('u-erfassung'), 'u-erfassung');
		expect(outcome).toEqual({ acknowledged: 1, rejected: 1 });
		const [rejected] = await device.outbox.toArray();
		expect(rejected!.state).toBe('rejected');
		expect(rejected!.rejection!.message).toMatch(/Einrichtung gibt es nicht/);
		expect(await device.sentEntries.count()).toBe(1);
		// A rejected entry is not sent again by itself.
		expect(await pushOutbox(device, transportFor('u-erfassung'), 'u-erfassung')).toEqual({
			acknowledged: 0,
			rejected: 0
		});
	});

	it('a response lost after the server committed is retried and applied exactly once', async () => {
		const device = newDevice();
		const transport = transportFor('u-erfassung');
		transport.lostResponses = 1;
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 81, 96), 'u-erfassung');
		await expect(pushOutbox(device, transport, 'u-erfassung')).rejects.toBeInstanceOf(NetworkError);
		expect(await device.outbox.count()).toBe(1);
		await pushOutbox(device, transport, 'u-erfassung');
		expect(await device.outbox.count()).toBe(0);
		expect(server.$client.prepare('SELECT count(*) AS n FROM form_entries').get()).toEqual({
			n: 1
		});
	});

	it('an entry created while a sync runs is pushed by the same engine run', async () => {
		const device = newDevice();
		const base = transportFor('u-erfassung');
		let addedDuringSync = false;
		const transport: SyncTransport = {
			pull: base.pull,
			async push(request) {
				if (!addedDuringSync) {
					addedDuringSync = true;
					await enqueueEntry(device, occupancyForm, entry('wh-betzenberg', 60, 72), 'u-erfassung');
				}
				return base.push(request);
			}
		};
		await rememberLogin(device, EDITOR);
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 82, 96), 'u-erfassung');
		const engine = new SyncEngine(device, transport, { intervalMs: 60_000 });
		await engine.sync('submit');
		engine.stop();
		expect(await device.outbox.count()).toBe(0);
		expect(server.$client.prepare('SELECT count(*) AS n FROM form_entries').get()).toEqual({
			n: 2
		});
		const snapshot = await device.snapshots.get('asyl.belegung');
		const kotten = snapshot!.breakdown.find((row) => row.key === 'wh-kotten');
		expect(kotten).toBeDefined();
		const status = await readState<{ lastSyncAt: string | null; lastError: string | null }>(
			device,
			'status'
		);
		expect(status?.lastError).toBeNull();
		expect(status?.lastSyncAt).toEqual(expect.any(String));
	});

	it("another person's unsent entries on a shared device wait for that person", async () => {
		const device = newDevice();
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 84, 96), 'u-leitung');
		await enqueueEntry(device, occupancyForm, entry('wh-betzenberg', 61, 72), 'u-erfassung');
		expect(await pushOutbox(device, transportFor('u-erfassung'), 'u-erfassung')).toEqual({
			acknowledged: 1,
			rejected: 0
		});
		const [waiting] = await device.outbox.toArray();
		expect(waiting).toMatchObject({ authorId: 'u-leitung', state: 'queued' });
		expect(await pushOutbox(device, transportFor('u-leitung'), 'u-leitung')).toEqual({
			acknowledged: 1,
			rejected: 0
		});
		expect(await device.outbox.count()).toBe(0);
	});

	it('after a restore from an older backup, acknowledged entries are sent again and stored once', async () => {
		const device = newDevice();
		await rememberLogin(device, EDITOR);
		server.$client.pragma('wal_checkpoint(TRUNCATE)');
		const backupFile = join(dir, 'before-push.db');
		server.$client.exec(`VACUUM INTO '${backupFile}'`);
		const engine = new SyncEngine(device, transportFor('u-erfassung'), { autoRetry: false });
		await engine.sync('start');
		const acknowledged = await enqueueEntry(
			device,
			occupancyForm,
			entry('wh-kotten', 85, 96),
			'u-erfassung'
		);
		await engine.sync('submit');
		expect(await device.sentEntries.get(acknowledged.id)).toBeDefined();

		// The operator restores the backup: the entry is gone from the server.
		const restored = openDatabase(backupFile);
		const onRestored = routerTransport(restored, 'u-erfassung', systemClock);
		expect(
			restored.$client
				.prepare('SELECT count(*) AS n FROM form_entries WHERE id = ?')
				.get(acknowledged.id)
		).toEqual({ n: 0 });
		const afterRestore = new SyncEngine(device, onRestored, { autoRetry: false });
		await afterRestore.sync('start');
		engine.stop();
		afterRestore.stop();
		expect(
			restored.$client
				.prepare('SELECT count(*) AS n FROM form_entries WHERE id = ?')
				.get(acknowledged.id)
		).toEqual({ n: 1 });
		expect(await device.outbox.count()).toBe(0);
		expect(await device.sentEntries.get(acknowledged.id)).toBeDefined();
		expect(await device.snapshots.count()).toBe(EDITOR_KPI_COUNT);
		restored.$client.close();
	});

	it('a full device: the sync ends with a clear German message, nothing hangs, the outbox stays', async () => {
		const device = newDevice();
		await rememberLogin(device, EDITOR);
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 86, 96), 'u-erfassung');
		// IndexedDB refuses every new snapshot, as it does when the quota is used up.
		device.snapshots.hook('creating', () => {
			throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
		});
		const engine = new SyncEngine(device, transportFor('u-erfassung'), { autoRetry: false });
		await engine.sync('start');
		engine.stop();
		const status = await readState<{ lastError: string }>(device, 'status');
		expect(status?.lastError).toBe(QUOTA_MESSAGE);
		expect(await device.snapshots.count()).toBe(0);
		expect(await readState(device, 'cursor')).toBeUndefined();
		expect(await device.sentEntries.count()).toBe(1);
	});

	it('an expired session keeps the outbox and asks to log in again', async () => {
		const device = newDevice();
		await rememberLogin(device, EDITOR);
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 87, 96), 'u-erfassung');
		const expired: SyncTransport = {
			pull: () => Promise.reject(new SessionExpiredError()),
			push: () => Promise.reject(new SessionExpiredError())
		};
		let askedToLogIn = 0;
		const engine = new SyncEngine(device, expired, {
			autoRetry: false,
			onSessionExpired: () => askedToLogIn++
		});
		await engine.sync('start');
		engine.stop();
		expect(askedToLogIn).toBe(1);
		expect((await device.outbox.toArray()).map((e) => e.state)).toEqual(['queued']);
	});

	it('an app older than the server is told to update, in German, and keeps its entries', async () => {
		const device = newDevice();
		await rememberLogin(device, EDITOR);
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 88, 96), 'u-erfassung');
		const real = transportFor('u-erfassung');
		const oldApp: SyncTransport = {
			pull: (request) => real.pull({ ...request, schemaVersion: 0 }),
			push: (request) => real.push({ ...request, schemaVersion: 0 })
		};
		const engine = new SyncEngine(device, oldApp, { autoRetry: false });
		await engine.sync('start');
		engine.stop();
		expect(await readState(device, 'updateRequired')).toMatch(/Bitte aktualisieren Sie die App/);
		expect(await device.outbox.count()).toBe(1);
		expect(server.$client.prepare('SELECT count(*) AS n FROM form_entries').get()).toEqual({
			n: 0
		});
	});

	it('a network failure is recorded in German and the entry stays queued', async () => {
		const device = newDevice();
		const offline: SyncTransport = {
			pull: () => Promise.reject(new NetworkError()),
			push: () => Promise.reject(new NetworkError())
		};
		await rememberLogin(device, EDITOR);
		await enqueueEntry(device, occupancyForm, entry('wh-kotten', 83, 96), 'u-erfassung');
		const engine = new SyncEngine(device, offline, { intervalMs: 60_000 });
		await engine.sync('start');
		engine.stop();
		expect((await device.outbox.toArray())[0]!.state).toBe('queued');
		const status = await readState<{ lastError: string }>(device, 'status');
		expect(status?.lastError).toBe('Keine Verbindung zum Server.');
	});
});
