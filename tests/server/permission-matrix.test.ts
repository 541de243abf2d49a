import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { createSession } from '#server/auth/sessions';
import { loadAreas, loadDefinitions } from '#server/kpis/catalogue';
import { createCaller, appRouter } from '#server/trpc/router';
import { previewObservations } from '#server/db/schema';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { openDataIndex, openDataSeries } from '#server/open-data/datasets';
import { openDataCatalogue } from '#server/open-data/dcat';
import { seriesResponse } from '#server/open-data/http';
import { publicProcedure, router, createCallerFactory } from '#server/trpc/init';
import type { AreaId } from '#shared/areas';
import type { Visibility } from '#shared/kpi';
import {
	passesRule,
	PROCEDURE_ACCESS,
	type Principal,
	type ProcedureRule
} from '#shared/permissions';
import type { PullResponseV1, PushResponseV1 } from '#shared/protocol';
import {
	anonymousContext,
	contextForToken,
	copyDatabase,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	V,
	SEED_NOW
} from './helpers';

/**
 * The permission matrix of the product design (README, "Security model"), written out by hand rather than derived from
 * ROLE_RULES, so a wrong rule in the code fails here instead of being copied into the test.
 * Every role × every procedure × every visibility (and area, for scoped roles).
 */
const CALLERS = {
	public: null,
	admin: 'u-admin',
	executive: 'u-spitze',
	councillor: 'u-rat',
	editor: 'u-erfassung',
	lead: 'u-leitung'
} as const;
type Caller = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as Caller[];
/** The demo editor and lead are scoped to the accommodation area. */
const OWN_AREAS: Record<Caller, AreaId[]> = {
	public: [],
	admin: [],
	executive: [],
	councillor: [],
	editor: ['asyl'],
	lead: ['asyl']
};

const MAY_CALL: Record<ProcedureRule, Caller[]> = {
	anyone: CALLER_NAMES,
	signedIn: ['admin', 'executive', 'councillor', 'editor', 'lead'],
	administer: ['admin'],
	readDataQuality: ['admin', 'executive'],
	readCatalogue: ['admin', 'executive'],
	reviewEntries: ['lead']
};

type Reach = 'every area' | 'own areas' | 'none';
const READS: Record<Caller, Record<Visibility, Reach>> = {
	public: { internal: 'none', council: 'none', public: 'every area' },
	admin: { internal: 'every area', council: 'every area', public: 'every area' },
	executive: { internal: 'every area', council: 'every area', public: 'every area' },
	councillor: { internal: 'none', council: 'every area', public: 'every area' },
	editor: { internal: 'own areas', council: 'every area', public: 'every area' },
	lead: { internal: 'own areas', council: 'every area', public: 'every area' }
};

/** A well-formed input for every procedure, so only the permission decides the outcome. */
const SAMPLE_INPUT: Record<string, unknown> = {
	'auth.login': { username: 'vhs', password: 'KLAR-demo-2026!' },
	'auth.me': undefined,
	'auth.logout': undefined,
	'openData.kpis': undefined,
	'city.info': undefined,
	// Allowed for everyone: each caller's copy of the database takes one message.
	'feedback.send': {
		id: '4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b',
		writtenAt: SEED_NOW.toISOString(),
		text: 'Der Kontrast der Fußzeile ist zu schwach.',
		page: '/login'
	},
	'feedback.list': {},
	// Refused for want of the feedback: an allowed call writes nothing.
	'feedback.setState': { id: '00000000-0000-4000-8000-000000000000', state: 'erledigt' },
	'sync.pull': { schemaVersion: V, cursor: null },
	'sync.push': { schemaVersion: V, entries: [occupancyEntry('u-erfassung')] },
	'kpis.history': { kpiId: 'asyl.zugaenge' },
	'entries.release': { entryId: 'kein-eintrag' },
	'entries.reject': { entryId: 'kein-eintrag', note: 'Test' },
	'reference.districts': undefined,
	'reference.facilities': undefined,
	'reference.providers': undefined,
	'reference.saveDistrict': { name: 'Matrixstadt', active: true },
	'reference.saveFacility': {
		name: 'Matrixheim',
		active: true,
		districtId: 'innenstadt-ost',
		capacity: 10
	},
	'reference.saveProvider': { name: 'Matrixschule', active: true, districtId: 'innenstadt-ost' },
	'audit.list': {},
	'feeds.list': undefined,
	'feeds.runs': { feedId: 'einwohnermelderegister' },
	'feeds.definition': { feedId: 'einwohnermelderegister' },
	// Refused for want of a valid definition, a known feed or run, or the right confirmation.
	'feeds.preview': { definition: '{', sample: { fileName: 'x.csv', base64: 'YQ==' } },
	'feeds.save': {
		definition: '{',
		sample: { fileName: 'x.csv', base64: 'YQ==' },
		intent: 'create'
	},
	'feeds.versions': { feedId: 'einwohnermelderegister' },
	'feeds.setActive': { feedId: 'keine-lieferung', active: false },
	'feeds.remove': { feedId: 'einwohnermelderegister', confirmation: 'nicht die Kennung' },
	'feeds.takeBack': { runId: 'kein-lauf' },
	'quality.overview': undefined,
	'catalogue.overview': undefined,
	'catalogue.export': undefined,
	'catalogue.saveKpi': {
		mode: 'update',
		kpi: { id: 'bev.einwohner', title: 'Matrix' }
	},
	// Allowed calls are answered with a refusal that writes nothing (the capacity has dependants,
	// the area does not exist, the confirmation is wrong): the pulls below see the demo unchanged.
	'catalogue.setActive': { id: 'asyl.kapazitaet', active: false },
	'catalogue.saveArea': {
		mode: 'update',
		area: { id: 'matrix', title: 'Matrix', sortOrder: 99 }
	},
	'catalogue.emptyKpi': { kpiId: 'bev.geburten', confirmation: 'nicht die Kennung' },
	'users.list': undefined,
	'users.create': {
		username: 'matrix',
		displayName: 'Matrix Test',
		password: 'lang genug 2026',
		role: 'councillor',
		areas: []
	},
	'users.setAccess': { userId: 'u-vhs', role: 'lead', areas: ['bildung'] },
	'users.setDisabled': { userId: 'u-vhs', disabled: true },
	'users.resetPassword': { userId: 'u-vhs', password: 'lang genug 2026' },
	'users.endSessions': { userId: 'u-vhs' }
};

