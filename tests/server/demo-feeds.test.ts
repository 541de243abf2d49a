import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { DEMO_FEEDS, FEED_KPI_IDS } from '#server/db/demo/feeds/index';
import { generateDemoObservations } from '#server/db/demo/generate';
import { seedDemo } from '#server/db/demo/seed';
import { loadDefinitionFile } from '#server/feeds/definitions';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import {
	copyDatabase,
	count,
	openSeededDatabase,
	openTempDatabase,
	removeTempDirs,
	SEED_DAY,
	tempDir,
	SEED_NOW
} from './helpers';

interface StoredObservation {
	kpiId: string;
	period: string;
	dimensionKey: string;
	value: number | null;
	sourceKind: string;
	sourceRef: string | null;
}

interface FeedRunRow {
	id: string;
	feedId: string;
	status: string;
	origin: string;
	userId: string | null;
	startedAt: string;
	fileName: string;
	rowsRejected: number;
	observationsUpdated: number;
	errors: string;
}

let db: KlarDatabase;
let file: string;
const generated = generateDemoObservations(SEED_DAY);
const feedOf = new Map(DEMO_FEEDS.flatMap((f) => f.kpiIds.map((id) => [id, f.definition.id])));
const cellOf = (o: { kpiId: string; period: string; dimensionKey: string }) =>
	`${o.kpiId}|${o.period}|${o.dimensionKey}`;

function feedRuns(database: KlarDatabase): FeedRunRow[] {
	return database.$client
		.prepare(
			`SELECT id, feed_id AS feedId, status, origin, user_id AS userId, started_at AS startedAt,
			        file_name AS fileName, rows_rejected AS rowsRejected,
			        observations_updated AS observationsUpdated, errors
			 FROM feed_runs ORDER BY started_at, feed_id`
		)
		.all() as FeedRunRow[];
}

beforeAll(async () => {
	({ db, file } = await openSeededDatabase());
});

afterAll(() => {
	db.$client.close();
	removeTempDirs();
});

