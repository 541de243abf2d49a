import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { createCaller } from '#server/trpc/router';
import type { ChangeV1 } from '#shared/protocol';
import { capacityFromText, slugOf, uniqueSlug, type FacilityRow } from '#shared/reference';
import {
	anonymousContext,
	copyDatabase,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	trpcError,
	userMessageOf,
	V,
	type Session
} from './helpers';

let seeded: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});

afterAll(() => removeTempDirs());

/** Pulls until the device has everything; returns the cursor it would keep. */
async function syncToHead(session: Session): Promise<string> {
	let cursor: string | null = null;
	for (let pages = 0; pages < 100; pages++) {
		const response = await session.caller.sync.pull({ schemaVersion: V, cursor });
		if (response.kind !== 'changes') throw new Error(`expected changes, got ${response.kind}`);
		cursor = response.cursor;
		if (!response.hasMore) return cursor;
	}
	throw new Error('pull does not end');
}

/** Every change since the cursor, over as many pages as it takes. */
async function changesSince(session: Session, cursor: string): Promise<ChangeV1[]> {
	const changes: ChangeV1[] = [];
	let next: string = cursor;
	for (let pages = 0; pages < 100; pages++) {
		const response = await session.caller.sync.pull({ schemaVersion: V, cursor: next });
		if (response.kind !== 'changes') throw new Error(`expected changes, got ${response.kind}`);
		changes.push(...response.changes);
		next = response.cursor;
		if (!response.hasMore) return changes;
	}
	throw new Error('pull does not end');
}

const put = (changes: ChangeV1[], entity: ChangeV1['entity'], id: string) =>
	changes.find((c) => c.entity === entity && c.id === id && c.op === 'put');

interface AuditRow {
	userId: string | null;
	action: string;
	entity: string;
	entityId: string;
	oldValue: unknown;
	newValue: unknown;
}

function auditRowsFor(db: KlarDatabase, entity: string, entityId: string): AuditRow[] {
	return (
		db.$client
			.prepare(
				`SELECT user_id AS userId, action, entity, entity_id AS entityId, old_value AS oldValue,
				 new_value AS newValue FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id`
			)
			.all(entity, entityId) as (AuditRow & { oldValue: string | null; newValue: string | null })[]
	).map((row) => ({
		...row,
		oldValue: row.oldValue === null ? null : JSON.parse(row.oldValue),
		newValue: row.newValue === null ? null : JSON.parse(row.newValue)
	}));
}

function changeLogRows(db: KlarDatabase, entity: string, entityId: string): number {
	return count(db, 'change_log', `entity = '${entity}' AND entity_id = '${entityId}'`);
}

function snapshotLabels(db: KlarDatabase, kpiId: string): string[] {
	const row = db.$client.prepare('SELECT payload FROM snapshots WHERE kpi_id = ?').get(kpiId) as {
		payload: string;
	};
	return (JSON.parse(row.payload).breakdown as { label: string }[]).map((b) => b.label);
}

/** Everything a reference-list change may write. */
function listWrites(db: KlarDatabase) {
	return {
		districts: db.$client.prepare('SELECT * FROM districts ORDER BY id').all(),
		facilities: db.$client.prepare('SELECT * FROM facilities ORDER BY id').all(),
		providers: db.$client.prepare('SELECT * FROM course_providers ORDER BY id').all(),
		audit: count(db, 'audit_log'),
		changeLog: count(db, 'change_log'),
		snapshots: db.$client.prepare('SELECT kpi_id, payload FROM snapshots ORDER BY kpi_id').all()
	};
}

