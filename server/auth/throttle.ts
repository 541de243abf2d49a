import { eq, inArray, lt } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { loginThrottle } from '../db/schema';

/**
 * Limits on failed logins (ASVS 5.0 V6.3.1): per account name, so a password cannot be guessed
 * from many addresses, and per client address, so one address cannot try many accounts. A key
 * gets `freeFailures` attempts; each further failure locks it for `baseLockMs`, doubling up to
 * `maxLockMs`. Failures older than `windowMs` are forgotten. Accounts that do not exist are
 * counted the same way, so the limit reveals nothing about which names exist.
 */
export interface ThrottlePolicy {
	freeFailures: number;
	baseLockMs: number;
	maxLockMs: number;
	windowMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
	freeFailures: 5,
	baseLockMs: 30_000,
	maxLockMs: 15 * 60_000,
	windowMs: 24 * 3_600_000
};

/** More generous: a town hall's staff share one outgoing address. */
export const ADDRESS_POLICY: ThrottlePolicy = {
	freeFailures: 20,
	baseLockMs: 30_000,
	maxLockMs: 15 * 60_000,
	windowMs: 24 * 3_600_000
};

/** How long a key is locked after its `failures`-th failure (0: not locked). */
export function lockDuration(failures: number, policy: ThrottlePolicy): number {
	const over = failures - policy.freeFailures;
	if (over <= 0) return 0;
	return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over - 1, 30));
}

export const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

function keysOf(username: string, address: string | null) {
	return [
		{ key: accountKey(username), policy: ACCOUNT_POLICY },
		...(address ? [{ key: addressKey(address), policy: ADDRESS_POLICY }] : [])
	];
}

/** The instant until which a login for this account or from this address is refused, if any. */
export function lockedUntil(
	db: KlarDatabase,
	username: string,
	address: string | null,
	now = new Date()
): Date | null {
	const rows = db
		.select({ lockedUntil: loginThrottle.lockedUntil })
		.from(loginThrottle)
		.where(
			inArray(
				loginThrottle.key,
				keysOf(username, address).map((k) => k.key)
			)
		)
		.all();
	let until: Date | null = null;
	for (const row of rows) {
		if (!row.lockedUntil) continue;
		const at = new Date(row.lockedUntil);
		if (at > now && (!until || at > until)) until = at;
	}
	return until;
}

/** Counts a failed login for the account and the address; returns the lock it caused, if any. */
export function recordFailure(
	db: KlarDatabase,
	username: string,
	address: string | null,
	now = new Date()
): Date | null {
	let until: Date | null = null;
	const forgotten = new Date(
		now.getTime() - Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs)
	).toISOString();
	db.transaction((tx) => {
		// Guesses at names that do not exist would otherwise leave a row each, forever.
		tx.delete(loginThrottle).where(lt(loginThrottle.lastFailureAt, forgotten)).run();
		for (const { key, policy } of keysOf(username, address)) {
			const row = tx
				.select({
					failures: loginThrottle.failures,
					firstFailureAt: loginThrottle.firstFailureAt,
					lastFailureAt: loginThrottle.lastFailureAt
				})
				.from(loginThrottle)
				.where(eq(loginThrottle.key, key))
				.get();
			const stale = row && now.getTime() - new Date(row.lastFailureAt).getTime() > policy.windowMs;
			const failures = row && !stale ? row.failures + 1 : 1;
			const lock = lockDuration(failures, policy);
			const lockedAt = lock ? new Date(now.getTime() + lock) : null;
			if (lockedAt && (!until || lockedAt > until)) until = lockedAt;
			const values = {
				failures,
				firstFailureAt: row && !stale ? row.firstFailureAt : now.toISOString(),
				lastFailureAt: now.toISOString(),
				lockedUntil: lockedAt?.toISOString() ?? null
			};
			tx.insert(loginThrottle)
				.values({ key, ...values })
				.onConflictDoUpdate({ target: loginThrottle.key, set: values })
				.run();
		}
	});
	return until;
}

/**
 * A successful login clears its account's count. The address keeps its count: otherwise anyone
 * with one valid account could reset the address limit between guesses at other accounts.
 */
export function recordSuccess(db: KlarDatabase, username: string): void {
	db.delete(loginThrottle)
		.where(eq(loginThrottle.key, accountKey(username)))
		.run();
}
