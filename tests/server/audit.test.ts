import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendAudit } from '#server/audit';
import type { KlarDatabase } from '#server/db/connection';
import { auditLog } from '#server/db/schema';
import { cityDayStart } from '#server/city-time';
import {
	copyDatabase,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	userMessageOf,
	type Session
} from './helpers';

let db: KlarDatabase;
let admin: Session;

/** Review decisions on four days around midnight in Kaiserslautern (UTC+1 in March). */
const DECISIONS = [
	['e-1', '2026-03-09T23:30:00.000Z'], // 10 March, 00:30 in the city
	['e-2', '2026-03-10T12:00:00.000Z'],
	['e-3', '2026-03-10T23:30:00.000Z'], // 11 March, 00:30 in the city
	['e-4', '2026-03-12T08:00:00.000Z']
] as const;

beforeAll(async () => {
	const { db: seeded } = await openSeededDatabase();
	db = copyDatabase(seeded);
	admin = await loginAs(db, 'admin');
	const erfassung = await loginAs(db, 'erfassung');
	await erfassung.caller.auth.logout();
	await admin.caller.reference.saveFacility({
		name: 'Haus Nord',
		districtId: 'erfenbach',
		capacity: 30,
		active: true
	});
	await admin.caller.reference.saveProvider({
		id: 'awo',
		name: 'AWO Bildungswerk Westpfalz',
		districtId: 'betzenberg',
		active: true
	});
	await admin.caller.reference.saveDistrict({
		id: 'dansenberg',
		name: 'Dansenberg',
		active: false
	});
	for (const [entryId, at] of DECISIONS) {
		appendAudit(
			db,
			{
				userId: 'u-leitung',
				action: 'entry.release',
				entity: 'entry',
				entityId: entryId,
				oldValue: { state: 'pending' },
				newValue: { state: 'released' }
			},
			new Date(at)
		);
	}
});

afterAll(() => removeTempDirs());

