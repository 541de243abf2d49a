import type { FormDeclaration, FormField, ReferenceNames } from '#shared/forms/index';
import { FORMS, optionDimension } from '#shared/forms/index';
import type { District, Facility, Provider } from '#shared/kpi';
import type { Dimension, KpiDefinition } from '#shared/catalogue';
import { formatPeriod } from '#shared/periods';
import type { EntryState, EntryV1 } from '#shared/protocol';
import type { Draft, OutboxEntry, SentEntry } from '$lib/sync/db';

/**
 * Where an entry stands, as its author sees it: a draft on the device, waiting for a
 * connection, refused by the server (with the reason), sent and waiting for release, rejected
 * by the lead (with the reason), or released.
 */
export type EntryStatus = 'draft' | 'queued' | 'refused' | 'pending' | 'rejected' | 'released';

export const ENTRY_STATUS_WORDS: Record<EntryStatus, string> = {
	draft: 'Entwurf',
	queued: 'wartet auf Verbindung',
	refused: 'abgelehnt',
	pending: 'gesendet',
	rejected: 'abgelehnt',
	released: 'freigegeben'
};

/** A symbol beside the word, so the state never depends on colour alone. */
export const ENTRY_STATUS_SYMBOLS: Record<EntryStatus, string> = {
	draft: '✎',
	queued: '○',
	refused: '✕',
	pending: '↑',
	rejected: '✕',
	released: '✓'
};

/** What a server state means to the author; a superseded version has no status of its own. */
export const STATUS_OF_STATE: Record<EntryState, EntryStatus | null> = {
	pending: 'pending',
	released: 'released',
	rejected: 'rejected',
	superseded: null
};

export interface EntryItem {
	/** Stable key for lists: the record id, or the local id of a draft or unsent entry. */
	key: string;
	recordId: string | null;
	formId: string;
	payload: Record<string, unknown>;
	status: EntryStatus;
	/** Why the server refused it or the lead rejected it. */
	reason: string | null;
	/** When it last changed for its author. */
	updatedAt: string;
	version: number | null;
	/** A released version exists while a newer one waits (the council sees the released one). */
	hasReleasedVersion: boolean;
	draftId?: string;
	outboxId?: string;
}

export interface EntrySources {
	userId: string;
	drafts: readonly Draft[];
	outbox: readonly OutboxEntry[];
	sent: readonly SentEntry[];
	entries: readonly EntryV1[];
}

const asRecord = (payload: unknown) => (payload ?? {}) as Record<string, unknown>;

/**
 * "Meine Einträge": every record the user authored a version of, with what the device knows
 * beyond the server's last word (a correction still in the outbox), and the user's drafts and
 * unsent entries. Newest first.
 */
