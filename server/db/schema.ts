import { sql } from 'drizzle-orm';
import {
	index,
	integer,
	primaryKey,
	real,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/** Key/value facts about this database: its sync epoch, whether it holds demo data. */
export const meta = sqliteTable('meta', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});

/** The information areas ("Bereiche"): catalogue data, maintained by admins. */
export const areas = sqliteTable('areas', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	sortOrder: integer('sort_order').notNull(),
	description: text('description').notNull().default(''),
	/** EU data theme of the area's open data (DCAT-AP `dcat:theme`), e.g. `SOCI`. */
	openDataTheme: text('open_data_theme')
});

/**
 * The dimensions KPIs are broken down by (catalogue data): a fixed `list` of members with their
 * labels, a reference list (`districts`, `facilities`) or `open` members.
 */
export const dimensions = sqliteTable('dimensions', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	source: text('source').notNull(),
	/** JSON array of `{ id, label }` for a `list`. */
	members: text('members').notNull().default('[]'),
	sortOrder: integer('sort_order').notNull().default(0),
	updatedAt: text('updated_at').notNull().default(now)
});

/** Reference list of districts (maintained by admins, synced for the pickers). */
export const districts = sqliteTable('districts', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	sortOrder: integer('sort_order').notNull(),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	updatedAt: text('updated_at').notNull().default(now)
});

/** Reference list of language-course providers (maintained by admins, synced for the pickers). */
export const courseProviders = sqliteTable('course_providers', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	districtId: text('district_id')
		.notNull()
		.references(() => districts.id),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	updatedAt: text('updated_at').notNull().default(now)
});

/** The KPI catalogue with the full metadata of a KPI (see KpiDefinitionV1). */
export const kpiDefinitions = sqliteTable(
	'kpi_definitions',
	{
		id: text('id').primaryKey(),
		areaId: text('area_id')
			.notNull()
			.references(() => areas.id),
		title: text('title').notNull(),
		shortTitle: text('short_title').notNull(),
		description: text('description').notNull(),
		method: text('method').notNull(),
		unit: text('unit').notNull(),
		numberFormat: text('number_format').notNull(),
		decimals: integer('decimals').notNull(),
		direction: text('direction').notNull(),
		target: real('target'),
		thresholdAmber: real('threshold_amber'),
		thresholdRed: real('threshold_red'),
		cadence: text('cadence').notNull(),
		graceDays: integer('grace_days').notNull(),
		/** JSON array of dimension names, e.g. ["facility"]. */
		dimensions: text('dimensions').notNull(),
		sourceKind: text('source_kind').notNull(),
		sourceName: text('source_name').notNull(),
		ownerDepartment: text('owner_department').notNull(),
		ownerContact: text('owner_contact').notNull(),
		ownerEmail: text('owner_email'),
		visibility: text('visibility').notNull(),
		disclosureMinCount: integer('disclosure_min_count').notNull(),
		/** JSON array of search tags. */
		tags: text('tags').notNull(),
		sortOrder: integer('sort_order').notNull(),
		/** JSON KpiFormulaV1: the accumulation of a base KPI or a derived formula. */
		formula: text('formula').notNull(),
		/** JSON KpiViewV1. */
		view: text('view').notNull().default('{"kind":"line"}'),
		/** JSON ComparisonBasisV1. */
		comparison: text('comparison').notNull().default('{"kind":"previous_period"}'),
		/** A retired KPI leaves the phones; its observations stay. */
		active: integer('active', { mode: 'boolean' }).notNull().default(true),
		updatedAt: text('updated_at').notNull().default(now)
	},
	(t) => [index('kpi_definitions_area').on(t.areaId)]
);

/** Reference list of accommodation facilities (maintained by admins, synced for the pickers). */
export const facilities = sqliteTable('facilities', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	districtId: text('district_id')
		.notNull()
		.references(() => districts.id),
	capacity: integer('capacity').notNull(),
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	updatedAt: text('updated_at').notNull().default(now)
});

/**
 * One value of a KPI for a period and dimension members. `dimensionKey` is the canonical
 * `name=member&…` string ('' for the total), so (kpi, period, dimensions) is unique.
 */
export const observations = sqliteTable(
	'observations',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		kpiId: text('kpi_id')
			.notNull()
			.references(() => kpiDefinitions.id),
		period: text('period').notNull(),
		dimensionKey: text('dimension_key').notNull(),
		value: real('value'),
		status: text('status', { enum: ['provisional', 'final'] }).notNull(),
		sourceKind: text('source_kind', { enum: ['seed', 'feed', 'form'] }).notNull(),
		/** Feed run id or form entry id the value came from. */
		sourceRef: text('source_ref'),
		changedAt: text('changed_at').notNull().default(now)
	},
	(t) => [uniqueIndex('observations_key').on(t.kpiId, t.period, t.dimensionKey)]
);

