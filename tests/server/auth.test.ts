import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { principalForToken } from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import {
	anonymousContext,
	contextForToken,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	userMessageOf,
	V,
	SEED_NOW
} from './helpers';

let db: KlarDatabase;

beforeAll(async () => {
	({ db } = await openSeededDatabase());
});

afterAll(() => {
	db.$client.close();
	removeTempDirs();
});

describe('auth.login', () => {
	test('the right password starts a session, sets its cookie and returns the role', async () => {
		const cookies: (string | null)[] = [];
		const me = await createCaller(anonymousContext(db, cookies)).auth.login({
			username: 'spitze',
			password: 'KLAR-demo-2026!'
		});
		expect(me).toMatchObject({
			id: 'u-spitze',
			username: 'spitze',
			role: 'executive',
			areas: [],
			writableAreas: []
		});
		expect(me).not.toHaveProperty('passwordHash');
		expect(cookies).toHaveLength(1);
		const token = cookies[0]!;
		expect(token.length).toBeGreaterThanOrEqual(40);
		expect(principalForToken(db, token, SEED_NOW)?.id).toBe('u-spitze');
	});

	test('the token is stored only as a hash', async () => {
		const { token } = await loginAs(db, 'rat');
		const stored = db.$client.prepare('SELECT token_hash FROM sessions').all() as {
			token_hash: string;
		}[];
		expect(stored.length).toBeGreaterThan(0);
		expect(stored.map((s) => s.token_hash)).not.toContain(token);
	});

	test('an editor learns where they may enter data', async () => {
		const { caller } = await loginAs(db, 'erfassung');
		expect(await caller.auth.me()).toMatchObject({
			role: 'editor',
			areas: ['asyl'],
			writableAreas: ['asyl']
		});
	});

	test('user names are matched without regard to case and surrounding blanks', async () => {
		const { ctx } = await loginAs(db, '  Leitung ');
		expect(ctx.principal?.username).toBe('leitung');
	});

	test('a wrong password and an unknown user fail the same way, without a cookie', async () => {
		const cookies: (string | null)[] = [];
		const caller = createCaller(anonymousContext(db, cookies));
		const sessionsBefore = count(db, 'sessions');
		const wrongPassword = await trpcError(
			caller.auth.login({ username: 'spitze', password: 'falsch' }),
			'UNAUTHORIZED'
		);
		const unknownUser = await trpcError(
			caller.auth.login({ username: 'niemand', password: 'KLAR-demo-2026!' }),
			'UNAUTHORIZED'
		);
		expect(unknownUser.message).toBe(wrongPassword.message);
		expect(userMessageOf(unknownUser)).toBe(userMessageOf(wrongPassword));
		expect(userMessageOf(wrongPassword)).toBe('Benutzername oder Passwort ist falsch.');
		expect(cookies).toEqual([]);
		expect(count(db, 'sessions')).toBe(sessionsBefore);
	});

	test('failed logins are audited', async () => {
		const before = count(db, 'audit_log', "action = 'auth.login_failed'");
		await trpcError(
			createCaller(anonymousContext(db)).auth.login({ username: 'admin', password: 'x' }),
			'UNAUTHORIZED'
		);
		expect(count(db, 'audit_log', "action = 'auth.login_failed'")).toBe(before + 1);
	});

	test('logging in again on a device ends the session it had before', async () => {
		const first = await loginAs(db, 'spitze');
		const cookies: (string | null)[] = [];
		await createCaller(contextForToken(db, first.token, cookies)).auth.login({
			username: 'rat',
			password: 'KLAR-demo-2026!'
		});
		expect(principalForToken(db, first.token, SEED_NOW)).toBeNull();
		expect(principalForToken(db, cookies[0]!, SEED_NOW)?.username).toBe('rat');
	});

	test('a disabled user cannot log in', async () => {
		db.$client.prepare(`UPDATE users SET disabled = 1 WHERE username = 'admin'`).run();
		try {
			await trpcError(
				createCaller(anonymousContext(db)).auth.login({
					username: 'admin',
					password: 'KLAR-demo-2026!'
				}),
				'UNAUTHORIZED'
			);
		} finally {
			db.$client.prepare(`UPDATE users SET disabled = 0 WHERE username = 'admin'`).run();
		}
	});
});

describe('auth.me', () => {
	test('is null without a session', async () => {
		expect(await createCaller(anonymousContext(db)).auth.me()).toBeNull();
	});

	test('is null with a token that is not a session', async () => {
		expect(await createCaller(contextForToken(db, 'erfunden')).auth.me()).toBeNull();
	});

	test('names the user of the session', async () => {
		const { caller } = await loginAs(db, 'rat');
		expect(await caller.auth.me()).toMatchObject({ id: 'u-rat', role: 'councillor' });
	});
});

describe('auth.logout', () => {
	test('ends the session and clears the cookie', async () => {
		const { caller, token, cookies } = await loginAs(db, 'leitung');
		expect(await caller.auth.logout()).toEqual({ ok: true });
		expect(cookies.at(-1)).toBeNull();
		expect(principalForToken(db, token, SEED_NOW)).toBeNull();
		// The next request with the old cookie is anonymous.
		const next = createCaller(contextForToken(db, token));
		expect(await next.auth.me()).toBeNull();
		await trpcError(next.sync.pull({ schemaVersion: V, cursor: null }), 'UNAUTHORIZED');
	});

	test('ends only that session', async () => {
		const phone = await loginAs(db, 'spitze');
		const laptop = await loginAs(db, 'spitze');
		await laptop.caller.auth.logout();
		expect(principalForToken(db, phone.token, SEED_NOW)?.id).toBe('u-spitze');
	});

	test('needs a session', async () => {
		await trpcError(createCaller(anonymousContext(db)).auth.logout(), 'UNAUTHORIZED');
	});
});