export function myEntryItems(sources: EntrySources): EntryItem[] {
	const { userId } = sources;
	const items = new Map<string, EntryItem>();
	const byRecord = new Map<string, EntryV1[]>();
	for (const entry of sources.entries) {
		const versions = byRecord.get(entry.recordId) ?? [];
		versions.push(entry);
		byRecord.set(entry.recordId, versions);
	}
	/** What the device knows of every record, also colleagues' ones the user corrects. */
	const known = new Map<string, { version: number; released: boolean }>();
	for (const [recordId, versions] of byRecord) {
		known.set(recordId, {
			version: Math.max(...versions.map((v) => v.version)),
			released: versions.some((v) => v.state === 'released')
		});
	}
	for (const [recordId, versions] of byRecord) {
		if (!versions.some((v) => v.authorId === userId)) continue;
		const latest = versions.reduce((a, b) => (b.version > a.version ? b : a));
		items.set(recordId, {
			key: recordId,
			recordId,
			formId: latest.formId,
			payload: latest.payload,
			// The latest version is never superseded (only a newer one supersedes).
			status: STATUS_OF_STATE[latest.state] ?? 'pending',
			reason: latest.state === 'rejected' ? latest.reviewNote : null,
			updatedAt: latest.reviewedAt ?? latest.receivedAt,
			version: latest.version,
			hasReleasedVersion:
				latest.state !== 'released' && versions.some((v) => v.state === 'released')
		});
	}
	const pulled = new Set(sources.entries.map((e) => e.id));
	// Acknowledged by the server but not pulled yet: sent.
	for (const sent of sources.sent) {
		if (sent.authorId !== userId || pulled.has(sent.id)) continue;
		const key = sent.recordId ?? sent.id;
		const record = sent.recordId ? known.get(sent.recordId) : undefined;
		items.set(key, {
			key,
			recordId: key,
			formId: sent.formId,
			payload: asRecord(sent.payload),
			status: 'pending',
			reason: null,
			updatedAt: sent.sentAt,
			version: record ? record.version + 1 : 1,
			hasReleasedVersion: record?.released ?? false
		});
	}
	for (const entry of sources.outbox) {
		if (entry.authorId !== userId) continue;
		const key = entry.recordId ?? entry.id;
		const record = entry.recordId ? known.get(entry.recordId) : undefined;
		// A correction counts on from what the device last knew: pulled, or sent and not yet pulled.
		const before = Math.max(record?.version ?? 0, items.get(key)?.version ?? 0);
		items.set(key, {
			key,
			recordId: entry.recordId ?? null,
			formId: entry.formId,
			payload: asRecord(entry.payload),
			status: entry.state === 'rejected' ? 'refused' : 'queued',
			reason: entry.rejection?.message ?? null,
			updatedAt: entry.createdAt,
			version: before > 0 ? before + 1 : null,
			hasReleasedVersion:
				(record?.released ?? false) || Boolean(items.get(key)?.hasReleasedVersion),
			outboxId: entry.id
		});
	}
	const list = [...items.values()];
	for (const draft of sources.drafts) {
		if (draft.userId !== userId) continue;
		list.push({
			key: draft.id,
			recordId: draft.recordId ?? null,
			formId: draft.formId,
			payload: draft.values as Record<string, unknown>,
			status: 'draft',
			reason: null,
			updatedAt: draft.updatedAt,
			version: null,
			hasReleasedVersion: false,
			draftId: draft.id
		});
	}
	return list.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

/** Filter groups of "Meine Einträge". */
export const STATUS_FILTERS = {
	alle: 'Alle',
	offen: 'Zu erledigen (Entwurf, abgelehnt)',
	unterwegs: 'Wartet oder gesendet',
	freigegeben: 'Freigegeben'
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

const FILTER_STATUSES: Record<StatusFilter, readonly EntryStatus[] | null> = {
	alle: null,
	offen: ['draft', 'refused', 'rejected'],
	unterwegs: ['queued', 'pending'],
	freigegeben: ['released']
};

export function filterEntryItems(
	items: readonly EntryItem[],
	filter: { status: StatusFilter; formId: string }
): EntryItem[] {
	const statuses = FILTER_STATUSES[filter.status];
	return items.filter(
		(item) =>
			(!statuses || statuses.includes(item.status)) &&
			(!filter.formId || item.formId === filter.formId)
	);
}

/** Versions of one record, oldest first. */
export function historyOf(entries: readonly EntryV1[], recordId: string): EntryV1[] {
	return entries.filter((e) => e.recordId === recordId).sort((a, b) => a.version - b.version);
}

export interface ReviewItem {
	entry: EntryV1;
	/** The version the council sees now, to compare against. */
	released: EntryV1 | null;
}

/**
 * A lead's release list: versions waiting for release in the lead's areas that someone else
 * wrote (four eyes), oldest first, each with the released version it would replace.
 */
export function releaseQueue(
	entries: readonly EntryV1[],
	lead: { id: string; areas: readonly string[] }
): ReviewItem[] {
	return entries
		.filter((e) => e.state === 'pending' && e.authorId !== lead.id && lead.areas.includes(e.areaId))
		.sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
		.map((entry) => ({
			entry,
			released: entries.find((e) => e.recordId === entry.recordId && e.state === 'released') ?? null
		}));
}

/** Names of referenced things from the synced reference lists. */
export function referenceNames(lists: {
	facilities: readonly Facility[];
	districts: readonly District[];
	providers: readonly Provider[];
	catalogue: readonly KpiDefinition[];
	dimensions?: readonly Dimension[];
}): ReferenceNames {
	const lookup = <T extends { id: string }>(rows: readonly T[], name: (row: T) => string) => {
		const map = new Map(rows.map((row) => [row.id, name(row)]));
		return (id: string) => map.get(id) ?? id;
	};
	return {
		facility: lookup(lists.facilities, (f) => f.name),
		district: lookup(lists.districts, (d) => d.name),
		provider: lookup(lists.providers, (p) => p.name),
		kpi: lookup(lists.catalogue, (k) => k.title),
		member: (dimension, id) =>
			lists.dimensions?.find((d) => d.id === dimension)?.members.find((m) => m.id === id)?.label ??
			id
	};
}

const NUMBER = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 4 });

