import { liveQuery } from 'dexie';
import { db } from '$lib/sync/client';
import { readDeviceSession } from '$lib/sync/session';

/**
 * The person signed in on this device, following IndexedDB: a store for every screen
 * (`$deviceSession`; undefined until read, null when nobody is signed in).
 */
export const deviceSession = liveQuery(() => readDeviceSession(db));