/** The aggregated view of one KPI that phones store; `payload` is a KpiSnapshotV2 as JSON. */
export const snapshots = sqliteTable('snapshots', {
	kpiId: text('kpi_id')
		.primaryKey()
		.references(() => kpiDefinitions.id),
	payload: text('payload').notNull(),
	/**
	 * The same KPI with values of entries that await release, for internal readers of its area
	 * (a KpiSnapshotV2 whose `provisionalPeriods` name them); null when nothing awaits release.
	 */
	internalPayload: text('internal_payload'),
	/**
	 * The released snapshot with small counts replaced (statistical confidentiality), for
	 * readers who do not see the area's internal figures: councillors, the public, other
	 * departments. Null when the KPI's disclosure rule hides nothing.
	 */
	disclosedPayload: text('disclosed_payload'),
	computedAt: text('computed_at').notNull()
});

/**
 * Append-only change log for delta sync: every put or delete of a synced entity gets the next
 * sequence number. `areaId` and `visibility` are the widest scope the entity had across the
 * change, so a pull filters rows a user never could see and still sends tombstones for rows
 * that left the user's scope.
 */
export const changeLog = sqliteTable(
	'change_log',
	{
		seq: integer('seq').primaryKey({ autoIncrement: true }),
		entity: text('entity').notNull(),
		entityId: text('entity_id').notNull(),
		op: text('op', { enum: ['put', 'delete'] }).notNull(),
		areaId: text('area_id').notNull(),
		visibility: text('visibility').notNull(),
		changedAt: text('changed_at').notNull().default(now),
		/**
		 * Random per row: a database restored from a backup writes other nonces at the same
		 * sequence numbers, so cursors and witnesses from the lost history are recognised.
		 */
		nonce: text('nonce')
			.notNull()
			.default(sql`(lower(hex(randomblob(8))))`)
	},
	(t) => [index('change_log_entity').on(t.entity, t.entityId, t.seq)]
);

export const users = sqliteTable('users', {
	id: text('id').primaryKey(),
	username: text('username').notNull().unique(),
	displayName: text('display_name').notNull(),
	passwordHash: text('password_hash').notNull(),
	role: text('role').notNull(),
	/** JSON array of area ids the user is scoped to (editor, lead). */
	areas: text('areas').notNull(),
	disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
	createdAt: text('created_at').notNull().default(now),
	updatedAt: text('updated_at').notNull().default(now)
});

/** Sessions are looked up by the SHA-256 of the cookie token; the token itself is never stored. */
export const sessions = sqliteTable(
	'sessions',
	{
		tokenHash: text('token_hash').primaryKey(),
		userId: text('user_id')
			.notNull()
			.references(() => users.id),
		createdAt: text('created_at').notNull(),
		lastSeenAt: text('last_seen_at').notNull(),
		expiresAt: text('expires_at').notNull()
	},
	(t) => [index('sessions_user').on(t.userId)]
);

/**
 * Failed logins, counted per account name and per client address (`account:<name>`,
 * `address:<ip>`). A key is locked out with a doubling backoff once it passes its limit; a
 * successful login clears the account's key. Kept in SQLite so a restart does not reset it.
 */
export const loginThrottle = sqliteTable('login_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull(),
	firstFailureAt: text('first_failure_at').notNull(),
	lastFailureAt: text('last_failure_at').notNull(),
	lockedUntil: text('locked_until')
});

/**
 * Form entries as received from devices: one row per version (the client-generated id). A
 * correction is a new version of the same record; versions are never edited, only their review
 * state moves: pending → released | rejected, and a version is superseded by a newer one.
 */
export const formEntries = sqliteTable(
	'form_entries',
	{
		id: text('id').primaryKey(),
		formId: text('form_id').notNull(),
		areaId: text('area_id').notNull(),
		authorId: text('author_id')
			.notNull()
			.references(() => users.id),
		payload: text('payload').notNull(),
		createdAt: text('created_at').notNull(),
		receivedAt: text('received_at').notNull(),
		/** The record this version belongs to: the id of its first version. */
		recordId: text('record_id').notNull().default(''),
		version: integer('version').notNull().default(1),
		/** What the record is about (e.g. facility and day), unique among a form's open records. */
		entryKey: text('entry_key').notNull().default(''),
		state: text('state', { enum: ['pending', 'released', 'rejected', 'superseded'] })
			.notNull()
			.default('pending'),
		reviewedBy: text('reviewed_by').references(() => users.id),
		reviewedAt: text('reviewed_at'),
		reviewNote: text('review_note')
	},
	(t) => [
		index('form_entries_author').on(t.authorId),
		index('form_entries_record').on(t.recordId, t.version),
		index('form_entries_key').on(t.formId, t.entryKey),
		index('form_entries_area_state').on(t.areaId, t.state)
	]
);

