import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { loadDefinitionFile, parseDefinition, registerFeed } from '#server/feeds/definitions';
import { runFeed, type RunOptions } from '#server/feeds/runner';
import type { FeedDefinition, FeedDefinitionInput } from '#shared/feeds';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
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
	V,
	TEST_CLOCK,
	SEED_NOW
} from './helpers';

const FIXTURES = 'tests/fixtures/feeds';
const fixture = (name: string) => join(FIXTURES, name);
const IMPORT: RunOptions = { mode: 'import', origin: 'cli', userId: null, clock: TEST_CLOCK };

let seeded: KlarDatabase;
let register: FeedDefinition;
beforeAll(async () => {
	seeded = (await openSeededDatabase()).db;
	register = loadDefinitionFile(fixture('melderegister.feed.json'));
});
afterAll(removeTempDirs);

function withFeed(definition = register) {
	const db = copyDatabase(seeded);
	registerFeed(db, definition, null, SEED_NOW);
	return db;
}

const observation = (db: KlarDatabase, kpiId: string, period: string, dimensionKey: string) =>
	db.$client
		.prepare(
			'SELECT value, status, source_kind AS sourceKind, source_ref AS sourceRef FROM observations WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
		)
		.get(kpiId, period, dimensionKey) as
		{ value: number | null; status: string; sourceKind: string; sourceRef: string } | undefined;

/** Everything an import may change, to prove a refused file changed none of it. */
function state(db: KlarDatabase) {
	const digest = db.$client
		.prepare(
			"SELECT count(*) AS n, total(value) AS sum, group_concat(source_ref, ',') AS refs FROM observations"
		)
		.get();
	return {
		observations: digest,
		snapshots: db.$client.prepare('SELECT group_concat(computed_at) AS c FROM snapshots').get(),
		changeLog: count(db, 'change_log'),
		cellBases: count(db, 'cell_bases')
	};
}

const runs = (db: KlarDatabase) =>
	db.$client
		.prepare('SELECT id, status, rows_rejected AS rejected FROM feed_runs WHERE feed_id = ?')
		.all(register.id) as { id: string; status: string; rejected: number }[];

