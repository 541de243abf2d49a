import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { BILDUNG_KPI } from '#server/db/demo/ids/bildung';
import { FINANZEN_KPI } from '#server/db/demo/ids/finanzen';
import { INFRASTRUKTUR_KPI } from '#server/db/demo/ids/infrastruktur';
import type { KpiSnapshot } from '#shared/kpi';
import {
	PullResponseV1,
	type ChangeV1,
	type EntryV1,
	type OutboxEntryV1,
	type PushResultV1
} from '#shared/protocol';
import {
	sessionForToken,
	copyDatabase,
	count,
	LAST_DATA_DAY,
	loginAs,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	SEED_DAY,
	trpcError,
	userMessageOf,
	V,
	type Session
} from './helpers';

/**
 * Four-eyes release: entries wait until a lead of their area who is not their author releases
 * them; until then only internal readers see them, marked provisional.
 */
let template: KlarDatabase;
const opened: KlarDatabase[] = [];
const tokens = new Map<string, string>();
const USERS = [
	'erfassung',
	'leitung',
	'rat',
	'spitze',
	'admin',
	'vhs',
	'leitung-bildung',
	'licht',
	'leitung-tiefbau',
	'kaemmerei',
	'leitung-finanzen'
];

beforeAll(async () => {
	({ db: template } = await openSeededDatabase());
	for (const username of USERS) tokens.set(username, (await loginAs(template, username)).token);
});

afterEach(() => {
	for (const db of opened.splice(0)) db.$client.close();
});

afterAll(() => {
	template.$client.close();
	removeTempDirs();
});

function ownDatabase(): KlarDatabase {
	const db = copyDatabase(template);
	opened.push(db);
	return db;
}

function as(db: KlarDatabase, username: string): Session {
	return sessionForToken(db, tokens.get(username)!);
}

async function push(session: Session, entries: OutboxEntryV1[]): Promise<PushResultV1[]> {
	const response = await session.caller.sync.push({ schemaVersion: V, entries });
	if (response.kind !== 'results') throw new Error(`expected results, got ${response.kind}`);
	return response.results;
}

async function pushOne(session: Session, entry: OutboxEntryV1): Promise<PushResultV1> {
	return (await push(session, [entry]))[0]!;
}

function entryOf(
	session: Session,
	formId: string,
	payload: Record<string, unknown>,
	recordId?: string
): OutboxEntryV1 {
	return {
		id: randomUUID(),
		formId,
		authorId: session.ctx.principal!.id,
		createdAt: new Date().toISOString(),
		payload,
		...(recordId ? { recordId } : {})
	};
}

async function fullPull(session: Session): Promise<ChangeV1[]> {
	const changes: ChangeV1[] = [];
	let cursor: string | null = null;
	for (;;) {
		const response = PullResponseV1.parse(
			await session.caller.sync.pull({ schemaVersion: V, cursor, limit: 500 })
		);
		if (response.kind !== 'changes') throw new Error(response.kind);
		changes.push(...response.changes);
		if (!response.hasMore) return changes;
		cursor = response.cursor;
	}
}

async function snapshotFor(session: Session, kpiId: string): Promise<KpiSnapshot> {
	const change = (await fullPull(session)).find(
		(c) => c.entity === 'snapshot.v2' && c.id === kpiId
	);
	if (change?.op !== 'put' || change.entity !== 'snapshot.v2') throw new Error(`no ${kpiId}`);
	return change.data;
}

async function entriesFor(session: Session): Promise<EntryV1[]> {
	return (await fullPull(session)).flatMap((c) =>
		c.op === 'put' && c.entity === 'entry.v1' ? [c.data] : []
	);
}

function observationValue(db: KlarDatabase, kpiId: string, period: string, dimensionKey: string) {
	const row = db.$client
		.prepare('SELECT value FROM observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?')
		.get(kpiId, period, dimensionKey) as { value: number } | undefined;
	return row?.value;
}

const hohenecker = (snapshot: KpiSnapshot) =>
	snapshot.breakdown.find((r) => r.key === 'gu-hohenecker')?.value;

