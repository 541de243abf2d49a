import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadableStream } from 'node:stream/web';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { loadDefinitionFile, registerFeed } from '#server/feeds/definitions';
import { writeLock } from '#server/db/write-lock';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { main as feedCli } from '#server/feeds/cli';
import { receiveUpload, type UploadRequest } from '#server/feeds/upload';
import type { FeedRunReport } from '#shared/feeds';
import {
	copyDatabase,
	dailyFacilityFeed,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	tempDir,
	trpcError,
	userMessageOf,
	type Session,
	TEST_CLOCK,
	SEED_NOW,
	occupancyEntry,
	V
} from './helpers';

const FIXTURES = 'tests/fixtures/feeds';
const ROLES = {
	admin: 'admin',
	executive: 'spitze',
	councillor: 'rat',
	editor: 'erfassung',
	lead: 'leitung'
} as const;

let seeded: KlarDatabase;
const sessions = {} as Record<keyof typeof ROLES, Session>;
beforeAll(async () => {
	seeded = (await openSeededDatabase()).db;
	for (const [role, username] of Object.entries(ROLES)) {
		sessions[role as keyof typeof ROLES] = await loginAs(seeded, username);
	}
});
afterAll(removeTempDirs);

describe('who may see feeds and the data quality', () => {
	const feedCalls = (s: Session) => [
		s.caller.feeds.list(),
		s.caller.feeds.runs({ feedId: 'einwohnermelderegister' }),
		s.caller.feeds.definition({ feedId: 'einwohnermelderegister' })
	];

	for (const role of ['executive', 'councillor', 'editor', 'lead'] as const) {
		it(`${role}: no feed procedure, with a German reason`, async () => {
			for (const call of feedCalls(sessions[role])) {
				const error = await trpcError(call, 'FORBIDDEN');
				expect(userMessageOf(error)).toBe(
					'Datenlieferungen verwaltet das Zentralcontrolling. Sie haben dafür keine Berechtigung.'
				);
			}
		});
	}

	for (const role of ['councillor', 'editor', 'lead'] as const) {
		it(`${role}: no data-quality page`, async () => {
			await trpcError(sessions[role].caller.quality.overview(), 'FORBIDDEN');
		});
	}

	it('the admin and the executive read the data-quality page', async () => {
		for (const role of ['admin', 'executive'] as const) {
			const overview = await sessions[role].caller.quality.overview();
			expect(overview.feeds.length).toBe(4);
		}
	});
});

