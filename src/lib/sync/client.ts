import { KlarDatabase, writeState } from './db';
import { SyncEngine } from './engine';
import { trpcTransport } from './trpc-transport';

/** The browser's single database and sync engine. */
export const db = new KlarDatabase();

let engine: SyncEngine | null = null;

/** Starts syncing for the logged-in user (once); screens never wait for it. */
export function startSync(): SyncEngine {
	if (!engine) {
		engine = new SyncEngine(db, trpcTransport, {
			onSessionExpired: () => void writeState(db, 'sessionExpired', true)
		});
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