function tables(db: KlarDatabase) {
	return {
		observations: count(db, 'observations'),
		formEntries: count(db, 'form_entries'),
		states: db.$client.prepare('SELECT id, state FROM form_entries ORDER BY id').all() as {
			id: string;
			state: string;
		}[],
		preview: count(db, 'preview_observations'),
		audit: count(db, 'audit_log'),
		changeLog: count(db, 'change_log')
	};
}

describe('four-eyes release', () => {
	test('an entry reaches the council only after a lead who is not its author released it', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		const councillor = as(db, 'rat');
		const before = hohenecker(await snapshotFor(councillor, ASYL_KPI.occupancy))!;
		const entry = occupancyEntry('u-erfassung', { occupied: before + 7, capacity: 240 });
		expect(await pushOne(editor, entry)).toEqual({ id: entry.id, result: 'applied' });

		// Internal readers (the editor, the mayor) see it, marked provisional; the council does not.
		for (const reader of [editor, as(db, 'spitze')]) {
			const internal = await snapshotFor(reader, ASYL_KPI.occupancy);
			expect(hohenecker(internal)).toBe(before + 7);
			expect(internal.provisionalPeriods).toEqual([LAST_DATA_DAY]);
		}
		const councilView = await snapshotFor(councillor, ASYL_KPI.occupancy);
		expect(hohenecker(councilView)).toBe(before);
		expect(councilView.provisionalPeriods).toBeUndefined();

		const result = await as(db, 'leitung').caller.entries.release({ entryId: entry.id });
		// The capacity was the same as before: only the occupancy changed.
		expect(result.changedKpis).toEqual([ASYL_KPI.occupancy]);
		expect(hohenecker(await snapshotFor(councillor, ASYL_KPI.occupancy))).toBe(before + 7);
		const released = await snapshotFor(editor, ASYL_KPI.occupancy);
		expect(released.provisionalPeriods).toBeUndefined();
		expect(count(db, 'preview_observations')).toBe(0);

		const [synced] = (await entriesFor(editor)).filter((e) => e.id === entry.id);
		expect(synced).toMatchObject({
			state: 'released',
			authorName: 'Sachbearbeitung Unterbringung (Demo)',
			reviewerName: 'Leitung Unterbringung (Demo)',
			version: 1,
			recordId: entry.id
		});
	});

	test('an author cannot release their own entry, and nothing changes', async () => {
		const db = ownDatabase();
		const lead = as(db, 'leitung');
		const entry = occupancyEntry('u-leitung', { occupied: 201, capacity: 240 });
		await pushOne(lead, entry);
		const before = tables(db);
		const error = await trpcError(lead.caller.entries.release({ entryId: entry.id }), 'FORBIDDEN');
		expect(userMessageOf(error)).toBe(
			'Eigene Einträge kann nur eine andere Person freigeben (Vier-Augen-Prinzip).'
		);
		expect(error.message).toMatch(/four-eyes/);
		await trpcError(
			lead.caller.entries.reject({ entryId: entry.id, note: 'selbst abgelehnt' }),
			'FORBIDDEN'
		);
		expect(tables(db)).toEqual(before);
	});

	test.each([
		['erfassung', 'an editor of the area'],
		['leitung-bildung', 'a lead of another area'],
		['rat', 'a councillor'],
		['spitze', 'the mayor'],
		['admin', 'central controlling']
	])('%s (%s) cannot release or reject', async (username) => {
		const db = ownDatabase();
		const entry = occupancyEntry('u-leitung', { occupied: 202, capacity: 240 });
		await pushOne(as(db, 'leitung'), entry);
		const before = tables(db);
		const someone = as(db, username);
		const error = await trpcError(
			someone.caller.entries.release({ entryId: entry.id }),
			'FORBIDDEN'
		);
		expect(userMessageOf(error)).toMatch(/Fachbereichsleitung|Vier-Augen/);
		await trpcError(
			someone.caller.entries.reject({ entryId: entry.id, note: 'passt nicht' }),
			'FORBIDDEN'
		);
		expect(tables(db)).toEqual(before);
	});

	test('a rejection needs a reason; it takes the value back out of the internal view', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		const lead = as(db, 'leitung');
		const seeded = hohenecker(await snapshotFor(editor, ASYL_KPI.occupancy));
		const entry = occupancyEntry('u-erfassung', { occupied: 17, capacity: 240 });
		await pushOne(editor, entry);
		expect(hohenecker(await snapshotFor(editor, ASYL_KPI.occupancy))).toBe(17);

		const noReason = await trpcError(
			lead.caller.entries.reject({ entryId: entry.id }),
			'BAD_REQUEST'
		);
		expect(userMessageOf(noReason)).toMatch(/begründen/);
		await lead.caller.entries.reject({ entryId: entry.id, note: 'Zahl vertauscht? Bitte prüfen.' });

		expect(hohenecker(await snapshotFor(editor, ASYL_KPI.occupancy))).toBe(seeded);
		const [synced] = (await entriesFor(editor)).filter((e) => e.id === entry.id);
		expect(synced).toMatchObject({
			state: 'rejected',
			reviewNote: 'Zahl vertauscht? Bitte prüfen.'
		});
		// Decided is decided.
		const again = await trpcError(lead.caller.entries.release({ entryId: entry.id }), 'CONFLICT');
		expect(userMessageOf(again)).toBe('Über diesen Eintrag wurde schon entschieden.');
		await trpcError(lead.caller.entries.release({ entryId: 'gibt-es-nicht' }), 'NOT_FOUND');
	});
});

