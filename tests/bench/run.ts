/**
 * Benchmarks (`npm run bench`, which builds first):
 * - gzip size of the JavaScript the home, area and KPI detail routes load (see client.ts);
 * - the offline cold start of the home screen in headless Chromium at 360 × 740;
 * - server time of an empty pull and of a pull after 100 changed observations on the demo
 *   database (median of repeated in-process calls of the real pull code);
 * - the same at scale: a pull with 100 changed KPIs on a database of 1,000,000 observations;
 * - bytes on the wire (tRPC batch response bodies, headers not counted) of an empty pull and of
 *   a councillor's full sync of the demo data;
 * - a feed import of 1,000,000 rows against raw prepared inserts (see feed-ingest.ts);
 * - other people's pulls while a 20 MB delivery is uploaded (see upload-responsiveness.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '#server/db/connection';
import { seedDemo } from '#server/db/demo/seed';
import { DISTRICTS, FACILITIES } from '#server/db/demo/city';
import { kpiDefinitions } from '#server/db/schema';
import { toRow } from '#server/kpis/catalogue';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { recordChange } from '#server/sync/change-log';
import { pull } from '#server/sync/pull';
import { upsertObservation } from '#server/entries/observations';
import { ensureDisclosedSnapshots, rebuildSnapshots } from '#server/kpis/snapshots';
import { principalForToken, createSession } from '#server/auth/sessions';
import { SYNC_SCHEMA_VERSION } from '#shared/protocol';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { shiftPeriod, toIsoDate } from '#shared/periods';
import { offlineColdStart, routeJavaScript } from './client';
import { describeFeedIngest, feedIngest } from './feed-ingest';
import { describeUploadResponsiveness, uploadResponsiveness } from './upload-responsiveness';

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, fn: () => void): { median: number; p95: number } {
	for (let i = 0; i < 5; i++) fn();
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		fn();
		samples.push(performance.now() - start);
	}
	samples.sort((a, b) => a - b);
	return { median: median(samples), p95: samples[Math.floor(samples.length * 0.95)]! };
}

async function pullTimes() {
	const dir = mkdtempSync(join(tmpdir(), 'klar-bench-'));
	try {
		const db = openDatabase(join(dir, 'klar.db'));
		const now = new Date();
		await seedDemo(db, now);
		const principal = principalForToken(db, createSession(db, 'u-spitze', now), now)!;
		const full = pull(
			db,
			principal,
			{
				schemaVersion: SYNC_SCHEMA_VERSION,
				cursor: null,
				limit: 500
			},
			now
		);
		if (full.kind !== 'changes') throw new Error('full pull failed');
		const fullTime = time(50, () =>
			pull(db, principal, { schemaVersion: SYNC_SCHEMA_VERSION, cursor: null, limit: 500 }, now)
		);
		// A councillor gets the views with small counts withheld: first as a database from
		// before the start-up backfill (computed during each pull), then as the server runs.
		const councillor = principalForToken(db, createSession(db, 'u-rat', now), now)!;
		const councillorPull = () =>
			pull(db, councillor, { schemaVersion: SYNC_SCHEMA_VERSION, cursor: null, limit: 500 }, now);
		const councillorBeforeBackfill = time(50, councillorPull);
		ensureDisclosedSnapshots(db, now);
		const councillorTime = time(50, councillorPull);
		const emptyTime = time(500, () =>
			pull(db, principal, { schemaVersion: SYNC_SCHEMA_VERSION, cursor: full.cursor }, now)
		);

		// 100 changed observations: corrections of the last days' occupancy across facilities.
		const applyStart = performance.now();
		db.transaction((tx) => {
			let day = toIsoDate(new Date(now.getTime() - 86_400_000));
			for (let i = 0; i < 100; i++) {
				const facility = FACILITIES[i % FACILITIES.length]!;
				if (i % FACILITIES.length === 0 && i > 0) day = shiftPeriod(day, -1)!;
				upsertObservation(
					tx,
					{
						kpiId: ASYL_KPI.occupancy,
						period: day,
						dimensionKey: dimensionKeyOf({ facility: facility.id }),
						value: Math.round(facility.capacity * 0.5) + i,
						status: 'provisional',
						sourceKind: 'form',
						sourceRef: `bench-${i}`
					},
					null,
					now
				);
			}
			rebuildSnapshots(tx, [ASYL_KPI.occupancy], now);
		});
		const applyMs = performance.now() - applyStart;
		let changes = 0;
		let bytes = 0;
		const changedTime = time(200, () => {
			const response = pull(
				db,
				principal,
				{
					schemaVersion: SYNC_SCHEMA_VERSION,
					cursor: full.cursor
				},
				now
			);
			if (response.kind !== 'changes') throw new Error('pull failed');
			changes = response.changes.length;
			bytes = JSON.stringify(response).length;
		});
		db.$client.close();
		return {
			fullTime,
			councillorBeforeBackfill,
			councillorTime,
			fullChanges: full.changes.length,
			emptyTime,
			applyMs,
			changedTime,
			changes,
			bytes
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** The body tRPC's batch link receives for one call. */
function wireBytes(data: unknown): number {
	return Buffer.byteLength(JSON.stringify([{ result: { data } }]));
}

