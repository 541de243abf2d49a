import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type KlarDatabase as ServerDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { KlarDatabase, readState, type RedAlert } from '../../src/lib/sync/db';
import { pullChanges } from '../../src/lib/sync/pull';
import { pinnedKpiIds, togglePin } from '../../src/lib/sync/pins';
import { reportFullHouse } from '../server/helpers';
import { routerTransport } from './router-transport';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { systemClock } from '#server/clock';

let dir: string;
let server: ServerDatabase;
let devices = 0;

const transportFor = (userId: string) => routerTransport(server, userId, systemClock);

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'klar-home-'));
	server = openDatabase(join(dir, 'klar.db'));
	await seedDemo(server, new Date());
});

afterAll(() => {
	server.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

describe('red alerts on the device', () => {
	it('a KPI that turns red between two syncs is listed as new; the first sync warns of nothing', async () => {
		const device = new KlarDatabase(`klar-home-${devices++}`);
		const transport = transportFor('u-spitze');
		await pullChanges(device, transport);
		expect(await readState<RedAlert[]>(device, 'redAlerts')).toEqual([]);
		const redBefore = await readState<string[]>(device, 'redBaseline');
		expect(redBefore).not.toContain(ASYL_KPI.utilisation);

		reportFullHouse(server, new Date());
		await pullChanges(device, transport);
		const alerts = (await readState<RedAlert[]>(device, 'redAlerts')) ?? [];
		// A full house is red twice: the utilisation and the free places (none left).
		expect(alerts.map((a) => a.kpiId).sort()).toEqual([ASYL_KPI.utilisation, ASYL_KPI.freePlaces]);
		expect((await device.snapshots.get(ASYL_KPI.utilisation))?.status).toBe('red');

		// A later sync that brings nothing new keeps the warning until the KPI leaves red.
		await pullChanges(device, transport);
		expect((await readState<RedAlert[]>(device, 'redAlerts')) ?? []).toEqual(alerts);
		device.close();
	});

	it('a reset that re-pulls everything does not make every red KPI look new', async () => {
		const device = new KlarDatabase(`klar-home-${devices++}`);
		const transport = transportFor('u-spitze');
		await pullChanges(device, transport);
		await device.syncState.put({ key: 'cursor', value: 'garbage' });
		const outcome = await pullChanges(device, transport);
		expect(outcome.resets).toBe(1);
		expect(await readState<RedAlert[]>(device, 'redAlerts')).toEqual([]);
		device.close();
	});
});

describe('pins', () => {
	it('are kept per user on the device, in the order they were pinned, and survive a reset', async () => {
		const device = new KlarDatabase(`klar-home-${devices++}`);
		await pullChanges(device, transportFor('u-spitze'));
		expect(await togglePin(device, 'u-spitze', ASYL_KPI.arrivals, new Date(1000))).toBe(true);
		expect(await togglePin(device, 'u-spitze', ASYL_KPI.utilisation, new Date(2000))).toBe(true);
		expect(await togglePin(device, 'u-rat', ASYL_KPI.capacity, new Date(3000))).toBe(true);
		expect(await pinnedKpiIds(device, 'u-spitze')).toEqual([
			ASYL_KPI.arrivals,
			ASYL_KPI.utilisation
		]);
		expect(await pinnedKpiIds(device, 'u-rat')).toEqual([ASYL_KPI.capacity]);

		await device.syncState.put({ key: 'cursor', value: 'garbage' });
		await pullChanges(device, transportFor('u-spitze'));
		expect(await pinnedKpiIds(device, 'u-spitze')).toHaveLength(2);

		expect(await togglePin(device, 'u-spitze', ASYL_KPI.arrivals)).toBe(false);
		expect(await pinnedKpiIds(device, 'u-spitze')).toEqual([ASYL_KPI.utilisation]);
		device.close();
	});
});