const procedures = Object.keys(appRouter._def.procedures).sort();

let seeded: KlarDatabase;
const databases = new Map<Caller, KlarDatabase>();

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
	for (const caller of CALLER_NAMES) databases.set(caller, copyDatabase(seeded));
});

afterAll(() => {
	for (const db of databases.values()) db.$client.close();
	seeded.$client.close();
	removeTempDirs();
});

/** A caller with a fresh session of its own (no scrypt: the session is made directly). */
function callerFor(caller: Caller) {
	const db = databases.get(caller)!;
	const userId = CALLERS[caller];
	return userId
		? createCaller(contextForToken(db, createSession(db, userId, SEED_NOW)))
		: createCaller(anonymousContext(db));
}

/** Row counts of every table except sessions (a request slides its session's expiry). */
function tableCounts(db: KlarDatabase): Record<string, number> {
	const tables = db.$client
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sessions'`)
		.all() as { name: string }[];
	return Object.fromEntries(
		tables.map(({ name }) => [
			name,
			(db.$client.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n
		])
	);
}

async function call(caller: Caller, path: string): Promise<{ ok: true } | { code: string }> {
	const [namespace, name] = path.split('.') as [string, string];
	const api = callerFor(caller) as unknown as Record<
		string,
		Record<string, (input: unknown) => Promise<unknown>>
	>;
	try {
		await api[namespace]![name]!(SAMPLE_INPUT[path]);
		return { ok: true };
	} catch (error) {
		if (error instanceof TRPCError) return { code: error.code };
		throw error;
	}
}

describe('the permission table', () => {
	test('names every procedure of the server, and nothing else', () => {
		expect(Object.keys(PROCEDURE_ACCESS).sort()).toEqual(procedures);
		expect(Object.keys(SAMPLE_INPUT).sort()).toEqual(procedures);
	});

	test('the rules in the code agree with the matrix written out here', () => {
		for (const rule of Object.keys(MAY_CALL) as ProcedureRule[]) {
			for (const caller of CALLER_NAMES) {
				const principal = CALLERS[caller] ? ({ role: caller } as Pick<Principal, 'role'>) : null;
				expect(passesRule(principal, rule), `${caller} × ${rule}`).toBe(
					MAY_CALL[rule].includes(caller)
				);
			}
		}
	});

	test('a procedure missing from the table is refused to everyone, even an admin (deny by default)', async () => {
		const unlisted = router({ secret: publicProcedure.query(() => 'offen') });
		const db = databases.get('admin')!;
		const admin = createCallerFactory(unlisted)(
			contextForToken(db, createSession(db, 'u-admin', SEED_NOW))
		);
		await expect(admin.secret()).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe.each(procedures.filter((p) => p !== 'auth.logout').concat('auth.logout'))('%s', (path) => {
	const rule = PROCEDURE_ACCESS[path]!.rule;
	test.each(CALLER_NAMES)(`%s`, async (caller) => {
		const db = databases.get(caller)!;
		const before = tableCounts(db);
		const outcome = await call(caller, path);
		if (MAY_CALL[rule].includes(caller)) {
			// Allowed through: whatever the procedure answers, it is not a refusal of the caller.
			if ('code' in outcome) expect(['UNAUTHORIZED', 'FORBIDDEN']).not.toContain(outcome.code);
		} else {
			expect(outcome).toEqual({ code: caller === 'public' ? 'UNAUTHORIZED' : 'FORBIDDEN' });
			expect(tableCounts(db), 'a refused call writes nothing').toEqual(before);
		}
	});
});

describe('sync pull: role × visibility × area', () => {
	const definitions = () => loadDefinitions(seeded);

	async function pullAll(caller: Caller) {
		const api = callerFor(caller);
		const ids = { kpi: new Set<string>(), snapshot: new Set<string>(), area: new Set<string>() };
		let cursor: string | null = null;
		for (;;) {
			const page: PullResponseV1 = await api.sync.pull({ schemaVersion: V, cursor });
			if (page.kind !== 'changes') throw new Error(`unexpected ${page.kind}`);
			for (const change of page.changes) {
				if (change.op !== 'put') continue;
				if (change.entity === 'kpi.v2') ids.kpi.add(change.id);
				if (change.entity === 'area.v1') ids.area.add(change.id);
				if (change.entity === 'snapshot.v2') ids.snapshot.add(change.id);
			}
			if (!page.hasMore) return ids;
			cursor = page.cursor;
		}
	}

	test('every visibility and area is present in the demo catalogue', () => {
		const kinds = new Set(definitions().map((d) => d.visibility));
		expect([...kinds].sort()).toEqual(['council', 'internal', 'public']);
		for (const { id } of loadAreas(seeded)) {
			expect(definitions().some((d) => d.areaId === id)).toBe(true);
		}
	});

	test.each(CALLER_NAMES.filter((c) => c !== 'public'))(
		'%s gets exactly the KPIs and snapshots of the matrix',
		async (caller) => {
			const received = await pullAll(caller);
			// The areas themselves are no secret: every phone gets them all.
			expect([...received.area].sort()).toEqual(
				loadAreas(seeded)
					.map((a) => a.id)
					.sort()
			);
			for (const visibility of ['internal', 'council', 'public'] as const) {
				for (const { id: area } of loadAreas(seeded)) {
					const reach = READS[caller][visibility];
					const expected =
						reach === 'every area' || (reach === 'own areas' && OWN_AREAS[caller].includes(area));
					const ids = definitions()
						.filter((d) => d.visibility === visibility && d.areaId === area)
						.map((d) => d.id);
					for (const id of ids) {
						expect(received.kpi.has(id), `${caller} ${visibility} ${area} ${id}`).toBe(expected);
						expect(received.snapshot.has(id), `${caller} snapshot ${id}`).toBe(expected);
					}
				}
			}
		}
	);

	test('without a session there is no pull at all', async () => {
		expect(await call('public', 'sync.pull')).toEqual({ code: 'UNAUTHORIZED' });
	});

	test.each(CALLER_NAMES)(
		'%s reads as open data exactly the public KPIs of every area, withheld as councillors get them',
		async (caller) => {
			const open = await callerFor(caller).openData.kpis();
			const received = new Set(open.map((k) => k.definition.id));
			for (const visibility of ['internal', 'council', 'public'] as const) {
				for (const { id: area } of loadAreas(seeded)) {
					for (const d of definitions().filter(
						(d) => d.visibility === visibility && d.areaId === area
					)) {
						expect(received.has(d.id), `${visibility} ${area} ${d.id}`).toBe(
							READS.public[visibility] === 'every area' && d.active
						);
					}
				}
			}
			const councillor = await callerFor('councillor').sync.pull({
				schemaVersion: V,
				cursor: null
			});
			if (councillor.kind !== 'changes') throw new Error(councillor.kind);
			for (const { definition, snapshot } of open) {
				const same = councillor.changes.find(
					(c) => c.entity === 'snapshot.v2' && c.id === definition.id && c.op === 'put'
				);
				if (same && same.op === 'put') expect(snapshot, definition.id).toEqual(same.data);
			}
		}
	);
});

describe('sync push: role × area', () => {
	/** Editors and leads write in their own areas only; nobody else writes forms. */
	const WRITES: Record<Exclude<Caller, 'public'>, boolean> = {
		admin: false,
		executive: false,
		councillor: false,
		editor: true,
		lead: true
	};

	test.each(Object.keys(WRITES) as Exclude<Caller, 'public'>[])(
		'%s pushing an accommodation entry of their own',
		async (caller) => {
			// Another facility than the sample push of the matrix above, which took Hohenecker Straße.
			const entry = occupancyEntry(CALLERS[caller], { facilityId: 'gu-pfaffgelaende' });
			const answer: PushResponseV1 = await callerFor(caller).sync.push({
				schemaVersion: V,
				entries: [entry]
			});
			if (answer.kind !== 'results') throw new Error(answer.kind);
			const result = answer.results[0]!;
			if (WRITES[caller])
				expect(result, JSON.stringify(result)).toMatchObject({ result: 'applied' });
			else expect(result).toMatchObject({ result: 'rejected', reason: { code: 'forbidden' } });
		}
	);

	test('an entry in an area outside the own ones is refused', async () => {
		const db = databases.get('editor')!;
		const vhs = createCaller(contextForToken(db, createSession(db, 'u-vhs', SEED_NOW)));
		const answer = await vhs.sync.push({ schemaVersion: V, entries: [occupancyEntry('u-vhs')] });
		expect(answer).toMatchObject({
			kind: 'results',
			results: [{ result: 'rejected', reason: { code: 'forbidden' } }]
		});
	});

	test('an entry in someone else’s name is refused, whatever the role', async () => {
		const answer = await callerFor('lead').sync.push({
			schemaVersion: V,
			entries: [occupancyEntry('u-erfassung')]
		});
		expect(answer).toMatchObject({
			kind: 'results',
			results: [{ result: 'rejected', reason: { code: 'wrong_author' } }]
		});
	});
});

describe('open-data files and catalogue: what the public reads, nothing more', () => {
	/**
	 * The portal's index, the series downloads and the DCAT-AP.de catalogue are served without a
	 * login and outside tRPC, so they follow the public row of the matrix on their own: every
	 * KPI the public may read, and no internal or council KPI, whatever its area.
	 */
	test('name exactly the KPIs whose visibility the public reads', async () => {
		const definitions = loadDefinitions(seeded).filter((d) => d.active);
		const index = openDataIndex(seeded, SEED_NOW);
		const catalogue = openDataCatalogue(seeded, 'https://klar.example.org', SEED_NOW);
		const catalogued = new Set(catalogue.datasetUris.map((uri) => uri.split('/').at(-1)));
		const listed = new Set(index.datasets.map((d) => d.kpi.id));
		for (const visibility of ['internal', 'council', 'public'] as const) {
			const kpis = definitions.filter((d) => d.visibility === visibility);
			expect(kpis.length, visibility).toBeGreaterThan(0);
			const readable = READS.public[visibility] === 'every area';
			for (const d of kpis) {
				expect(listed.has(d.id), `index ${d.id}`).toBe(readable);
				expect(catalogued.has(d.id), `catalogue ${d.id}`).toBe(readable);
				expect(openDataSeries(seeded, d.id, SEED_NOW) !== null, `series ${d.id}`).toBe(readable);
				expect(seriesResponse(seeded, d.id, 'csv', SEED_NOW).status, `csv ${d.id}`).toBe(
					readable ? 200 : 404
				);
			}
		}
	});

	test('the files hold what the public reads through openData.kpis, never a value awaiting release', async () => {
		const db = copyDatabase(seeded);
		try {
			const open = await createCaller(anonymousContext(db)).openData.kpis();
			const target = open.find((k) => k.snapshot?.period)!;
			const awaiting = 123456789;
			db.insert(previewObservations)
				.values({
					kpiId: target.definition.id,
					period: target.snapshot!.period!,
					dimensionKey: '',
					value: awaiting
				})
				.run();
			rebuildSnapshots(db, [target.definition.id], SEED_NOW);
			const index = openDataIndex(db, SEED_NOW);
			for (const { definition, snapshot } of open) {
				const entry = index.datasets.find((d) => d.kpi.id === definition.id)!;
				expect(entry.latest?.period ?? null, definition.id).toBe(snapshot?.period ?? null);
				if (!entry.latest?.withheld)
					expect(entry.latest?.value ?? null).toBe(snapshot?.value ?? null);
			}
			const everything = [
				JSON.stringify(index),
				JSON.stringify(openDataSeries(db, target.definition.id, SEED_NOW)),
				await seriesResponse(db, target.definition.id, 'csv', SEED_NOW).text(),
				JSON.stringify(openDataCatalogue(db, 'https://klar.example.org', SEED_NOW).quads)
			].join('\n');
			expect(everything).not.toContain(String(awaiting));
		} finally {
			db.$client.close();
		}
	});
});
