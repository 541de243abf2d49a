/**
 * Benchmarks of the foundation (`npm run bench`, after `npm run build`):
 * - gzip size of the JavaScript the home route loads (entry, app, layout and home nodes and
 *   their static imports, not chart.js, which only the detail page loads);
 * - server time of an empty pull and of a pull after 100 changed observations on the demo
 *   database (median of repeated in-process calls of the real pull code).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/db/connection';
import { seedDemo } from '../../server/db/demo/seed';
import { FACILITIES } from '../../server/db/demo/city';
import { pull } from '../../server/sync/pull';
import { upsertObservation } from '../../server/entries/observations';
import { rebuildSnapshots } from '../../server/kpis/snapshots';
import { principalForToken, createSession } from '../../server/auth/sessions';
import { SYNC_SCHEMA_VERSION } from '../../src/lib/shared/protocol';
import { ASYL_KPI } from '../../src/lib/kpis/asyl';
import { dimensionKeyOf } from '../../src/lib/kpis/aggregate';
import { shiftPeriod, toIsoDate } from '../../src/lib/shared/periods';

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

function homeRouteJavaScript(): { files: number; raw: number; gzip: number } {
	const manifestFile = '.svelte-kit/output/client/.vite/manifest.json';
	const appFile = '.svelte-kit/generated/client-optimized/app.js';
	if (!existsSync(manifestFile)) throw new Error('Run `npm run build` first.');
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<
		string,
		{ file: string; imports?: string[] }
	>;
	const homeNodes = /"\/": \[([\d,\s]+)\]/
		.exec(readFileSync(appFile, 'utf8'))![1]!
		.split(',')
		.map((n) => n.trim());
	const roots = [
		'node_modules/@sveltejs/kit/src/runtime/client/entry.js',
		'.svelte-kit/generated/client-optimized/app.js',
		'.svelte-kit/generated/client-optimized/nodes/0.js',
		...homeNodes.map((n) => `.svelte-kit/generated/client-optimized/nodes/${n}.js`)
	];
	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key) || !manifest[key]) return;
		seen.add(key);
		manifest[key]!.imports?.forEach(visit);
	};
	roots.forEach(visit);
	let raw = 0;
	let gzip = 0;
	for (const key of seen) {
		const content = readFileSync(join('.svelte-kit/output/client', manifest[key]!.file));
		raw += content.length;
		gzip += gzipSync(content, { level: 9 }).length;
	}
	return { files: seen.size, raw, gzip };
}

async function pullTimes() {
	const dir = mkdtempSync(join(tmpdir(), 'klar-bench-'));
	try {
		const db = openDatabase(join(dir, 'klar.db'));
		await seedDemo(db, new Date());
		const principal = principalForToken(db, createSession(db, 'u-spitze'))!;
		const full = pull(db, principal, {
			schemaVersion: SYNC_SCHEMA_VERSION,
			cursor: null,
			limit: 500
		});
		if (full.kind !== 'changes') throw new Error('full pull failed');
		const fullTime = time(50, () =>
			pull(db, principal, { schemaVersion: SYNC_SCHEMA_VERSION, cursor: null, limit: 500 })
		);
		const emptyTime = time(500, () =>
			pull(db, principal, { schemaVersion: SYNC_SCHEMA_VERSION, cursor: full.cursor })
		);

		// 100 changed observations: corrections of the last days' occupancy across facilities.
		const applyStart = performance.now();
		db.transaction((tx) => {
			let day = toIsoDate(new Date(Date.now() - 86_400_000));
			for (let i = 0; i < 100; i++) {
				const facility = FACILITIES[i % FACILITIES.length]!;
				if (i % FACILITIES.length === 0 && i > 0) day = shiftPeriod(day, -1)!;
				upsertObservation(
					tx as unknown as typeof db,
					{
						kpiId: ASYL_KPI.occupancy,
						period: day,
						dimensionKey: dimensionKeyOf({ facility: facility.id }),
						value: Math.round(facility.capacity * 0.5) + i,
						status: 'provisional',
						sourceKind: 'form',
						sourceRef: `bench-${i}`
					},
					null
				);
			}
			rebuildSnapshots(tx as unknown as typeof db, [ASYL_KPI.occupancy]);
		});
		const applyMs = performance.now() - applyStart;
		let changes = 0;
		let bytes = 0;
		const changedTime = time(200, () => {
			const response = pull(db, principal, {
				schemaVersion: SYNC_SCHEMA_VERSION,
				cursor: full.cursor
			});
			if (response.kind !== 'changes') throw new Error('pull failed');
			changes = response.changes.length;
			bytes = JSON.stringify(response).length;
		});
		db.$client.close();
		return {
			fullTime,
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

const js = homeRouteJavaScript();
const pulls = await pullTimes();
const ms = (v: number) => `${v.toFixed(2)} ms`;
console.log('KLAR benchmarks');
console.log(
	`home route JavaScript: ${js.files} files, ${(js.raw / 1024).toFixed(1)} KiB raw, ${(js.gzip / 1024).toFixed(1)} KiB gzip`
);
console.log(
	`full pull (${pulls.fullChanges} changes): median ${ms(pulls.fullTime.median)}, p95 ${ms(pulls.fullTime.p95)}`
);
console.log(`empty pull: median ${ms(pulls.emptyTime.median)}, p95 ${ms(pulls.emptyTime.p95)}`);
console.log(`applying 100 changed observations + snapshot rebuild: ${ms(pulls.applyMs)}`);
console.log(
	`pull after 100 changed observations (${pulls.changes} changed snapshots, ${(pulls.bytes / 1024).toFixed(1)} KiB JSON): median ${ms(pulls.changedTime.median)}, p95 ${ms(pulls.changedTime.p95)}`
);