describe('ids of new entries', () => {
	test('are ascii slugs of the name, with umlauts spelled out', () => {
		expect(slugOf('GU Hohenecker Straße')).toBe('gu-hohenecker-strasse');
		expect(slugOf('  Übergangsheim „Öko-Äcker“ Nr. 3 ')).toBe('uebergangsheim-oeko-aecker-nr-3');
		expect(slugOf('Café René')).toBe('cafe-rene');
		expect(slugOf('!!')).toBe('eintrag');
	});

	test('get a suffix when the slug is taken', () => {
		const taken = new Set(['wohnheim-kotten', 'wohnheim-kotten-2']);
		expect(uniqueSlug('Wohnheim Kotten', (id) => taken.has(id))).toBe('wohnheim-kotten-3');
	});

	test('capacities typed on a phone become numbers, text does not', () => {
		expect(capacityFromText(' 240 ')).toBe(240);
		expect(capacityFromText('1.200')).toBe(1200);
		expect(capacityFromText('-1')).toBe(-1);
		expect(capacityFromText('12,5')).toBe(12.5);
		expect(capacityFromText('viele')).toBeNull();
		expect(capacityFromText('')).toBeNull();
	});
});

describe('An admin maintains the facilities', () => {
	let db: KlarDatabase;
	let admin: Session;
	let erfassung: Session;
	let cursor: string;

	beforeAll(async () => {
		db = copyDatabase(seeded);
		admin = await loginAs(db, 'admin');
		erfassung = await loginAs(db, 'erfassung');
		cursor = await syncToHead(erfassung);
	});

	test('creates a facility with its capacity; asyl staff receive it on their next pull', async () => {
		const result = await admin.caller.reference.saveFacility({
			name: '  Notunterkunft   Messehalle ',
			districtId: 'west',
			capacity: 120,
			active: true
		});
		expect(result).toMatchObject({
			ok: true,
			outcome: 'created',
			item: {
				id: 'notunterkunft-messehalle',
				name: 'Notunterkunft Messehalle',
				districtId: 'west',
				district: 'Kaiserslautern-West',
				capacity: 120,
				active: true
			}
		});
		expect(auditRowsFor(db, 'facility', 'notunterkunft-messehalle')).toEqual([
			{
				userId: 'u-admin',
				action: 'reference.create',
				entity: 'facility',
				entityId: 'notunterkunft-messehalle',
				oldValue: null,
				newValue: {
					name: 'Notunterkunft Messehalle',
					districtId: 'west',
					capacity: 120,
					active: true
				}
			}
		]);
		expect(changeLogRows(db, 'facility.v1', 'notunterkunft-messehalle')).toBe(1);

		const changes = await changesSince(erfassung, cursor);
		expect(put(changes, 'facility.v1', 'notunterkunft-messehalle')).toEqual({
			op: 'put',
			entity: 'facility.v1',
			id: 'notunterkunft-messehalle',
			data: {
				id: 'notunterkunft-messehalle',
				name: 'Notunterkunft Messehalle',
				district: 'Kaiserslautern-West',
				capacity: 120,
				active: true
			}
		});
		const list = await admin.caller.reference.facilities();
		expect(list.map((f) => f.id)).toContain('notunterkunft-messehalle');
	});

	test('renames a facility and changes its capacity: the KPI breakdown shows the new name', async () => {
		const before = await syncToHead(erfassung);
		expect(snapshotLabels(db, 'asyl.belegung')).toContain('Wohnheim Kotten');
		const result = await admin.caller.reference.saveFacility({
			id: 'wh-kotten',
			name: 'Wohnheim Kotten (Altbau)',
			districtId: 'innenstadt-west',
			capacity: 90,
			active: true
		});
		expect(result).toMatchObject({ ok: true, outcome: 'updated' });
		expect(auditRowsFor(db, 'facility', 'wh-kotten')).toEqual([
			{
				userId: 'u-admin',
				action: 'reference.update',
				entity: 'facility',
				entityId: 'wh-kotten',
				oldValue: {
					name: 'Wohnheim Kotten',
					districtId: 'innenstadt-west',
					capacity: 96,
					active: true
				},
				newValue: {
					name: 'Wohnheim Kotten (Altbau)',
					districtId: 'innenstadt-west',
					capacity: 90,
					active: true
				}
			}
		]);
		const labels = snapshotLabels(db, 'asyl.belegung');
		expect(labels).toContain('Wohnheim Kotten (Altbau)');
		expect(labels).not.toContain('Wohnheim Kotten');

		const changes = await changesSince(erfassung, before);
		expect(put(changes, 'facility.v1', 'wh-kotten')).toMatchObject({
			data: { name: 'Wohnheim Kotten (Altbau)', capacity: 90 }
		});
		const snapshot = put(changes, 'snapshot.v2', 'asyl.belegung');
		expect(snapshot?.op === 'put' && JSON.stringify(snapshot.data)).toContain(
			'Wohnheim Kotten (Altbau)'
		);
	});

	test('deactivates and reactivates a facility; it stays in the lists, never deleted', async () => {
		const before = await syncToHead(erfassung);
		const facilitiesBefore = count(db, 'facilities');
		const off = await admin.caller.reference.saveFacility({
			id: 'mu-morlautern',
			name: 'Modulunterkunft Morlautern',
			districtId: 'morlautern',
			capacity: 64,
			active: false
		});
		expect(off).toMatchObject({ ok: true, outcome: 'updated', item: { active: false } });
		expect(count(db, 'facilities')).toBe(facilitiesBefore);
		const listed = (await admin.caller.reference.facilities()).find(
			(f) => f.id === 'mu-morlautern'
		);
		expect(listed?.active).toBe(false);
		const changes = await changesSince(erfassung, before);
		expect(put(changes, 'facility.v1', 'mu-morlautern')).toMatchObject({ data: { active: false } });

		await admin.caller.reference.saveFacility({ ...listed!, active: true });
		const rows = auditRowsFor(db, 'facility', 'mu-morlautern');
		expect(
			rows.map((r) => [
				r.action,
				(r.oldValue as FacilityRow).active,
				(r.newValue as FacilityRow).active
			])
		).toEqual([
			['reference.update', true, false],
			['reference.update', false, true]
		]);
	});

	test('saving an entry without a change writes nothing', async () => {
		const [facility] = await admin.caller.reference.facilities();
		const before = listWrites(db);
		const result = await admin.caller.reference.saveFacility({
			id: facility!.id,
			name: facility!.name,
			districtId: facility!.districtId,
			capacity: facility!.capacity,
			active: facility!.active
		});
		expect(result).toMatchObject({ ok: true, outcome: 'unchanged' });
		expect(listWrites(db)).toEqual(before);
	});

	test('a new name whose slug is taken gets a numbered id', async () => {
		const first = await admin.caller.reference.saveFacility({
			name: 'Haus am Park',
			districtId: 'erfenbach',
			capacity: 10,
			active: true
		});
		const second = await admin.caller.reference.saveFacility({
			name: 'Haus am Park!',
			districtId: 'erfenbach',
			capacity: 10,
			active: true
		});
		expect(first.ok && first.item.id).toBe('haus-am-park');
		expect(second.ok && second.item.id).toBe('haus-am-park-2');
	});
});

