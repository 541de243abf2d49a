import { eq, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { loginThrottle } from '#server/db/schema';

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
	db: DbOrTx,
	username: string,
	address: string | null,
	now: Date
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
	db: DbOrTx,
	username: string,
	address: string | null,
	now: Date
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
 * Starts a login attempt: refused when the account or the address is locked, otherwise counted
 * as a failure at once, before the slow password check. Requests that run in parallel (or in
 * one batch) each see the count of those before them, so no more attempts reach the password
 * check than the limit allows; a successful one takes its count back (`recordSuccess`).
 * Synchronous: nothing else runs between the check and the count.
 */
export function beginLoginAttempt(
	db: DbOrTx,
	username: string,
	address: string | null,
	now: Date
): { lockedUntil: Date | null } {
	return db.transaction((tx) => {
		const t = tx;
		const locked = lockedUntil(t, username, address, now);
		if (locked) return { lockedUntil: locked };
		recordFailure(t, username, address, now);
		return { lockedUntil: null };
	});
}

/**
 * A successful login clears its account's count. The address only gets back the count of this
 * attempt: otherwise anyone with one valid account could reset the address limit between
 * guesses at other accounts.
 */
export function recordSuccess(db: DbOrTx, username: string, address: string | null): void {
	db.transaction((tx) => {
		tx.delete(loginThrottle)
			.where(eq(loginThrottle.key, accountKey(username)))
			.run();
		if (!address) return;
		const key = addressKey(address);
		const row = tx
			.select({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil })
			.from(loginThrottle)
			.where(eq(loginThrottle.key, key))
			.get();
		if (!row) return;
		const failures = Math.max(0, row.failures - 1);
		// A lock that only this attempt's count caused goes with it; an earlier one stays.
		const lock = failures > ADDRESS_POLICY.freeFailures ? row.lockedUntil : null;
		tx.update(loginThrottle)
			.set({ failures, lockedUntil: lock })
			.where(eq(loginThrottle.key, key))
			.run();
	});
}
