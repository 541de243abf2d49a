import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { setKpiVisibility } from '#server/kpis/catalogue';
import {
	copyDatabase,
	count,
	loginAs,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	V,
	SEED_NOW
} from './helpers';

/**
 * A database restored from an older backup has lost what was acknowledged after the backup.
 * The witness a device got with its last acknowledged push lets the server say so, on push and
 * on pull, even when the device's pull cursor predates the backup.
 */
describe('witness of acknowledged pushes', () => {
	let seeded: KlarDatabase;

	beforeAll(async () => {
		seeded = (await openSeededDatabase()).db;
	});

	afterAll(() => {
		seeded.$client.close();
		removeTempDirs();
	});

	test('a push answers with a witness that the next pull and push accept', async () => {
		const db = copyDatabase(seeded);
		const session = await loginAs(db, 'erfassung');
		const first = await session.caller.sync.push({
			schemaVersion: V,
			witness: null,
			entries: [occupancyEntry('u-erfassung')]
		});
		if (first.kind !== 'results') throw new Error('expected results');
		const pulled = await session.caller.sync.pull({
			schemaVersion: V,
			cursor: null,
			witness: first.witness
		});
		expect(pulled.kind).toBe('changes');
		const second = await session.caller.sync.push({
			schemaVersion: V,
			witness: first.witness,
			entries: [
				occupancyEntry('u-erfassung', { facilityId: 'wh-kotten', occupied: 90, capacity: 96 })
			]
		});
		expect(second.kind).toBe('results');
		db.$client.close();
	});

	test('after a restore, pull and push with the lost witness answer reset, and the push writes nothing', async () => {
		const backup = copyDatabase(seeded);
		const live = copyDatabase(seeded);
		const onLive = await loginAs(live, 'erfassung');
		const pulled = await onLive.caller.sync.pull({ schemaVersion: V, cursor: null });
		if (pulled.kind !== 'changes') throw new Error('expected changes');
		const acknowledged = await onLive.caller.sync.push({
			schemaVersion: V,
			entries: [occupancyEntry('u-erfassung')]
		});
		if (acknowledged.kind !== 'results') throw new Error('expected results');

		// The backup never saw that push; its own later changes even pass the witness' sequence.
		const onBackup = await loginAs(backup, 'erfassung');
		for (let i = 0; i < 3; i++) {
			await onBackup.caller.sync.push({
				schemaVersion: V,
				entries: [occupancyEntry('u-erfassung', { occupied: 150 + i })]
			});
		}
		const before = count(backup, 'form_entries');
		expect(
			await onBackup.caller.sync.pull({
				schemaVersion: V,
				cursor: pulled.cursor,
				witness: acknowledged.witness
			})
		).toEqual({ kind: 'reset', reason: 'unknown_cursor' });
		expect(
			await onBackup.caller.sync.push({
				schemaVersion: V,
				witness: acknowledged.witness,
				entries: [occupancyEntry('u-erfassung', { occupied: 99 })]
			})
		).toEqual({ kind: 'reset', reason: 'unknown_cursor' });
		expect(count(backup, 'form_entries')).toBe(before);
		// The pull cursor alone is from before the backup point and would not notice.
		expect(
			(await onBackup.caller.sync.pull({ schemaVersion: V, cursor: pulled.cursor })).kind
		).toBe('changes');
		live.$client.close();
		backup.$client.close();
	});

	test('a cursor from the middle of a paged pull is refused when the backup is older than the pull', async () => {
		const live = copyDatabase(seeded);
		const onLive = await loginAs(live, 'spitze');
		// The backup is taken first; afterwards the KPI catalogue changes on the live server.
		const backup = copyDatabase(live);
		setKpiVisibility(live, 'u-admin', 'asyl.auslastung', 'public', SEED_NOW);
		const firstPage = await onLive.caller.sync.pull({ schemaVersion: V, cursor: null, limit: 2 });
		if (firstPage.kind !== 'changes' || !firstPage.hasMore)
			throw new Error('expected a first page');

		// On the restored server the catalogue changes differently, and more often.
		for (let i = 0; i < 4; i++) {
			setKpiVisibility(
				backup,
				'u-admin',
				'asyl.zugaenge',
				i % 2 ? 'internal' : 'council',
				SEED_NOW
			);
		}
		const onBackup = await loginAs(backup, 'spitze');
		expect(
			await onBackup.caller.sync.pull({ schemaVersion: V, cursor: firstPage.cursor, limit: 2 })
		).toEqual({ kind: 'reset', reason: 'unknown_cursor' });
		live.$client.close();
		backup.$client.close();
	});
});