describe('a resident-register extract (semicolon, Windows-1252, decimal comma)', () => {
	it('is imported: values by district, filters, missing and suppressed markers', () => {
		const db = withFeed();
		const changeLogBefore = count(db, 'change_log');
		const report = runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);

		expect(report).toMatchObject({
			status: 'succeeded',
			mode: 'import',
			rowsRead: 7,
			rowsSkipped: 1, // "weiblich"
			rowsAccepted: 6,
			rowsRejected: 0,
			valuesMissing: 1, // "-"
			valuesSuppressed: 1, // "x"
			observationsCreated: 5,
			observationsUpdated: 0,
			kpisChanged: ['bev.auslaender', 'bev.einwohner']
		});
		expect(report.summary).toBe(
			'7 Zeilen gelesen, 6 übernommen (davon 0 unverändert), 1 übersprungen. 5 Werte neu, 0 geändert; 1 Werte von der Quelle geheim gehalten.'
		);
		// "6.512" with a thousands dot, the umlaut district from Windows-1252, and the run's id.
		expect(observation(db, 'bev.einwohner', '2026-11', 'district=innenstadt-ost')).toEqual({
			value: 6512,
			status: 'final',
			sourceKind: 'feed',
			sourceRef: report.runId
		});
		expect(observation(db, 'bev.einwohner', '2026-11', 'district=innenstadt-suedwest')?.value).toBe(
			5104
		);
		// Suppressed by the source: stored as withheld; missing: nothing stored.
		expect(
			observation(db, 'bev.auslaender', '2026-11', 'district=innenstadt-suedwest')
		).toMatchObject({ value: null });
		expect(
			observation(db, 'bev.auslaender', '2026-11', 'district=innenstadt-sued')
		).toBeUndefined();

		// Snapshots of both KPIs and of the share derived from them went out as sync changes.
		const changed = db.$client
			.prepare('SELECT entity_id AS id FROM change_log WHERE seq > ? ORDER BY entity_id')
			.all(changeLogBefore)
			.map((r) => (r as { id: string }).id);
		expect(changed).toEqual(['bev.auslaender', 'bev.auslaenderanteil', 'bev.einwohner']);
		const snapshot = JSON.parse(
			(
				db.$client
					.prepare("SELECT payload FROM snapshots WHERE kpi_id = 'bev.einwohner'")
					.get() as {
					payload: string;
				}
			).payload
		);
		expect(snapshot.period).toBe('2026-11');

		expect(runs(db)).toEqual([{ id: report.runId, status: 'succeeded', rejected: 0 }]);
		const audit = db.$client
			.prepare(
				"SELECT action, new_value AS value FROM audit_log WHERE entity_id = ? AND action = 'feed.import'"
			)
			.get(register.id) as { action: string; value: string };
		expect(JSON.parse(audit.value)).toMatchObject({ run: report.runId, observationsCreated: 5 });
	});

	it('imported twice, changes nothing and creates no new versions', () => {
		const db = withFeed();
		const first = runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		const before = state(db);
		const second = runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);

		expect(second).toMatchObject({
			status: 'succeeded',
			rowsAccepted: 6,
			rowsUnchanged: 5, // and one with only a missing value: nothing to store
			observationsCreated: 0,
			observationsUpdated: 0,
			kpisChanged: []
		});
		expect(state(db)).toEqual(before);
		// The observations still name the run they came from.
		expect(observation(db, 'bev.einwohner', '2026-11', 'district=innenstadt-ost')?.sourceRef).toBe(
			first.runId
		);
		expect(runs(db).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
	});

	it('a corrected delivery updates the changed value, audits old and new, and syncs it', () => {
		const db = withFeed();
		runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		const corrected = join(tempDir(), 'melderegister-korrektur.csv');
		const text = iconv
			.decode(readFileSync(fixture('melderegister-2026-11.csv')), 'windows-1252')
			.replace(
				'Innenstadt-Süd;insgesamt;Einwohner;7.820',
				'Innenstadt-Süd;insgesamt;Einwohner;7.832'
			);
		writeFileSync(corrected, iconv.encode(text, 'windows-1252'));
		const changeLogBefore = count(db, 'change_log');

		const report = runFeed(db, register, { path: corrected }, IMPORT);

		expect(report).toMatchObject({
			rowsUnchanged: 4,
			observationsUpdated: 1,
			observationsCreated: 0
		});
		expect(report.kpisChanged).toEqual(['bev.einwohner']);
		expect(observation(db, 'bev.einwohner', '2026-11', 'district=innenstadt-sued')).toMatchObject({
			value: 7832,
			sourceRef: report.runId
		});
		const audit = db.$client
			.prepare(
				"SELECT old_value AS old, new_value AS new FROM audit_log WHERE action = 'observation.update' AND entity_id = ?"
			)
			.get('bev.einwohner|2026-11|district=innenstadt-sued') as { old: string; new: string };
		expect(JSON.parse(audit.old)).toEqual({ value: 7820, status: 'final' });
		expect(JSON.parse(audit.new)).toEqual({
			value: 7832,
			status: 'final',
			source: `feed:${report.runId}`
		});
		expect(count(db, 'change_log', `seq > ${changeLogBefore}`)).toBe(2); // Einwohner + Anteil
	});

	it('a value the delivery now marks missing is removed, audited and counted', () => {
		const db = withFeed();
		runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		const cell = ['bev.auslaender', '2026-11', 'district=innenstadt-ost'] as const;
		expect(observation(db, ...cell)?.value).toBe(1423);
		const withdrawn = join(tempDir(), 'melderegister-zurueckgezogen.csv');
		const text = iconv
			.decode(readFileSync(fixture('melderegister-2026-11.csv')), 'windows-1252')
			.replace(
				'Innenstadt-Ost;insgesamt;Ausländische Einwohner;1.423',
				'Innenstadt-Ost;insgesamt;Ausländische Einwohner;-'
			);
		writeFileSync(withdrawn, iconv.encode(text, 'windows-1252'));

		// A check first: it counts the removal and keeps the value.
		const check = runFeed(db, register, { path: withdrawn }, { ...IMPORT, mode: 'validate' });
		expect(check).toMatchObject({ status: 'succeeded', observationsRemoved: 1 });
		expect(check.summary).toContain('1 entfernt (als fehlend geliefert) – nichts importiert');
		expect(observation(db, ...cell)?.value).toBe(1423);

		const changeLogBefore = count(db, 'change_log');
		const report = runFeed(db, register, { path: withdrawn }, IMPORT);
		expect(report).toMatchObject({
			status: 'succeeded',
			valuesMissing: 2,
			observationsCreated: 0,
			observationsUpdated: 0,
			observationsRemoved: 1,
			kpisChanged: ['bev.auslaender']
		});
		expect(report.summary).toBe(
			'7 Zeilen gelesen, 6 übernommen (davon 4 unverändert), 1 übersprungen. 0 Werte neu, 0 geändert, 1 entfernt (als fehlend geliefert); 1 Werte von der Quelle geheim gehalten.'
		);
		expect(observation(db, ...cell)).toBeUndefined();
		const audit = db.$client
			.prepare(
				"SELECT old_value AS old, new_value AS new FROM audit_log WHERE action = 'observation.delete' AND entity_id = ?"
			)
			.get(cell.join('|')) as { old: string; new: string };
		expect(JSON.parse(audit.old)).toEqual({ value: 1423, status: 'final' });
		expect(JSON.parse(audit.new)).toEqual({ source: `feed:${report.runId}`, reason: 'missing' });
		// The run's record keeps the count; the snapshots of the KPI and its share went out.
		expect(
			db.$client
				.prepare('SELECT observations_removed AS n FROM feed_runs WHERE id = ?')
				.get(report.runId)
		).toEqual({ n: 1 });
		expect(count(db, 'change_log', `seq > ${changeLogBefore}`)).toBe(2);

		// Delivered again, the missing value has nothing left to remove.
		expect(runFeed(db, register, { path: withdrawn }, IMPORT)).toMatchObject({
			observationsRemoved: 0,
			kpisChanged: []
		});
	});

	it('validation counts what an import would do and keeps nothing, not even a run', () => {
		const db = withFeed();
		const before = state(db);
		const report = runFeed(
			db,
			register,
			{ path: fixture('melderegister-2026-11.csv') },
			{ ...IMPORT, mode: 'validate' }
		);
		expect(report).toMatchObject({
			status: 'succeeded',
			runId: null,
			mode: 'validate',
			rowsAccepted: 6,
			observationsCreated: 5
		});
		expect(report.summary).toContain('nichts importiert');
		expect(state(db)).toEqual(before);
		expect(runs(db)).toEqual([]);
	});
});

