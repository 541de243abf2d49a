import { KlarDatabase } from './db';
import { SyncEngine } from './engine';
import { trpcTransport } from './trpc-transport';

/** The browser's single database and sync engine. */
export const db = new KlarDatabase();

// Someone deletes the database (site data cleared, storage evicted, another tab's upgrade):
// let go of it and start the page afresh, which recovers the session and pulls everything anew.
db.on('versionchange', () => {
	db.close();
	if (typeof location !== 'undefined') location.reload();
	return false;
});

let engine: SyncEngine | null = null;

/** Starts syncing for the logged-in user (once); screens never wait for it. */
export function startSync(): SyncEngine {
	if (!engine) {
		// An expired session needs nothing here: the engine wipes the device, which also marks
		// the expiry for the login page.
		engine = new SyncEngine(db, trpcTransport);
		void engine.start();
	}
	return engine;
}

export function stopSync(): void {
	engine?.stop();
	engine = null;
}

export function currentEngine(): SyncEngine | null {
	return engine;
}
