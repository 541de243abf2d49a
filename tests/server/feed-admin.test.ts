import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadableStream } from 'node:stream/web';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { parseDefinition } from '#server/feeds/definitions';
import { runFeed, type RunOptions } from '#server/feeds/runner';
import { receiveUpload } from '#server/feeds/upload';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import type { FeedDefinition } from '#shared/feeds';
import {
	copyDatabase,
	dailyFacilityFeed,
	count,
	LAST_DATA_DAY,
	loginAs,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	tempDir,
	TEST_CLOCK,
	V,
	type Session
} from './helpers';

const FIXTURES = 'tests/fixtures/feeds';
const DEFINITION = readFileSync(join(FIXTURES, 'melderegister.feed.json'), 'utf8');
const CSV = readFileSync(join(FIXTURES, 'melderegister-2026-11.csv'));
const sample = (bytes: Buffer = CSV, fileName = 'melderegister-2026-11.csv') => ({
	fileName,
	base64: bytes.toString('base64')
});
const IMPORT: RunOptions = { mode: 'import', origin: 'cli', userId: null, clock: TEST_CLOCK };

let seeded: KlarDatabase;
beforeAll(async () => {
	seeded = (await openSeededDatabase()).db;
});
afterAll(removeTempDirs);

/** The whole stored state a check must leave alone. */
function state(db: KlarDatabase) {
	return {
		feeds: count(db, 'feeds'),
		versions: count(db, 'feed_definition_versions'),
		runs: count(db, 'feed_runs'),
		observations: db.$client
			.prepare('SELECT count(*) AS n, total(value) AS sum FROM observations')
			.get(),
		audit: count(db, 'audit_log'),
		changeLog: count(db, 'change_log')
	};
}

const observation = (db: KlarDatabase, kpiId: string, period: string, dimensionKey: string) =>
	db.$client
		.prepare(
			'SELECT value, status, source_kind AS sourceKind, source_ref AS sourceRef FROM observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
		)
		.get(kpiId, period, dimensionKey) as
		| { value: number | null; status: string; sourceKind: string; sourceRef: string | null }
		| undefined;

/** The fixture file with one line changed, in its own encoding. */
function changedCsv(from: string, to: string): string {
	const path = join(tempDir(), 'melderegister.csv');
	const text = iconv.decode(CSV, 'windows-1252');
	expect(text).toContain(from);
	writeFileSync(path, iconv.encode(text.replace(from, to), 'windows-1252'));
	return path;
}

