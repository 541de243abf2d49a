import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subDays } from 'date-fns';
import { openDatabase, type KlarDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { DEMO_PASSWORD, FACILITIES } from '#server/db/demo/city';
import { upsertObservation } from '#server/entries/observations';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { principalForToken } from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import { TRPCError } from '@trpc/server';
import { parseDefinition } from '#server/feeds/definitions';
import type { FeedDefinition } from '#shared/feeds';
import { UserFacingError, type Context } from '#server/trpc/init';
import { toIsoDate } from '#shared/periods';
import { cityToday, fixedClock, type Clock } from '#server/clock';
import { SYNC_SCHEMA_VERSION, type OutboxEntryV1 } from '#shared/protocol';
import type { OccupancyEntry } from '#shared/forms/index';

/**
 * The instant the server tests run at: the morning of the day the demo data is generated for
 * (data runs up to the day before). Every server call of a test takes its time from
 * `TEST_CLOCK`, so the tests judge the seeded data on its own day, whatever today's date is.
 */
export const SEED_NOW = new Date('2026-11-22T08:00:00+01:00');
export const TEST_CLOCK = fixedClock(SEED_NOW);
/** The seed day in the city, as the period maths takes a day. */
export const SEED_DAY = cityToday(SEED_NOW);
/** The latest day that has demo data, and a day no form rejects as being in the future. */
export const LAST_DATA_DAY = toIsoDate(subDays(SEED_DAY, 1));

const tempDirs: string[] = [];

/** A fresh directory under the system temp dir, removed by `removeTempDirs`. */
export function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'klar-test-'));
	tempDirs.push(dir);
	return dir;
}