describe('corrections are new versions', () => {
	test('the council keeps the released value until the correction is released; the history stays', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		const lead = as(db, 'leitung');
		const councillor = as(db, 'rat');
		const first = occupancyEntry('u-erfassung', { occupied: 210, capacity: 240 });
		await pushOne(editor, first);
		await lead.caller.entries.release({ entryId: first.id });

		const second = entryOf(
			editor,
			'asyl.belegung.v1',
			{ ...(first.payload as object), occupied: 212 },
			first.id
		);
		expect(await pushOne(editor, second)).toEqual({ id: second.id, result: 'applied' });
		const third = entryOf(
			editor,
			'asyl.belegung.v1',
			{ ...(first.payload as object), occupied: 213 },
			first.id
		);
		await pushOne(editor, third);
		expect(hohenecker(await snapshotFor(councillor, ASYL_KPI.occupancy))).toBe(210);
		expect(hohenecker(await snapshotFor(editor, ASYL_KPI.occupancy))).toBe(213);

		// The second version was replaced before anyone released it.
		await trpcError(lead.caller.entries.release({ entryId: second.id }), 'CONFLICT');
		await lead.caller.entries.release({ entryId: third.id });
		expect(hohenecker(await snapshotFor(councillor, ASYL_KPI.occupancy))).toBe(213);

		const history = (await entriesFor(editor))
			.filter((e) => e.recordId === first.id)
			.sort((a, b) => a.version - b.version)
			.map((e) => [e.version, e.state, (e.payload as { occupied: number }).occupied]);
		expect(history).toEqual([
			[1, 'superseded', 210],
			[2, 'superseded', 212],
			[3, 'released', 213]
		]);
		const audit = db.$client
			.prepare(
				`SELECT action, old_value AS oldValue, new_value AS newValue FROM audit_log
				 WHERE entity = 'form_entry' AND entity_id = ? ORDER BY id`
			)
			.all(first.id) as { action: string; oldValue: string | null; newValue: string }[];
		expect(audit.map((a) => a.action)).toEqual([
			'entry.create',
			'entry.release',
			'entry.correct',
			'entry.correct',
			'entry.release'
		]);
		expect(JSON.parse(audit[2]!.oldValue!)).toMatchObject({
			version: 1,
			payload: { occupied: 210 }
		});
		expect(JSON.parse(audit[2]!.newValue)).toMatchObject({
			version: 2,
			payload: { occupied: 212 }
		});
	});

	test('a second record for the same facility and day is refused: correct the first', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		await pushOne(editor, occupancyEntry('u-erfassung', { occupied: 200, capacity: 240 }));
		const before = tables(db);
		const clash = await pushOne(
			editor,
			occupancyEntry('u-erfassung', { occupied: 205, capacity: 240 })
		);
		expect(clash).toMatchObject({ result: 'rejected', reason: { code: 'conflict' } });
		expect(clash.result === 'rejected' && clash.reason.message).toMatch(/korrigieren/);
		expect({ ...tables(db), audit: 0 }).toEqual({ ...before, audit: 0 });
	});

	test('a correction of a record that does not exist, or of another form, is refused', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		const stray = entryOf(
			editor,
			'asyl.belegung.v1',
			occupancyEntry('u-erfassung').payload as never,
			randomUUID()
		);
		expect(await pushOne(editor, stray)).toMatchObject({
			result: 'rejected',
			reason: { code: 'unknown_reference' }
		});
	});
});

