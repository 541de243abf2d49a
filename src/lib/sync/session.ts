import type { AreaId } from '#shared/areas';
import { deviceSessionExpired, type SessionInfo } from '#shared/accounts';
import type { Principal } from '#shared/permissions';
import {
	readState,
	syncedTables,
	writeState,
	type DeviceSession,
	type KlarDatabase,
	type SignedOut,
	type SyncStateKey,
	type SyncStatus
} from './db';

/** What `auth.login` and `auth.me` answer; `session` is null or absent where the server sends none. */

/** The person signed in on this device, or null. The one way the device's session is read. */
export async function readDeviceSession(db: KlarDatabase): Promise<DeviceSession | null> {
	return (await readState<DeviceSession>(db, 'session')) ?? null;
}

export type LoginAnswer = Principal & { writableAreas: AreaId[]; session?: SessionInfo | null };

/**
 * Device state that says nothing about the city's figures and survives a wipe: the server's
 * history witness (pushes of kept outbox entries carry it), what the browser promised about
 * storage, whether this app is too old, and the marker of the sign-out itself. Every other key
 * goes, so a key added later that holds figures is wiped without anyone remembering to list it.
 */
const KEPT_STATE: SyncStateKey[] = ['witness', 'storage', 'updateRequired'];

/**
 * The workbox precache holds the app shell only (built files, no figures) and must survive,
 * or the app would not open offline for the next login.
 */
const SHELL_CACHE_PREFIX = 'workbox-precache';

export interface WipeOptions {
	/** Also drop this person's unsent outbox entries and drafts: they chose to discard them. */
	discardUnsentOf?: string;
	/**
	 * Keep the acknowledged entries. Only for an expiry: the server may have answered
	 * UNAUTHORIZED because it was restored from a backup that lost both the session and entries
	 * it had acknowledged; after the next login the device sends those again from here
	 * (`forgetLostHistory`). A deliberate logout drops them, as they still hold form data.
	 */
	keepAcknowledged?: boolean;
}

/**
 * Removes what the session brought onto the device: every synced table (catalogue, snapshots,
 * reference lists, entries), the cursor, sync status, red alerts, acknowledged entries and every
 * Cache Storage cache but the app shell's. What stays, and why:
 * - the outbox (and drafts): unsent work of a person is never dropped silently; it is pushed
 *   after that person's next login (`pushOutbox` only sends the logged-in author's entries);
 * - pins: preferences per user that name KPIs but hold no figures, so the same person finds
 *   their Lagebild again after logging back in.
 * Committee reports go at a logout, as their notes speak about the figures (a report outlives a
 * logout only as its share link); an expired session keeps them for the same person, since
 * nobody chose to leave and the work of preparing a meeting must not vanish unasked.
 */
export async function wipeDeviceData(db: KlarDatabase, options: WipeOptions = {}): Promise<void> {
	await wipeTables(db, options);
	await clearDataCaches();
}

/** The IndexedDB part of the wipe, with the sign-out marker written in the same transaction. */
async function wipeTables(
	db: KlarDatabase,
	options: WipeOptions,
	signOut?: { reason: SignedOut['reason']; serverSessionEnded: boolean }
): Promise<void> {
	const tables = [
		...syncedTables(db),
		db.syncState,
		db.sentEntries,
		db.outbox,
		db.drafts,
		db.reports
	];
	await db.transaction('rw', tables, async () => {
		const me = await readDeviceSession(db);
		const previous = await readState<SignedOut>(db, 'signedOut');
		await Promise.all(syncedTables(db).map((table) => table.clear()));
		// Reports hold the author's notes on the figures: a logout takes them along. An expired
		// session keeps them, like unsent entries, for the same person's next login (they are
		// keyed by user, so nobody else lists them); a different user's login wipes them.
		if (signOut?.reason !== 'expired') await db.reports.clear();
		if (!options.keepAcknowledged) await db.sentEntries.clear();
		await db.syncState.where('key').noneOf(KEPT_STATE).delete();
		const discard = options.discardUnsentOf;
		if (discard) {
			await db.outbox.filter((entry) => entry.authorId === discard).delete();
			await db.drafts.where('userId').equals(discard).delete();
		}
		if (!signOut) return;
		const marker: SignedOut = {
			reason: signOut.reason,
			at: new Date().toISOString(),
			...(me ? { userId: me.id } : previous?.userId ? { userId: previous.userId } : {}),
			// Noticing an expiry twice must not forget a server session that is still open.
			serverLogoutPending: !signOut.serverSessionEnded || (previous?.serverLogoutPending ?? false)
		};
		await writeState(db, 'signedOut', marker);
		if (signOut.reason === 'expired') await writeState(db, 'sessionExpired', true);
	});
}

/** Deletes every Cache Storage cache except the precached app shell (none exist in Node). */
async function clearDataCaches(): Promise<void> {
	if (typeof caches === 'undefined') return;
	const names = await caches.keys();
	await Promise.all(
		names.filter((name) => !name.startsWith(SHELL_CACHE_PREFIX)).map((name) => caches.delete(name))
	);
}

/**
 * Remembers who is logged in on this device, so the app opens offline. A different user than
 * before starts from a wiped device; the server would answer "reset" anyway.
 */
