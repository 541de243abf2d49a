import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MigrationHistoryError, migrationsFolder, openDatabase } from '#server/db/connection';
import { loadDefinitions, loadDimensions } from '#server/kpis/catalogue';
import { DEMO_USERS } from '#server/db/demo/city';
import { isDemoDatabase, SeedRefusedError, seedDemo } from '#server/db/demo/seed';
import { hashPassword } from '#server/auth/password';
import { syncEpoch } from '#server/sync/pull';
import { count, openTempDatabase, removeTempDirs, tempDir, SEED_NOW } from './helpers';

afterAll(removeTempDirs);

describe('openDatabase', () => {
	test('creates a new file with every table and a sync epoch', () => {
		const { db } = openTempDatabase();
		try {
			const tables = (
				db.$client.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as {
					name: string;
				}[]
			).map((t) => t.name);
			expect(tables).toEqual(
				expect.arrayContaining([
					'__drizzle_migrations',
					'meta',
					'kpi_definitions',
					'observations',
					'snapshots',
					'change_log',
					'users',
					'sessions',
					'form_entries',
					'processed_entries',
					'audit_log'
				])
			);
			expect(syncEpoch(db)).toMatch(/^[0-9a-f-]{36}$/);
		} finally {
			db.$client.close();
		}
	});

	test('creates missing parent directories', () => {
		const file = join(tempDir(), 'nested', 'deeper', 'klar.db');
		const db = openDatabase(file);
		db.$client.close();
	});

	test('opening again keeps the data and the epoch, so clients need no reset after a restart', () => {
		const { db, file } = openTempDatabase();
		const epoch = syncEpoch(db);
		const migrations = count(db, '__drizzle_migrations');
		db.$client.close();
		const again = openDatabase(file);
		try {
			expect(syncEpoch(again)).toBe(epoch);
			expect(count(again, '__drizzle_migrations')).toBe(migrations);
		} finally {
			again.$client.close();
		}
	});

	test('two databases get different epochs', () => {
		const [a, b] = [openTempDatabase().db, openTempDatabase().db];
		try {
			expect(syncEpoch(a)).not.toBe(syncEpoch(b));
		} finally {
			a.$client.close();
			b.$client.close();
		}
	});

	test('refuses a database that has a migration this build does not know', () => {
		const { db, file } = openTempDatabase();
		db.$client
			.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)`)
			.run('f'.repeat(64), Date.now() + 86_400_000);
		db.$client.close();
		expect(() => openDatabase(file)).toThrow(MigrationHistoryError);
		expect(() => openDatabase(file)).toThrow(/unknown migration ffffffffffff/);
	});

	test('refuses a database where a known migration carries another timestamp', () => {
		const { db, file } = openTempDatabase();
		db.$client.prepare(`UPDATE __drizzle_migrations SET created_at = created_at + 1`).run();
		db.$client.close();
		expect(() => openDatabase(file)).toThrow(MigrationHistoryError);
	});
});

describe('seedDemo', () => {
	test('fills an empty database and marks it as demo', async () => {
		const { db } = openTempDatabase();
		try {
			expect(isDemoDatabase(db)).toBe(false);
			expect(await seedDemo(db, SEED_NOW)).toBe(true);
			expect(isDemoDatabase(db)).toBe(true);
			const usernames = db.$client.prepare('SELECT username FROM users ORDER BY username').all();
			expect(usernames.map((u) => (u as { username: string }).username)).toEqual(
				DEMO_USERS.map((u) => u.username).sort()
			);
			expect(count(db, 'snapshots')).toBe(count(db, 'kpi_definitions'));

			// Seeding again is a no-op.
			const before = ['observations', 'users', 'change_log', 'snapshots', 'facilities'].map((t) =>
				count(db, t)
			);
			expect(await seedDemo(db, SEED_NOW)).toBe(false);
			expect(
				['observations', 'users', 'change_log', 'snapshots', 'facilities'].map((t) => count(db, t))
			).toEqual(before);
		} finally {
			db.$client.close();
		}
	});

	test('refuses a database that already has users of its own, and writes nothing', async () => {
		const { db } = openTempDatabase();
		try {
			db.$client
				.prepare(
					`INSERT INTO users (id, username, display_name, password_hash, role, areas)
					 VALUES ('u-1', 'kaemmerer', 'Kämmerer', ?, 'executive', '[]')`
				)
				.run(await hashPassword('echt-geheim'));
			await expect(seedDemo(db, SEED_NOW)).rejects.toThrow(SeedRefusedError);
			expect(count(db, 'users')).toBe(1);
			expect(count(db, 'users', "username = 'admin'")).toBe(0);
			expect(count(db, 'observations')).toBe(0);
			expect(count(db, 'facilities')).toBe(0);
			expect(isDemoDatabase(db)).toBe(false);
		} finally {
			db.$client.close();
		}
	});
});

describe('upgrading a database of the release before the catalogue became data', () => {
	test('the aggregation strings become typed formulas, the dimensions catalogue entries; values stay', () => {
		// The migrations up to 0003, as the previous release shipped them.
		const previous = join(tempDir(), 'migrations');
		cpSync(migrationsFolder(), previous, { recursive: true });
		const journal = JSON.parse(readFileSync(join(previous, 'meta/_journal.json'), 'utf8')) as {
			entries: { tag: string }[];
		};
		journal.entries = journal.entries.filter((e) => e.tag < '0004');
		writeFileSync(join(previous, 'meta/_journal.json'), JSON.stringify(journal));
		const file = join(tempDir(), 'old.db');
		process.env.KLAR_MIGRATIONS = previous;
		try {
			const old = openDatabase(file);
			old.$client.exec(`
				INSERT INTO areas (id, title, sort_order) VALUES ('asyl', 'Asyl', 20);
				INSERT INTO kpi_definitions (id, area_id, title, short_title, description, method, unit,
					number_format, decimals, direction, cadence, grace_days, dimensions, source_kind,
					source_name, owner_department, owner_contact, visibility, disclosure_min_count, tags,
					sort_order, aggregation)
				VALUES
					('asyl.belegung', 'asyl', 'Belegung', 'Belegung', '', '', 'Plätze', 'integer', 0, 'neutral', 'daily', 2, '["facility"]', 'form', 'x', 'A', 'B', 'council', 0, '[]', 10, 'stock'),
					('asyl.kapazitaet', 'asyl', 'Kapazität', 'Kapazität', '', '', 'Plätze', 'integer', 0, 'neutral', 'daily', 2, '["facility"]', 'form', 'x', 'A', 'B', 'council', 0, '[]', 20, 'stock'),
					('asyl.auslastung', 'asyl', 'Auslastung', 'Auslastung', '', '', '%', 'percent', 1, 'lower_is_better', 'daily', 2, '["facility"]', 'derived', 'x', 'A', 'B', 'council', 0, '[]', 30, 'ratio:asyl.belegung/asyl.kapazitaet'),
					('asyl.freie_plaetze', 'asyl', 'Frei', 'Frei', '', '', 'Plätze', 'integer', 0, 'neutral', 'daily', 2, '["facility"]', 'derived', 'x', 'A', 'B', 'internal', 0, '[]', 40, 'difference:asyl.kapazitaet-asyl.belegung'),
					('asyl.zugaenge', 'asyl', 'Zugänge', 'Zugänge', '', '', 'Personen', 'integer', 0, 'neutral', 'weekly', 2, '["origin"]', 'form', 'x', 'A', 'B', 'internal', 3, '[]', 50, 'flow');
				INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind)
				VALUES ('asyl.belegung', '2026-11-20', 'facility=a', 84, 'final', 'form');
			`);
			old.$client.close();
		} finally {
			delete process.env.KLAR_MIGRATIONS;
		}

		const db = openDatabase(file);
		const formulas = Object.fromEntries(
			(
				db.$client.prepare(`SELECT id, formula FROM kpi_definitions`).all() as {
					id: string;
					formula: string;
				}[]
			).map((r) => [r.id, JSON.parse(r.formula)])
		);
		expect(formulas).toEqual({
			'asyl.belegung': { kind: 'stock' },
			'asyl.kapazitaet': { kind: 'stock' },
			'asyl.auslastung': { kind: 'share', inputs: ['asyl.belegung', 'asyl.kapazitaet'] },
			'asyl.freie_plaetze': { kind: 'difference', inputs: ['asyl.kapazitaet', 'asyl.belegung'] },
			'asyl.zugaenge': { kind: 'flow' }
		});
		expect(loadDimensions(db).map((d) => [d.id, d.source])).toEqual([
			['facility', 'facilities'],
			['origin', 'open']
		]);
		// Every stored definition reads as a valid catalogue entry, and the values are still there.
		expect(loadDefinitions(db)).toHaveLength(5);
		expect(count(db, 'observations')).toBe(1);
		db.$client.close();
	});
});
