import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { KlarDatabase, writeState } from '../../src/lib/sync/db';
import {
	createReport,
	deleteReport,
	readReport,
	reportsOf,
	saveReport
} from '../../src/lib/sync/reports';
import {
	expireSession,
	forgetLogin,
	rememberLogin,
	type LoginAnswer
} from '../../src/lib/sync/session';
import { togglePin } from '../../src/lib/sync/pins';
import type { ReportContent } from '#shared/reports';

let devices = 0;
const newDevice = () => new KlarDatabase(`klar-reports-${devices++}`);

const SPITZE: LoginAnswer = {
	id: 'u-spitze',
	username: 'spitze',
	displayName: 'Oberbürgermeisterin',
	role: 'executive',
	areas: [],
	writableAreas: []
};

const content = (title: string, kpiIds: string[] = ['asyl.belegung']): ReportContent => ({
	title,
	meetingDate: '2026-12-15',
	items: kpiIds.map((kpiId) => ({ kpiId, note: '', pageBreakBefore: false }))
});

describe('committee reports on the device', () => {
	it('saves, lists (last changed first), changes and deletes an author’s reports', async () => {
		const device = newDevice();
		const first = await createReport(
			device,
			'u-spitze',
			content('Hauptausschuss'),
			new Date('2026-12-01T10:00:00Z')
		);
		const second = await createReport(
			device,
			'u-spitze',
			content('Sozialausschuss'),
			new Date('2026-12-02T10:00:00Z')
		);
		expect((await reportsOf(device, 'u-spitze')).map((r) => r.title)).toEqual([
			'Sozialausschuss',
			'Hauptausschuss'
		]);

		const changed = await saveReport(
			device,
			'u-spitze',
			first.id,
			{
				...content('Hauptausschuss', ['asyl.belegung', 'bev.einwohner']),
				items: [
					{ kpiId: 'bev.einwohner', note: 'Zuzug', pageBreakBefore: true },
					{ kpiId: 'asyl.belegung', note: '', pageBreakBefore: false }
				]
			},
			new Date('2026-12-03T10:00:00Z')
		);
		expect(changed.createdAt).toBe(first.createdAt);
		expect(await readReport(device, 'u-spitze', first.id)).toEqual(changed);
		expect((await reportsOf(device, 'u-spitze')).map((r) => r.id)).toEqual([first.id, second.id]);

		await deleteReport(device, 'u-spitze', second.id);
		expect((await reportsOf(device, 'u-spitze')).map((r) => r.id)).toEqual([first.id]);
		device.close();
	});

	it('refuses content that breaks the rules and keeps what was stored', async () => {
		const device = newDevice();
		const report = await createReport(device, 'u-spitze', content('Hauptausschuss'));
		await expect(saveReport(device, 'u-spitze', report.id, content('   '))).rejects.toThrow(
			/Bitte einen Titel angeben/
		);
		await expect(
			createReport(device, 'u-spitze', content('Doppelt', ['asyl.belegung', 'asyl.belegung']))
		).rejects.toThrow(/nur einmal/);
		expect((await readReport(device, 'u-spitze', report.id))?.title).toBe('Hauptausschuss');
		device.close();
	});

	it('keeps one person’s reports from another on a shared device', async () => {
		const device = newDevice();
		const mine = await createReport(device, 'u-spitze', content('Meiner'));
		await createReport(device, 'u-leitung', content('Ihrer'));
		expect((await reportsOf(device, 'u-spitze')).map((r) => r.title)).toEqual(['Meiner']);
		expect((await reportsOf(device, 'u-leitung')).map((r) => r.title)).toEqual(['Ihrer']);
		expect(await readReport(device, 'u-leitung', mine.id)).toBeUndefined();
		await expect(saveReport(device, 'u-leitung', mine.id, content('Übernommen'))).rejects.toThrow(
			/No report/
		);
		await deleteReport(device, 'u-leitung', mine.id);
		expect(await readReport(device, 'u-spitze', mine.id)).toBeDefined();
		device.close();
	});

	it('a logout wipes the reports with the figures; pins stay', async () => {
		const device = newDevice();
		await rememberLogin(device, SPITZE);
		await createReport(device, 'u-spitze', content('Hauptausschuss'));
		await togglePin(device, 'u-spitze', 'asyl.belegung');
		await forgetLogin(device);
		expect(await device.reports.count()).toBe(0);
		expect(await device.pins.count()).toBe(1);
		device.close();
	});

	it('an expired session keeps them for the same person; another person logging in wipes them', async () => {
		const device = newDevice();
		await rememberLogin(device, SPITZE);
		const report = await createReport(device, 'u-spitze', content('Hauptausschuss'));
		await writeState(device, 'cursor', 'c-1');
		await expireSession(device, { serverSessionEnded: false });
		// The figures are gone, the prepared report waits for its author.
		expect(await device.snapshots.count()).toBe(0);
		expect(await readReport(device, 'u-spitze', report.id)).toBeDefined();
		await rememberLogin(device, SPITZE);
		expect((await reportsOf(device, 'u-spitze')).map((r) => r.id)).toEqual([report.id]);
		await forgetLogin(device);
		expect(await device.reports.count()).toBe(0);
		device.close();
	});

	it('a device of version 5 opens with the reports table and keeps its data', async () => {
		const name = `klar-reports-${devices++}`;
		const old = new Dexie(name);
		old.version(5).stores({
			snapshots: 'kpiId, areaId',
			catalogue: 'id, areaId, sortOrder',
			facilities: 'id',
			syncState: 'key',
			outbox: 'id, state, createdAt',
			sentEntries: 'id, sentAt',
			pins: '[userId+kpiId], userId',
			drafts: 'id, userId, updatedAt',
			entries: 'id, recordId, authorId, areaId, state',
			districts: 'id',
			providers: 'id',
			areas: 'id, sortOrder',
			dimensions: 'id',
			histories: 'kpiId'
		});
		await old.table('pins').put({ userId: 'u-spitze', kpiId: 'asyl.belegung', pinnedAt: 'x' });
		old.close();

		const device = new KlarDatabase(name);
		expect(await device.pins.count()).toBe(1);
		await createReport(device, 'u-spitze', content('Nach dem Update'));
		expect(await reportsOf(device, 'u-spitze')).toHaveLength(1);
		device.close();
	});
});