describe('the demo feeds', () => {
	test('the observations of every feed KPI are exactly the generated ones, from a successful run of its feed', () => {
		const stored = db.$client
			.prepare(
				`SELECT kpi_id AS kpiId, period, dimension_key AS dimensionKey, value,
				        source_kind AS sourceKind, source_ref AS sourceRef
				 FROM observations WHERE kpi_id IN (${[...FEED_KPI_IDS].map(() => '?').join(', ')})`
			)
			.all(...FEED_KPI_IDS) as StoredObservation[];
		const expected = generated.filter((o) => FEED_KPI_IDS.has(o.kpiId));
		const valueByCell = (
			rows: { kpiId: string; period: string; dimensionKey: string; value: number | null }[]
		) => Object.fromEntries(rows.map((o) => [cellOf(o), o.value]));
		expect(stored).toHaveLength(expected.length);
		expect(valueByCell(stored)).toEqual(valueByCell(expected));

		const runs = new Map(feedRuns(db).map((r) => [r.id, r]));
		for (const o of stored) {
			expect(o.sourceKind).toBe('feed');
			const run = runs.get(o.sourceRef ?? '');
			expect(run, cellOf(o)).toMatchObject({ status: 'succeeded', feedId: feedOf.get(o.kpiId) });
		}
	});

	test('every other KPI keeps its seed rows', () => {
		const seeded = count(db, 'observations', `source_kind = 'seed'`);
		expect(seeded).toBe(generated.filter((o) => !FEED_KPI_IDS.has(o.kpiId)).length);
		expect(count(db, 'observations')).toBe(generated.length);
	});

	test('the four feeds are registered from the definition files in the demo feed folder', () => {
		const ids = DEMO_FEEDS.map((f) => f.definition.id);
		const stored = db.$client.prepare('SELECT id FROM feeds ORDER BY id').all() as { id: string }[];
		expect(stored.map((f) => f.id)).toEqual([...ids].sort());

		const folder = join(dirname(file), 'demo-feeds');
		const names = readdirSync(folder);
		for (const id of ids) {
			expect(names).toContain(`${id}.feed.json`);
			expect(loadDefinitionFile(join(folder, `${id}.feed.json`)).id).toBe(id);
		}
		const schools = loadDefinitionFile(join(folder, 'schulstatistik.feed.json'));
		expect(schools.source).toMatchObject({
			format: 'datapackage',
			descriptor: { resources: [{ path: 'schulstatistik.csv' }] }
		});
	});

	test('the health office delivered weekly for twelve weeks, one delivery failed and one had rejected rows', () => {
		const runs = feedRuns(db);
		expect(runs.every((r) => r.origin === 'demo' && r.userId === null)).toBe(true);
		expect(runs.filter((r) => r.feedId !== 'gesundheitsamt-inzidenz')).toMatchObject([
			{ feedId: 'einwohnermelderegister', status: 'succeeded', rowsRejected: 0 },
			{ feedId: 'finanzbuchungen', status: 'succeeded', rowsRejected: 0 },
			{ feedId: 'schulstatistik', status: 'succeeded', rowsRejected: 0 }
		]);

		const health = runs.filter((r) => r.feedId === 'gesundheitsamt-inzidenz');
		expect(health).toHaveLength(12);
		const days = health.map((r) => Date.parse(r.startedAt));
		for (let i = 1; i < days.length; i++) {
			expect(Math.round((days[i]! - days[i - 1]!) / 86_400_000)).toBe(7);
		}
		const failed = health.filter((r) => r.status === 'failed');
		expect(failed).toHaveLength(1);
		expect(JSON.parse(failed[0]!.errors)[0]).toMatchObject({ code: 'encoding' });
		const rejecting = health.filter((r) => r.status === 'succeeded' && r.rowsRejected > 0);
		expect(rejecting).toHaveLength(1);
		expect(rejecting[0]!.rowsRejected).toBe(2);
		expect(JSON.parse(rejecting[0]!.errors)).toMatchObject([
			{ code: 'not_a_number' },
			{ code: 'not_a_number' }
		]);
		// About five and three weeks before the seed day.
		const weeksAgo = (r: FeedRunRow) =>
			Math.round((SEED_DAY.getTime() - Date.parse(r.startedAt)) / (7 * 86_400_000));
		expect(weeksAgo(rejecting[0]!)).toBe(5);
		expect(weeksAgo(failed[0]!)).toBe(3);
		// Later deliveries brought the late reports for the days already sent.
		expect(health.slice(1).some((r) => r.observationsUpdated > 0)).toBe(true);
	});

	test('the snapshots are those of the observations as they stand', () => {
		const copy = copyDatabase(db);
		try {
			expect(rebuildSnapshots(copy, 'all', SEED_NOW)).toEqual([]);
		} finally {
			copy.$client.close();
		}
	});

	test('seeding again changes nothing', async () => {
		const tables = ['observations', 'feeds', 'feed_runs', 'audit_log', 'change_log', 'snapshots'];
		const before = tables.map((t) => count(db, t));
		expect(await seedDemo(db, SEED_NOW)).toBe(false);
		expect(tables.map((t) => count(db, t))).toEqual(before);
	});

	test('the feed folder can be chosen, and the same day gives the same files', async () => {
		const { db: other } = openTempDatabase();
		const folder = tempDir();
		try {
			expect(await seedDemo(other, SEED_NOW, { feedDirectory: folder })).toBe(true);
			const files = readdirSync(folder).sort();
			expect(files).toEqual(readdirSync(join(dirname(file), 'demo-feeds')).sort());
			expect(count(other, 'feed_runs')).toBe(count(db, 'feed_runs'));
		} finally {
			other.$client.close();
		}
	});
});

describe('demo seeded just before midnight UTC, already the next day in the city', () => {
	test('no feed run is dated after the moment of seeding', async () => {
		// 23:30 UTC on 7 December is 00:30 on 8 December in the city: the demo's day is the 8th,
		// whose start lies ahead of this instant on a machine that keeps UTC.
		const now = new Date('2026-12-07T23:30:00Z');
		const { db } = openTempDatabase();
		try {
			await seedDemo(db, now);
			const latest = db.$client
				.prepare('SELECT MAX(started_at) AS startedAt FROM feed_runs')
				.get() as { startedAt: string };
			expect(Date.parse(latest.startedAt)).toBeLessThanOrEqual(now.getTime());
		} finally {
			db.$client.close();
		}
	});
});
