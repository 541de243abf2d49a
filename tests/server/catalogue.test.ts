import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { createSession } from '#server/auth/sessions';
import { createUser } from '#server/auth/users';
import { applyCatalogue, exportCatalogue } from '#server/kpis/catalogue-admin';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { createCaller } from '#server/trpc/router';
import { KpiDefinitionV2, type CatalogueKpiInput } from '#shared/catalogue';
import type { ChangeV1, PullResponseV1 } from '#shared/protocol';
import {
	contextForToken,
	copyDatabase,
	count,
	occupancyEntry,
	openSeededDatabase,
	openTempDatabase,
	removeTempDirs,
	SEED_NOW,
	trpcError,
	V
} from './helpers';

type Changes = Extract<PullResponseV1, { kind: 'changes' }>;

function callerOf(db: KlarDatabase, userId: string) {
	return createCaller(contextForToken(db, createSession(db, userId, SEED_NOW)));
}

/** All changes after `cursor`, over as many pages as it takes, and the cursor at the end. */
async function pullFrom(caller: ReturnType<typeof callerOf>, cursor: string | null) {
	const changes: ChangeV1[] = [];
	for (;;) {
		const page = (await caller.sync.pull({ schemaVersion: V, cursor })) as Changes;
		if (page.kind !== 'changes') throw new Error(`unexpected ${page.kind}`);
		changes.push(...page.changes);
		cursor = page.cursor;
		if (!page.hasMore) return { changes, cursor };
	}
}

const ids = (changes: ChangeV1[], entity: ChangeV1['entity'], op: ChangeV1['op']) =>
	changes.filter((c) => c.entity === entity && c.op === op).map((c) => c.id);

