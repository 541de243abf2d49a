import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { ENTITY_READERS } from '#server/sync/pull';
import { EntityName } from '#shared/protocol';
import { loginAs, openSeededDatabase, removeTempDirs } from './helpers';

let db: KlarDatabase;
beforeAll(async () => {
	({ db } = await openSeededDatabase());
});
afterAll(() => {
	db.$client.close();
	removeTempDirs();
});

describe('the registry of synced entities', () => {
	test('every entity of the protocol has a reader, and no reader names an unknown entity', () => {
		expect(Object.keys(ENTITY_READERS).sort()).toEqual([...EntityName.options].sort());
	});

	test('each reader gives an executive the data of ids that exist and nothing for unknown ids', async () => {
		const { ctx } = await loginAs(db, 'spitze');
		const known: Record<EntityName, string | null> = {
			'area.v1': 'bevoelkerung',
			'dimension.v1': 'district',
			'kpi.v2': 'bev.einwohner',
			'snapshot.v2': 'bev.einwohner',
			'district.v1': 'betzenberg',
			'facility.v1': 'gu-hohenecker',
			'provider.v1': 'vhs',
			// Entries reach only the area's editors and leads, not the executive.
			'entry.v1': null
		};
		for (const entity of EntityName.options) {
			const read = ENTITY_READERS[entity](db, ctx.principal!, ['gibt-es-nicht']);
			expect(read.size, entity).toBe(0);
			const id = known[entity];
			if (id) expect(ENTITY_READERS[entity](db, ctx.principal!, [id]).has(id), entity).toBe(true);
		}
	});
});
