import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { upsertObservation } from '#server/entries/observations';
import { ensureDisclosedSnapshots, rebuildSnapshots } from '#server/kpis/snapshots';
import { dimensionKeyOf } from '#server/kpis/aggregate';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { BILDUNG_KPI } from '#server/db/demo/ids/bildung';
import type { KpiSnapshot } from '#shared/kpi';
import { PullResponseV1 } from '#shared/protocol';
import {
	copyDatabase,
	count,
	LAST_DATA_DAY,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	V,
	type Session,
	SEED_NOW
} from './helpers';

const WAITING = BILDUNG_KPI.languageCourseWaitingList;

let seeded: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});

afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

type Changes = Extract<PullResponseV1, { kind: 'changes' }>;

async function pull(session: Session, cursor: string | null = null): Promise<Changes> {
	const response = await session.caller.sync.pull({ schemaVersion: V, cursor, limit: 500 });
	PullResponseV1.parse(response);
	if (response.kind !== 'changes') throw new Error(`expected changes, got ${response.kind}`);
	return response;
}

function snapshotIn(changes: Changes, id: string): KpiSnapshot | undefined {
	const change = changes.changes.find((c) => c.entity === 'snapshot.v2' && c.id === id);
	return change?.op === 'put' && change.entity === 'snapshot.v2' ? change.data : undefined;
}

const rowsOf = (s: KpiSnapshot) => Object.fromEntries(s.breakdown.map((r) => [r.key, r.value]));

/** Every number anywhere in a JSON value. */
function numbersIn(value: unknown): number[] {
	if (typeof value === 'number') return [value];
	if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
	return [];
}

function write(db: KlarDatabase, kpiId: string, period: string, members: Record<string, number>) {
	db.transaction((tx) => {
		for (const [dimension, value] of Object.entries(members)) {
			const [name, member] = dimension.split('=') as [string, string];
			upsertObservation(
				tx,
				{
					kpiId,
					period,
					dimensionKey: dimensionKeyOf({ [name]: member }),
					value,
					status: 'final',
					sourceKind: 'form',
					sourceRef: 'test'
				},
				null,
				SEED_NOW
			);
		}
		rebuildSnapshots(tx, [kpiId], SEED_NOW);
	});
}

/** The waiting list with exactly these two months, so every figure of it is known. */
function waitingListOf(db: KlarDatabase) {
	db.$client.prepare('DELETE FROM observations WHERE kpi_id = ?').run(WAITING);
	write(db, WAITING, '2026-10', {
		'level=A1': 150,
		'level=A2': 60,
		'level=B1': 170,
		'level=B2': 30,
		'level=C1': 4
	});
	write(db, WAITING, '2026-11', {
		'level=A1': 160,
		'level=A2': 70,
		'level=B1': 175,
		'level=B2': 35,
		'level=C1': 2
	});
}