/** A field's value as a person reads it ("Betzenberg", "84", "21.11.2026", "ja"). */
export function displayValue(field: FormField, value: unknown, names: ReferenceNames): string {
	if (value === undefined || value === null || value === '') return '–';
	if (field.kind === 'checkbox') return value === true ? 'ja' : 'nein';
	if (typeof value === 'number') return NUMBER.format(value);
	const text = String(value);
	if (field.kind === 'date') return text.split('-').reverse().join('.');
	if (field.kind === 'week' || field.kind === 'period') return formatPeriod(text);
	if (field.kind === 'select') {
		if (typeof field.options === 'object') return field.options[text] ?? text;
		if (field.options === 'facilities') return names.facility(text);
		if (field.options === 'districts') return names.district(text);
		if (field.options === 'providers') return names.provider(text);
		if (field.options === 'kpis') return names.kpi(text);
		const dimension = optionDimension(field.options);
		if (dimension) return names.member(dimension, text);
	}
	return text;
}

export interface FieldLine {
	label: string;
	value: string;
	/** The value before, when it changed against the version compared with. */
	before?: string;
}

/** The entry's fields for display, with what changed against an earlier version. */
export function fieldLines(
	form: FormDeclaration,
	payload: Record<string, unknown>,
	names: ReferenceNames,
	earlier?: Record<string, unknown>
): FieldLine[] {
	return form.fields
		.filter((field) => payload[field.name] !== undefined || earlier?.[field.name] !== undefined)
		.map((field) => {
			const value = displayValue(field, payload[field.name], names);
			const line: FieldLine = { label: field.label, value };
			if (earlier) {
				const before = displayValue(field, earlier[field.name], names);
				if (before !== value) line.before = before;
			}
			return line;
		});
}

export function formOf(formId: string): FormDeclaration | undefined {
	return FORMS[formId];
}

/**
 * Another record of the form about the same thing (facility and day …) that is waiting or
 * released: the new entry should correct that one instead. Null when there is none, when the
 * form allows any number of records, or for the record being corrected itself.
 */
export function clashingRecord(
	entries: readonly EntryV1[],
	form: FormDeclaration,
	payload: Record<string, unknown>,
	correcting?: string
): string | null {
	const key = form.key(payload as never);
	if (!key) return null;
	// As the server judges it: any waiting or released version of another record holds its key
	// (a released version still counts while a correction moves the record elsewhere).
	for (const entry of entries) {
		if (entry.formId !== form.id || entry.recordId === correcting) continue;
		if (entry.state !== 'pending' && entry.state !== 'released') continue;
		if (form.key(entry.payload as never) === key) return entry.recordId;
	}
	return null;
}

/** No lists yet (before the first sync): names fall back to the ids. */
export const EMPTY_LISTS = { facilities: [], districts: [], providers: [], catalogue: [] } as const;
