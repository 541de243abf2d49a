import type { Table } from 'dexie';
import { SYNC_SCHEMA_VERSION, type ChangeV1, type PullResponseV1 } from '#shared/protocol';
import {
	dropSyncedData,
	forgetLostHistory,
	readState,
	entityTables,
	syncedTables,
	type KlarDatabase
} from './db';
import { UpdateRequiredError, type SyncTransport } from './transport';
import { updateRedAlerts } from './alerts';

export interface PullOutcome {
	pages: number;
	changes: number;
	resets: number;
	/** The server's history is not the one this device knew (restored or replaced database). */
	historyLost: boolean;
	serverTime: string | null;
}

const MAX_PAGES = 1000;

/**
 * Pulls pages until the server has nothing more. Each page and its cursor are written in one
 * Dexie transaction, so an interrupted pull resumes where it stopped and never skips a change.
 * A "reset" drops the synced tables (not the outbox) and starts over with a full pull.
 */
export async function pullChanges(
	db: KlarDatabase,
	transport: SyncTransport,
	pageLimit?: number
): Promise<PullOutcome> {
	const outcome: PullOutcome = {
		pages: 0,
		changes: 0,
		resets: 0,
		historyLost: false,
		serverTime: null
	};
	for (let page = 0; page < MAX_PAGES; page++) {
		const cursor = (await readState<string>(db, 'cursor')) ?? null;
		const witness = (await readState<string>(db, 'witness')) ?? null;
		const response = await transport.pull({
			schemaVersion: SYNC_SCHEMA_VERSION,
			cursor,
			witness,
			limit: pageLimit
		});
		if (response.kind === 'update_required') throw new UpdateRequiredError(response.message);
		if (response.kind === 'reset') {
			if (outcome.resets > 0 && cursor === null)
				throw new Error('Server answered reset to a full pull');
			outcome.resets++;
			if (response.reason === 'unknown_cursor' || response.reason === 'cursor_from_future') {
				outcome.historyLost = true;
				await forgetLostHistory(db);
			} else {
				await dropSyncedData(db);
			}
			continue;
		}
		await applyPage(db, response);
		outcome.pages++;
		outcome.changes += response.changes.length;
		outcome.serverTime = response.serverTime;
		if (!response.hasMore) {
			if (outcome.changes > 0 || outcome.resets > 0) await updateRedAlerts(db);
			return outcome;
		}
	}
	throw new Error('Pull did not finish within the page limit');
}

async function applyPage(db: KlarDatabase, page: Extract<PullResponseV1, { kind: 'changes' }>) {
	await db.transaction('rw', [...syncedTables(db), db.syncState], async () => {
		for (const change of page.changes) await applyChange(db, change);
		await db.syncState.put({ key: 'cursor', value: page.cursor });
	});
}

async function applyChange(db: KlarDatabase, change: ChangeV1) {
	// Each entity's table holds that entity's data (checked where the tables are named).
	const table = entityTables(db)[change.entity] as Table<unknown, string>;
	if (change.op === 'put') return table.put(change.data);
	// A KPI the person may no longer read takes its loaded history with it.
	if (change.entity === 'snapshot.v2' || change.entity === 'kpi.v2') {
		await db.histories.delete(change.id);
	}
	return table.delete(change.id);
}