describe('small counts in sync.pull', () => {
	let db: KlarDatabase;
	let rat: Session;
	let spitze: Session;
	let vhs: Session;
	let erfassung: Session;

	beforeAll(async () => {
		db = copyDatabase(seeded);
		waitingListOf(db);
		rat = await loginAs(db, 'rat');
		spitze = await loginAs(db, 'spitze');
		vhs = await loginAs(db, 'vhs');
		erfassung = await loginAs(db, 'erfassung');
	});

	test('a councillor gets the C1 waiting list of 2 as null with marks, and B2 withheld beside it', async () => {
		const changes = await pull(rat);
		const waiting = snapshotIn(changes, WAITING)!;
		// 2 is below 3; with the total of 442 shown, B2 (35, the next smallest) goes too, or
		// 442 − 160 − 70 − 175 − 35 would give the 2 back.
		expect(rowsOf(waiting)).toEqual({ A1: 160, A2: 70, B1: 175, B2: null, C1: null });
		expect(waiting.value).toBe(442);
		expect(waiting.previousValue).toBe(414);
		expect(waiting.change).toBe(28);
		expect(waiting.suppressed).toEqual({
			value: false,
			previousValue: false,
			periods: [],
			members: ['B2', 'C1'],
			minCount: 3
		});
		// Neither withheld figure is anywhere in what the councillor receives of this KPI.
		const sent = JSON.stringify(waiting);
		expect(numbersIn(waiting)).not.toContain(2);
		expect(numbersIn(waiting)).not.toContain(35);
		expect(sent).not.toMatch(/"value":(2|35)[,}]/);
	});

	test('the executive and the area’s own editor get the raw figures; another area’s editor does not', async () => {
		for (const session of [spitze, vhs]) {
			const waiting = snapshotIn(await pull(session), WAITING)!;
			expect(rowsOf(waiting)).toEqual({ A1: 160, A2: 70, B1: 175, B2: 35, C1: 2 });
			expect(waiting.suppressed).toBeUndefined();
		}
		const other = snapshotIn(await pull(erfassung), WAITING)!;
		expect(rowsOf(other)).toMatchObject({ B2: null, C1: null });
	});

	test('a change hidden from the councillor makes no traffic for them; a shown one does', async () => {
		const ratCursor = (await pull(rat)).cursor;
		const spitzeCursor = (await pull(spitze)).cursor;
		// C1 from 2 to 1 and B2 up by one: the total stays 442, the councillor's view is the same.
		write(db, WAITING, '2026-11', { 'level=C1': 1, 'level=B2': 36 });
		expect(snapshotIn(await pull(rat, ratCursor), WAITING)).toBeUndefined();
		expect(rowsOf(snapshotIn(await pull(spitze, spitzeCursor), WAITING)!)).toMatchObject({
			B2: 36,
			C1: 1
		});
		// C1 back to 2 while A1 grows: the total changes, so the councillor is told.
		write(db, WAITING, '2026-11', { 'level=C1': 2, 'level=A1': 170 });
		const next = snapshotIn(await pull(rat, ratCursor), WAITING)!;
		expect(next.value).toBe(453);
		expect(rowsOf(next)).toMatchObject({ A1: 170, B2: null, C1: null });
	});
});

describe('a small facility: secondary suppression and the derived utilisation', () => {
	let db: KlarDatabase;
	let rat: Session;
	let spitze: Session;

	beforeAll(async () => {
		db = copyDatabase(seeded);
		write(db, ASYL_KPI.occupancy, LAST_DATA_DAY, { 'facility=gu-hohenecker': 2 });
		rebuildSnapshots(db, [ASYL_KPI.occupancy], SEED_NOW);
		rat = await loginAs(db, 'rat');
		spitze = await loginAs(db, 'spitze');
	});

	test('the councillor sees neither the 2 nor the next smallest facility; the total stays', async () => {
		const raw = snapshotIn(await pull(spitze), ASYL_KPI.occupancy)!;
		const shown = snapshotIn(await pull(rat), ASYL_KPI.occupancy)!;
		expect(rowsOf(raw)['gu-hohenecker']).toBe(2);
		const nextSmallest = raw.breakdown
			.filter((r) => r.key !== 'gu-hohenecker' && r.value! > 0)
			.sort((a, b) => a.value! - b.value!)[0]!;
		expect(shown.suppressed?.members.sort()).toEqual(['gu-hohenecker', nextSmallest.key].sort());
		expect(rowsOf(shown)['gu-hohenecker']).toBeNull();
		expect(rowsOf(shown)[nextSmallest.key]).toBeNull();
		expect(shown.value).toBe(raw.value);
		// What is shown cannot be subtracted down to either hidden facility.
		const shownSum = shown.breakdown.reduce((s, r) => s + (r.value ?? 0), 0);
		expect(shown.value! - shownSum).toBe(2 + nextSmallest.value!);
	});

	test('the utilisation of both facilities is withheld, their capacity is not', async () => {
		const raw = snapshotIn(await pull(spitze), ASYL_KPI.utilisation)!;
		const shown = snapshotIn(await pull(rat), ASYL_KPI.utilisation)!;
		const hidden = snapshotIn(await pull(rat), ASYL_KPI.occupancy)!.suppressed!.members;
		for (const row of shown.breakdown) {
			const rawRow = raw.breakdown.find((r) => r.key === row.key)!;
			expect(row.value, row.key).toBe(hidden.includes(row.key) ? null : rawRow.value);
			expect(row.reference, row.key).toBe(rawRow.reference);
		}
		expect(shown.suppressed?.members.sort()).toEqual([...hidden].sort());
		expect(shown.value).toBe(raw.value);
	});

	test('a small total of all facilities withholds the utilisation of that day too', async () => {
		const copy = copyDatabase(db);
		const facilities = (
			copy.$client
				.prepare(
					`SELECT DISTINCT dimension_key AS k FROM observations WHERE kpi_id = ? AND dimension_key <> ''`
				)
				.all(ASYL_KPI.occupancy) as { k: string }[]
		).map((r) => r.k);
		const members = Object.fromEntries(
			facilities.map((k, i) => [k, i === 0 ? 1 : 0] as [string, number])
		);
		write(copy, ASYL_KPI.occupancy, LAST_DATA_DAY, members);
		const councillor = await loginAs(copy, 'rat');
		const changes = await pull(councillor);
		const occupancy = snapshotIn(changes, ASYL_KPI.occupancy)!;
		const utilisation = snapshotIn(changes, ASYL_KPI.utilisation)!;
		expect(occupancy.value).toBeNull();
		expect(occupancy.status).toBe('none');
		expect(utilisation.period).toBe(LAST_DATA_DAY);
		expect(utilisation.value).toBeNull();
		expect(utilisation.change).toBeNull();
		expect(utilisation.status).toBe('none');
		expect(utilisation.series.values.at(-1)).toBeNull();
		expect(utilisation.suppressed).toMatchObject({ value: true, minCount: 3 });
		copy.$client.close();
	});
});