describe('who may write what', () => {
	test('an editor of another area cannot write; a councillor cannot write at all', async () => {
		const db = ownDatabase();
		const before = tables(db);
		const vhs = as(db, 'vhs');
		const rat = as(db, 'rat');
		const arrivals = { week: '2026-W46', originGroup: 'syr', persons: 9, minors: 3 };
		for (const [session, formId, payload] of [
			[vhs, 'asyl.belegung.v1', occupancyEntry('u-vhs').payload],
			[vhs, 'asyl.zugaenge.v1', arrivals],
			[rat, 'asyl.zugaenge.v1', arrivals],
			[rat, 'kpi.wert.v1', { kpiId: FINANZEN_KPI.resultForecast, period: '2026-10', value: 1 }],
			[
				as(db, 'erfassung'),
				'kpi.wert.v1',
				{ kpiId: FINANZEN_KPI.resultForecast, period: '2026-10', value: 1 }
			]
		] as const) {
			const result = await pushOne(session, entryOf(session, formId, payload as never));
			expect(result, `${session.ctx.principal!.username} ${formId}`).toMatchObject({
				result: 'rejected',
				reason: { code: 'forbidden' }
			});
		}
		expect({ ...tables(db), audit: 0 }).toEqual({ ...before, audit: 0 });
	});
});