describe('An admin maintains the districts', () => {
	let db: KlarDatabase;
	let admin: Session;
	let erfassung: Session;
	let vhs: Session;

	beforeAll(async () => {
		db = copyDatabase(seeded);
		admin = await loginAs(db, 'admin');
		erfassung = await loginAs(db, 'erfassung');
		vhs = await loginAs(db, 'vhs');
	});

	test('creates a district at the end of the list', async () => {
		const result = await admin.caller.reference.saveDistrict({ name: 'Neue Mitte', active: true });
		expect(result).toMatchObject({
			ok: true,
			outcome: 'created',
			item: { id: 'neue-mitte', name: 'Neue Mitte', sortOrder: 18, active: true }
		});
		const districts = await admin.caller.reference.districts();
		expect(districts.at(-1)?.id).toBe('neue-mitte');
		expect(auditRowsFor(db, 'district', 'neue-mitte')).toMatchObject([
			{ action: 'reference.create', oldValue: null, newValue: { name: 'Neue Mitte' } }
		]);
		expect(changeLogRows(db, 'district.v1', 'neue-mitte')).toBe(1);
	});

	test('a rename reaches districts, the facilities and providers in it, and the breakdowns', async () => {
		const asylCursor = await syncToHead(erfassung);
		const vhsCursor = await syncToHead(vhs);
		expect(snapshotLabels(db, 'bev.einwohner')).toContain('Betzenberg');

		const result = await admin.caller.reference.saveDistrict({
			id: 'betzenberg',
			name: 'Betzenberg-Süd',
			active: true
		});
		expect(result).toMatchObject({ ok: true, outcome: 'updated' });
		expect(auditRowsFor(db, 'district', 'betzenberg')).toMatchObject([
			{
				action: 'reference.update',
				oldValue: { name: 'Betzenberg', active: true },
				newValue: { name: 'Betzenberg-Süd', active: true }
			}
		]);
		expect(snapshotLabels(db, 'bev.einwohner')).toContain('Betzenberg-Süd');

		const asyl = await changesSince(erfassung, asylCursor);
		expect(put(asyl, 'district.v1', 'betzenberg')).toMatchObject({
			data: { name: 'Betzenberg-Süd', active: true }
		});
		expect(put(asyl, 'facility.v1', 'wh-betzenberg')).toMatchObject({
			data: { district: 'Betzenberg-Süd' }
		});
		expect(put(asyl, 'snapshot.v2', 'bev.einwohner')).toBeDefined();
		// Course providers are internal to education: asyl staff do not get them.
		expect(asyl.some((c) => c.entity === 'provider.v1')).toBe(false);

		const bildung = await changesSince(vhs, vhsCursor);
		expect(put(bildung, 'provider.v1', 'awo')).toMatchObject({
			data: { district: 'Betzenberg-Süd' }
		});
	});

	test('deactivates a district: new entries cannot choose it, existing ones keep it', async () => {
		const result = await admin.caller.reference.saveDistrict({
			id: 'moelschbach',
			name: 'Mölschbach',
			active: false
		});
		expect(result).toMatchObject({ ok: true, outcome: 'updated', item: { active: false } });
		expect(auditRowsFor(db, 'district', 'moelschbach')).toMatchObject([
			{ oldValue: { active: true }, newValue: { active: false } }
		]);

		const before = listWrites(db);
		const refused = await admin.caller.reference.saveFacility({
			name: 'Notunterkunft Mölschbach',
			districtId: 'moelschbach',
			capacity: 20,
			active: true
		});
		expect(refused).toEqual({
			ok: false,
			fieldErrors: {
				districtId: 'Der Stadtteil „Mölschbach“ ist inaktiv. Bitte einen aktiven Stadtteil wählen.'
			}
		});
		expect(listWrites(db)).toEqual(before);

		// A facility already in a district that was deactivated can still be edited.
		await admin.caller.reference.saveDistrict({
			id: 'siegelbach',
			name: 'Siegelbach',
			active: false
		});
		const kept = await admin.caller.reference.saveFacility({
			id: 'nu-siegelbach',
			name: 'Notunterkunft Siegelbach',
			districtId: 'siegelbach',
			capacity: 40,
			active: false
		});
		expect(kept).toMatchObject({ ok: true, outcome: 'updated' });
	});
});

