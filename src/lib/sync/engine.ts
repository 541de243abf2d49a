import { EMPTY_STATUS, readState, writeState, type KlarDatabase, type SyncStatus } from './db';
import { pushOutbox } from './outbox';
import { pullChanges } from './pull';
import { expireSession } from './session';
import {
	NetworkError,
	SessionExpiredError,
	UpdateRequiredError,
	type SyncTransport
} from './transport';
import { readDeviceSession } from './session';

export const QUOTA_MESSAGE =
	'Der Speicher des Geräts ist voll. Bitte Speicher freigeben (z. B. andere Apps oder Fotos); bis dahin werden keine neuen Zahlen geladen.';

/** Whether IndexedDB refused a write because the device's storage is full. */
function isQuotaError(error: unknown): boolean {
	return (
		error instanceof Error &&
		(error.name === 'QuotaExceededError' ||
			(error as { inner?: Error }).inner?.name === 'QuotaExceededError')
	);
}

/** The German line the status bar shows for a failed sync. */
export function describeSyncError(error: unknown): string {
	if (isQuotaError(error)) return QUOTA_MESSAGE;
	return error instanceof Error ? error.message : String(error);
}

export type SyncTrigger =
	'start' | 'online' | 'visible' | 'interval' | 'submit' | 'manual' | 'retry';

export interface SyncEngineOptions {
	intervalMs?: number;
	/** Changes per pull page (the server's default when unset). */
	pageLimit?: number;
	/** Retry on its own after a network failure (off in simulations that drive every step). */
	autoRetry?: boolean;
	/**
	 * Called when the server no longer knows the session, after the device was wiped of synced
	 * data; the outbox is kept.
	 */
	onSessionExpired?: () => void;
	random?: () => number;
}

const DEFAULT_INTERVAL_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * Runs push-then-pull when something suggests it is worth it (start, network back, app visible,
 * a timer, a submitted form). Never two runs at once: a trigger during a run schedules one more
 * run afterwards, so an entry created during a sync is pushed too. Network failures retry with
 * exponential backoff and jitter.
 */
export class SyncEngine {
	private running: Promise<void> | null = null;
	private again = false;
	private failures = 0;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private intervalTimer: ReturnType<typeof setInterval> | null = null;
	private readonly cleanups: (() => void)[] = [];

	constructor(
		private readonly db: KlarDatabase,
		private readonly transport: SyncTransport,
		private readonly options: SyncEngineOptions = {}
	) {}

	/** Hooks the engine to the browser's events; returns when the first sync has finished. */
	start(): Promise<void> {
		if (typeof window !== 'undefined') {
			const onOnline = () => void this.sync('online');
			const onVisible = () => {
				if (document.visibilityState === 'visible') void this.sync('visible');
			};
			window.addEventListener('online', onOnline);
			document.addEventListener('visibilitychange', onVisible);
			this.cleanups.push(
				() => window.removeEventListener('online', onOnline),
				() => document.removeEventListener('visibilitychange', onVisible)
			);
		}
		this.intervalTimer = setInterval(
			() => void this.sync('interval'),
			this.options.intervalMs ?? DEFAULT_INTERVAL_MS
		);
		return this.sync('start');
	}

	stop(): void {
		this.cleanups.splice(0).forEach((cleanup) => cleanup());
		if (this.intervalTimer) clearInterval(this.intervalTimer);
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.intervalTimer = this.retryTimer = null;
	}

	/**
	 * Resolves when no run is under way any more. A logout stops the engine and waits for this
	 * before wiping, so that a pull already in flight cannot write figures after the wipe.
	 */
	settled(): Promise<void> {
		return this.running ?? Promise.resolve();
	}

	/** Runs a sync now, or right after the one under way. Resolves when that run is done. */
	sync(_trigger: SyncTrigger = 'manual'): Promise<void> {
		if (this.running) {
			this.again = true;
			return this.running;
		}
		this.running = (async () => {
			try {
				do {
					this.again = false;
					await this.runOnce();
				} while (this.again);
			} finally {
				this.running = null;
			}
		})();
		return this.running;
	}

	private async runOnce(): Promise<void> {
		const status = { ...EMPTY_STATUS, ...(await readState<SyncStatus>(this.db, 'status')) };
		status.lastAttemptAt = new Date().toISOString();
		try {
			const session = await readDeviceSession(this.db);
			if (session) await pushOutbox(this.db, this.transport, session.id);
			const pulled = await pullChanges(this.db, this.transport, this.options.pageLimit);
			// Entries queued again after a lost history go out in the next round.
			if (pulled.historyLost) this.again = true;
			status.lastSyncAt = new Date().toISOString();
			status.serverTime = pulled.serverTime;
			status.lastError = null;
			this.failures = 0;
			await writeState(this.db, 'updateRequired', null);
		} catch (error) {
			status.lastError = describeSyncError(error);
			if (error instanceof SessionExpiredError) {
				// Ended by timeout, a logout elsewhere, an admin or a disabled account: the figures
				// leave the device now, not at the person's convenience. No status is written back:
				// the wipe removed it and the next login starts afresh.
				this.again = false;
				await expireSession(this.db, { serverSessionEnded: true });
				this.options.onSessionExpired?.();
				return;
			} else if (error instanceof UpdateRequiredError) {
				await writeState(this.db, 'updateRequired', error.message);
			} else if (error instanceof NetworkError || isQuotaError(error)) {
				this.scheduleRetry();
			} else if (error instanceof Error && error.name === 'DatabaseClosedError') {
				// The page is going away (reload, logout); the next page syncs again.
				return;
			} else {
				console.error('Sync failed', error);
				this.scheduleRetry();
			}
		}
		await writeState(this.db, 'status', status);
	}

	private scheduleRetry() {
		if (this.retryTimer || this.options.autoRetry === false) return;
		const random = this.options.random ?? Math.random;
		const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.failures) * (0.5 + random());
		this.failures++;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			void this.sync('retry');
		}, delay);
	}
}
