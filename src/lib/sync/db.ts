import Dexie, { type Table } from 'dexie';
import type { District, Facility, KpiSnapshot, Provider } from '#shared/kpi';
import type { Area, Dimension, KpiDefinition } from '#shared/catalogue';
import type { Principal } from '#shared/permissions';
import type { ChangeV1, EntityName, EntryV1, RejectionV1 } from '#shared/protocol';
import type { FormValues } from '#shared/forms/input';
import type { AreaId } from '#shared/areas';
import type { SessionInfo } from '#shared/accounts';
import type { Report } from '#shared/reports';
import type { FeedbackMessage } from '#shared/feedback';

/** A form entry that the server has not acknowledged yet. */
export interface OutboxEntry {
	id: string;
	formId: string;
	authorId: string;
	createdAt: string;
	payload: unknown;
	/** `queued` waits for a connection; `rejected` waits for its author to fix or discard it. */
	state: 'queued' | 'rejected';
	attempts: number;
	rejection?: RejectionV1;
	/** The record this entry corrects (a new version of it), if any. */
	recordId?: string;
}

/** A form filled in part or in full, kept on the device until it is sent or discarded. */
export interface Draft {
	id: string;
	userId: string;
	formId: string;
	values: FormValues;
	/** The record the draft corrects, if any. */
	recordId?: string;
	/** A refused outbox entry this draft is fixing; it goes when the draft is sent. */
	replacesOutboxId?: string;
	updatedAt: string;
}

/** An entry the server acknowledged; kept so its author sees it under "Meine Einträge". */
export interface SentEntry {
	id: string;
	formId: string;
	authorId: string;
	createdAt: string;
	payload: unknown;
	sentAt: string;
	recordId?: string;
}

export interface DeviceSession extends Principal {
	writableAreas: AreaId[];
	loggedInAt: string;
	/** The session's limits as the server gave them at login; absent from older servers. */
	session?: SessionInfo;
}

/**
 * Left on the device after a logout or expiry. It stops the app from picking the server session
 * up again at the next start (a logout without network could not end it), and remembers to end
 * that session once there is a connection.
 */
export interface SignedOut {
	reason: 'logout' | 'expired';
	at: string;
	userId?: string;
	serverLogoutPending: boolean;
}

/** What the browser promised about keeping our data. */
export interface StorageState {
	persisted: boolean;
	usageBytes: number | null;
	quotaBytes: number | null;
}

export interface SyncStatus {
	/** When the last sync finished without error. */
	lastSyncAt: string | null;
	lastAttemptAt: string | null;
	/** German text of the last problem, for the status line; null when the last sync worked. */
	lastError: string | null;
	serverTime: string | null;
}

export type SyncStateKey =
	| 'cursor'
	| 'witness'
	| 'session'
	| 'status'
	| 'storage'
	| 'updateRequired'
	| 'sessionExpired'
	| 'redBaseline'
	| 'redAlerts'
	| 'signedOut';

/** A KPI the user pinned to the top of the home screen; pins belong to the device and the user. */
export interface Pin {
	userId: string;
	kpiId: string;
	pinnedAt: string;
}

/** A KPI that turned red in a sync; evaluated on the device so the home screen shows it offline. */
/** A KPI's whole history as the server computed it for this person, kept once viewed. */
export interface KpiHistory {
	kpiId: string;
	/** The history: a snapshot whose series reaches back to the first value. */
	history: KpiSnapshot;
	/** The device's snapshot it was loaded with: a newer snapshot means newer values. */
	basedOn: string;
	loadedAt: string;
}

export interface RedAlert {
	kpiId: string;
	detectedAt: string;
}

/**
 * Accessibility feedback waiting on the device (or sent from it). Not tied to a login: a
 * visitor writes it too, and a logout does not take it away.
 */
export interface QueuedFeedback {
	id: string;
	message: FeedbackMessage;
	/** `queued` waits for a connection; `rejected` was refused for good (its reason in `error`). */
	state: 'queued' | 'sent' | 'rejected';
	createdAt: string;
	attempts: number;
	sentAt?: string;
	/** German reason of the last failed try, for the page. */
	error?: string;
}

export interface SyncStateRecord {
	key: SyncStateKey;
	value: unknown;
}

