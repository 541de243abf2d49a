/**
 * The sync protocol between the phone and the server – the only place its shapes are defined.
 *
 * Rules: every request carries `schemaVersion`; a changed shape gets a new name (`….v2`), an
 * existing one is never edited; deletes travel as tombstones; the cursor is opaque to the
 * client and never goes back in time; the server answers `reset` to a cursor it did not issue
 * (restored database, another user, changed permissions) and `update_required` to a client
 * older than it supports.
 */
import { z } from 'zod';
import { AreaId } from './areas';
import { DistrictV1, FacilityV1, KpiSnapshotV2, ProviderV1 } from './kpi';
import { AreaV1, DimensionV1, KpiDefinitionV2 } from './catalogue';

/**
 * 2: entries with review states, districts and course providers, corrections of records.
 * 3: the catalogue as data: areas (`area.v1`), dimensions (`dimension.v1`) and KPI definitions
 * with formula, view and comparison (`kpi.v2`, replacing `kpi.v1`). A phone of version 2 cannot
 * read them and is told to update.
 */
export const SYNC_SCHEMA_VERSION = 3;
export const MIN_SUPPORTED_SCHEMA_VERSION = 3;
export const PULL_PAGE_LIMIT_MAX = 500;
export const PUSH_BATCH_MAX = 100;

export const EntityName = z.enum([
	'area.v1',
	'dimension.v1',
	'kpi.v2',
	'snapshot.v2',
	'facility.v1',
	'district.v1',
	'provider.v1',
	'entry.v1'
]);
export type EntityName = z.infer<typeof EntityName>;

/**
 * Where an entry stands on the server. `pending` waits for a lead's release; `superseded` was
 * replaced by a newer version (a correction) of the same record.
 */
export const EntryState = z.enum(['pending', 'released', 'rejected', 'superseded']);
export type EntryState = z.infer<typeof EntryState>;

/** One version of a form entry as the server holds it, synced to the area's editors and leads. */
export const EntryV1 = z.object({
	id: z.string(),
	recordId: z.string(),
	version: z.number().int().min(1),
	formId: z.string(),
	areaId: AreaId,
	authorId: z.string(),
	authorName: z.string(),
	payload: z.record(z.string(), z.unknown()),
	createdAt: z.string(),
	receivedAt: z.string(),
	state: EntryState,
	reviewedBy: z.string().nullable(),
	reviewerName: z.string().nullable(),
	reviewedAt: z.string().nullable(),
	reviewNote: z.string().nullable()
});
export type EntryV1 = z.infer<typeof EntryV1>;

// Three puts share op 'put', which one flat discriminated union on 'op' rejects at parse time
// ("Duplicate discriminator value"); the puts are told apart by 'entity' one level down.
export const ChangeV1 = z.discriminatedUnion('op', [
	z.discriminatedUnion('entity', [
		z.object({
			op: z.literal('put'),
			entity: z.literal('area.v1'),
			id: z.string(),
			data: AreaV1
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('dimension.v1'),
			id: z.string(),
			data: DimensionV1
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('kpi.v2'),
			id: z.string(),
			data: KpiDefinitionV2
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('snapshot.v2'),
			id: z.string(),
			data: KpiSnapshotV2
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('facility.v1'),
			id: z.string(),
			data: FacilityV1
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('district.v1'),
			id: z.string(),
			data: DistrictV1
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('provider.v1'),
			id: z.string(),
			data: ProviderV1
		}),
		z.object({
			op: z.literal('put'),
			entity: z.literal('entry.v1'),
			id: z.string(),
			data: EntryV1
		})
	]),
	z.object({ op: z.literal('delete'), entity: EntityName, id: z.string() })
]);
export type ChangeV1 = z.infer<typeof ChangeV1>;

const versioned = { schemaVersion: z.number().int() };

export const PullRequestV1 = z.object({
	...versioned,
	/** Null asks for everything (a full sync). */
	cursor: z.string().max(512).nullable(),
	/**
	 * The witness of the last push the server acknowledged. If the server's history no longer
	 * contains it (database restored from an older backup), it answers "reset" and the device
	 * sends its acknowledged entries again – even when its pull cursor predates the backup.
	 */
	witness: z.string().max(512).nullable().optional(),
	limit: z.number().int().min(1).max(PULL_PAGE_LIMIT_MAX).optional()
});
export type PullRequestV1 = z.infer<typeof PullRequestV1>;

export const UpdateRequiredV1 = z.object({
	kind: z.literal('update_required'),
	message: z.string()
});

export const PullResponseV1 = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('changes'),
		changes: z.array(ChangeV1),
		cursor: z.string(),
		hasMore: z.boolean(),
		serverTime: z.string()
	}),
	z.object({
		kind: z.literal('reset'),
		reason: z.enum(['unknown_cursor', 'cursor_from_future', 'other_user', 'permissions_changed'])
	}),
	UpdateRequiredV1
]);
export type PullResponseV1 = z.infer<typeof PullResponseV1>;

/** A form entry as it waits in the outbox and travels to the server. */
export const OutboxEntryV1 = z.object({
	/** Generated on the device when the entry is created; the server applies each id once. */
	id: z.string().uuid(),
	formId: z.string(),
	authorId: z.string(),
	createdAt: z.string(),
	payload: z.unknown(),
	/** Set when the entry corrects an earlier one: the record it becomes a new version of. */
	recordId: z.string().uuid().optional()
});
export type OutboxEntryV1 = z.infer<typeof OutboxEntryV1>;

export const PushRequestV1 = z.object({
	...versioned,
	/** As in a pull: a push against a history that lost the device's acknowledged entries is refused. */
	witness: z.string().max(512).nullable().optional(),
	entries: z.array(OutboxEntryV1).min(1).max(PUSH_BATCH_MAX)
});
export type PushRequestV1 = z.infer<typeof PushRequestV1>;

export const RejectionV1 = z.object({
	code: z.enum([
		'validation',
		'forbidden',
		'wrong_author',
		'unknown_form',
		'unknown_reference',
		/** Another record already covers the same thing (facility and day …): correct that one. */
		'conflict'
	]),
	/** For the person who entered the data, in German. */
	message: z.string(),
	/** For developers and logs, in English. */
	detail: z.string(),
	fieldErrors: z.record(z.string(), z.string()).optional()
});
export type RejectionV1 = z.infer<typeof RejectionV1>;

export const PushResultV1 = z.discriminatedUnion('result', [
	z.object({ id: z.string(), result: z.literal('applied') }),
	z.object({ id: z.string(), result: z.literal('duplicate') }),
	z.object({ id: z.string(), result: z.literal('rejected'), reason: RejectionV1 })
]);
export type PushResultV1 = z.infer<typeof PushResultV1>;

export const PushResponseV1 = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('results'), results: z.array(PushResultV1), witness: z.string() }),
	z.object({ kind: z.literal('reset'), reason: z.literal('unknown_cursor') }),
	UpdateRequiredV1
]);
export type PushResponseV1 = z.infer<typeof PushResponseV1>;

export const UPDATE_REQUIRED_MESSAGE =
	'Diese Version der App ist veraltet. Bitte aktualisieren Sie die App (Seite neu laden).';

export function isSupportedSchemaVersion(version: number): boolean {
	return version >= MIN_SUPPORTED_SCHEMA_VERSION && version <= SYNC_SCHEMA_VERSION;
}
