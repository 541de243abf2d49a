import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { FeedDefinitionError, parseDefinition, registerFeed } from '#server/feeds/definitions';
import { runFeed } from '#server/feeds/runner';
import { appRouter } from '#server/trpc/router';
import { createRequestContext } from '#server/trpc/context';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { UNSAFE_TEXT_MESSAGE } from '#shared/text';
import {
	copyDatabase,
	dailyFacilityFeed,
	count,
	LAST_DATA_DAY,
	loginAs,
	occupancyEntry,
	openSeededDatabase,
	removeTempDirs,
	SEED_NOW,
	tempDir,
	TEST_CLOCK,
	V,
	writeCounts
} from './helpers';

/**
 * What a penetration test found, each held by a test that fails without its fix. The HTTP
 * findings (batches, caching, the 304 policy, oversize uploads) are tested against the built
 * server in tests/e2e/security-headers.e2e.ts.
 */
let seeded: KlarDatabase;
beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});
afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

describe('implausible dates are refused in the shared schema, on the server too', () => {
	test('a day in year 1, a week in 1970, a month in year 0 change nothing', async () => {
		const db = copyDatabase(seeded);
		const editor = await loginAs(db, 'erfassung');
		const finance = await loginAs(db, 'kaemmerei');
		const before = writeCounts(db);
		const day = occupancyEntry(editor.ctx.principal!.id, { date: '0001-01-01' });
		const week = {
			...occupancyEntry(editor.ctx.principal!.id),
			formId: 'asyl.zugaenge.v1',
			payload: { week: '1970-W01', originGroup: 'syr', persons: 3, minors: 1 }
		};
		const period = {
			...occupancyEntry(finance.ctx.principal!.id),
			formId: 'kpi.wert.v1',
			payload: { kpiId: 'fin.ergebnis_prognose', period: '0000-01', value: 1 }
		};
		for (const [session, entry, field] of [
			[editor, day, 'date'],
			[editor, week, 'week'],
			[finance, period, 'period']
		] as const) {
			const answer = await session.caller.sync.push({ schemaVersion: V, entries: [entry] });
			expect(answer).toMatchObject({
				kind: 'results',
				results: [
					{
						result: 'rejected',
						reason: {
							code: 'validation',
							fieldErrors: { [field]: expect.stringContaining('unplausibel weit zurück') }
						}
					}
				]
			});
		}
		expect(writeCounts(db)).toEqual({ ...before, changeLog: before.changeLog });
		expect(count(db, 'form_entries')).toBe(before.formEntries);
		db.$client.close();
	});
});

describe('names with control or bidi-override characters', () => {
	test('are refused for reference lists and accounts with a German message; nothing is stored', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const districts = count(db, 'districts');
		const answer = await admin.caller.reference.saveDistrict({
			name: 'Heim \u202Egnp.exe\u202C Süd',
			active: true
		});
		expect(answer).toEqual({ ok: false, fieldErrors: { name: UNSAFE_TEXT_MESSAGE } });
		const user = await admin.caller.users.create({
			username: 'neu',
			displayName: 'Neu\u0000 Person',
			password: 'ein langes Passwort',
			role: 'executive',
			areas: []
		});
		expect(user).toEqual({ ok: false, fieldErrors: { displayName: UNSAFE_TEXT_MESSAGE } });
		expect(count(db, 'districts')).toBe(districts);
		expect(count(db, 'users', "username = 'neu'")).toBe(0);
		db.$client.close();
	});
});

describe('an area named twice', () => {
	test('is stored once', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const answer = await admin.caller.users.setAccess({
			userId: 'u-erfassung',
			role: 'editor',
			areas: ['asyl', 'asyl', 'soziales', 'asyl']
		});
		expect(answer).toMatchObject({ ok: true, user: { areas: ['asyl', 'soziales'] } });
		const row = db.$client.prepare(`SELECT areas FROM users WHERE id = 'u-erfassung'`).get() as {
			areas: string;
		};
		expect(JSON.parse(row.areas)).toEqual(['asyl', 'soziales']);
		db.$client.close();
	});
});