describe('a database from before the disclosed column', () => {
	test('the pull never falls back to the raw figures, and the backfill stores what is missing', async () => {
		const db = copyDatabase(seeded);
		waitingListOf(db);
		const rat = await loginAs(db, 'rat');
		const before = await pull(rat);
		// As after migration 0003: the column exists, nothing is in it.
		db.$client.prepare('UPDATE snapshots SET disclosed_payload = NULL').run();

		const full = snapshotIn(await pull(rat), WAITING)!;
		expect(rowsOf(full)).toMatchObject({ B2: null, C1: null });
		expect(full.suppressed?.members).toEqual(['B2', 'C1']);

		const changeLogBefore = count(db, 'change_log');
		const written = ensureDisclosedSnapshots(db, SEED_NOW);
		expect(written).toContain(WAITING);
		expect(count(db, 'change_log')).toBe(changeLogBefore + written.length);
		expect(count(db, 'snapshots', 'disclosed_payload IS NOT NULL')).toBe(written.length);
		// Devices that hold a view from before are told again; the view is the disclosed one.
		const again = snapshotIn(await pull(rat, before.cursor), WAITING)!;
		expect(again).toEqual(full);
		// Nothing is missing any more: a second run writes nothing.
		expect(ensureDisclosedSnapshots(db, SEED_NOW)).toEqual([]);
		expect(count(db, 'change_log')).toBe(changeLogBefore + written.length);
		db.$client.close();
	});

	test('after the backfill the pull serves the stored views: the same snapshots as computed on the spot', async () => {
		const db = copyDatabase(seeded);
		waitingListOf(db);
		const rat = await loginAs(db, 'rat');
		// Not yet backfilled: every view without a stored payload is computed during the pull.
		const computed = await pull(rat);
		ensureDisclosedSnapshots(db, SEED_NOW);
		// Backfilled: an empty payload now means "nothing hidden" and the released view serves.
		const served = await pull(rat);
		const snapshotsOf = (changes: Changes) =>
			changes.changes.filter((c) => c.entity === 'snapshot.v2').map((c) => [c.id, c] as const);
		expect(new Map(snapshotsOf(served))).toEqual(new Map(snapshotsOf(computed)));
		expect(snapshotIn(served, WAITING)?.suppressed?.members).toEqual(['B2', 'C1']);
		db.$client.close();
	});

	test('the seeded demo stores a disclosed view exactly where the rule hides something', () => {
		const rows = seeded.$client
			.prepare('SELECT kpi_id AS id, disclosed_payload AS d FROM snapshots')
			.all() as { id: string; d: string | null }[];
		const disclosed = rows.filter((r) => r.d !== null).map((r) => r.id);
		expect(disclosed).toContain(WAITING);
		for (const r of rows.filter((r) => r.d !== null)) {
			expect((JSON.parse(r.d!) as KpiSnapshot).suppressed, r.id).toBeDefined();
		}
		// Rebuilding the seeded demo changes nothing (no traffic without a change).
		const copy = copyDatabase(seeded);
		expect(rebuildSnapshots(copy, 'all', SEED_NOW)).toEqual([]);
		expect(ensureDisclosedSnapshots(copy, SEED_NOW)).toEqual([]);
		copy.$client.close();
	});
});