describe('what each form writes, once released', () => {
	test('weekly arrivals: persons and minors by origin group', async () => {
		const db = ownDatabase();
		const editor = as(db, 'erfassung');
		const entry = entryOf(editor, 'asyl.zugaenge.v1', {
			week: '2026-W47',
			originGroup: 'afg',
			persons: 11,
			minors: 4
		});
		await pushOne(editor, entry);
		expect(observationValue(db, ASYL_KPI.arrivals, '2026-W47', 'origin=afg')).toBeUndefined();
		await as(db, 'leitung').caller.entries.release({ entryId: entry.id });
		expect(observationValue(db, ASYL_KPI.arrivals, '2026-W47', 'origin=afg')).toBe(11);
		expect(observationValue(db, ASYL_KPI.arrivalMinors, '2026-W47', 'origin=afg')).toBe(4);
	});

	test('course offers add their places and waiting list to the month they start, by level', async () => {
		const db = ownDatabase();
		const vhs = as(db, 'vhs');
		const month = '2026-11';
		// The month has no value of its own yet (the demo's months are complete ones): the offers start it.
		const base = observationValue(db, BILDUNG_KPI.languageCoursePlaces, month, 'level=B1') ?? 0;
		const waitingBase =
			observationValue(db, BILDUNG_KPI.languageCourseWaitingList, month, 'level=B1') ?? 0;
		const offer = {
			providerId: 'vhs',
			courseType: 'integration',
			level: 'B1',
			places: 20,
			taken: 18,
			waitingList: 6,
			start: '2026-11-16',
			districtId: 'innenstadt-ost'
		};
		const first = entryOf(vhs, 'bildung.sprachkurs.v1', offer);
		const second = entryOf(vhs, 'bildung.sprachkurs.v1', {
			...offer,
			providerId: 'awo',
			places: 15,
			taken: 9,
			waitingList: 0
		});
		expect(await push(vhs, [first, second])).toEqual([
			{ id: first.id, result: 'applied' },
			{ id: second.id, result: 'applied' }
		]);
		const lead = as(db, 'leitung-bildung');
		await lead.caller.entries.release({ entryId: first.id });
		await lead.caller.entries.release({ entryId: second.id });
		expect(observationValue(db, BILDUNG_KPI.languageCoursePlaces, month, 'level=B1')).toBe(
			base + 35
		);
		expect(observationValue(db, BILDUNG_KPI.languageCourseWaitingList, month, 'level=B1')).toBe(
			waitingBase + 6
		);
		// Moving a course to December gives November back its places.
		const moved = entryOf(
			vhs,
			'bildung.sprachkurs.v1',
			{ ...offer, start: '2026-12-07' },
			first.id
		);
		await pushOne(vhs, moved);
		await lead.caller.entries.release({ entryId: moved.id });
		expect(observationValue(db, BILDUNG_KPI.languageCoursePlaces, month, 'level=B1')).toBe(
			base + 15
		);
		expect(observationValue(db, BILDUNG_KPI.languageCoursePlaces, '2026-12', 'level=B1')).toBe(20);
	});

	test('a street-light fault counts as open in its district until the day it was fixed', async () => {
		const db = ownDatabase();
		const licht = as(db, 'licht');
		const days = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21'];
		const key = 'district=erlenbach';
		const base = days.map((d) => observationValue(db, INFRASTRUKTUR_KPI.openFaults, d, key) ?? 0);
		const fault = entryOf(licht, 'infrastruktur.stoerung.v1', {
			lightNumber: 'L-4711',
			districtId: 'erlenbach',
			reported: '2026-11-19',
			cause: 'cable'
		});
		// Entered "today" – the cells run up to the server's day.
		const response = await licht.caller.sync.push({ schemaVersion: V, entries: [fault] });
		expect(response.kind).toBe('results');
		await as(db, 'leitung-tiefbau').caller.entries.release({ entryId: fault.id });
		const open = days.map((d) => observationValue(db, INFRASTRUKTUR_KPI.openFaults, d, key) ?? 0);
		expect(open.map((v, i) => v - base[i]!)).toEqual([0, 1, 1, 1]);

		const fixed = entryOf(
			licht,
			'infrastruktur.stoerung.v1',
			{ ...(fault.payload as object), fixed: '2026-11-21' },
			fault.id
		);
		await pushOne(licht, fixed);
		await as(db, 'leitung-tiefbau').caller.entries.release({ entryId: fixed.id });
		const after = days.map((d) => observationValue(db, INFRASTRUKTUR_KPI.openFaults, d, key) ?? 0);
		expect(after.map((v, i) => v - base[i]!)).toEqual([0, 1, 1, 0]);
	});

	test('a value for a KPI: the period must match its cadence; released, it is the KPI’s value', async () => {
		const db = ownDatabase();
		const kaemmerei = as(db, 'kaemmerei');
		const wrong = entryOf(kaemmerei, 'kpi.wert.v1', {
			kpiId: FINANZEN_KPI.resultForecast,
			period: '2026-Q3',
			value: -5_000_000
		});
		const refused = await pushOne(kaemmerei, wrong);
		expect(refused).toMatchObject({
			result: 'rejected',
			reason: { code: 'validation', fieldErrors: { period: expect.stringMatching(/Monat/) } }
		});
		const entry = entryOf(kaemmerei, 'kpi.wert.v1', {
			kpiId: FINANZEN_KPI.resultForecast,
			period: '2026-10',
			value: -5_000_000
		});
		expect(await pushOne(kaemmerei, entry)).toEqual({ id: entry.id, result: 'applied' });
		await as(db, 'leitung-finanzen').caller.entries.release({ entryId: entry.id });
		expect(observationValue(db, FINANZEN_KPI.resultForecast, '2026-10', '')).toBe(-5_000_000);
	});
});

describe('entries travel only to their area’s editors and leads', () => {
	test('the lead of the area gets them for the release list; others do not', async () => {
		const db = ownDatabase();
		const entry = occupancyEntry('u-erfassung', { occupied: 203, capacity: 240 });
		await pushOne(as(db, 'erfassung'), entry);
		expect((await entriesFor(as(db, 'leitung'))).map((e) => e.id)).toEqual([entry.id]);
		for (const username of ['rat', 'spitze', 'admin', 'vhs', 'leitung-bildung']) {
			const changes = await fullPull(as(db, username));
			expect(
				changes.filter((c) => c.entity === 'entry.v1'),
				username
			).toEqual([]);
		}
	});

	test('the demo day is the reference for the tests', () => {
		expect(SEED_DAY.getFullYear()).toBe(2026);
	});
});