describe('a new feed: definition, preview with a sample, save', () => {
	let db: KlarDatabase;
	let admin: Session;
	beforeAll(async () => {
		db = copyDatabase(seeded);
		admin = await loginAs(db, 'admin');
	});

	it('the preview shows the values as they would be stored, and keeps nothing', async () => {
		const before = state(db);
		const preview = await admin.caller.feeds.preview({ definition: DEFINITION, sample: sample() });
		if (!preview.ok) throw new Error(preview.problems.join('\n'));
		expect(preview.report).toMatchObject({
			status: 'succeeded',
			mode: 'validate',
			rowsRead: 7,
			observationsCreated: 5
		});
		expect(preview.report.preview!.slice(0, 2)).toEqual([
			{
				line: 4,
				kpiId: 'bev.einwohner',
				period: '2026-11',
				dimensionKey: 'district=innenstadt-ost',
				value: 6512,
				missing: false
			},
			{
				line: 6,
				kpiId: 'bev.einwohner',
				period: '2026-11',
				dimensionKey: 'district=innenstadt-suedwest',
				value: 5104,
				missing: false
			}
		]);
		// The "-" of the last line: shown as missing, not as a value.
		expect(preview.report.preview!.at(-1)).toMatchObject({ line: 10, missing: true, value: null });
		expect(preview.exists).toBe(false);
		// The demo's own register feed writes the same KPIs: a warning, not a refusal.
		expect(preview.overlaps).toEqual([
			expect.objectContaining({
				feedId: 'einwohnermelderegister',
				kpiIds: expect.arrayContaining(['bev.einwohner'])
			})
		]);
		expect(state(db)).toEqual(before);
	});

	it('problems of the definition come in German, with the line or the field', async () => {
		const broken = await admin.caller.feeds.preview({
			definition: '{\n  "id": "x",\n  "title": \n}',
			sample: sample()
		});
		expect(broken).toEqual({
			ok: false,
			problems: ['Zeile 4, Spalte 1: Die Definition ist kein gültiges JSON.']
		});
		const wrongField = await admin.caller.feeds.preview({
			definition: DEFINITION.replace('"cadence": "monthly"', '"cadence": "monatlich"'),
			sample: sample()
		});
		expect(wrongField.ok).toBe(false);
		expect(!wrongField.ok && wrongField.problems.join('\n')).toMatch(/^cadence: /m);
		// A sample that does not fit: the check's errors, by line.
		const misfit = await admin.caller.feeds.preview({
			definition: DEFINITION,
			sample: sample(readFileSync(join(FIXTURES, 'bad-not-a-number.csv')))
		});
		expect(misfit.ok && misfit.report.status).toBe('failed');
		expect(misfit.ok && misfit.report.errors[0]).toMatchObject({ line: 6, column: 'Anzahl' });
	});

	it('is saved only with a sample that passes; then it is version 1, audited', async () => {
		const before = state(db);
		const refused = await admin.caller.feeds.save({
			definition: DEFINITION,
			sample: sample(readFileSync(join(FIXTURES, 'bad-not-a-number.csv'))),
			intent: 'create'
		});
		expect(refused).toEqual({
			ok: false,
			problems: [
				'Die Beispieldatei passt nicht zur Definition; gespeichert wird erst nach einer fehlerfreien Vorschau.'
			]
		});
		expect(state(db)).toEqual(before);

		const saved = await admin.caller.feeds.save({
			definition: DEFINITION,
			sample: sample(),
			intent: 'create'
		});
		expect(saved).toEqual({ ok: true, feedId: 'melderegister-test', version: 1, created: true });
		expect(
			count(db, 'audit_log', "action = 'feed.create' AND entity_id = 'melderegister-test'")
		).toBe(1);
		// Saving a definition imports nothing: the sample was only checked.
		expect(state(db).observations).toEqual(before.observations);
		const listed = (await admin.caller.feeds.list()).feeds.find(
			(f) => f.id === 'melderegister-test'
		)!;
		expect(listed).toMatchObject({
			version: 1,
			active: true,
			health: 'never',
			hasStandingRuns: false
		});
		expect(listed.overlaps.map((o) => o.feedId)).toEqual(['einwohnermelderegister']);

		const again = await admin.caller.feeds.save({
			definition: DEFINITION,
			sample: sample(),
			intent: 'create'
		});
		expect(again).toEqual({
			ok: false,
			problems: ['id: Die Kennung „melderegister-test“ ist schon vergeben.']
		});
	});

	it('an edit is a new version; the old one stays readable; the id cannot change', async () => {
		const edited = DEFINITION.replace('"graceDays": 10', '"graceDays": 12');
		const saved = await admin.caller.feeds.save({
			definition: edited,
			sample: sample(),
			intent: 'edit',
			feedId: 'melderegister-test'
		});
		expect(saved).toMatchObject({ ok: true, version: 2, created: false });
		const versions = await admin.caller.feeds.versions({ feedId: 'melderegister-test' });
		expect(versions.map((v) => v.version)).toEqual([2, 1]);
		expect(JSON.parse(versions[0]!.definition).graceDays).toBe(12);
		expect(JSON.parse(versions[1]!.definition).graceDays).toBe(10);
		expect(versions[0]!.savedBy).toBe('Zentralcontrolling (Demo)');
		const audit = db.$client
			.prepare(
				"SELECT old_value AS old, new_value AS new FROM audit_log WHERE action = 'feed.update' AND entity_id = 'melderegister-test'"
			)
			.get() as { old: string; new: string };
		expect(JSON.parse(audit.old).graceDays).toBe(10);
		expect(JSON.parse(audit.new)).toMatchObject({ graceDays: 12, version: 2 });

		const renamed = await admin.caller.feeds.save({
			definition: DEFINITION.replace('"id": "melderegister-test"', '"id": "melderegister-neu"'),
			sample: sample(),
			intent: 'edit',
			feedId: 'melderegister-test'
		});
		expect(renamed.ok).toBe(false);
		expect(count(db, 'feeds', "id = 'melderegister-neu'")).toBe(0);
	});
});

