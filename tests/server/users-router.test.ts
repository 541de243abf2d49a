import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import {
	copyDatabase,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	type Session
} from './helpers';

let seeded: KlarDatabase;
let db: KlarDatabase;
let admin: Session;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});
beforeEach(async () => {
	db = copyDatabase(seeded);
	admin = await loginAs(db, 'admin');
});
afterEach(() => db.$client.close());
afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

const newEditor = {
	username: 'Neu.Erfassung',
	displayName: '  Nora   Neumann ',
	password: 'lang genug 2026',
	role: 'editor',
	areas: ['asyl']
};

describe('users.list', () => {
	test('lists every account with role, areas, last login and live sessions, never a hash', async () => {
		await loginAs(db, 'rat');
		const list = await admin.caller.users.list();
		expect(list.map((u) => u.username).sort()).toEqual(
			seeded.$client
				.prepare('SELECT username FROM users ORDER BY username')
				.all()
				.map((r) => (r as { username: string }).username)
		);
		const rat = list.find((u) => u.id === 'u-rat')!;
		expect(rat).toMatchObject({
			role: 'councillor',
			areas: [],
			disabled: false,
			activeSessions: 1
		});
		expect(rat.lastLoginAt).not.toBeNull();
		expect(JSON.stringify(list)).not.toMatch(/scrypt|password/i);
	});
});

describe('users.create', () => {
	test('creates an editor who can then log in; the name is normalised; audited without password', async () => {
		const answer = await admin.caller.users.create(newEditor);
		expect(answer).toMatchObject({
			ok: true,
			user: {
				username: 'neu.erfassung',
				displayName: 'Nora Neumann',
				role: 'editor',
				areas: ['asyl']
			}
		});
		const session = await loginAs(db, 'neu.erfassung', 'lang genug 2026');
		expect(session.ctx.principal).toMatchObject({ role: 'editor', areas: ['asyl'] });
		const audit = db.$client
			.prepare(`SELECT user_id AS u, new_value AS n FROM audit_log WHERE action = 'user.create'`)
			.get() as { u: string; n: string };
		expect(audit.u).toBe('u-admin');
		expect(audit.n).not.toContain('lang genug');
	});

	test('refuses, field by field in German, and writes nothing', async () => {
		const users = count(db, 'users');
		const cases: [Partial<typeof newEditor>, string, string][] = [
			[
				{ password: 'elf Zeichen' },
				'password',
				'Das Passwort muss mindestens 12 Zeichen lang sein.'
			],
			[{ username: 'rat' }, 'username', 'Dieser Benutzername ist schon vergeben.'],
			[
				{ username: 'mit leerzeichen' },
				'username',
				'Der Benutzername darf nur Kleinbuchstaben, Ziffern, Punkt, Binde- und Unterstrich enthalten.'
			],
			[
				{ areas: [] },
				'areas',
				'Bitte mindestens einen Bereich wählen: die Rolle gilt nur für ihre Bereiche.'
			],
			[
				{ role: 'councillor' },
				'areas',
				'Diese Rolle gilt für alle Bereiche; bitte keine Bereiche wählen.'
			],
			[{ role: 'superuser' }, 'role', expect.any(String) as unknown as string],
			[{ areas: ['mond'] }, 'areas', expect.any(String) as unknown as string]
		];
		for (const [change, field, message] of cases) {
			const answer = await admin.caller.users.create({ ...newEditor, ...change });
			expect(answer, JSON.stringify(change)).toEqual({
				ok: false,
				fieldErrors: expect.objectContaining({ [field]: message })
			});
		}
		expect(count(db, 'users')).toBe(users);
		expect(count(db, 'audit_log', "action = 'user.create'")).toBe(0);
	});
});

describe('users.setAccess', () => {
	test('changes role and areas, audited with old and new value', async () => {
		const answer = await admin.caller.users.setAccess({
			userId: 'u-erfassung',
			role: 'lead',
			areas: ['asyl', 'soziales']
		});
		expect(answer).toMatchObject({ ok: true, user: { role: 'lead', areas: ['asyl', 'soziales'] } });
		const audit = db.$client
			.prepare(`SELECT old_value AS o, new_value AS n FROM audit_log WHERE action = 'user.access'`)
			.get() as { o: string; n: string };
		expect(JSON.parse(audit.o)).toEqual({ role: 'editor', areas: ['asyl'] });
		expect(JSON.parse(audit.n)).toEqual({ role: 'lead', areas: ['asyl', 'soziales'] });
	});

	test('an admin cannot take the admin role from themself, nor disable their own account', async () => {
		expect(
			await admin.caller.users.setAccess({ userId: 'u-admin', role: 'executive', areas: [] })
		).toMatchObject({ ok: false, fieldErrors: { role: expect.stringContaining('eigene Rolle') } });
		expect(
			await admin.caller.users.setDisabled({ userId: 'u-admin', disabled: true })
		).toMatchObject({
			ok: false,
			fieldErrors: { _form: 'Ihr eigenes Konto können Sie nicht deaktivieren.' }
		});
		expect(count(db, 'audit_log', "action LIKE 'user.%'")).toBe(0);
	});

	test('an unknown user id is a German answer, not a server error', async () => {
		for (const answer of [
			await admin.caller.users.setAccess({ userId: 'u-niemand', role: 'councillor', areas: [] }),
			await admin.caller.users.setDisabled({ userId: 'u-niemand', disabled: true }),
			await admin.caller.users.resetPassword({ userId: 'u-niemand', password: 'lang genug 2026' }),
			await admin.caller.users.endSessions({ userId: 'u-niemand' })
		]) {
			expect(answer).toEqual({
				ok: false,
				fieldErrors: { _form: 'Diese Person gibt es nicht (mehr).' }
			});
		}
	});
});
