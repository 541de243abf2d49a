import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import {
	createSession,
	principalForToken,
	sessionCookie,
	sessionLimits
} from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import {
	anonymousContext,
	contextForToken,
	copyDatabase,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	userMessageOf,
	V,
	SEED_NOW
} from './helpers';

let seeded: KlarDatabase;
let db: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});

beforeEach(() => {
	db = copyDatabase(seeded);
});

afterEach(() => {
	db.$client.close();
	delete process.env.KLAR_SESSION_IDLE_MINUTES;
	delete process.env.KLAR_SESSION_MAX_DAYS;
});

afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

const minutes = (n: number) => n * 60_000;
const at = (start: Date, ms: number) => new Date(start.getTime() + ms);

describe('tokens', () => {
	test('every login gets a new random 256-bit token, stored only as its SHA-256', async () => {
		const tokens = new Set<string>();
		for (let i = 0; i < 3; i++) tokens.add((await loginAs(db, 'rat')).token);
		expect(tokens.size).toBe(3);
		for (const token of tokens) {
			expect(Buffer.from(token, 'base64url')).toHaveLength(32);
			expect(count(db, 'sessions', `token_hash = '${token}'`)).toBe(0);
		}
	});

	test('a login on a device that still holds a session replaces that token (no fixation)', async () => {
		const planted = await loginAs(db, 'rat');
		const cookies: (string | null)[] = [];
		await createCaller(contextForToken(db, planted.token, cookies)).auth.login({
			username: 'rat',
			password: 'KLAR-demo-2026!'
		});
		expect(cookies[0]).not.toBe(planted.token);
		expect(principalForToken(db, planted.token, SEED_NOW)).toBeNull();
		expect(principalForToken(db, cookies[0]!, SEED_NOW)?.id).toBe('u-rat');
	});
});

describe('timeouts', () => {
	test('the inactivity timeout ends a session that is not used, and each request slides it', () => {
		process.env.KLAR_SESSION_IDLE_MINUTES = '30';
		const start = new Date('2026-11-02T08:00:00Z');
		const token = createSession(db, 'u-rat', start);
		expect(principalForToken(db, token, at(start, minutes(29)))?.id).toBe('u-rat');
		// 29 minutes after that request the session still lives: the request slid the expiry.
		expect(principalForToken(db, token, at(start, minutes(58)))?.id).toBe('u-rat');
		expect(principalForToken(db, token, at(start, minutes(58 + 31)))).toBeNull();
	});

	test('the absolute lifetime ends a session however active it is', () => {
		process.env.KLAR_SESSION_IDLE_MINUTES = '60';
		process.env.KLAR_SESSION_MAX_DAYS = '1';
		const start = new Date('2026-11-02T08:00:00Z');
		const token = createSession(db, 'u-rat', start);
		for (let t = minutes(50); t < minutes(24 * 60); t += minutes(50)) {
			expect(principalForToken(db, token, at(start, t))?.id).toBe('u-rat');
		}
		expect(principalForToken(db, token, at(start, minutes(24 * 60)))).toBeNull();
	});

	test('defaults: 7 days of inactivity, 30 days in all', () => {
		expect(sessionLimits()).toEqual({ idleMs: minutes(7 * 24 * 60), absoluteMs: 30 * 86_400_000 });
		process.env.KLAR_SESSION_IDLE_MINUTES = 'nonsense';
		expect(sessionLimits().idleMs).toBe(minutes(7 * 24 * 60));
	});

	test('login tells the device its absolute end and the idle limit, so it can wipe itself offline', async () => {
		process.env.KLAR_SESSION_IDLE_MINUTES = '120';
		process.env.KLAR_SESSION_MAX_DAYS = '2';
		const me = await createCaller(anonymousContext(db)).auth.login({
			username: 'rat',
			password: 'KLAR-demo-2026!'
		});
		expect(me.session?.idleMinutes).toBe(120);
		// The test clock stands still: the login happens exactly at SEED_NOW.
		expect(me.session!.endsAt).toBe(new Date(SEED_NOW.getTime() + 2 * 86_400_000).toISOString());
	});

	test('expired sessions are removed from the table at the next login', async () => {
		const old = createSession(db, 'u-rat', new Date('2020-01-01T00:00:00Z'));
		await loginAs(db, 'spitze');
		expect(principalForToken(db, old, SEED_NOW)).toBeNull();
		expect(count(db, 'sessions', "created_at < '2021'")).toBe(0);
	});
});