/**
 * The observation cells one entry version writes. `set` cells hold the version's value for the
 * cell (one record per cell); `add` cells are counted on top of the cell's value from other
 * sources (e.g. one reported street-light fault adds 1 to the open faults of its district).
 */
export const entryCells = sqliteTable(
	'entry_cells',
	{
		entryId: text('entry_id')
			.notNull()
			.references(() => formEntries.id),
		kpiId: text('kpi_id').notNull(),
		period: text('period').notNull(),
		dimensionKey: text('dimension_key').notNull(),
		value: real('value'),
		mode: text('mode', { enum: ['set', 'add'] }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.entryId, t.kpiId, t.period, t.dimensionKey] }),
		index('entry_cells_cell').on(t.kpiId, t.period, t.dimensionKey)
	]
);

/**
 * The value a cell had from other sources (seed, feeds) before form entries first wrote it, so
 * a correction that moves an entry elsewhere restores it. `hadValue` false: there was none.
 */
export const cellBases = sqliteTable(
	'cell_bases',
	{
		kpiId: text('kpi_id').notNull(),
		period: text('period').notNull(),
		dimensionKey: text('dimension_key').notNull(),
		value: real('value'),
		hadValue: integer('had_value', { mode: 'boolean' }).notNull(),
		status: text('status', { enum: ['provisional', 'final'] }),
		sourceKind: text('source_kind', { enum: ['seed', 'feed', 'form'] }),
		sourceRef: text('source_ref')
	},
	(t) => [primaryKey({ columns: [t.kpiId, t.period, t.dimensionKey] })]
);

/**
 * Cells whose value for internal readers differs from the released one because an entry awaits
 * release; `value` null with `removed` means the cell would not exist.
 */
export const previewObservations = sqliteTable(
	'preview_observations',
	{
		kpiId: text('kpi_id').notNull(),
		period: text('period').notNull(),
		dimensionKey: text('dimension_key').notNull(),
		value: real('value'),
		removed: integer('removed', { mode: 'boolean' }).notNull().default(false)
	},
	(t) => [primaryKey({ columns: [t.kpiId, t.period, t.dimensionKey] })]
);

/**
 * Client entry ids the server has processed, written in the same transaction as the entry's
 * effect, so a retried push is answered "duplicate" and changes nothing.
 */
export const processedEntries = sqliteTable('processed_entries', {
	entryId: text('entry_id').primaryKey(),
	userId: text('user_id').notNull(),
	processedAt: text('processed_at').notNull()
});

/** Who changed what, when, from which value to which. Append-only: no code path updates or deletes. */
export const auditLog = sqliteTable(
	'audit_log',
	{
		id: integer('id').primaryKey({ autoIncrement: true }),
		at: text('at').notNull(),
		userId: text('user_id'),
		action: text('action').notNull(),
		entity: text('entity').notNull(),
		entityId: text('entity_id').notNull(),
		oldValue: text('old_value'),
		newValue: text('new_value')
	},
	(t) => [
		index('audit_log_entity').on(t.entity, t.entityId),
		index('audit_log_at').on(t.at),
		index('audit_log_user').on(t.userId, t.at)
	]
);

/** Registered feed definitions (FeedDefinitionV1 as JSON); a definition, not code, per feed. */
export const feeds = sqliteTable('feeds', {
	id: text('id').primaryKey(),
	title: text('title').notNull(),
	ownerDepartment: text('owner_department').notNull(),
	cadence: text('cadence').notNull(),
	definition: text('definition').notNull(),
	/** The version of `definition`; every saved version stays in `feed_definition_versions`. */
	version: integer('version').notNull().default(1),
	/** A retired feed takes no uploads and is not expected any more; its runs stay. */
	active: integer('active', { mode: 'boolean' }).notNull().default(true),
	createdAt: text('created_at').notNull(),
	updatedAt: text('updated_at').notNull()
});

/** Every version of every feed's definition, so an admin can see what a run was read with. */
export const feedDefinitionVersions = sqliteTable(
	'feed_definition_versions',
	{
		feedId: text('feed_id')
			.notNull()
			.references(() => feeds.id, { onDelete: 'cascade' }),
		version: integer('version').notNull(),
		definition: text('definition').notNull(),
		savedAt: text('saved_at').notNull(),
		savedBy: text('saved_by')
	},
	(t) => [primaryKey({ columns: [t.feedId, t.version] })]
);