describe('feeds', () => {
	test('a feed that targets a derived KPI fails in German and writes nothing', () => {
		const db = copyDatabase(seeded);
		const definition = dailyFacilityFeed({
			id: 'auslastung-direkt',
			title: 'Auslastung direkt',
			kpiId: ASYL_KPI.utilisation,
			column: 'wert'
		});
		const path = join(tempDir(), 'auslastung.jsonl');
		writeFileSync(path, `{"tag":"${LAST_DATA_DAY}","einrichtung":"gu-hohenecker","wert":80}\n`);
		registerFeed(db, definition, null, SEED_NOW);
		const before = writeCounts(db);
		const report = runFeed(
			db,
			definition,
			{ path },
			{
				mode: 'import',
				origin: 'cli',
				userId: null,
				clock: TEST_CLOCK
			}
		);
		expect(report.status).toBe('failed');
		expect(report.errors[0]?.message).toMatch(
			/wird aus anderen Kennzahlen berechnet; eine Lieferung kann sie nicht füllen/
		);
		expect(writeCounts(db)).toEqual(before);
		db.$client.close();
	});

	test('a descriptor path cannot leave the definition’s folder, and no file content is echoed', () => {
		const dir = tempDir();
		mkdirSync(join(dir, 'feeds'));
		writeFileSync(join(dir, 'geheim.json'), 'root:x:0:0:root:/root:/bin/bash');
		writeFileSync(join(dir, 'feeds', 'kaputt.json'), 'root:x:0:0:root:/root:/bin/bash');
		const definition = (descriptor: string) => ({
			id: 'schulen',
			title: 'Schulen',
			owner: { department: 'Schulamt', contact: 'Statistik' },
			source: { format: 'datapackage', descriptor },
			mapping: {
				period: { column: 'jahr', format: 'YYYY' },
				values: [{ column: 'wert', kpi: { fixed: 'bil.ohne_abschluss' } }]
			},
			cadence: 'yearly'
		});
		for (const path of ['../geheim.json', '../../../../etc/passwd', '/etc/passwd']) {
			const error = catchError(() => parseDefinition(definition(path), join(dir, 'feeds')));
			expect(error.problems).toEqual([
				`Der Data-Package-Deskriptor muss im selben Ordner wie die Definition liegen (angegeben: „${path}“).`
			]);
		}
		const broken = catchError(() => parseDefinition(definition('kaputt.json'), join(dir, 'feeds')));
		expect(broken.problems).toEqual([
			'Der Data-Package-Deskriptor „kaputt.json“ ist kein gültiges JSON.'
		]);
		expect(JSON.stringify(broken.problems)).not.toContain('root');
	});
});

function catchError(run: () => unknown): FeedDefinitionError {
	try {
		run();
	} catch (error) {
		if (error instanceof FeedDefinitionError) return error;
		throw error;
	}
	throw new Error('expected a FeedDefinitionError');
}

describe('what an error answer tells the browser', () => {
	async function call(db: KlarDatabase, token: string | null, path: string, body: unknown) {
		const response = await fetchRequestHandler({
			endpoint: '/api/trpc',
			req: new Request(`http://klar.test/api/trpc/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			}),
			router: appRouter,
			createContext: ({ resHeaders }) =>
				createRequestContext(
					db,
					TEST_CLOCK,
					{
						principal: token ? (loginPrincipal.get(token) ?? null) : null,
						sessionToken: token,
						https: false,
						clientAddress: '203.0.113.10'
					},
					resHeaders
				)
		});
		return { status: response.status, body: (await response.json()) as { error: unknown } };
	}
	const loginPrincipal = new Map<
		string,
		NonNullable<Awaited<ReturnType<typeof loginAs>>['ctx']['principal']>
	>();

	test('only the German message: no English reason, no validation dump, no stack', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		loginPrincipal.set(admin.token, admin.ctx.principal!);
		const invalid = await call(db, admin.token, 'users.setAccess', {
			userId: 7,
			role: [],
			areas: 'x'
		});
		expect(invalid.status).toBe(400);
		expect(invalid.body.error).toEqual({
			code: -32600,
			message: 'Die Anfrage ist fehlerhaft.',
			data: {
				code: 'BAD_REQUEST',
				httpStatus: 400,
				path: 'users.setAccess',
				userMessage: 'Die Anfrage ist fehlerhaft.'
			}
		});
		const forbidden = await call(db, null, 'users.setAccess', {});
		expect(JSON.stringify(forbidden.body)).not.toMatch(/session|Procedure|role|rule/i);
		expect(forbidden.body.error).toMatchObject({
			message: 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.'
		});
		db.$client.close();
	});
});