/** A complete KPI definition of the fresh city, with the fields a test changes. */
function kpi(over: Partial<CatalogueKpiInput> & Pick<CatalogueKpiInput, 'id'>): CatalogueKpiInput {
	return {
		areaId: 'rettung',
		title: `Titel ${over.id}`,
		shortTitle: over.id,
		description: 'Beschreibung',
		method: 'Methode',
		unit: 'Einsätze',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: null,
		cadence: 'daily',
		graceDays: 2,
		dimensions: [],
		source: { kind: 'feed', name: 'Leitstelle' },
		owner: { department: 'Feuerwehr', contact: 'Leitstelle', email: 'leitstelle@stadt.example' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Rettung'],
		sortOrder: 10,
		formula: { kind: 'flow' },
		...over
	};
}

describe('a city without demo data builds its catalogue through the procedures', () => {
	let db: KlarDatabase;
	let admin: ReturnType<typeof callerOf>;
	let executive: ReturnType<typeof callerOf>;

	beforeAll(async () => {
		({ db } = openTempDatabase());
		const first = await createUser(
			db,
			null,
			{
				username: 'chefin',
				displayName: 'Chefin',
				password: 'ein langes Passwort',
				role: 'admin',
				areas: []
			},
			SEED_NOW
		);
		if (!first.ok) throw new Error('no admin');
		admin = callerOf(db, first.user.id);
		const boss = await admin.users.create({
			username: 'ob',
			displayName: 'Oberbürgermeisterin',
			password: 'ein langes Passwort',
			role: 'executive',
			areas: []
		});
		if (!boss.ok) throw new Error('no executive');
		executive = callerOf(db, boss.user.id);
	});

	afterAll(() => db.$client.close());

	test('an empty installation has an empty catalogue', async () => {
		expect(await executive.catalogue.overview()).toEqual({ areas: [], dimensions: [], kpis: [] });
	});

	test('a KPI needs its area first; the refusal names the field in German and writes nothing', async () => {
		const before = count(db, 'kpi_definitions');
		const answer = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({ id: 'ret.einsaetze' })
		});
		expect(answer).toEqual({
			ok: false,
			fieldErrors: { areaId: 'Den Bereich „rettung“ gibt es nicht.' }
		});
		expect(count(db, 'kpi_definitions')).toBe(before);
	});

	test('the admin creates an area, a KPI with bands and a derived rate per 1,000', async () => {
		const area = await admin.catalogue.saveArea({
			mode: 'create',
			area: { id: 'rettung', title: 'Rettungsdienst', sortOrder: 10, openDataTheme: 'HEAL' }
		});
		expect(area).toMatchObject({ ok: true, item: { id: 'rettung', description: '' } });
		const population = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({
				id: 'ret.einwohner',
				title: 'Einwohner',
				unit: 'Personen',
				cadence: 'yearly',
				direction: 'neutral',
				formula: { kind: 'stock' }
			})
		});
		expect(population.ok).toBe(true);
		const calls = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({
				id: 'ret.einsaetze',
				thresholds: { amber: 40, red: 60 },
				view: { kind: 'gauge', title: 'Einsatzlage' }
			})
		});
		expect(calls.ok).toBe(true);
		const rate = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({
				id: 'ret.einsaetze_je_1000',
				unit: 'je 1.000 Einwohner',
				numberFormat: 'decimal',
				decimals: 2,
				source: { kind: 'derived', name: 'Einsätze je 1.000 Einwohner' },
				formula: { kind: 'per_1000', inputs: ['ret.einsaetze', 'ret.einwohner'] }
			})
		});
		expect(rate.ok).toBe(true);
		const overview = await executive.catalogue.overview();
		expect(overview.kpis.map((k) => k.id).sort()).toEqual([
			'ret.einsaetze',
			'ret.einsaetze_je_1000',
			'ret.einwohner'
		]);
		expect(overview.kpis.every((k) => k.active && k.lastPeriod === null)).toBe(true);
		const audited = db.$client
			.prepare(
				`SELECT action, entity_id AS id FROM audit_log WHERE entity IN ('kpi', 'area') ORDER BY rowid`
			)
			.all();
		expect(audited).toEqual([
			{ action: 'area.create', id: 'rettung' },
			{ action: 'kpi.create', id: 'ret.einwohner' },
			{ action: 'kpi.create', id: 'ret.einsaetze' },
			{ action: 'kpi.create', id: 'ret.einsaetze_je_1000' }
		]);
	});

	test('the id is checked: taken, malformed and the reserved "neu" are refused in German', async () => {
		const taken = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({ id: 'ret.einsaetze' })
		});
		expect(taken).toEqual({
			ok: false,
			fieldErrors: { id: 'Die Kennung „ret.einsaetze“ ist schon vergeben.' }
		});
		const malformed = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({ id: 'Ret Einsätze' })
		});
		expect(malformed.ok === false && malformed.fieldErrors.id).toMatch(/^Die Kennung besteht aus/);
		const reserved = await admin.catalogue.saveKpi({ mode: 'create', kpi: kpi({ id: 'neu' }) });
		expect(reserved.ok === false && reserved.fieldErrors.id).toMatch(/„neu“ ist vergeben/);
	});

	test('formulas are refused with a cycle, a wrong cadence or a division that is not a formula of the list', async () => {
		const cycle = await admin.catalogue.saveKpi({
			mode: 'update',
			kpi: kpi({
				id: 'ret.einsaetze',
				source: { kind: 'derived', name: 'Kreis' },
				formula: { kind: 'sum', inputs: ['ret.einsaetze_je_1000', 'ret.einsaetze_je_1000'] },
				thresholds: { amber: 40, red: 60 },
				view: { kind: 'gauge' }
			})
		});
		expect(cycle.ok === false && cycle.fieldErrors['formula.inputs']).toMatch(
			/Die Formeln bilden einen Kreis: ret\.einsaetze → ret\.einsaetze_je_1000 → ret\.einsaetze\./
		);
		const cadence = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: kpi({
				id: 'ret.differenz',
				source: { kind: 'derived', name: 'x' },
				formula: { kind: 'difference', inputs: ['ret.einsaetze', 'ret.einwohner'] }
			})
		});
		expect(cadence).toEqual({
			ok: false,
			fieldErrors: {
				'formula.inputs.1':
					'„Einwohner“ hat einen anderen Rhythmus (yearly) als diese Kennzahl (daily).'
			}
		});
		const unknown = await admin.catalogue.saveKpi({
			mode: 'create',
			kpi: { ...kpi({ id: 'ret.wurzel' }), formula: { kind: 'sqrt', inputs: ['ret.einsaetze'] } }
		});
		expect(unknown.ok === false && Object.values(unknown.fieldErrors).join(' ')).toMatch(
			/Berechnungsart/
		);
		expect(count(db, 'kpi_definitions')).toBe(3);
	});

	test('a derived KPI can be neither the target of a feed nor of a form (its source is "derived")', async () => {
		const asFeed = await admin.catalogue.saveKpi({
			mode: 'update',
			kpi: kpi({
				id: 'ret.einsaetze_je_1000',
				source: { kind: 'feed', name: 'Leitstelle' },
				formula: { kind: 'per_1000', inputs: ['ret.einsaetze', 'ret.einwohner'] }
			})
		});
		expect(asFeed).toEqual({
			ok: false,
			fieldErrors: { 'source.kind': 'Eine berechnete Kennzahl hat die Quelle „derived“.' }
		});
	});

	test('the executive reads but cannot change; the export is the whole catalogue', async () => {
		await trpcError(
			executive.catalogue.saveArea({
				mode: 'update',
				area: { id: 'rettung', title: 'X', sortOrder: 1 }
			}),
			'FORBIDDEN'
		);
		const file = await executive.catalogue.export();
		expect(file).toMatchObject({ format: 'klar-catalogue', version: 1 });
		expect(file.kpis).toHaveLength(3);
		// Applying the export again changes nothing at all.
		const changeLog = count(db, 'change_log');
		const report = applyCatalogue(db, file, { userId: null, now: SEED_NOW });
		expect(report).toMatchObject({ ok: true, created: [], updated: [], unchanged: 4 });
		expect(count(db, 'change_log')).toBe(changeLog);
	});
});