/**
 * What a run changed of values that existed before it, so that it can be taken back: the old
 * observation (a value the run updated or removed) or the old base of a cell that form entries
 * write. Values the run created need no row: they carry the run's id as their source.
 */
export const feedRunChanges = sqliteTable(
	'feed_run_changes',
	{
		runId: text('run_id').notNull(),
		target: text('target', { enum: ['observation', 'base'] }).notNull(),
		change: text('change', { enum: ['update', 'delete'] }).notNull(),
		kpiId: text('kpi_id').notNull(),
		period: text('period').notNull(),
		dimensionKey: text('dimension_key').notNull(),
		oldHadValue: integer('old_had_value', { mode: 'boolean' }).notNull(),
		oldValue: real('old_value'),
		oldStatus: text('old_status'),
		oldSourceKind: text('old_source_kind'),
		oldSourceRef: text('old_source_ref'),
		oldChangedAt: text('old_changed_at')
	},
	(t) => [index('feed_run_changes_run').on(t.runId)]
);

/**
 * Every import run of a feed, failed ones included (they are written after the rollback).
 * Observations a run wrote carry its id as their `source_ref`.
 */
export const feedRuns = sqliteTable(
	'feed_runs',
	{
		id: text('id').primaryKey(),
		feedId: text('feed_id')
			.notNull()
			.references(() => feeds.id),
		status: text('status', { enum: ['succeeded', 'failed'] }).notNull(),
		/** Where the file came from: `cli`, `upload` or `demo`. */
		origin: text('origin').notNull(),
		userId: text('user_id'),
		startedAt: text('started_at').notNull(),
		finishedAt: text('finished_at').notNull(),
		fileName: text('file_name').notNull(),
		fileBytes: integer('file_bytes').notNull(),
		fileSha256: text('file_sha256').notNull(),
		rowsRead: integer('rows_read').notNull(),
		rowsAccepted: integer('rows_accepted').notNull(),
		rowsUnchanged: integer('rows_unchanged').notNull(),
		rowsRejected: integer('rows_rejected').notNull(),
		rowsSkipped: integer('rows_skipped').notNull(),
		valuesMissing: integer('values_missing').notNull(),
		valuesSuppressed: integer('values_suppressed').notNull(),
		observationsCreated: integer('observations_created').notNull(),
		observationsUpdated: integer('observations_updated').notNull(),
		/** Stored values the delivery marked missing, and so removed. */
		observationsRemoved: integer('observations_removed').notNull().default(0),
		/** The definition's version the run read with (null before versions were kept). */
		definitionVersion: integer('definition_version'),
		/** When and by whom a successful run was taken back; its values returned to before it. */
		takenBackAt: text('taken_back_at'),
		takenBackBy: text('taken_back_by'),
		/** JSON array of KPI ids whose observations changed. */
		kpisChanged: text('kpis_changed').notNull(),
		/** JSON array of FeedRunError, the first ones by line. */
		errors: text('errors').notNull(),
		summary: text('summary').notNull()
	},
	(t) => [
		index('feed_runs_feed').on(t.feedId, t.startedAt),
		index('feed_runs_started').on(t.startedAt)
	]
);

/**
 * Accessibility feedback from anyone, logged in or not (the statement's feedback mechanism).
 * The id is made on the device, so a retry of the same message is taken once. The sender's
 * user id comes from the session on the server, never from the message.
 */
export const feedback = sqliteTable(
	'feedback',
	{
		id: text('id').primaryKey(),
		receivedAt: text('received_at').notNull(),
		/** When the device says it was written (it may have waited offline); never after receivedAt. */
		writtenAt: text('written_at').notNull(),
		text: text('text').notNull(),
		page: text('page').notNull(),
		contactEmail: text('contact_email').notNull(),
		contactName: text('contact_name').notNull(),
		authorId: text('author_id').references(() => users.id),
		/** neu | in_bearbeitung | erledigt; every change is in the audit log. */
		state: text('state').notNull(),
		stateChangedAt: text('state_changed_at'),
		stateChangedBy: text('state_changed_by').references(() => users.id),
		note: text('note').notNull().default('')
	},
	(t) => [
		index('feedback_received').on(t.receivedAt),
		index('feedback_state').on(t.state, t.receivedAt)
	]
);

/**
 * Requests to public endpoints counted per key (`feedback:<address>`) in fixed windows, so an
 * endpoint open to everyone cannot be flooded. Kept in SQLite so a restart does not reset it.
 */
export const requestLimits = sqliteTable('request_limits', {
	key: text('key').primaryKey(),
	windowStart: text('window_start').notNull(),
	count: integer('count').notNull()
});