describe('An admin maintains the course providers', () => {
	test('renames a provider; education staff receive it, with an audit record', async () => {
		const db = copyDatabase(seeded);
		const admin = await loginAs(db, 'admin');
		const vhs = await loginAs(db, 'vhs');
		const cursor = await syncToHead(vhs);

		const created = await admin.caller.reference.saveProvider({
			name: 'Sprachtreff Morlautern',
			districtId: 'morlautern',
			active: true
		});
		expect(created).toMatchObject({
			ok: true,
			outcome: 'created',
			item: { id: 'sprachtreff-morlautern', district: 'Morlautern' }
		});

		const renamed = await admin.caller.reference.saveProvider({
			id: 'awo',
			name: 'AWO Bildungswerk Westpfalz',
			districtId: 'betzenberg',
			active: true
		});
		expect(renamed).toMatchObject({ ok: true, outcome: 'updated' });
		expect(auditRowsFor(db, 'course_provider', 'awo')).toEqual([
			{
				userId: 'u-admin',
				action: 'reference.update',
				entity: 'course_provider',
				entityId: 'awo',
				oldValue: { name: 'AWO Bildungswerk', districtId: 'betzenberg', active: true },
				newValue: { name: 'AWO Bildungswerk Westpfalz', districtId: 'betzenberg', active: true }
			}
		]);
		const deactivated = await admin.caller.reference.saveProvider({
			id: 'bfw',
			name: 'Berufsförderungswerk Westpfalz',
			districtId: 'west',
			active: false
		});
		expect(deactivated).toMatchObject({ ok: true, item: { active: false } });
		expect(changeLogRows(db, 'provider.v1', 'awo')).toBe(2);

		const changes = await changesSince(vhs, cursor);
		expect(put(changes, 'provider.v1', 'awo')).toMatchObject({
			data: { name: 'AWO Bildungswerk Westpfalz', district: 'Betzenberg' }
		});
		expect(put(changes, 'provider.v1', 'sprachtreff-morlautern')).toBeDefined();
		expect(put(changes, 'provider.v1', 'bfw')).toMatchObject({ data: { active: false } });
		const providers = await admin.caller.reference.providers();
		expect(providers.map((p) => p.name)).toEqual(
			[...providers.map((p) => p.name)].sort((a, b) => a.localeCompare(b, 'de'))
		);
	});
});