/** The one IndexedDB database of the app. Versions are only ever added, never edited. */
export class KlarDatabase extends Dexie {
	snapshots!: Table<KpiSnapshot, string>;
	catalogue!: Table<KpiDefinition, string>;
	facilities!: Table<Facility, string>;
	syncState!: Table<SyncStateRecord, SyncStateKey>;
	outbox!: Table<OutboxEntry, string>;
	sentEntries!: Table<SentEntry, string>;
	pins!: Table<Pin, [string, string]>;
	drafts!: Table<Draft, string>;
	entries!: Table<EntryV1, string>;
	districts!: Table<District, string>;
	providers!: Table<Provider, string>;
	areas!: Table<Area, string>;
	dimensions!: Table<Dimension, string>;
	/** Whole histories of KPIs, loaded when a person asks for them (see $lib/sync/history). */
	histories!: Table<KpiHistory, string>;
	/** Committee reports, per author (see $lib/sync/reports); wiped with the device's data. */
	reports!: Table<Report, [string, string]>;
	/** Accessibility feedback until the server took it (see $lib/sync/feedback). */
	feedbackOutbox!: Table<QueuedFeedback, string>;

	constructor(name = 'klar') {
		super(name);
		this.version(1).stores({
			snapshots: 'kpiId, areaId',
			catalogue: 'id, areaId, sortOrder',
			facilities: 'id',
			syncState: 'key',
			outbox: 'id, state, createdAt',
			sentEntries: 'id, sentAt'
		});
		this.version(2).stores({ pins: '[userId+kpiId], userId' });
		this.version(3).stores({
			drafts: 'id, userId, updatedAt',
			entries: 'id, recordId, authorId, areaId, state',
			districts: 'id',
			providers: 'id'
		});
		// Protocol 3: the catalogue as data. Definitions of `kpi.v1` lack views and comparisons,
		// so what was synced goes and the next pull brings everything anew.
		this.version(4)
			.stores({ areas: 'id, sortOrder', dimensions: 'id' })
			.upgrade(async (tx) => {
				for (const table of [
					'snapshots',
					'catalogue',
					'facilities',
					'entries',
					'districts',
					'providers'
				]) {
					await tx.table(table).clear();
				}
				await tx.table('syncState').delete('cursor');
			});
		this.version(5).stores({ histories: 'kpiId' });
		this.version(6).stores({ reports: '[userId+id], userId' });
		this.version(7).stores({ feedbackOutbox: 'id, state, createdAt' });
	}
}

export async function readState<T>(db: KlarDatabase, key: SyncStateKey): Promise<T | undefined> {
	return (await db.syncState.get(key))?.value as T | undefined;
}

export async function writeState(
	db: KlarDatabase,
	key: SyncStateKey,
	value: unknown
): Promise<void> {
	await db.syncState.put({ key, value });
}

export const EMPTY_STATUS: SyncStatus = {
	lastSyncAt: null,
	lastAttemptAt: null,
	lastError: null,
	serverTime: null
};

type EntityData = {
	[E in EntityName]: Extract<ChangeV1, { op: 'put'; entity: E }>['data'];
};

/** The device table each synced entity lives in (keyed by the entity's id). */
export function entityTables(db: KlarDatabase): {
	[E in EntityName]: Table<EntityData[E], string>;
} {
	return {
		'area.v1': db.areas,
		'dimension.v1': db.dimensions,
		'kpi.v2': db.catalogue,
		'snapshot.v2': db.snapshots,
		'facility.v1': db.facilities,
		'district.v1': db.districts,
		'provider.v1': db.providers,
		'entry.v1': db.entries
	};
}

/** The tables a pull fills; a reset empties them. */
/**
 * Every table of figures from the server: the synced entities and the histories loaded on
 * request. A wipe, a scope reset and a page of changes treat them alike.
 */
export function syncedTables(db: KlarDatabase): Table[] {
	return [...Object.values(entityTables(db)), db.histories];
}

/** Drops everything a pull brought and the cursor, so the next pull is a full one. Keeps the outbox. */
export async function dropSyncedData(db: KlarDatabase): Promise<void> {
	await db.transaction('rw', [...syncedTables(db), db.syncState], async () => {
		await Promise.all(syncedTables(db).map((table) => table.clear()));
		// The witness stays: it is about the server's history, not about what this user may read.
		await db.syncState.delete('cursor');
	});
}

/**
 * The server lost history this device had seen (a database restored from an older backup):
 * drop synced data, cursor and witness, and queue every acknowledged entry again – of every
 * author on this device – in one transaction. The server answers "duplicate" for what it still
 * has and applies what it lost.
 */
export async function forgetLostHistory(db: KlarDatabase): Promise<void> {
	await db.transaction(
		'rw',
		[...syncedTables(db), db.syncState, db.outbox, db.sentEntries],
		async () => {
			await dropSyncedData(db);
			await db.syncState.delete('witness');
			const sent = await db.sentEntries.toArray();
			await db.outbox.bulkPut(
				sent.map(({ id, formId, authorId, createdAt, payload, recordId }) => ({
					id,
					formId,
					authorId,
					createdAt,
					payload,
					...(recordId ? { recordId } : {}),
					state: 'queued' as const,
					attempts: 0
				}))
			);
			await db.sentEntries.clear();
		}
	);
}