describe('feeds.list, runs and definition', () => {
	it('lists the demo feeds with their last run, health and next due day', async () => {
		const { feeds, uploadLimitBytes } = await sessions.admin.caller.feeds.list();
		expect(uploadLimitBytes).toBe(20 * 1024 * 1024);
		expect(feeds.map((f) => f.id).sort()).toEqual([
			'einwohnermelderegister',
			'finanzbuchungen',
			'gesundheitsamt-inzidenz',
			'schulstatistik'
		]);
		const register = feeds.find((f) => f.id === 'einwohnermelderegister')!;
		expect(register).toMatchObject({ format: 'csv', cadence: 'monthly' });
		expect(register.lastRun?.status).toBe('succeeded');
		expect(register.kpiIds).toContain('bev.einwohner');
		expect(register.nextDueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
	});

	it('pages through a feed’s runs, newest first, with their errors', async () => {
		const { runs, nextBefore } = await sessions.admin.caller.feeds.runs({
			feedId: 'gesundheitsamt-inzidenz'
		});
		expect(runs.length).toBeGreaterThan(1);
		expect(nextBefore).toBeNull();
		const started = runs.map((r) => r.startedAt);
		expect([...started].sort().reverse()).toEqual(started);
		const failed = runs.find((r) => r.status === 'failed')!;
		expect(failed.errors[0]?.message).toBeTruthy();
		expect(failed.origin).toBe('demo');
	});

	it('an unknown feed is NOT_FOUND', async () => {
		const error = await trpcError(
			sessions.admin.caller.feeds.definition({ feedId: 'gibtsnicht' }),
			'NOT_FOUND'
		);
		expect(userMessageOf(error)).toBe('Diese Datenlieferung gibt es nicht (mehr).');
	});
});

describe('quality.overview', () => {
	it('groups the overdue KPIs by owner, with how late they are', async () => {
		const overview = await sessions.executive.caller.quality.overview();
		const overdue = overview.overdueByOwner.flatMap((g) => g.kpis.map((k) => k.kpiId));
		// The demo's deliberately late KPIs (wastewater, housing benefit, investment projects).
		expect(overdue).toEqual(
			expect.arrayContaining([
				'ges.abwasser_viruslast',
				'soz.wohngeld_haushalte',
				'inf.investprojekte_im_plan'
			])
		);
		for (const group of overview.overdueByOwner) {
			expect(group.department).toBeTruthy();
			for (const kpi of group.kpis) expect(kpi.daysLate).toBeGreaterThan(0);
		}
		expect(overview.rejectedByWeek).toHaveLength(12);
	});
});

function upload(overrides: Partial<UploadRequest> & { bytes?: Uint8Array } = {}): UploadRequest {
	const bytes = overrides.bytes ?? readFileSync(join(FIXTURES, 'melderegister-2026-11.csv'));
	return {
		feedId: 'melderegister-test',
		mode: 'import',
		fileName: encodeURIComponent('Melderegister November.csv'),
		contentType: 'application/octet-stream',
		contentLength: String(bytes.length),
		body: new ReadableStream({
			start(controller) {
				controller.enqueue(bytes);
				controller.close();
			}
		}),
		...overrides
	};
}

describe('an upload of a delivery', () => {
	let db: KlarDatabase;
	let admin: Session;
	beforeAll(async () => {
		db = copyDatabase(seeded);
		registerFeed(db, loadDefinitionFile(join(FIXTURES, 'melderegister.feed.json')), null, SEED_NOW);
		admin = await loginAs(db, 'admin');
	});

	it('runs through the same runner and answers with the report', async () => {
		const answer = await receiveUpload(db, admin.ctx.principal, upload(), TEST_CLOCK);
		expect(answer.status).toBe(200);
		const report = answer.body as FeedRunReport;
		expect(report).toMatchObject({
			status: 'succeeded',
			fileName: 'Melderegister November.csv',
			observationsCreated: 5
		});
		const run = db.$client
			.prepare('SELECT origin, user_id AS userId FROM feed_runs WHERE id = ?')
			.get(report.runId);
		expect(run).toEqual({ origin: 'upload', userId: admin.ctx.principal!.id });
	});

	it('validation only reports', async () => {
		const runsBefore = count(db, 'feed_runs');
		const answer = await receiveUpload(
			db,
			admin.ctx.principal,
			upload({ mode: 'validate' }),
			TEST_CLOCK
		);
		expect((answer.body as FeedRunReport).mode).toBe('validate');
		expect(count(db, 'feed_runs')).toBe(runsBefore);
	});

	it('is refused without login, for non-admins, for unknown feeds and wrong types', async () => {
		const lead = await loginAs(db, 'leitung');
		const cases: [Parameters<typeof receiveUpload>[1], UploadRequest, number, string][] = [
			[null, upload(), 401, 'Bitte melden Sie sich an.'],
			[lead.ctx.principal, upload(), 403, 'Lieferungen hochladen darf nur das Zentralcontrolling.'],
			[
				admin.ctx.principal,
				upload({ feedId: 'gibtsnicht' }),
				404,
				'Diese Datenlieferung gibt es nicht (mehr).'
			],
			[
				admin.ctx.principal,
				upload({ contentType: 'text/plain' }),
				415,
				'Die Datei wurde nicht als Datei gesendet.'
			],
			[admin.ctx.principal, upload({ mode: 'delete' }), 400, 'Unbekannte Aktion.']
		];
		const runsBefore = count(db, 'feed_runs');
		for (const [principal, request, status, message] of cases) {
			const answer = await receiveUpload(db, principal, request, TEST_CLOCK);
			expect(answer.status).toBe(status);
			expect(answer.body).toMatchObject({ message });
		}
		expect(count(db, 'feed_runs')).toBe(runsBefore);
	});

	it('above the limit: refused by its announced length and while streaming', async () => {
		const previous = process.env.KLAR_FEED_UPLOAD_LIMIT;
		process.env.KLAR_FEED_UPLOAD_LIMIT = '300';
		try {
			const announced = await receiveUpload(db, admin.ctx.principal, upload(), TEST_CLOCK);
			expect(announced.status).toBe(413);
			const streamed = await receiveUpload(
				db,
				admin.ctx.principal,
				upload({ contentLength: null }),
				TEST_CLOCK
			);
			expect(streamed.status).toBe(413);
			expect(streamed.body).toMatchObject({
				message: 'Die Datei ist zu groß. Erlaubt sind höchstens 0 MB.'
			});
		} finally {
			if (previous === undefined) delete process.env.KLAR_FEED_UPLOAD_LIMIT;
			else process.env.KLAR_FEED_UPLOAD_LIMIT = previous;
		}
	});
});

describe('an upload runs beside the other requests', () => {
	it('reads are answered while it runs and see the state before it; writes wait for it', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const executive = await loginAs(db, 'spitze');
		const editor = await loginAs(db, 'erfassung');
		const definition = dailyFacilityFeed({
			id: 'belegung-historie',
			title: 'Belegung aus dem Fachverfahren (Historie)',
			kpiId: ASYL_KPI.occupancy,
			column: 'belegt'
		});
		registerFeed(db, definition, null, SEED_NOW);
		// 30,000 daily values of one facility from 1900 on (history): about 2 MB, many slices.
		const lines: string[] = [];
		for (let day = 0; day < 30_000; day++) {
			const date = new Date(Date.UTC(1900, 0, 1 + day)).toISOString().slice(0, 10);
			lines.push(`{"tag":"${date}","einrichtung":"gu-hohenecker","belegt":${day % 200}}`);
		}
		const bytes = new TextEncoder().encode(lines.join('\n'));
		const before = await executive.caller.sync.pull({ schemaVersion: V, cursor: null });
		const occupancyBefore = snapshotOf(before, ASYL_KPI.occupancy);

		let uploadDone = false;
		const running = receiveUpload(
			db,
			admin.ctx.principal,
			upload({ feedId: 'belegung-historie', bytes }),
			TEST_CLOCK
		).then((answer) => {
			uploadDone = true;
			return answer;
		});
		// Once the file is spooled, the run holds the database for writing.
		await vi.waitFor(() => expect(writeLock.busy).toBe(true), { interval: 1, timeout: 10_000 });
		const during = await executive.caller.sync.pull({ schemaVersion: V, cursor: null });
		expect(uploadDone).toBe(false);
		expect(snapshotOf(during, ASYL_KPI.occupancy)).toEqual(occupancyBefore);

		let pushDone = false;
		const push = editor.caller.sync
			.push({ schemaVersion: V, entries: [occupancyEntry('u-erfassung', { occupied: 150 })] })
			.then((answer) => {
				pushDone = true;
				expect(uploadDone).toBe(true);
				return answer;
			});
		const answer = await running;
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ status: 'succeeded', observationsCreated: 30_000 });
		expect(await push).toMatchObject({ kind: 'results', results: [{ result: 'applied' }] });
		expect(pushDone).toBe(true);
		expect(count(db, 'observations', "source_ref LIKE 'belegung-historie:%'")).toBe(30_000);
	});
});

