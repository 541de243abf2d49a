import type { AreaId } from '../shared/areas';
import type { Principal } from '../shared/permissions';
import { dropSyncedData, readState, writeState, type DeviceSession, type KlarDatabase } from './db';

/**
 * Remembers who is logged in on this device, so the app opens offline. A different user than
 * before starts from empty synced tables; the server would answer "reset" anyway.
 */
export async function rememberLogin(
	db: KlarDatabase,
	principal: Principal & { writableAreas: AreaId[] }
): Promise<void> {
	const previous = await readState<DeviceSession>(db, 'session');
	if (previous && previous.id !== principal.id) await dropSyncedData(db);
	await writeState(db, 'session', { ...principal, loggedInAt: new Date().toISOString() });
	await writeState(db, 'sessionExpired', false);
}

/** Ends the session on the device: synced figures are dropped; unsent entries stay in the outbox. */
export async function forgetLogin(db: KlarDatabase): Promise<void> {
	await dropSyncedData(db);
	await db.syncState.bulkDelete(['session', 'status', 'sessionExpired']);
}

/**
 * The device lost its IndexedDB (evicted under storage pressure, cleared by the person) while
 * the server session lives on: pick the session up again; the empty cursor makes the next pull
 * a full one. Returns null when there is no session to recover (or no network to ask).
 */
export async function recoverSession(
	db: KlarDatabase,
	askServer: () => Promise<(Principal & { writableAreas: AreaId[] }) | null>
): Promise<DeviceSession | null> {
	let principal: (Principal & { writableAreas: AreaId[] }) | null;
	try {
		principal = await askServer();
	} catch (error) {
		console.warn('Could not recover the session from the server', error);
		return null;
	}
	if (!principal) return null;
	await rememberLogin(db, principal);
	return (await readState<DeviceSession>(db, 'session')) ?? null;
}