describe('catalogue changes reach the phones (demo city)', () => {
	let seeded: KlarDatabase;
	beforeAll(async () => {
		({ db: seeded } = await openSeededDatabase());
	});
	afterAll(() => {
		seeded.$client.close();
		removeTempDirs();
	});

	test('retiring takes a KPI off the phones as a tombstone; reactivating brings it back with its values', async () => {
		const db = copyDatabase(seeded);
		const admin = callerOf(db, 'u-admin');
		const councillor = callerOf(db, 'u-rat');
		const { cursor } = await pullFrom(councillor, null);
		const observations = count(db, 'observations', `kpi_id = 'bev.geburten'`);

		const refused = await admin.catalogue.setActive({ id: 'bev.einwohner', active: false });
		expect(refused.ok === false && refused.fieldErrors._form).toMatch(/^Darauf bauen noch auf: /);

		expect(await admin.catalogue.setActive({ id: 'bev.geburten', active: false })).toMatchObject({
			ok: true,
			item: { active: false }
		});
		const after = await pullFrom(councillor, cursor);
		expect(ids(after.changes, 'kpi.v2', 'delete')).toEqual(['bev.geburten']);
		expect(ids(after.changes, 'snapshot.v2', 'delete')).toEqual(['bev.geburten']);
		expect(count(db, 'observations', `kpi_id = 'bev.geburten'`)).toBe(observations);
		// A fresh phone does not get it at all.
		const fresh = await pullFrom(councillor, null);
		expect(ids(fresh.changes, 'kpi.v2', 'put')).not.toContain('bev.geburten');

		await admin.catalogue.setActive({ id: 'bev.geburten', active: true });
		const back = await pullFrom(councillor, after.cursor);
		expect(ids(back.changes, 'kpi.v2', 'put')).toEqual(['bev.geburten']);
		const snapshot = back.changes.find((c) => c.entity === 'snapshot.v2' && c.op === 'put');
		expect(
			snapshot?.op === 'put' && snapshot.entity === 'snapshot.v2' && snapshot.data.value
		).not.toBeNull();
		db.$client.close();
	});

	test('narrowing the visibility to internal takes the KPI off a councillor, not off the executive', async () => {
		const db = copyDatabase(seeded);
		const admin = callerOf(db, 'u-admin');
		const councillor = callerOf(db, 'u-rat');
		const executive = callerOf(db, 'u-spitze');
		const [ratStart, spitzeStart] = [
			await pullFrom(councillor, null),
			await pullFrom(executive, null)
		];
		const stored = (await admin.catalogue.overview()).kpis.find((k) => k.id === 'bev.einwohner')!;
		expect(stored.visibility).toBe('public');
		const definition = KpiDefinitionV2.parse(stored);
		const saved = await admin.catalogue.saveKpi({
			mode: 'update',
			kpi: { ...definition, visibility: 'internal' }
		});
		expect(saved.ok).toBe(true);
		const rat = await pullFrom(councillor, ratStart.cursor);
		expect(ids(rat.changes, 'kpi.v2', 'delete')).toContain('bev.einwohner');
		expect(ids(rat.changes, 'snapshot.v2', 'delete')).toContain('bev.einwohner');
		const spitze = await pullFrom(executive, spitzeStart.cursor);
		const put = spitze.changes.find((c) => c.entity === 'kpi.v2' && c.id === 'bev.einwohner');
		expect(put?.op === 'put' && put.entity === 'kpi.v2' && put.data.visibility).toBe('internal');
		// The open data no longer has it either.
		const open = await createCaller(
			contextForToken(db, createSession(db, 'u-rat', SEED_NOW))
		).openData.kpis();
		expect(open.map((k) => k.definition.id)).not.toContain('bev.einwohner');
		db.$client.close();
	});

	test('a form entry into a retired KPI, or with an origin group the list lost, is refused and writes nothing', async () => {
		const db = copyDatabase(seeded);
		const admin = callerOf(db, 'u-admin');
		const editor = callerOf(db, 'u-erfassung');
		// Utilisation and free places are computed from occupancy: retire them first.
		for (const id of ['asyl.auslastung', 'asyl.freie_plaetze']) {
			expect((await admin.catalogue.setActive({ id, active: false })).ok).toBe(true);
		}
		expect((await admin.catalogue.setActive({ id: 'asyl.belegung', active: false })).ok).toBe(true);
		const before = count(db, 'form_entries');
		const push = await editor.sync.push({
			schemaVersion: V,
			entries: [occupancyEntry('u-erfassung')]
		});
		if (push.kind !== 'results') throw new Error(push.kind);
		expect(push.results[0]).toMatchObject({
			result: 'rejected',
			reason: {
				code: 'unknown_reference',
				message: expect.stringMatching(
					/^Die Kennzahl „Belegte Plätze in Unterkünften“ ist stillgelegt/
				)
			}
		});

		const file = demoCatalogue();
		file.dimensions = file.dimensions.map((d) =>
			d.id === 'origin' ? { ...d, members: d.members.filter((m) => m.id !== 'syr') } : d
		);
		expect(applyCatalogue(db, { ...file, kpis: [] }, { userId: null, now: SEED_NOW }).ok).toBe(
			true
		);
		const arrivals = await editor.sync.push({
			schemaVersion: V,
			entries: [
				{
					...occupancyEntry('u-erfassung'),
					formId: 'asyl.zugaenge.v1',
					payload: { week: '2026-W46', originGroup: 'syr', persons: 3, minors: 1 }
				}
			]
		});
		if (arrivals.kind !== 'results') throw new Error(arrivals.kind);
		expect(arrivals.results[0]).toMatchObject({
			result: 'rejected',
			reason: { code: 'unknown_reference', fieldErrors: { originGroup: expect.any(String) } }
		});
		expect(count(db, 'form_entries')).toBe(before);
		db.$client.close();
	});

	test('emptying a KPI needs its id typed, removes its values and is audited', async () => {
		const db = copyDatabase(seeded);
		const admin = callerOf(db, 'u-admin');
		const before = count(db, 'observations', `kpi_id = 'bev.geburten'`);
		expect(before).toBeGreaterThan(0);
		expect(
			await admin.catalogue.emptyKpi({ kpiId: 'bev.geburten', confirmation: 'bev.geburt' })
		).toEqual({
			ok: false,
			fieldErrors: {
				confirmation: 'Zur Bestätigung bitte die Kennung der Kennzahl genau abtippen.'
			}
		});
		expect(count(db, 'observations', `kpi_id = 'bev.geburten'`)).toBe(before);
		expect(
			await admin.catalogue.emptyKpi({ kpiId: 'bev.geburten', confirmation: 'bev.geburten' })
		).toEqual({ ok: true, item: { removed: before } });
		expect(count(db, 'observations', `kpi_id = 'bev.geburten'`)).toBe(0);
		expect(count(db, 'audit_log', `action = 'kpi.empty' AND entity_id = 'bev.geburten'`)).toBe(1);
		const derived = await admin.catalogue.emptyKpi({
			kpiId: 'asyl.auslastung',
			confirmation: 'asyl.auslastung'
		});
		expect(derived.ok).toBe(false);
		db.$client.close();
	});
});

