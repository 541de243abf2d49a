import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	lockDuration,
	lockedUntil,
	recordFailure
} from '#server/auth/throttle';
import { createCaller } from '#server/trpc/router';
import {
	anonymousContext,
	copyDatabase,
	count,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	userMessageOf
} from './helpers';

let seeded: KlarDatabase;
let db: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});
beforeEach(() => {
	db = copyDatabase(seeded);
});
afterEach(() => db.$client.close());
afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

const RIGHT = 'KLAR-demo-2026!';

function login(username: string, password: string, address = '198.51.100.1') {
	return createCaller(anonymousContext(db, [], address)).auth.login({ username, password });
}

async function failTimes(n: number, username: string, address?: string) {
	for (let i = 0; i < n; i++)
		await trpcError(login(username, 'falsch-falsch', address), 'UNAUTHORIZED');
}

describe('backoff (pure)', () => {
	test('five free failures per account, then 30 s doubling up to 15 minutes', () => {
		const locks = [1, 5, 6, 7, 8, 10, 12, 40].map((n) => lockDuration(n, ACCOUNT_POLICY) / 1000);
		expect(locks).toEqual([0, 0, 30, 60, 120, 480, 900, 900]);
	});

	test('an address gets twenty, as a town hall shares one', () => {
		expect(lockDuration(20, ADDRESS_POLICY)).toBe(0);
		expect(lockDuration(21, ADDRESS_POLICY)).toBe(30_000);
	});

	test('a lock runs out, and failures a day old are forgotten', () => {
		const t0 = new Date('2026-11-20T08:00:00Z');
		for (let i = 0; i < 6; i++) recordFailure(db, 'rat', null, t0);
		expect(lockedUntil(db, 'rat', null, t0)).toEqual(new Date(t0.getTime() + 30_000));
		expect(lockedUntil(db, 'rat', null, new Date(t0.getTime() + 30_001))).toBeNull();
		// The seventh failure right after the lock doubles it …
		const t1 = new Date(t0.getTime() + 31_000);
		expect(recordFailure(db, 'rat', null, t1)).toEqual(new Date(t1.getTime() + 60_000));
		// … but after a quiet day the count starts again.
		const t2 = new Date(t1.getTime() + 25 * 3_600_000);
		expect(recordFailure(db, 'rat', null, t2)).toBeNull();
	});
});

describe('auth.login with limits', () => {
	test('after five wrong passwords even the right one is refused for a while, in German', async () => {
		await failTimes(5, 'rat');
		// The sixth failure locks the account.
		await failTimes(1, 'rat');
		const blocked = await trpcError(login('rat', RIGHT), 'TOO_MANY_REQUESTS');
		expect(userMessageOf(blocked)).toBe(
			'Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in einer Minute erneut.'
		);
		expect(count(db, 'sessions', "user_id = 'u-rat'")).toBe(0);
		expect(count(db, 'audit_log', "action = 'auth.login_blocked' AND entity_id = 'rat'")).toBe(1);
		expect(count(db, 'audit_log', "action = 'auth.login_failed' AND entity_id = 'rat'")).toBe(6);
	});

	test('the account lock holds from any address', async () => {
		await failTimes(6, 'rat', '198.51.100.1');
		await trpcError(login('rat', RIGHT, '192.0.2.99'), 'TOO_MANY_REQUESTS');
	});

	test('an unknown name is limited exactly like a real one: the limit reveals nothing', async () => {
		await failTimes(6, 'gibt-es-nicht');
		await failTimes(6, 'rat');
		const unknown = await trpcError(login('gibt-es-nicht', 'x'), 'TOO_MANY_REQUESTS');
		const known = await trpcError(login('rat', 'x'), 'TOO_MANY_REQUESTS');
		expect(userMessageOf(unknown)).toBe(userMessageOf(known));
	});

	test('one address trying many accounts is locked after twenty-one failures', async () => {
		const names = ['rat', 'spitze', 'admin', 'vhs', 'licht', 'leitung', 'kaemmerei'];
		for (let i = 0; i < 21; i++) {
			await trpcError(
				login(names[i % names.length]!, `falsch-${i}`, '203.0.113.66'),
				'UNAUTHORIZED'
			);
		}
		await trpcError(login('erfassung', 'falsch', '203.0.113.66'), 'TOO_MANY_REQUESTS');
		// Another address is not affected, and neither are the accounts (three failures each).
		expect((await login('erfassung', RIGHT, '203.0.113.67')).id).toBe('u-erfassung');
		expect((await login('rat', RIGHT, '203.0.113.67')).id).toBe('u-rat');
	});

	test('a successful login clears the account count', async () => {
		await failTimes(5, 'rat');
		await login('rat', RIGHT);
		await failTimes(5, 'rat');
		expect((await login('rat', RIGHT)).id).toBe('u-rat');
	});

	test('attempts in parallel cannot outrun the limit: the sixteenth, right one is refused', async () => {
		// Fifteen wrong passwords and then the right one, all sent at once (as one tRPC batch or
		// sixteen connections would): each attempt is counted before its password is checked.
		const attempts = Array.from({ length: 16 }, (_, i) =>
			login('rat', i < 15 ? `falsch-${i}` : RIGHT)
		);
		const outcomes = await Promise.allSettled(attempts);
		const codes = outcomes.map((o) =>
			o.status === 'fulfilled' ? 'OK' : (o.reason as { code: string }).code
		);
		// Five free attempts and the sixth, which locks, reach the password check; no more.
		expect(codes.filter((c) => c === 'UNAUTHORIZED')).toHaveLength(6);
		expect(codes.filter((c) => c === 'TOO_MANY_REQUESTS')).toHaveLength(10);
		expect(codes.at(-1)).toBe('TOO_MANY_REQUESTS');
		expect(count(db, 'sessions', "user_id = 'u-rat'")).toBe(0);
	});

	test('a login that succeeds takes back its count at the address, so a town hall is not locked by its own staff', async () => {
		const names = ['rat', 'spitze', 'admin', 'vhs', 'licht', 'leitung', 'kaemmerei', 'erfassung'];
		for (let i = 0; i < 22; i++) await login(names[i % names.length]!, RIGHT, '203.0.113.70');
		expect(count(db, 'login_throttle', "key = 'address:203.0.113.70' AND failures = 0")).toBe(1);
		expect((await login('rat', RIGHT, '203.0.113.70')).id).toBe('u-rat');
	});

	test('when the lock has run out, the right password works again', async () => {
		await failTimes(6, 'rat');
		db.$client.prepare(`UPDATE login_throttle SET locked_until = '2000-01-01T00:00:00.000Z'`).run();
		expect((await login('rat', RIGHT)).id).toBe('u-rat');
		expect(count(db, 'login_throttle', "key = 'account:rat'")).toBe(0);
	});
});
