/**
 * Other people's pulls while an admin uploads a 20 MB delivery, on the built server (`npm start`
 * behind serve.js, loopback): four phones each send an empty pull every 50 ms, first for a few
 * seconds without the upload (the baseline, same run), then during the upload until its
 * answer arrives. Goal: pulls answered within 200 ms (p99) during the upload.
 */
import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '#server/db/connection';
import { kpiDefinitions } from '#server/db/schema';
import { toRow } from '#server/kpis/catalogue';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { parseDefinition, registerFeed } from '#server/feeds/definitions';
import { recordChange } from '#server/sync/change-log';
import { SYNC_SCHEMA_VERSION } from '#shared/protocol';
import { AppServer } from '../e2e/support/server';
import { apiSessionOf } from '../e2e/support/api';
import { BENCH_DEFINITION, BENCH_KPI, writeFile } from './feed-ingest';

const PHONES = 4;
const INTERVAL_MS = 50;
const BASELINE_MS = 3000;
/** Rows of about 28 bytes: just under the 20 MiB upload limit. */
const ROWS = 780_000;

export interface Latencies {
	count: number;
	p50: number;
	p95: number;
	p99: number;
	max: number;
}

function summarise(samples: number[]): Latencies {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
	return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)! };
}

export async function uploadResponsiveness() {
	const server = await AppServer.startSeeded();
	const dir = mkdtempSync(join(tmpdir(), 'klar-bench-upload-'));
	try {
		await server.stop();
		const db = openDatabase(server.dbFile);
		const base = demoCatalogue().kpis.find((d) => d.dimensions.length === 0)!;
		const now = new Date();
		db.insert(kpiDefinitions)
			.values(
				toRow(
					{
						...base,
						id: BENCH_KPI,
						title: 'Messwerte',
						cadence: 'daily',
						dimensions: ['sensor'],
						formula: { kind: 'stock' }
					},
					now
				)
			)
			.run();
		recordChange(
			db,
			{
				entity: 'kpi.v2',
				id: BENCH_KPI,
				op: 'put',
				areaId: base.areaId,
				visibility: base.visibility
			},
			now
		);
		registerFeed(db, parseDefinition(BENCH_DEFINITION), null, now);
		db.$client.close();
		await server.start();

		const file = join(dir, 'messwerte.csv');
		writeFile(file, ROWS);
		const bytes = statSync(file).size;

		const admin = await apiSessionOf(server, 'admin');
		const phones = await Promise.all(
			Array.from({ length: PHONES }, () => apiSessionOf(server, 'spitze'))
		);
		const pullUrl = (cursor: string | null) =>
			`${server.url}/api/trpc/sync.pull?input=${encodeURIComponent(
				JSON.stringify({ schemaVersion: SYNC_SCHEMA_VERSION, cursor, limit: 500 })
			)}`;
		const cursors: string[] = [];
		for (const phone of phones) {
			let cursor: string | null = null;
			for (;;) {
				const body = (await (
					await fetch(pullUrl(cursor), { headers: { cookie: phone.cookie } })
				).json()) as {
					result: { data: { cursor: string; hasMore: boolean } };
				};
				cursor = body.result.data.cursor;
				if (!body.result.data.hasMore) break;
			}
			cursors.push(cursor!);
		}

		let phase = 'baseline' as 'baseline' | 'upload' | 'done';
		// Read through a function: the phase changes while a pull is on its way.
		const current = () => phase;
		const samples = { baseline: [] as number[], upload: [] as number[] };
		const pulling = phones.map(async (phone, i) => {
			// Staggered, as phones are.
			await new Promise((resolve) => setTimeout(resolve, (INTERVAL_MS / PHONES) * i));
			while (current() !== 'done') {
				const started = performance.now();
				const response = await fetch(pullUrl(cursors[i]!), { headers: { cookie: phone.cookie } });
				await response.arrayBuffer();
				if (!response.ok) throw new Error(`pull failed: ${response.status}`);
				const now = current();
				if (now !== 'done') samples[now].push(performance.now() - started);
				await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
			}
		});
		await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
		phase = 'upload';
		const uploadStarted = performance.now();
		const answer = await fetch(
			`${server.url}/api/feeds/upload?feed=${BENCH_DEFINITION.id}&mode=import`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/octet-stream',
					'content-length': String(bytes),
					origin: server.url,
					cookie: admin.cookie
				},
				body: fileStream(file),
				duplex: 'half'
			} as RequestInit
		);
		const report = (await answer.json()) as { status: string; rowsRead: number; summary: string };
		const uploadMs = performance.now() - uploadStarted;
		phase = 'done';
		await Promise.all(pulling);
		if (report.status !== 'succeeded') throw new Error(`upload failed: ${report.summary}`);
		return {
			bytes,
			rows: report.rowsRead,
			uploadMs,
			baseline: summarise(samples.baseline),
			during: summarise(samples.upload)
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
		await server.dispose();
	}
}

function fileStream(path: string): ReadableStream<Uint8Array> {
	const fd = openSync(path, 'r');
	return new ReadableStream({
		pull(controller) {
			const buffer = new Uint8Array(256 * 1024);
			const n = readSync(fd, buffer);
			if (n === 0) {
				closeSync(fd);
				controller.close();
			} else controller.enqueue(buffer.subarray(0, n));
		}
	});
}

export function describeUploadResponsiveness(
	result: Awaited<ReturnType<typeof uploadResponsiveness>>
) {
	const line = (l: Latencies) =>
		`p50 ${l.p50.toFixed(1)} ms, p95 ${l.p95.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (${l.count} pulls)`;
	return [
		`empty pulls of ${PHONES} phones every ${INTERVAL_MS} ms, built server on loopback:`,
		`  without an upload: ${line(result.baseline)}`,
		`  during a ${(result.bytes / 1e6).toFixed(1)} MB upload (${result.rows.toLocaleString('de-DE')} rows, answered after ${(result.uploadMs / 1000).toFixed(1)} s): ${line(result.during)} (goal: p99 ≤ 200 ms)`
	];
}

if (import.meta.url === `file://${process.argv[1]}`) {
	for (const line of describeUploadResponsiveness(await uploadResponsiveness())) console.log(line);
}