export async function rememberLogin(
	db: KlarDatabase,
	principal: LoginAnswer,
	now = new Date()
): Promise<void> {
	const previous = await readDeviceSession(db);
	if (previous && previous.id !== principal.id)
		await wipeDeviceData(db, { keepAcknowledged: true });
	const { session: limits, ...who } = principal;
	const session: DeviceSession = {
		...who,
		loggedInAt: now.toISOString(),
		...(limits ? { session: limits } : {})
	};
	// One transaction: a screen watching both must never see the new session still marked expired.
	await db.transaction('rw', db.syncState, async () => {
		await writeState(db, 'session', session);
		await db.syncState.bulkDelete(['sessionExpired', 'signedOut']);
	});
}

/** This person's unsent work on the device: what a logout must not lose without asking. */
export interface UnsentWork {
	/** Outbox entries waiting for a connection. */
	queued: number;
	/** Outbox entries the server refused, waiting to be fixed. */
	rejected: number;
	/** Forms filled in part and not sent. */
	drafts: number;
}

export async function unsentWorkOf(db: KlarDatabase, userId: string): Promise<UnsentWork> {
	const [entries, drafts] = await Promise.all([
		db.outbox.filter((entry) => entry.authorId === userId).toArray(),
		db.drafts.where('userId').equals(userId).count()
	]);
	const rejected = entries.filter((entry) => entry.state === 'rejected').length;
	return { queued: entries.length - rejected, rejected, drafts };
}

/**
 * The person logged out: wipe the device (discarding their unsent work only if they chose to)
 * and remember that they did, so that a server session the logout request could not end
 * (offline) is not picked up again at the next start.
 */
export async function forgetLogin(
	db: KlarDatabase,
	options: { discardUnsent?: boolean; serverSessionEnded?: boolean } = {}
): Promise<void> {
	const me = await readDeviceSession(db);
	await wipeTables(db, options.discardUnsent && me ? { discardUnsentOf: me.id } : {}, {
		reason: 'logout',
		serverSessionEnded: options.serverSessionEnded ?? true
	});
	await clearDataCaches();
}

/**
 * The session is over (the server answered UNAUTHORIZED, or the device's own clock says so):
 * wipe synced data but keep the outbox for the same person's next login, and have the login
 * page say why. `serverSessionEnded` is false when only the device decided, so the server
 * session is ended as well once there is a connection.
 */
export async function expireSession(
	db: KlarDatabase,
	options: { serverSessionEnded: boolean }
): Promise<void> {
	await wipeTables(
		db,
		{ keepAcknowledged: true },
		{ reason: 'expired', serverSessionEnded: options.serverSessionEnded }
	);
	await clearDataCaches();
}

/**
 * Whether the device's session is over by its own clock, network or not: past the absolute end
 * the server gave at login, or idle longer than allowed since the server last answered (the last
 * successful sync, or the login). A phone forgotten in a train wipes itself this way.
 */
export async function deviceSessionOver(db: KlarDatabase, now = new Date()): Promise<boolean> {
	const session = await readDeviceSession(db);
	if (!session?.session) return false;
	const status = await readState<SyncStatus>(db, 'status');
	const contacts = [session.loggedInAt, status?.lastSyncAt]
		.filter((t): t is string => !!t)
		.map((t) => new Date(t).getTime());
	return deviceSessionExpired(session.session, new Date(Math.max(...contacts)), now);
}

/** Expires the session when the device's clock says it is over; returns whether it did. */
export async function expireIfOver(db: KlarDatabase, now = new Date()): Promise<boolean> {
	if (!(await deviceSessionOver(db, now))) return false;
	await expireSession(db, { serverSessionEnded: false });
	return true;
}

/**
 * A sign-out whose server session could not be ended then (offline): end it now. An answer of
 * UNAUTHORIZED also counts, as the session is gone either way; a network failure leaves the
 * task for the next start.
 */
export async function endPendingServerSession(
	db: KlarDatabase,
	endServerSession: () => Promise<'ended' | 'unreachable'>
): Promise<void> {
	const signedOut = await readState<SignedOut>(db, 'signedOut');
	if (!signedOut?.serverLogoutPending) return;
	if ((await endServerSession()) === 'unreachable') return;
	const now = await readState<SignedOut>(db, 'signedOut');
	if (now) await writeState(db, 'signedOut', { ...now, serverLogoutPending: false });
}

/**
 * Who is logged in when the app starts. Null sends the person to the login page: nobody is, the
 * session is over by the device's clock (it is wiped here, before any screen shows a figure),
 * or the person signed out. Only a device that lost its IndexedDB (evicted under storage
 * pressure, cleared by the person) while the server session lives on picks the session up
 * again from the server; the empty cursor makes the next pull a full one.
 */
export async function openDeviceSession(
	db: KlarDatabase,
	askServer: (() => Promise<LoginAnswer | null>) | null,
	now = new Date()
): Promise<DeviceSession | null> {
	const current = await readDeviceSession(db);
	if (current) return (await expireIfOver(db, now)) ? null : current;
	if (!askServer || (await readState<SignedOut>(db, 'signedOut'))) return null;
	return recoverSession(db, askServer);
}

/**
 * The device lost its IndexedDB while the server session lives on: pick the session up again
 * from the server. Returns null when there is no session to recover (or no network to ask).
 */
export async function recoverSession(
	db: KlarDatabase,
	askServer: () => Promise<LoginAnswer | null>
): Promise<DeviceSession | null> {
	let principal: LoginAnswer | null;
	try {
		principal = await askServer();
	} catch (error) {
		console.warn('Could not recover the session from the server', error);
		return null;
	}
	if (!principal) return null;
	await rememberLogin(db, principal);
	return readDeviceSession(db);
}
