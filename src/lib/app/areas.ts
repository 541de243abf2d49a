import { liveQuery } from 'dexie';
import type { Area } from '#shared/catalogue';
import { db } from '$lib/sync/client';

/** The areas the device holds, in the catalogue's order (synced as `area.v1`, also offline). */
export const areas = liveQuery(() => db.areas.orderBy('sortOrder').toArray());

/** An area's title from the synced list; its id while the list is still loading. */
export function areaTitle(list: readonly Area[] | undefined, id: string): string {
	return list?.find((area) => area.id === id)?.title ?? id;
}