describe('audit.list', () => {
	test('newest first, with the person’s name and the values as data', async () => {
		const { rows, nextBefore } = await admin.caller.audit.list({ limit: 200 });
		expect(nextBefore).toBeNull();
		expect(rows).toHaveLength(count(db, 'audit_log'));
		const ids = rows.map((r) => r.id);
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
		const rename = rows.find((r) => r.entity === 'course_provider');
		expect(rename).toMatchObject({
			userId: 'u-admin',
			userName: 'Zentralcontrolling (Demo)',
			action: 'reference.update',
			entityId: 'awo',
			oldValue: { name: 'AWO Bildungswerk', districtId: 'betzenberg', active: true },
			newValue: { name: 'AWO Bildungswerk Westpfalz', districtId: 'betzenberg', active: true }
		});
		expect(rows.find((r) => r.action === 'auth.logout')).toMatchObject({
			userName: 'Sachbearbeitung Unterbringung (Demo)',
			oldValue: null,
			newValue: null
		});
	});

	test('filters by person', async () => {
		const { rows } = await admin.caller.audit.list({ userId: 'u-erfassung' });
		expect(rows.map((r) => r.action)).toEqual(['auth.logout', 'auth.login']);
	});

	test('filters by action', async () => {
		const { rows } = await admin.caller.audit.list({ action: 'reference.update' });
		expect(rows.map((r) => [r.entity, r.entityId])).toEqual([
			['district', 'dansenberg'],
			['course_provider', 'awo']
		]);
		expect(rows[0]).toMatchObject({
			oldValue: { active: true },
			newValue: { active: false }
		});
	});

	test('filters by kind of object and by (part of) its id', async () => {
		const byEntity = await admin.caller.audit.list({ entity: 'facility' });
		expect(byEntity.rows.map((r) => [r.action, r.entityId])).toEqual([
			['reference.create', 'haus-nord']
		]);
		const byId = await admin.caller.audit.list({ entityId: 'dansen' });
		expect(byId.rows.map((r) => r.entityId)).toEqual(['dansenberg']);
		const both = await admin.caller.audit.list({ entity: 'entry', entityId: 'e-3' });
		expect(both.rows.map((r) => r.entityId)).toEqual(['e-3']);
	});

	test('filters by days in the city’s time zone, “bis” inclusive', async () => {
		const days = async (from?: string, to?: string) =>
			(await admin.caller.audit.list({ action: 'entry.release', from, to })).rows
				.map((r) => r.entityId)
				.sort();
		expect(await days('2026-03-10', '2026-03-10')).toEqual(['e-1', 'e-2']);
		expect(await days('2026-03-11')).toEqual(['e-3', 'e-4']);
		expect(await days(undefined, '2026-03-11')).toEqual(['e-1', 'e-2', 'e-3']);
		expect(await days('2026-03-13')).toEqual([]);
		expect(cityDayStart('2026-03-10')).toBe('2026-03-09T23:00:00.000Z');
		expect(cityDayStart('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
		// The night the clocks go forward (29 March 2026) and the day after it.
		expect(cityDayStart('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
		expect(cityDayStart('2026-03-29', 1)).toBe('2026-03-29T22:00:00.000Z');
	});

	test('pages with `before` without losing or repeating a record', async () => {
		const all = (await admin.caller.audit.list({ limit: 200 })).rows.map((r) => r.id);
		const seen: number[] = [];
		let before: number | undefined;
		for (let pages = 1; ; pages++) {
			const page = await admin.caller.audit.list({ limit: 3, before });
			expect(page.rows.length).toBeLessThanOrEqual(3);
			seen.push(...page.rows.map((r) => r.id));
			if (page.nextBefore === null) break;
			expect(page.nextBefore).toBe(page.rows.at(-1)!.id);
			before = page.nextBefore;
			if (pages > 50) throw new Error('paging does not end');
		}
		expect(seen).toEqual(all);

		const first = await admin.caller.audit.list({ action: 'entry.release', limit: 3 });
		expect(first.rows.map((r) => r.entityId)).toEqual(['e-4', 'e-3', 'e-2']);
		const second = await admin.caller.audit.list({
			action: 'entry.release',
			limit: 3,
			before: first.nextBefore!
		});
		expect(second).toMatchObject({ nextBefore: null, rows: [{ entityId: 'e-1' }] });
	});

	test('offers the people and the actions to filter by', async () => {
		const { users, actions, entities } = await admin.caller.audit.list({ limit: 1 });
		expect(users).toContainEqual({ id: 'u-admin', displayName: 'Zentralcontrolling (Demo)' });
		expect(users).not.toContainEqual(expect.objectContaining({ passwordHash: expect.anything() }));
		expect(actions).toEqual([
			// The demo catalogue, applied by the seed like any catalogue file.
			'area.create',
			'auth.login',
			'auth.logout',
			'dimension.create',
			'entry.release',
			// The demo's feed deliveries (server/db/demo/feeds).
			'feed.create',
			'feed.import',
			'feed.import_failed',
			'kpi.create',
			'observation.update',
			'reference.create',
			'reference.update'
		]);
		expect(entities).toEqual([
			'area',
			'course_provider',
			'dimension',
			'district',
			'entry',
			'facility',
			'feed',
			'kpi',
			'observation',
			'user'
		]);
	});

	test('refuses a range that ends before it starts, and a limit over 200', async () => {
		const error = await trpcError(
			admin.caller.audit.list({ from: '2026-03-12', to: '2026-03-10' }),
			'BAD_REQUEST'
		);
		expect(userMessageOf(error)).toBe('Das Datum „von“ darf nicht nach dem Datum „bis“ liegen.');
		await trpcError(admin.caller.audit.list({ limit: 201 }), 'BAD_REQUEST');
		await trpcError(admin.caller.audit.list({ from: '2026-02-30' }), 'BAD_REQUEST');
	});

	test.each(['spitze', 'rat', 'erfassung', 'leitung', 'vhs', 'licht', 'kaemmerei'])(
		'%s may not read it',
		async (username) => {
			const session = await loginAs(db, username);
			const error = await trpcError(session.caller.audit.list({}), 'FORBIDDEN');
			expect(JSON.stringify(error)).not.toContain('AWO');
		}
	);
});

describe('The audit log cannot be changed', () => {
	test('UPDATE and DELETE are refused by the database', () => {
		const before = db.$client.prepare('SELECT * FROM audit_log ORDER BY id').all();
		expect(before.length).toBeGreaterThan(0);
		expect(() => db.$client.prepare('UPDATE audit_log SET action = ?').run('x')).toThrow(
			/append-only/
		);
		expect(() => db.$client.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
		expect(() => db.update(auditLog).set({ newValue: null }).run()).toThrow(/append-only/);
		expect(() => db.delete(auditLog).run()).toThrow(/append-only/);
		expect(db.$client.prepare('SELECT * FROM audit_log ORDER BY id').all()).toEqual(before);
	});

	test('no server code updates or deletes audit records', () => {
		const files = (readdirSync('server', { recursive: true }) as string[])
			.filter((file) => file.endsWith('.ts'))
			.map((file) => join('server', file));
		expect(files.length).toBeGreaterThan(10);
		const offending = files.filter((file) => {
			const source = readFileSync(file, 'utf8');
			return (
				/\.(update|delete)\(\s*auditLog\b/.test(source) ||
				/\b(update|delete\s+from)\s+[`"']?audit_log\b/i.test(source)
			);
		});
		expect(offending).toEqual([]);
	});
});