describe('retiring a feed', () => {
	it('takes no uploads and is not expected any more; it can be taken up again', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		await admin.caller.feeds.setActive({ feedId: 'einwohnermelderegister', active: false });
		const listed = (await admin.caller.feeds.list()).feeds.find(
			(f) => f.id === 'einwohnermelderegister'
		)!;
		expect(listed).toMatchObject({ active: false, health: 'inactive', overlaps: [] });
		expect(
			count(db, 'audit_log', "action = 'feed.deactivate' AND entity_id = 'einwohnermelderegister'")
		).toBe(1);

		const answer = await receiveUpload(
			db,
			admin.ctx.principal,
			{
				feedId: 'einwohnermelderegister',
				mode: 'import',
				fileName: 'x.csv',
				contentType: 'application/octet-stream',
				contentLength: '3',
				body: new ReadableStream({
					start(controller) {
						controller.enqueue(new Uint8Array([97, 59, 98]));
						controller.close();
					}
				})
			},
			TEST_CLOCK
		);
		expect(answer).toMatchObject({
			status: 409,
			body: { message: 'Diese Lieferung ist stillgelegt. Bitte sie erst wieder aktivieren.' }
		});

		await admin.caller.feeds.setActive({ feedId: 'einwohnermelderegister', active: true });
		expect(
			(await admin.caller.feeds.list()).feeds.find((f) => f.id === 'einwohnermelderegister')!.active
		).toBe(true);
	});
});