export function removeTempDirs(): void {
	for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new SQLite file with all migrations applied, exactly as the server opens it. */
export function openTempDatabase(): { db: KlarDatabase; file: string } {
	const file = join(tempDir(), 'klar.db');
	return { db: openDatabase(file), file };
}

export async function openSeededDatabase(): Promise<{ db: KlarDatabase; file: string }> {
	const opened = openTempDatabase();
	await seedDemo(opened.db, SEED_NOW);
	return opened;
}

/**
 * A copy of a seeded database file, opened through `openDatabase`: tests that write get their
 * own database without paying for another seed (scrypt and 20,000 rows).
 */
export function copyDatabase(source: KlarDatabase): KlarDatabase {
	source.$client.pragma('wal_checkpoint(TRUNCATE)');
	const file = join(tempDir(), 'klar.db');
	copyFileSync(source.$client.name, file);
	return openDatabase(file);
}

export interface Session {
	ctx: Context;
	caller: ReturnType<typeof createCaller>;
	token: string;
	/** Values passed to setSessionCookie, in order. */
	cookies: (string | null)[];
}

/** The address requests come from unless a test says otherwise (TEST-NET-3, RFC 5737). */
export const TEST_ADDRESS = '203.0.113.10';

export function anonymousContext(
	db: KlarDatabase,
	cookies: (string | null)[] = [],
	clientAddress: string = TEST_ADDRESS,
	now: Clock = TEST_CLOCK
): Context {
	return {
		db,
		now,
		principal: null,
		sessionToken: null,
		clientAddress,
		setSessionCookie: (value) => void cookies.push(value)
	};
}

/** Context of a request that carries the session cookie: the principal comes from the session table. */
export function contextForToken(
	db: KlarDatabase,
	token: string,
	cookies: (string | null)[] = [],
	now: Clock = TEST_CLOCK
): Context {
	return {
		db,
		now,
		principal: principalForToken(db, token, now()),
		sessionToken: token,
		clientAddress: TEST_ADDRESS,
		setSessionCookie: (value) => void cookies.push(value)
	};
}

/** Logs in through auth.login and returns a caller for the following requests of that session. */
export async function loginAs(
	db: KlarDatabase,
	username: string,
	password = DEMO_PASSWORD
): Promise<Session> {
	const cookies: (string | null)[] = [];
	await createCaller(anonymousContext(db, cookies)).auth.login({ username, password });
	const token = cookies.at(-1);
	if (!token) throw new Error(`login as ${username} set no session cookie`);
	return sessionForToken(db, token, cookies);
}

/** The requests of an existing session (its cookie token) on this database. */
export function sessionForToken(
	db: KlarDatabase,
	token: string,
	cookies: (string | null)[] = []
): Session {
	const ctx = contextForToken(db, token, cookies);
	if (!ctx.principal) throw new Error('no valid session for this token');
	return { ctx, caller: createCaller(ctx), token, cookies };
}

export function occupancyEntry(
	authorId: string,
	payload: Partial<OccupancyEntry> = {},
	id: string = randomUUID()
): OutboxEntryV1 {
	return {
		id,
		formId: 'asyl.belegung.v1',
		authorId,
		createdAt: SEED_NOW.toISOString(),
		payload: {
			facilityId: 'gu-hohenecker',
			date: LAST_DATA_DAY,
			occupied: 200,
			capacity: 240,
			...payload
		}
	};
}

export const V = SYNC_SCHEMA_VERSION;

export function count(db: KlarDatabase, table: string, where = '1 = 1'): number {
	const row = db.$client.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get();
	return (row as { n: number }).n;
}

/** Row counts of every table a form entry may write to. */
export function writeCounts(db: KlarDatabase) {
	return {
		observations: count(db, 'observations'),
		formEntries: count(db, 'form_entries'),
		processedEntries: count(db, 'processed_entries'),
		changeLog: count(db, 'change_log')
	};
}

/** Awaits a call that must fail with a tRPC error of the given code; returns the error. */
export async function trpcError(
	call: Promise<unknown>,
	code: TRPCError['code']
): Promise<TRPCError> {
	const error = await call.then(
		() => {
			throw new Error(`expected ${code}, but the call succeeded`);
		},
		(e: unknown) => e
	);
	if (!(error instanceof TRPCError)) throw error;
	if (error.code !== code) throw new Error(`expected ${code}, got ${error.code}: ${error.message}`);
	return error;
}

/** The German message the error formatter sends to the browser. */
export function userMessageOf(error: TRPCError): string | undefined {
	return error.cause instanceof UserFacingError ? error.cause.userMessage : undefined;
}

/**
 * Every accommodation facility reports a full house today, as the day's reports would be
 * written on the server: utilisation goes to 100 % and the free places to none (both red).
 */
export function reportFullHouse(db: KlarDatabase, now: Date): void {
	const today = toIsoDate(cityToday(now));
	db.transaction((tx) => {
		const t = tx;
		for (const f of FACILITIES) {
			const dimensionKey = dimensionKeyOf({ facility: f.id });
			for (const kpiId of [ASYL_KPI.capacity, ASYL_KPI.occupancy]) {
				upsertObservation(
					t,
					{
						kpiId,
						period: today,
						dimensionKey,
						value: f.capacity,
						status: 'final',
						sourceKind: 'form',
						sourceRef: 'test'
					},
					null,
					now
				);
			}
		}
		rebuildSnapshots(t, [ASYL_KPI.occupancy, ASYL_KPI.capacity], now);
	});
}

/**
 * A department's export of one daily value per facility as JSON lines (`tag`, `einrichtung`
 * and the value in `column`), as the accommodation software writes it, for the KPI `kpiId`.
 */
export function dailyFacilityFeed(options: {
	id: string;
	title: string;
	kpiId: string;
	column: string;
}): FeedDefinition {
	return parseDefinition({
		id: options.id,
		title: options.title,
		owner: { department: 'Amt für Migration', contact: 'Fachverfahren' },
		source: { format: 'json', records: 'lines' },
		mapping: {
			period: { column: 'tag', format: 'YYYY-MM-DD' },
			dimensions: { facility: { column: 'einrichtung' } },
			values: [{ column: options.column, kpi: { fixed: options.kpiId } }]
		},
		cadence: 'daily'
	});
}
