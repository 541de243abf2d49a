import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { DbOrTx, KlarDatabase } from '#server/db/connection';
import { courseProviders, districts, facilities, meta, users } from '#server/db/schema';
import { hashPassword } from '#server/auth/password';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { recordChange } from '#server/sync/change-log';
import { cityToday } from '#server/clock';
import { DISTRICT_SCOPE, FACILITY_SCOPE, PROVIDER_SCOPE } from '#server/sync/pull';
import { applyCatalogue } from '#server/kpis/catalogue-admin';
import { demoCatalogue } from './catalogue';
import { COURSE_PROVIDERS, DEMO_PASSWORD, DEMO_USERS, DISTRICTS, FACILITIES } from './city';
import { demoFeedFiles, FEED_KPI_IDS, writeDemoFeedFiles } from '#server/db/demo/feeds/index';
import { importDemoFeeds } from '#server/db/demo/feeds/import';
import { generateDemoObservations } from './generate';

export class SeedRefusedError extends Error {}

export function isDemoDatabase(db: DbOrTx): boolean {
	return Boolean(
		db
			.select()
			.from(meta)
			.where(sql`${meta.key} = 'demo'`)
			.get()
	);
}

export interface SeedOptions {
	/**
	 * Where the departments' export files and feed definitions are written and imported from;
	 * by default a `demo-feeds` folder next to the database file.
	 */
	feedDirectory?: string;
}

/**
 * Fills an empty database with the demo city. Refuses a database that already has users of its
 * own, so demo logins never end up in a real installation. Seeding a demo database again is a
 * no-op. Returns whether anything was written.
 *
 * The KPIs that departments deliver as feeds are not inserted directly: their observations are
 * written as the departments' export files and imported through the feed runner, with a
 * history of earlier deliveries. Everything happens in one transaction.
 */
export async function seedDemo(
	db: KlarDatabase,
	now: Date,
	options: SeedOptions = {}
): Promise<boolean> {
	const today = cityToday(now);
	if (isDemoDatabase(db)) return false;
	const userCount = db
		.select({ n: sql<number>`count(*)` })
		.from(users)
		.get()!.n;
	if (userCount > 0) {
		throw new SeedRefusedError(
			'Refusing to seed demo data into a database that already has users.'
		);
	}
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	const observations = generateDemoObservations(today);
	const feedFiles = demoFeedFiles(observations, today);
	const feedDirectory = options.feedDirectory ?? defaultFeedDirectory(db);
	writeDemoFeedFiles(feedDirectory, feedFiles);
	const at = now.toISOString();
	db.transaction((tx) => {
		const t = tx;
		// The demo's catalogue is a catalogue file like any city's, applied the same way.
		const applied = applyCatalogue(t, demoCatalogue(), {
			userId: null,
			now,
			rebuildSnapshots: false
		});
		if (!applied.ok) {
			throw new Error(`The demo catalogue does not apply: ${JSON.stringify(applied.problems)}`);
		}
		tx.insert(districts)
			.values(DISTRICTS.map(([id, name], i) => ({ id, name, sortOrder: i })))
			.run();
		for (const [id] of DISTRICTS) {
			recordChange(t, { entity: 'district.v1', id, op: 'put', ...DISTRICT_SCOPE }, now);
		}
		for (const provider of COURSE_PROVIDERS) {
			tx.insert(courseProviders).values(provider).run();
			recordChange(
				t,
				{ entity: 'provider.v1', id: provider.id, op: 'put', ...PROVIDER_SCOPE },
				now
			);
		}
		for (const f of FACILITIES) {
			tx.insert(facilities)
				.values({
					id: f.id,
					name: f.name,
					districtId: f.districtId,
					capacity: f.capacity,
					active: true
				})
				.run();
			recordChange(t, { entity: 'facility.v1', id: f.id, op: 'put', ...FACILITY_SCOPE }, now);
		}
		// Seed rows go through one prepared statement: about 25,000 of them.
		const insert = db.$client.prepare(
			`INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind, source_ref, changed_at)
			 VALUES (?, ?, ?, ?, 'final', 'seed', 'demo', ?)`
		);
		for (const o of observations) {
			if (!FEED_KPI_IDS.has(o.kpiId)) insert.run(o.kpiId, o.period, o.dimensionKey, o.value, at);
		}
		tx.insert(users)
			.values(
				DEMO_USERS.map((u) => ({
					id: u.id,
					username: u.username,
					displayName: u.displayName,
					passwordHash,
					role: u.role,
					areas: JSON.stringify(u.areas),
					createdAt: at,
					updatedAt: at
				}))
			)
			.run();
		tx.insert(meta)
			.values({ key: 'demo', value: toIsoDateTime(today) })
			.run();
		rebuildSnapshots(t, 'all', now);
		// The runner needs the connection itself (`$client`), not `tx`; its transactions nest as
		// savepoints here, so a delivery meant to fail rolls back only itself.
		importDemoFeeds(db, feedDirectory, feedFiles, now);
	});
	return true;
}

function defaultFeedDirectory(db: KlarDatabase): string {
	const client = db.$client;
	return client.memory
		? join(tmpdir(), 'klar-demo-feeds')
		: join(dirname(resolve(client.name)), 'demo-feeds');
}

function toIsoDateTime(date: Date) {
	return date.toISOString();
}