describe('Bad input gets a German message beside its field and writes nothing', () => {
	let db: KlarDatabase;
	let admin: Session;

	beforeAll(async () => {
		db = copyDatabase(seeded);
		admin = await loginAs(db, 'admin');
	});

	const facility = { name: 'Neues Haus', districtId: 'west', capacity: 50, active: true };

	test.each([
		[
			'a name the list has (any case)',
			{ ...facility, name: 'gu  Hohenecker STRAßE' },
			{
				name: '„GU Hohenecker Straße“ gibt es in der Liste der Einrichtungen schon. Bitte einen anderen Namen wählen.'
			}
		],
		[
			'an unknown district',
			{ ...facility, districtId: 'atlantis' },
			{ districtId: 'Diesen Stadtteil gibt es nicht. Bitte einen Stadtteil wählen.' }
		],
		[
			'a negative capacity',
			{ ...facility, capacity: -1 },
			{ capacity: 'Die Kapazität darf nicht negativ sein.' }
		],
		[
			'a capacity over 5,000',
			{ ...facility, capacity: 5001 },
			{ capacity: 'Die Kapazität darf höchstens 5.000 Plätze betragen.' }
		],
		[
			'a capacity that is not whole',
			{ ...facility, capacity: 12.5 },
			{ capacity: 'Die Kapazität muss eine ganze Zahl sein.' }
		],
		[
			'no capacity',
			{ ...facility, capacity: null },
			{ capacity: 'Bitte die Kapazität als ganze Zahl angeben.' }
		],
		[
			'a name of one letter and no district',
			{ ...facility, name: ' A ', districtId: '' },
			{
				name: 'Der Name muss mindestens 2 Zeichen lang sein.',
				districtId: 'Bitte einen Stadtteil wählen.'
			}
		],
		[
			'an id that does not exist',
			{ ...facility, id: 'gibt-es-nicht' },
			{ _form: 'Diesen Eintrag gibt es nicht (mehr). Bitte die Liste neu laden.' }
		]
	])('facility with %s', async (_, draft, fieldErrors) => {
		const before = listWrites(db);
		const result = await admin.caller.reference.saveFacility(draft);
		expect(result).toEqual({ ok: false, fieldErrors });
		expect(listWrites(db)).toEqual(before);
	});

	test('a duplicate district or provider name, also of an inactive entry', async () => {
		await admin.caller.reference.saveProvider({
			id: 'caritas',
			name: 'Caritas-Zentrum Sprachschule',
			districtId: 'innenstadt-nord',
			active: false
		});
		const before = listWrites(db);
		expect(await admin.caller.reference.saveDistrict({ name: 'erfenbach', active: true })).toEqual({
			ok: false,
			fieldErrors: {
				name: '„Erfenbach“ gibt es in der Liste der Stadtteile schon. Bitte einen anderen Namen wählen.'
			}
		});
		expect(
			await admin.caller.reference.saveProvider({
				id: 'vhs',
				name: 'CARITAS-Zentrum Sprachschule',
				districtId: 'innenstadt-ost',
				active: true
			})
		).toEqual({
			ok: false,
			fieldErrors: {
				name: '„Caritas-Zentrum Sprachschule“ (inaktiv) gibt es in der Liste der Kursträger schon. Bitte einen anderen Namen wählen oder den vorhandenen Eintrag wieder aktivieren.'
			}
		});
		expect(listWrites(db)).toEqual(before);
	});

	test('an entry may change the case of its own name', async () => {
		const result = await admin.caller.reference.saveDistrict({
			id: 'west',
			name: 'Kaiserslautern-WEST',
			active: true
		});
		expect(result).toMatchObject({ ok: true, outcome: 'updated' });
	});

	test('a request of the wrong shape is refused before anything is read', async () => {
		const before = listWrites(db);
		await trpcError(
			admin.caller.reference.saveFacility({
				...facility,
				capacity: '50' as unknown as number
			}),
			'BAD_REQUEST'
		);
		expect(listWrites(db)).toEqual(before);
	});
});

