import { KlarDatabase } from './db';
import { pushOutbox } from './outbox';
import { flushFeedback, type FeedbackTransport } from './feedback';
import type { SyncTransport } from './transport';
import { readDeviceSession } from './session';

/** The Background Sync tag under which the service worker flushes the outbox. */
export const OUTBOX_SYNC_TAG = 'klar-outbox';
/** … and the accessibility feedback written offline (no login needed). */
export const FEEDBACK_SYNC_TAG = 'klar-feedback';

interface SyncManager {
	register(tag: string): Promise<void>;
}

/**
 * Page side: asks the browser to flush the outbox as soon as it has a connection, even if the
 * page is closed by then. Browsers without Background Sync (Safari, Firefox) rely on the sync
 * engine's triggers instead. Returns whether the browser took the request.
 */
export async function requestOutboxSync(tag: string = OUTBOX_SYNC_TAG): Promise<boolean> {
	if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
	const registration = await navigator.serviceWorker.getRegistration();
	const sync = (registration as (ServiceWorkerRegistration & { sync?: SyncManager }) | undefined)
		?.sync;
	if (!sync) return false;
	try {
		await sync.register(tag);
		return true;
	} catch {
		return false;
	}
}

/**
 * Worker side: pushes the logged-in person's queued entries. A network failure rejects, so the
 * browser schedules another attempt; the server's idempotency makes a parallel push by an open
 * page harmless.
 */
export async function flushOutboxInWorker(transport: SyncTransport): Promise<void> {
	const db = new KlarDatabase();
	try {
		const session = await readDeviceSession(db);
		if (session) await pushOutbox(db, transport, session.id);
	} finally {
		db.close();
	}
}

/**
 * Worker side: sends the accessibility feedback waiting on the device. Rejects while some is
 * still waiting, so the browser tries again later; a page sending in parallel is harmless, the
 * server takes each id once.
 */
export async function flushFeedbackInWorker(transport: FeedbackTransport): Promise<void> {
	const db = new KlarDatabase();
	try {
		const outcome = await flushFeedback(db, transport);
		if (outcome.waiting > 0)
			throw new Error(`${outcome.waiting} feedback message(s) still waiting`);
	} finally {
		db.close();
	}
}