describe('ending sessions on the server', () => {
	test('logout ends the session: the old cookie is anonymous afterwards', async () => {
		const { caller, token } = await loginAs(db, 'rat');
		await caller.auth.logout();
		await trpcError(
			createCaller(contextForToken(db, token)).sync.pull({ schemaVersion: V, cursor: null }),
			'UNAUTHORIZED'
		);
		expect(count(db, 'audit_log', "action = 'auth.logout' AND user_id = 'u-rat'")).toBe(1);
	});

	test('an admin ends all sessions of a user (a lost phone), and it is audited', async () => {
		const phone = await loginAs(db, 'rat');
		const tablet = await loginAs(db, 'rat');
		const other = await loginAs(db, 'spitze');
		const admin = await loginAs(db, 'admin');
		const answer = await admin.caller.users.endSessions({ userId: 'u-rat' });
		expect(answer).toMatchObject({ ok: true, ended: 2, user: { activeSessions: 0 } });
		expect(principalForToken(db, phone.token, SEED_NOW)).toBeNull();
		expect(principalForToken(db, tablet.token, SEED_NOW)).toBeNull();
		expect(principalForToken(db, other.token, SEED_NOW)?.id).toBe('u-spitze');
		const audit = db.$client
			.prepare(
				`SELECT user_id AS userId, new_value AS newValue FROM audit_log WHERE action = 'user.sessions_end'`
			)
			.all();
		expect(audit).toEqual([{ userId: 'u-admin', newValue: JSON.stringify({ ended: 2 }) }]);
	});

	test('disabling a user ends their sessions at once; enabling gives none back', async () => {
		const phone = await loginAs(db, 'erfassung');
		const admin = await loginAs(db, 'admin');
		const answer = await admin.caller.users.setDisabled({ userId: 'u-erfassung', disabled: true });
		expect(answer).toMatchObject({ ok: true, endedSessions: 1, user: { disabled: true } });
		expect(count(db, 'sessions', "user_id = 'u-erfassung'")).toBe(0);
		await admin.caller.users.setDisabled({ userId: 'u-erfassung', disabled: false });
		expect(principalForToken(db, phone.token, SEED_NOW)).toBeNull();
		expect(count(db, 'audit_log', "action IN ('user.disable', 'user.enable')")).toBe(2);
	});

	test('a disabled account gets the same answer as a wrong password', async () => {
		const admin = await loginAs(db, 'admin');
		await admin.caller.users.setDisabled({ userId: 'u-erfassung', disabled: true });
		const disabled = await trpcError(
			createCaller(anonymousContext(db)).auth.login({
				username: 'erfassung',
				password: 'KLAR-demo-2026!'
			}),
			'UNAUTHORIZED'
		);
		const wrong = await trpcError(
			createCaller(anonymousContext(db)).auth.login({ username: 'vhs', password: 'falsch-falsch' }),
			'UNAUTHORIZED'
		);
		expect(userMessageOf(disabled)).toBe(userMessageOf(wrong));
		expect(disabled.message).toBe(wrong.message);
	});

	test('a password reset ends the sessions; the old password fails, the new one works', async () => {
		const phone = await loginAs(db, 'vhs');
		const admin = await loginAs(db, 'admin');
		const answer = await admin.caller.users.resetPassword({
			userId: 'u-vhs',
			password: 'neues Passwort 2026'
		});
		expect(answer).toMatchObject({ ok: true, endedSessions: 1 });
		expect(principalForToken(db, phone.token, SEED_NOW)).toBeNull();
		await trpcError(
			createCaller(anonymousContext(db)).auth.login({
				username: 'vhs',
				password: 'KLAR-demo-2026!'
			}),
			'UNAUTHORIZED'
		);
		expect((await loginAs(db, 'vhs', 'neues Passwort 2026')).ctx.principal?.id).toBe('u-vhs');
		const audit = db.$client
			.prepare(
				`SELECT old_value AS o, new_value AS n FROM audit_log WHERE action = 'user.password_reset'`
			)
			.get() as { o: string | null; n: string };
		expect(audit.o).toBeNull();
		expect(audit.n).not.toContain('neues Passwort');
		expect(audit.n).not.toContain('scrypt');
	});

	test('a change of role takes effect on the next request of a running session', async () => {
		const editor = await loginAs(db, 'erfassung');
		const admin = await loginAs(db, 'admin');
		await admin.caller.users.setAccess({ userId: 'u-erfassung', role: 'councillor', areas: [] });
		const next = createCaller(contextForToken(db, editor.token));
		expect(await next.auth.me()).toMatchObject({ role: 'councillor', writableAreas: [] });
	});
});

describe('the session cookie', () => {
	test('over https: __Host- prefix, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain', () => {
		const cookie = sessionCookie('abc', true);
		expect(cookie).toBe(
			'__Host-klar_session=abc; Max-Age=2592000; Path=/; HttpOnly; SameSite=Strict; Secure'
		);
		expect(cookie).not.toMatch(/domain=/i);
	});

	test('over plain http (a laptop demo): no prefix and no Secure, which browsers would refuse', () => {
		expect(sessionCookie('abc', false)).toBe(
			'klar_session=abc; Max-Age=2592000; Path=/; HttpOnly; SameSite=Strict'
		);
	});

	test('logout clears it', () => {
		expect(sessionCookie(null, true)).toMatch(/^__Host-klar_session=; Max-Age=0; /);
	});
});
