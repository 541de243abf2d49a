import { liveQuery, type Observable } from 'dexie';
import type { ReferenceNames } from '#shared/forms/index';
import { referenceNames } from './entries-view';
import type { KlarDatabase } from '$lib/sync/db';

/** Names of facilities, districts, providers, KPIs and dimension members from the synced lists, kept current. */
export function liveReferenceNames(db: KlarDatabase): Observable<ReferenceNames> {
	return liveQuery(async () =>
		referenceNames({
			facilities: await db.facilities.toArray(),
			districts: await db.districts.toArray(),
			providers: await db.providers.toArray(),
			catalogue: await db.catalogue.toArray(),
			dimensions: await db.dimensions.toArray()
		})
	);
}