describe('Only admins maintain the lists (deny by default)', () => {
	const NON_ADMINS = ['spitze', 'rat', 'erfassung', 'leitung', 'vhs', 'licht', 'kaemmerei'];

	function everyProcedure(caller: Session['caller']): [string, () => Promise<unknown>][] {
		return [
			['reference.districts', () => caller.reference.districts()],
			['reference.facilities', () => caller.reference.facilities()],
			['reference.providers', () => caller.reference.providers()],
			[
				'reference.saveDistrict',
				() => caller.reference.saveDistrict({ name: 'Zentrum', active: true })
			],
			[
				'reference.saveDistrict (update)',
				() => caller.reference.saveDistrict({ id: 'west', name: 'Westen', active: false })
			],
			[
				'reference.saveFacility',
				() =>
					caller.reference.saveFacility({
						id: 'gu-hohenecker',
						name: 'Umbenannt',
						districtId: 'west',
						capacity: 1,
						active: false
					})
			],
			[
				'reference.saveProvider',
				() =>
					caller.reference.saveProvider({ name: 'Neuer Träger', districtId: 'west', active: true })
			],
			['audit.list', () => caller.audit.list({})]
		];
	}

	test.each(NON_ADMINS)('%s gets FORBIDDEN everywhere and changes nothing', async (username) => {
		const db = copyDatabase(seeded);
		const session = await loginAs(db, username);
		const before = listWrites(db);
		for (const [name, call] of everyProcedure(session.caller)) {
			const error = await trpcError(call(), 'FORBIDDEN').catch((e: Error) => {
				throw new Error(`${username} ${name}: ${e.message}`);
			});
			expect(userMessageOf(error)).toBe(
				'Sie haben keine Berechtigung für die Verwaltung. Sie ist dem Zentralcontrolling vorbehalten.'
			);
		}
		expect(listWrites(db)).toEqual(before);
	});

	test('without a session every procedure is UNAUTHORIZED', async () => {
		const db = copyDatabase(seeded);
		const before = listWrites(db);
		const caller = createCaller(anonymousContext(db));
		for (const [, call] of everyProcedure(caller)) await trpcError(call(), 'UNAUTHORIZED');
		expect(listWrites(db)).toEqual(before);
	});

	test('the check comes before the input: a malformed request of a non-admin is FORBIDDEN', async () => {
		const db = copyDatabase(seeded);
		const session = await loginAs(db, 'leitung');
		await trpcError(
			session.caller.reference.saveFacility(
				{} as unknown as Parameters<typeof session.caller.reference.saveFacility>[0]
			),
			'FORBIDDEN'
		);
	});
});