describe('taking a run back', () => {
	let register: FeedDefinition;
	beforeAll(() => {
		register = parseDefinition(JSON.parse(DEFINITION));
	});

	it('returns every value to what it was before the run, and the snapshots follow', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const cell = ['bev.einwohner', '2026-11', 'district=innenstadt-sued'] as const;
		const foreign = ['bev.auslaender', '2026-11', 'district=innenstadt-ost'] as const;
		const first = runFeed(
			db,
			register,
			{ path: join(FIXTURES, 'melderegister-2026-11.csv') },
			{
				...IMPORT,
				storeDefinition: true
			}
		);
		// A correction: one value changed, one withdrawn ("-").
		const corrected = changedCsv(
			'Innenstadt-Süd;insgesamt;Einwohner;7.820',
			'Innenstadt-Süd;insgesamt;Einwohner;7.832'
		);
		const text = iconv
			.decode(readFileSync(corrected), 'windows-1252')
			.replace(
				'Innenstadt-Ost;insgesamt;Ausländische Einwohner;1.423',
				'Innenstadt-Ost;insgesamt;Ausländische Einwohner;-'
			);
		writeFileSync(corrected, iconv.encode(text, 'windows-1252'));
		const second = runFeed(db, register, { path: corrected }, IMPORT);
		expect(second).toMatchObject({ observationsUpdated: 1, observationsRemoved: 1 });
		expect(observation(db, ...cell)?.value).toBe(7832);
		expect(observation(db, ...foreign)).toBeUndefined();

		const changeLogBefore = count(db, 'change_log');
		const back = await admin.caller.feeds.takeBack({ runId: second.runId! });
		expect(back).toEqual({
			ok: true,
			report: {
				removed: 0,
				restored: 2,
				keptNewer: 0,
				kpisChanged: ['bev.auslaender', 'bev.einwohner']
			}
		});
		expect(observation(db, ...cell)).toEqual({
			value: 7820,
			status: 'final',
			sourceKind: 'feed',
			sourceRef: first.runId
		});
		expect(observation(db, ...foreign)).toMatchObject({ value: 1423, sourceRef: first.runId });
		// Both KPIs and the share derived from them went out to the phones again.
		expect(count(db, 'change_log', `seq > ${changeLogBefore}`)).toBe(3);
		expect(
			count(db, 'audit_log', `action = 'feed.run_take_back' AND new_value LIKE '%${second.runId}%'`)
		).toBe(1);
		const runs = (await admin.caller.feeds.runs({ feedId: 'melderegister-test' })).runs;
		expect(runs.find((r) => r.runId === second.runId)).toMatchObject({
			takenBackBy: 'Zentralcontrolling (Demo)',
			definitionVersion: 1
		});
		expect((await admin.caller.feeds.takeBack({ runId: second.runId! })).ok).toBe(false);

		// The first run, taken back too: its values are gone, as if it had never come.
		const firstBack = await admin.caller.feeds.takeBack({ runId: first.runId! });
		expect(firstBack).toMatchObject({ ok: true, report: { removed: 5, restored: 0 } });
		expect(count(db, 'observations', `source_ref = '${first.runId}'`)).toBe(0);
		// With no run standing, the feed can be deleted, after typing its id.
		const wrong = await admin.caller.feeds.remove({
			feedId: 'melderegister-test',
			confirmation: 'melderegister'
		});
		expect(wrong.ok).toBe(false);
		expect(
			await admin.caller.feeds.remove({
				feedId: 'melderegister-test',
				confirmation: 'melderegister-test'
			})
		).toEqual({ ok: true });
		expect(count(db, 'feeds', "id = 'melderegister-test'")).toBe(0);
		expect(count(db, 'feed_runs', "feed_id = 'melderegister-test'")).toBe(0);
		expect(count(db, 'audit_log', "action = 'feed.delete'")).toBe(1);
	});

	it('leaves a value that a later run changed, and says so', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const first = runFeed(
			db,
			register,
			{ path: join(FIXTURES, 'melderegister-2026-11.csv') },
			{
				...IMPORT,
				storeDefinition: true
			}
		);
		const later = runFeed(
			db,
			register,
			{
				path: changedCsv(
					'Innenstadt-Süd;insgesamt;Einwohner;7.820',
					'Innenstadt-Süd;insgesamt;Einwohner;7.901'
				)
			},
			IMPORT
		);
		const back = await admin.caller.feeds.takeBack({ runId: first.runId! });
		expect(back).toMatchObject({ ok: true, report: { removed: 4, keptNewer: 1 } });
		// The later run's value stands (it carries that run's id, not the first one's).
		expect(observation(db, 'bev.einwohner', '2026-11', 'district=innenstadt-sued')).toMatchObject({
			value: 7901,
			sourceRef: later.runId
		});
		// A feed with a run that still stands is retired, not deleted.
		const refused = await admin.caller.feeds.remove({
			feedId: 'melderegister-test',
			confirmation: 'melderegister-test'
		});
		expect(refused.ok).toBe(false);
	});

	it('returns the base of a cell that entries write; the released entry still decides', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const editor = await loginAs(db, 'erfassung');
		const key = 'facility=gu-hohenecker';
		const base = () =>
			db.$client
				.prepare(
					'SELECT value, had_value AS had, source_kind AS kind FROM cell_bases WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
				)
				.get(ASYL_KPI.occupancy, LAST_DATA_DAY, key);
		const entry = occupancyEntry(editor.ctx.principal!.id, { occupied: 201 });
		await editor.caller.sync.push({ schemaVersion: V, entries: [entry] });
		const baseBefore = base();
		const occupancy = dailyFacilityFeed({
			id: 'belegung-fachverfahren',
			title: 'Belegung aus dem Fachverfahren',
			kpiId: ASYL_KPI.occupancy,
			column: 'belegt'
		});
		const path = join(tempDir(), 'belegung.jsonl');
		writeFileSync(path, `{"tag":"${LAST_DATA_DAY}","einrichtung":"gu-hohenecker","belegt":190}\n`);
		const run = runFeed(db, occupancy, { path }, { ...IMPORT, storeDefinition: true });
		expect(base()).toMatchObject({ value: 190, kind: 'feed' });

		const back = await admin.caller.feeds.takeBack({ runId: run.runId! });
		expect(back).toMatchObject({ ok: true, report: { restored: 1 } });
		expect(base()).toEqual(baseBefore);
	});
});