describe('applying a catalogue file', () => {
	test('the demo file on an empty database, then again: the second time writes nothing', () => {
		const { db } = openTempDatabase();
		const first = applyCatalogue(db, demoCatalogue(), { userId: null, now: SEED_NOW });
		expect(first.ok).toBe(true);
		expect(first.created.length).toBe(
			demoCatalogue().areas.length + demoCatalogue().dimensions.length + demoCatalogue().kpis.length
		);
		const [changes, audits] = [count(db, 'change_log'), count(db, 'audit_log')];
		const second = applyCatalogue(db, demoCatalogue(), { userId: null, now: SEED_NOW });
		expect(second).toMatchObject({ ok: true, created: [], updated: [], notInFile: [] });
		expect([count(db, 'change_log'), count(db, 'audit_log')]).toEqual([changes, audits]);
		expect(exportCatalogue(db)).toEqual(demoCatalogue());
		db.$client.close();
	});

	test('a dry run reports and writes nothing; a KPI missing from the file is reported, not deleted', () => {
		const { db } = openTempDatabase();
		applyCatalogue(db, demoCatalogue(), { userId: null, now: SEED_NOW });
		const file = demoCatalogue();
		file.kpis = file.kpis
			.filter((k) => k.id !== 'bev.geburten')
			.map((k) => (k.id === 'bev.einwohner' ? { ...k, title: 'Einwohnerzahl' } : k));
		const changes = count(db, 'change_log');
		const dry = applyCatalogue(db, file, { dryRun: true, userId: null, now: SEED_NOW });
		expect(dry).toMatchObject({
			ok: true,
			dryRun: true,
			updated: ['bev.einwohner'],
			notInFile: ['bev.geburten']
		});
		expect(count(db, 'change_log')).toBe(changes);
		const real = applyCatalogue(db, file, { userId: null, now: SEED_NOW });
		expect(real).toMatchObject({
			ok: true,
			updated: ['bev.einwohner'],
			notInFile: ['bev.geburten']
		});
		expect(count(db, 'kpi_definitions', `id = 'bev.geburten'`)).toBe(1);
		db.$client.close();
	});

	test('a file with any problem writes nothing and names each problem with its path', () => {
		const { db } = openTempDatabase();
		const file = demoCatalogue() as unknown as { kpis: Record<string, unknown>[] };
		file.kpis[0] = { ...file.kpis[0], unit: 'x'.repeat(31), tresholds: null };
		const report = applyCatalogue(db, file, { userId: null, now: SEED_NOW });
		expect(report.ok).toBe(false);
		expect(report.problems).toContainEqual({
			path: ['kpis', 0, 'tresholds'],
			message: expect.stringMatching(/^Das Feld „tresholds“ kennt KLAR hier nicht/)
		});
		expect(report.problems).toContainEqual({
			path: ['kpis', 0, 'unit'],
			message: 'Die Einheit darf höchstens 30 Zeichen haben.'
		});
		expect([count(db, 'kpi_definitions'), count(db, 'areas'), count(db, 'change_log')]).toEqual([
			0, 0, 0
		]);
		db.$client.close();
	});
});