async function wireSizes() {
	const dir = mkdtempSync(join(tmpdir(), 'klar-bench-'));
	try {
		const db = openDatabase(join(dir, 'klar.db'));
		const now = new Date();
		await seedDemo(db, now);
		const rat = principalForToken(db, createSession(db, 'u-rat', now), now)!;
		let cursor: string | null = null;
		let bytes = 0;
		let pages = 0;
		let entities = 0;
		for (;;) {
			const response = pull(db, rat, { schemaVersion: SYNC_SCHEMA_VERSION, cursor }, now);
			if (response.kind !== 'changes') throw new Error('pull failed');
			bytes += wireBytes(response);
			pages++;
			entities += response.changes.length;
			cursor = response.cursor;
			if (!response.hasMore) break;
		}
		const empty = pull(db, rat, { schemaVersion: SYNC_SCHEMA_VERSION, cursor }, now);
		db.$client.close();
		return { councillorFullSync: { bytes, pages, entities }, emptyPullBytes: wireBytes(empty) };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const SCALE_KPIS = 100;
const SCALE_DAYS = 556;

/** 100 daily KPIs by district (18) over 556 days: with the demo data about 1,015,000 observations. */
async function pullAtScale() {
	const dir = mkdtempSync(join(tmpdir(), 'klar-bench-'));
	try {
		const db = openDatabase(join(dir, 'klar.db'));
		const now = new Date();
		await seedDemo(db, now);
		const buildStart = performance.now();
		const today = now;
		const days = Array.from({ length: SCALE_DAYS }, (_, i) =>
			toIsoDate(new Date(today.getTime() - (SCALE_DAYS - i) * 86_400_000))
		);
		const template = demoCatalogue().kpis.find((k) => k.id === ASYL_KPI.occupancy)!;
		db.transaction((tx) => {
			const t = tx;
			const insert = db.$client.prepare(
				`INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind, source_ref, changed_at)
				 VALUES (?, ?, ?, ?, 'final', 'feed', 'bench', ?)`
			);
			const at = now.toISOString();
			for (let k = 0; k < SCALE_KPIS; k++) {
				const id = `bench.kpi_${String(k).padStart(3, '0')}`;
				tx.insert(kpiDefinitions)
					.values(
						toRow(
							{
								...template,
								id,
								areaId: 'bevoelkerung',
								title: `Benchmark-Kennzahl ${k}`,
								shortTitle: `Bench ${k}`,
								dimensions: ['district'],
								visibility: 'council',
								sortOrder: 1000 + k,
								formula: { kind: 'stock' }
							},
							now
						)
					)
					.run();
				recordChange(
					t,
					{
						entity: 'kpi.v2',
						id,
						op: 'put',
						areaId: 'bevoelkerung',
						visibility: 'council'
					},
					now
				);
				for (const [district] of DISTRICTS) {
					const dimensionKey = dimensionKeyOf({ district });
					for (let d = 0; d < SCALE_DAYS; d++)
						insert.run(id, days[d], dimensionKey, 1000 + ((k * 7 + d) % 97), at);
				}
			}
			rebuildSnapshots(t, 'all', today);
		});
		const observationCount = (
			db.$client.prepare('SELECT count(*) AS n FROM observations').get() as { n: number }
		).n;
		const buildMs = performance.now() - buildStart;

		const spitze = principalForToken(db, createSession(db, 'u-spitze', now), now)!;
		let cursor: string | null = null;
		for (;;) {
			const response = pull(
				db,
				spitze,
				{ schemaVersion: SYNC_SCHEMA_VERSION, cursor, limit: 500 },
				now
			);
			if (response.kind !== 'changes') throw new Error('pull failed');
			cursor = response.cursor;
			if (!response.hasMore) break;
		}
		// One changed observation in each of the 100 KPIs: 100 changed snapshots to pull.
		const changeStart = performance.now();
		db.transaction((tx) => {
			const t = tx;
			const ids: string[] = [];
			for (let k = 0; k < SCALE_KPIS; k++) {
				const id = `bench.kpi_${String(k).padStart(3, '0')}`;
				ids.push(id);
				upsertObservation(
					t,
					{
						kpiId: id,
						period: days.at(-1)!,
						dimensionKey: dimensionKeyOf({ district: DISTRICTS[k % DISTRICTS.length]![0] }),
						value: 5000 + k,
						status: 'provisional',
						sourceKind: 'form',
						sourceRef: `bench-${k}`
					},
					null,
					now
				);
			}
			rebuildSnapshots(t, ids, today);
		});
		const changeMs = performance.now() - changeStart;
		let changes = 0;
		const pullOnly = time(30, () => {
			const response = pull(db, spitze, { schemaVersion: SYNC_SCHEMA_VERSION, cursor }, now);
			if (response.kind !== 'changes' || response.hasMore) throw new Error('expected one page');
			changes = response.changes.length;
		});
		// What the server does to answer: the pull and the JSON body tRPC writes.
		let bytes = 0;
		const timing = time(30, () => {
			bytes = wireBytes(pull(db, spitze, { schemaVersion: SYNC_SCHEMA_VERSION, cursor }, now));
		});
		db.$client.close();
		return { observationCount, buildMs, changeMs, pullOnly, timing, changes, bytes };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const js = routeJavaScript('/');
const detailJs = routeJavaScript('/kpi/[id]', true);
const areaJs = routeJavaScript('/bereich/[area]', true);
const coldStart = await offlineColdStart();
const pulls = await pullTimes();
const wire = await wireSizes();
const scale = await pullAtScale();
const ingest = await feedIngest();
const upload = await uploadResponsiveness();
const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log('KLAR benchmarks');
const kib = (r: { files: number; raw: number; gzip: number }) =>
	`${r.files} files, ${(r.raw / 1024).toFixed(1)} KiB raw, ${(r.gzip / 1024).toFixed(1)} KiB gzip`;
console.log(`home route JavaScript: ${kib(js)}`);
console.log(`KPI detail route JavaScript (with chart.js, loaded on mount): ${kib(detailJs)}`);
console.log(`area route JavaScript: ${kib(areaJs)}`);
console.log(
	`offline cold start to the first rendered tile (360×740, headless Chromium): median ${ms(coldStart.median)} of ${coldStart.samples.map((v) => v.toFixed(0)).join(', ')} ms`
);
console.log(
	`full pull (${pulls.fullChanges} changes): median ${ms(pulls.fullTime.median)}, p95 ${ms(pulls.fullTime.p95)}`
);
console.log(
	`councillor's full pull (small counts withheld): median ${ms(pulls.councillorTime.median)}, p95 ${ms(pulls.councillorTime.p95)}; before the start-up backfill (views computed during the pull) ${ms(pulls.councillorBeforeBackfill.median)}`
);
console.log(`empty pull: median ${ms(pulls.emptyTime.median)}, p95 ${ms(pulls.emptyTime.p95)}`);
console.log(`applying 100 changed observations + snapshot rebuild: ${ms(pulls.applyMs)}`);
console.log(
	`pull after 100 changed observations (${pulls.changes} changed snapshots, ${(pulls.bytes / 1024).toFixed(1)} KiB JSON): median ${ms(pulls.changedTime.median)}, p95 ${ms(pulls.changedTime.p95)}`
);
console.log(`empty pull on the wire: ${wire.emptyPullBytes} bytes`);
console.log(
	`councillor's full sync of the demo data: ${wire.councillorFullSync.entities} entities in ${wire.councillorFullSync.pages} page(s), ${(wire.councillorFullSync.bytes / 1024).toFixed(1)} KiB on the wire`
);
console.log(
	`at scale: ${scale.observationCount.toLocaleString('en')} observations (built in ${(scale.buildMs / 1000).toFixed(1)} s); 100 changed observations in 100 KPIs applied with snapshot rebuild in ${ms(scale.changeMs)}`
);
console.log(
	`pull with ${scale.changes} changes on that database: median ${ms(scale.pullOnly.median)} (p95 ${ms(scale.pullOnly.p95)}) to compute, ${ms(scale.timing.median)} (p95 ${ms(scale.timing.p95)}) with the JSON response body; ${(scale.bytes / 1024).toFixed(1)} KiB on the wire`
);
for (const line of describeFeedIngest(ingest)) console.log(line);
for (const line of describeUploadResponsiveness(upload)) console.log(line);
