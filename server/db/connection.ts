import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema';

export type KlarDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * A database or a transaction open on it: what a function that reads or writes takes, so that
 * the caller decides whether it runs alone or inside a larger transaction. Only code that needs
 * the connection itself (prepared statements of the feed runner, the seed) takes KlarDatabase.
 */
export type DbOrTx = BaseSQLiteDatabase<
	'sync',
	Database.RunResult,
	typeof schema,
	ExtractTablesWithRelations<typeof schema>
>;

export const DEFAULT_DB_FILE = 'data/klar.db';

export function databaseFile(): string {
	return process.env.KLAR_DB || DEFAULT_DB_FILE;
}

/** drizzle-kit's output; the server runs from the repository root (README). */
export function migrationsFolder(): string {
	return resolve(process.env.KLAR_MIGRATIONS || 'server/db/migrations');
}

export class MigrationHistoryError extends Error {}

/**
 * Opens (and creates) the SQLite file, applies pending migrations and refuses a database whose
 * applied history is not a prefix of ours – e.g. one written by a newer build, or by a branch
 * whose migrations we do not have. Starting on it could corrupt data silently.
 */
export function openDatabase(file = databaseFile()): KlarDatabase {
	if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
	const db = openConnection(file);
	const client = db.$client;
	try {
		verifyMigrationHistory(client);
		applyMigrations(db);
		ensureEpoch(client);
	} catch (error) {
		client.close();
		throw error;
	}
	return db;
}

/**
 * A connection to a database file as the server sets it up, without looking at migrations:
 * for a second connection to a database that `openDatabase` has opened (a feed run that must
 * not share the server's connection with other requests).
 */
export function openConnection(file: string): KlarDatabase {
	const client = new Database(file);
	client.pragma('journal_mode = WAL');
	client.pragma('foreign_keys = ON');
	client.pragma('busy_timeout = 5000');
	client.pragma('synchronous = NORMAL');
	return drizzle(client, { schema }) as KlarDatabase;
}

/**
 * Applies pending migrations with foreign keys off, as SQLite's procedure for changing a table
 * asks: drizzle-kit drops a column by rebuilding the table, and dropping the old table would
 * otherwise refuse (or cascade to) the rows that point at it. The keys are checked afterwards;
 * a violation stops the start.
 */
function applyMigrations(db: KlarDatabase) {
	const client = db.$client;
	client.pragma('foreign_keys = OFF');
	try {
		migrate(db, { migrationsFolder: migrationsFolder() });
		const violations = client.pragma('foreign_key_check') as unknown[];
		if (violations.length) {
			throw new MigrationHistoryError(
				`Migrations left ${violations.length} foreign-key violations: ${JSON.stringify(violations.slice(0, 5))}`
			);
		}
	} finally {
		client.pragma('foreign_keys = ON');
	}
}

function verifyMigrationHistory(client: Database.Database) {
	const hasTable = client
		.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`)
		.get();
	if (!hasTable) return;
	const known = new Map(
		readMigrationFiles({ migrationsFolder: migrationsFolder() }).map((m) => [m.hash, m])
	);
	const applied = client
		.prepare('SELECT hash, created_at AS createdAt FROM __drizzle_migrations ORDER BY created_at')
		.all() as { hash: string; createdAt: number }[];
	for (const row of applied) {
		const migration = known.get(row.hash);
		if (!migration || migration.folderMillis !== Number(row.createdAt)) {
			throw new MigrationHistoryError(
				`Database migration history does not match this build (unknown migration ${row.hash.slice(0, 12)} from ${new Date(Number(row.createdAt)).toISOString()}). Refusing to start.`
			);
		}
	}
}

/**
 * The sync epoch names this database's change log. A restore from a backup or a new database
 * gets a new epoch (see resetEpoch), which makes every client cursor unknown and so forces a
 * clean re-sync instead of silently skipping changes.
 */
function ensureEpoch(client: Database.Database) {
	client
		.prepare(`INSERT INTO meta (key, value) VALUES ('sync_epoch', ?) ON CONFLICT(key) DO NOTHING`)
		.run(randomUUID());
}

let shared: KlarDatabase | undefined;

/** The process-wide database of the running server. */
export function getDatabase(): KlarDatabase {
	shared ??= openDatabase();
	return shared;
}
