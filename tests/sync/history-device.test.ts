import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type KlarDatabase as ServerDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { setKpiVisibility } from '#server/kpis/catalogue';
import { KlarDatabase } from '../../src/lib/sync/db';
import { SyncEngine } from '../../src/lib/sync/engine';
import { loadHistory } from '../../src/lib/sync/history';
import { rememberLogin, wipeDeviceData, type LoginAnswer } from '../../src/lib/sync/session';
import { systemClock } from '#server/clock';
import { routerTransport } from './router-transport';

const COUNCILLOR: LoginAnswer = {
	id: 'u-rat',
	username: 'rat',
	displayName: 'R',
	role: 'councillor',
	areas: [],
	writableAreas: []
};
const KPI = 'bev.einwohner';

let dir: string;
let server: ServerDatabase;
beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'klar-history-'));
	server = openDatabase(join(dir, 'klar.db'));
	await seedDemo(server, new Date());
});
afterAll(() => {
	server.$client.close();
	rmSync(dir, { recursive: true, force: true });
});

/** A councillor's phone after a full sync, with the register's history kept from a visit. */
async function phoneWithHistory(name: string) {
	const device = new KlarDatabase(name);
	await rememberLogin(device, COUNCILLOR);
	const engine = new SyncEngine(device, routerTransport(server, COUNCILLOR.id, systemClock), {
		autoRetry: false
	});
	await engine.sync('start');
	const snapshot = (await device.snapshots.get(KPI))!;
	await device.histories.put({
		kpiId: KPI,
		history: { ...snapshot, series: { start: '2001-01', values: [1, 2, 3] } },
		basedOn: snapshot.computedAt,
		loadedAt: '2026-12-01T09:00:00.000Z'
	});
	return { device, engine, snapshot };
}

describe('a history loaded once stays on the phone, and goes with the KPI', () => {
	it('offline: the kept history, an older one with its date, or a plain "not here"', async () => {
		const { device, engine, snapshot } = await phoneWithHistory('klar-history-1');
		expect(await loadHistory(device, KPI, snapshot, false)).toMatchObject({
			kind: 'current',
			history: { series: { start: '2001-01' } }
		});
		// Newer values have come since the visit: the kept one is shown as older.
		expect(await loadHistory(device, KPI, { computedAt: 'später' }, false)).toEqual({
			kind: 'older',
			history: expect.objectContaining({ kpiId: KPI }),
			loadedAt: '2026-12-01T09:00:00.000Z'
		});
		expect(await loadHistory(device, 'bev.geburten', snapshot, false)).toEqual({
			kind: 'unavailable'
		});
		engine.stop();
	});

	it('a KPI narrowed to internal takes its kept history off the councillor’s phone', async () => {
		const { device, engine } = await phoneWithHistory('klar-history-2');
		setKpiVisibility(server, 'u-admin', KPI, 'internal', new Date());
		try {
			await engine.sync('manual');
			expect(await device.snapshots.get(KPI)).toBeUndefined();
			expect(await device.histories.get(KPI)).toBeUndefined();
		} finally {
			setKpiVisibility(server, 'u-admin', KPI, 'public', new Date());
			engine.stop();
		}
	});

	it('logging out wipes kept histories with every other figure', async () => {
		const { device, engine } = await phoneWithHistory('klar-history-3');
		engine.stop();
		await wipeDeviceData(device);
		expect(await device.histories.count()).toBe(0);
	});
});