describe('bad input: a clear German error, nothing imported, the failed run recorded', () => {
	const cases: {
		file: string;
		code: string;
		line: number | null;
		message: RegExp;
		maxBytes?: number;
	}[] = [
		{
			file: 'bad-encoding-utf8.csv',
			code: 'encoding',
			line: 1,
			message: /nicht in Windows-1252 kodiert, sondern in UTF-8 \(Zeile 1: „â€““\)/
		},
		{
			file: 'bad-delimiter-comma.csv',
			code: 'delimiter',
			line: 3,
			message: /mit Komma getrennt, die Definition erwartet Semikolon/
		},
		{
			file: 'bad-missing-columns.csv',
			code: 'columns',
			line: null,
			message:
				/^Es fehlen Spalten: „Anzahl“, „Merkmal“\. Erwartet: „Stichtag“, „Stadtbezirk“, „Anzahl“, „Merkmal“, „Geschlecht“\. Gefunden: „Stichtag“, „Stadtbezirk“, „Geschlecht“, „Kennzeichen“, „Wert“, „Anteil in %“\.$/
		},
		{
			file: 'bad-not-a-number.csv',
			code: 'not_a_number',
			line: 6,
			message: /^„5\.1O4“ in Spalte „Anzahl“ ist keine Zahl\.$/
		},
		{
			file: 'bad-impossible-date.csv',
			code: 'bad_period',
			line: 5,
			message: /^Den Zeitraum „31\.11\.2026“ gibt es nicht\.$/
		},
		{
			file: 'bad-duplicate-key.csv',
			code: 'duplicate_key',
			line: 7,
			message: /steht schon in Zeile 5\.$/
		},
		{
			file: 'melderegister-2026-11.csv',
			code: 'too_large',
			line: null,
			maxBytes: 100,
			message: /^Die Datei ist zu groß\. Erlaubt sind höchstens 0 MB\.$/
		}
	];

	for (const c of cases) {
		it(`${c.file}${c.maxBytes ? ' above the upload limit' : ''}: ${c.code}`, () => {
			const db = withFeed();
			const before = state(db);
			const report = runFeed(
				db,
				register,
				{ path: fixture(c.file) },
				{ ...IMPORT, maxBytes: c.maxBytes }
			);

			expect(report.status).toBe('failed');
			expect(report.observationsCreated + report.observationsUpdated).toBe(0);
			expect(report.kpisChanged).toEqual([]);
			expect(report.errors[0]).toMatchObject({ code: c.code, line: c.line });
			expect(report.errors[0]!.message).toMatch(c.message);
			expect(report.summary).toMatch(/^Nichts importiert: /);
			expect(state(db)).toEqual(before);
			expect(runs(db)).toEqual([
				{ id: report.runId, status: 'failed', rejected: report.rowsRejected }
			]);
			const failed = db.$client
				.prepare(
					"SELECT count(*) AS n FROM audit_log WHERE action = 'feed.import_failed' AND entity_id = ?"
				)
				.get(register.id) as { n: number };
			expect(failed.n).toBe(1);
		});
	}

	it('a definition may tolerate some rejected rows: the others are imported', () => {
		const tolerant = { ...register, maxRejectedRows: 1 };
		const db = withFeed(tolerant);
		const report = runFeed(db, tolerant, { path: fixture('bad-not-a-number.csv') }, IMPORT);
		expect(report).toMatchObject({ status: 'succeeded', rowsRejected: 1, observationsCreated: 2 });
		expect(report.errors).toEqual([
			{
				line: 6,
				column: 'Anzahl',
				code: 'not_a_number',
				message: '„5.1O4“ in Spalte „Anzahl“ ist keine Zahl.'
			}
		]);
	});

	it('a definition naming a KPI that does not exist is refused before reading', () => {
		const wrong = parseDefinition({
			...register,
			mapping: {
				...register.mapping,
				values: [{ column: 'Anzahl', kpi: { fixed: 'bev.gibtsnicht' } }]
			}
		} satisfies FeedDefinitionInput);
		const db = withFeed(wrong);
		const report = runFeed(db, wrong, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		expect(report.status).toBe('failed');
		expect(report.rowsRead).toBe(0);
		expect(report.errors[0]).toMatchObject({
			code: 'definition',
			message: 'Die Definition nennt die Kennzahl „bev.gibtsnicht“, die es im Katalog nicht gibt.'
		});
	});
});

describe('a feed may only fill active base KPIs of the catalogue', () => {
	const targeting = (kpiId: string) =>
		parseDefinition({
			...register,
			mapping: { ...register.mapping, values: [{ column: 'Anzahl', kpi: { fixed: kpiId } }] }
		} satisfies FeedDefinitionInput);

	it('a derived KPI is refused before reading: its inputs are what is delivered', () => {
		const definition = targeting('bev.auslaenderanteil');
		const db = withFeed(definition);
		const before = state(db);
		const report = runFeed(db, definition, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		expect(report).toMatchObject({ status: 'failed', rowsRead: 0 });
		expect(report.errors[0]?.message).toMatch(
			/\(bev\.auslaenderanteil\) wird aus anderen Kennzahlen berechnet; eine Lieferung kann sie nicht füllen/
		);
		expect(state(db)).toEqual(before);
	});

	it('a retired KPI is refused until it is taken up again', () => {
		const db = withFeed();
		db.$client.prepare(`UPDATE kpi_definitions SET active = 0 WHERE id = 'bev.auslaender'`).run();
		const before = state(db);
		const report = runFeed(db, register, { path: fixture('melderegister-2026-11.csv') }, IMPORT);
		expect(report.status).toBe('failed');
		expect(report.errors[0]?.message).toMatch(
			/\(bev\.auslaender\) ist stillgelegt und nimmt keine Werte an/
		);
		expect(state(db)).toEqual(before);
	});
});

describe('a delivery for a cell that form entries have written', () => {
	it('changes the cell’s base value; the released entry keeps its value', async () => {
		const db = copyDatabase(seeded);
		const editor = await loginAs(db, 'erfassung');
		const lead = await loginAs(db, 'leitung');
		const entry = occupancyEntry(editor.ctx.principal!.id, { occupied: 201 });
		await editor.caller.sync.push({ schemaVersion: V, entries: [entry] });
		await lead.caller.entries.release({ entryId: entry.id });

		const occupancy: FeedDefinition = dailyFacilityFeed({
			id: 'belegung-fachverfahren',
			title: 'Belegung aus dem Fachverfahren',
			kpiId: ASYL_KPI.occupancy,
			column: 'belegt'
		});
		registerFeed(db, occupancy, null, SEED_NOW);
		const path = join(tempDir(), 'belegung.jsonl');
		writeFileSync(path, `{"tag":"${LAST_DATA_DAY}","einrichtung":"gu-hohenecker","belegt":190}\n`);
		const report = runFeed(db, occupancy, { path }, IMPORT);

		expect(report).toMatchObject({ status: 'succeeded', observationsUpdated: 1 });
		const key = 'facility=gu-hohenecker';
		expect(observation(db, ASYL_KPI.occupancy, LAST_DATA_DAY, key)?.value).toBe(201);
		const base = db.$client
			.prepare(
				'SELECT value, source_kind AS kind, source_ref AS ref FROM cell_bases WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
			)
			.get(ASYL_KPI.occupancy, LAST_DATA_DAY, key);
		expect(base).toEqual({ value: 190, kind: 'feed', ref: report.runId });

		// The source withdraws its value: the base goes, the released entry still decides.
		writeFileSync(path, `{"tag":"${LAST_DATA_DAY}","einrichtung":"gu-hohenecker","belegt":"-"}\n`);
		const withdrawn = runFeed(db, occupancy, { path }, IMPORT);
		expect(withdrawn).toMatchObject({ status: 'succeeded', observationsRemoved: 1 });
		expect(observation(db, ASYL_KPI.occupancy, LAST_DATA_DAY, key)?.value).toBe(201);
		expect(
			db.$client
				.prepare(
					'SELECT value, had_value AS had FROM cell_bases WHERE kpi_id = ? AND period = ? AND dimension_key = ?'
				)
				.get(ASYL_KPI.occupancy, LAST_DATA_DAY, key)
		).toEqual({ value: null, had: 0 });
	});
});