function snapshotOf(response: Awaited<ReturnType<Session['caller']['sync']['pull']>>, id: string) {
	if (response.kind !== 'changes') throw new Error('expected changes');
	return response.changes.find((c) => c.entity === 'snapshot.v2' && c.id === id);
}

describe('npm run feed', () => {
	function cli(args: string[], db: KlarDatabase) {
		const out: string[] = [];
		const previous = process.env.KLAR_DB;
		db.$client.pragma('wal_checkpoint(TRUNCATE)');
		process.env.KLAR_DB = db.$client.name;
		try {
			const code = feedCli(
				args,
				(l) => out.push(l),
				(l) => out.push(l)
			);
			return { code, out };
		} finally {
			if (previous === undefined) delete process.env.KLAR_DB;
			else process.env.KLAR_DB = previous;
		}
	}
	const definition = join(FIXTURES, 'melderegister.feed.json');

	it('import registers the definition and imports; exit 0', () => {
		const db = copyDatabase(seeded);
		const { code, out } = cli(
			['import', definition, join(FIXTURES, 'melderegister-2026-11.csv')],
			db
		);
		expect(code).toBe(0);
		expect(out[0]).toBe(
			'✓ melderegister-test – melderegister-2026-11.csv: 7 Zeilen gelesen, 6 übernommen (davon 0 unverändert), 1 übersprungen. 5 Werte neu, 0 geändert; 1 Werte von der Quelle geheim gehalten.'
		);
		expect(count(db, 'feed_runs', "feed_id = 'melderegister-test'")).toBe(1);
		expect(count(db, 'observations', "source_ref LIKE 'melderegister-test:%'")).toBe(5);
	});

	it('validate prints the errors with their lines and imports nothing; exit 1', () => {
		const db = copyDatabase(seeded);
		const { code, out } = cli(['validate', definition, join(FIXTURES, 'bad-not-a-number.csv')], db);
		expect(code).toBe(1);
		expect(out).toEqual([
			'✕ melderegister-test – bad-not-a-number.csv: Prüfung fehlgeschlagen: 1 Zeile abgelehnt.',
			'  Zeile 6, Anzahl: „5.1O4“ in Spalte „Anzahl“ ist keine Zahl.'
		]);
		expect(count(db, 'feed_runs', "feed_id = 'melderegister-test'")).toBe(0);
	});

	it('a failed first run creates no feed; a failed later run keeps the stored definition', () => {
		const db = copyDatabase(seeded);
		const dir = tempDir();
		// The officer's typo: a column the file does not have.
		const typo = join(dir, 'melderegister.feed.json');
		writeFileSync(
			typo,
			readFileSync(definition, 'utf8').replace('"column": "Anzahl"', '"column": "Anzahll"')
		);
		const csv = join(FIXTURES, 'melderegister-2026-11.csv');

		const first = cli(['import', typo, csv], db);
		expect(first.code).toBe(1);
		expect(first.out[0]).toMatch(
			/^✕ melderegister-test – .*Nichts importiert: Es fehlen Spalten: „Anzahll“/
		);
		expect(count(db, 'feeds', "id = 'melderegister-test'")).toBe(0);
		// No run to look up: the report names none.
		expect(first.out.some((line) => line.startsWith('  Lauf '))).toBe(false);
		expect(count(db, 'feed_runs', "feed_id = 'melderegister-test'")).toBe(0);
		// The failure is still on record.
		expect(
			count(db, 'audit_log', "action = 'feed.import_failed' AND entity_id = 'melderegister-test'")
		).toBe(1);

		expect(cli(['import', definition, csv], db).code).toBe(0);
		const stored = () =>
			(
				db.$client
					.prepare("SELECT definition FROM feeds WHERE id = 'melderegister-test'")
					.get() as {
					definition: string;
				}
			).definition;
		const good = stored();

		const again = cli(['import', typo, csv], db);
		expect(again.code).toBe(1);
		expect(stored()).toBe(good);
		expect(
			count(db, 'audit_log', "action = 'feed.update' AND entity_id = 'melderegister-test'")
		).toBe(0);
		// The failed run is listed with the feed, with the size of the file it was given.
		const failed = db.$client
			.prepare(
				"SELECT status, file_bytes AS bytes FROM feed_runs WHERE feed_id = 'melderegister-test' ORDER BY started_at DESC, rowid DESC LIMIT 1"
			)
			.get();
		expect(failed).toEqual({ status: 'failed', bytes: statSync(csv).size });
		// And the correct definition still imports (a second time: nothing changes).
		expect(cli(['import', definition, csv], db).code).toBe(0);
	});

	it('a wrong call and a broken definition say what is wrong', () => {
		const db = copyDatabase(seeded);
		expect(cli(['import', definition], db)).toEqual({
			code: 2,
			out: ['Usage: npm run feed -- import|validate <definition.json> <file>']
		});
		const broken = cli(['validate', join(FIXTURES, 'bad-delimiter-comma.csv'), definition], db);
		expect(broken.code).toBe(1);
		expect(broken.out).toEqual([
			'Die Definition ist nicht verwendbar:',
			expect.stringMatching(
				/^ {2}– Die Definition „.*bad-delimiter-comma\.csv“ ist kein gültiges JSON/
			)
		]);
	});
});
