/**
 * Words and a compact reading of audit records for the Protokoll page. Pure: the page passes
 * in what the server sent.
 */

import { FEEDBACK_STATE_WORDS, type FeedbackState } from '#shared/feedback';

/** One record as the server's `audit.list` sends it. */
export interface AuditRecordView {
	id: number;
	at: string;
	userId: string | null;
	userName: string | null;
	action: string;
	entity: string;
	entityId: string;
	/** Parsed JSON; null (or, after serialisation, missing) when there was none. */
	oldValue?: unknown;
	newValue?: unknown;
}

const ACTION_WORDS: Record<string, string> = {
	'entry.create': 'Eintrag erfasst',
	'entry.correct': 'Eintrag korrigiert',
	'entry.release': 'Eintrag freigegeben',
	'entry.reject': 'Eintrag abgelehnt',
	'entry.refuse': 'Eintrag vom Server zurückgewiesen',
	'observation.create': 'Wert angelegt',
	'observation.update': 'Wert geändert',
	'observation.delete': 'Wert gelöscht',
	'reference.create': 'Liste: angelegt',
	'reference.update': 'Liste: geändert',
	'feed.create': 'Datenlieferung angelegt',
	'feed.update': 'Definition einer Datenlieferung geändert',
	'feed.import': 'Lieferung importiert',
	'feed.import_failed': 'Lieferung abgelehnt',
	'kpi.visibility': 'Sichtbarkeit einer Kennzahl geändert',
	'user.create': 'Benutzerkonto angelegt',
	'user.access': 'Berechtigungen geändert',
	'user.disable': 'Benutzerkonto gesperrt',
	'user.enable': 'Benutzerkonto entsperrt',
	'user.password_reset': 'Passwort neu gesetzt',
	'user.sessions_end': 'Sitzungen beendet',
	'auth.login': 'Angemeldet',
	'auth.logout': 'Abgemeldet',
	'auth.login_failed': 'Anmeldung fehlgeschlagen',
	'auth.login_blocked': 'Anmeldung gesperrt (zu viele Fehlversuche)',
	'feedback.receive': 'Rückmeldung zur Barrierefreiheit eingegangen',
	'feedback.state': 'Rückmeldung zur Barrierefreiheit bearbeitet'
};

const ENTITY_WORDS: Record<string, string> = {
	district: 'Stadtteil',
	facility: 'Einrichtung',
	course_provider: 'Kursträger',
	entry: 'Eintrag',
	observation: 'Wert',
	feed: 'Datenlieferung',
	kpi: 'Kennzahl',
	user: 'Benutzerkonto',
	feedback: 'Rückmeldung'
};

const FIELD_LABELS: Record<string, string> = {
	name: 'Name',
	districtId: 'Stadtteil',
	capacity: 'Kapazität',
	active: 'Aktiv',
	sortOrder: 'Reihenfolge',
	value: 'Wert',
	status: 'Status',
	source: 'Quelle',
	state: 'Zustand',
	page: 'Seite',
	role: 'Rolle',
	areas: 'Bereiche',
	note: 'Bemerkung',
	reason: 'Grund',
	username: 'Benutzername',
	displayName: 'Name',
	endedSessions: 'Beendete Sitzungen',
	ended: 'Beendete Sitzungen'
};

/** The action in German words; an action this page does not know yet keeps its name. */
export function actionWord(action: string): string {
	return ACTION_WORDS[action] ?? action;
}

export function entityWord(entity: string): string {
	return ENTITY_WORDS[entity] ?? entity;
}

const NUMBER = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 6 });

/** A value of an old or new state, short: `ja`, `1.234,5`, `Innenstadt, West`. */
export function formatAuditValue(value: unknown): string {
	if (value === null || value === undefined) return '–';
	if (typeof value === 'boolean') return value ? 'ja' : 'nein';
	if (typeof value === 'number') return NUMBER.format(value).replace('-', '−');
	if (typeof value === 'string') return value === '' ? '„“' : value;
	if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
		return value.length ? value.map(formatAuditValue).join(', ') : '–';
	}
	return JSON.stringify(value);
}

/** A feedback's state in words ("In Bearbeitung"), any other value as formatAuditValue has it. */
function formatField(field: string, value: unknown): string {
	if (
		field === 'state' &&
		typeof value === 'string' &&
		Object.hasOwn(FEEDBACK_STATE_WORDS, value)
	) {
		return FEEDBACK_STATE_WORDS[value as FeedbackState];
	}
	return formatAuditValue(value);
}

export interface AuditChange {
	field: string;
	label: string;
	/** null: there was no old state (created) … */
	before: string | null;
	/** … or no new one (deleted). */
	after: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What changed, field by field: for an update only the fields that differ, for a creation or
 * deletion every field. A value that is not an object counts as one field "Wert".
 */
export function auditChanges(oldValue: unknown = null, newValue: unknown = null): AuditChange[] {
	if (oldValue === null && newValue === null) return [];
	if ((oldValue === null || isRecord(oldValue)) && (newValue === null || isRecord(newValue))) {
		const before = oldValue as Record<string, unknown> | null;
		const after = newValue as Record<string, unknown> | null;
		const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
		return fields
			.filter(
				(field) =>
					!before || !after || JSON.stringify(before[field]) !== JSON.stringify(after[field])
			)
			.map((field) => ({
				field,
				label: FIELD_LABELS[field] ?? field,
				before: before ? formatField(field, before[field]) : null,
				after: after ? formatField(field, after[field]) : null
			}));
	}
	return [
		{
			field: 'value',
			label: 'Wert',
			before: oldValue === null ? null : formatAuditValue(oldValue),
			after: newValue === null ? null : formatAuditValue(newValue)
		}
	];
}

/** The name a record gives its object (reference lists carry one), else null. */
export function auditObjectName(record: Pick<AuditRecordView, 'oldValue' | 'newValue'>) {
	for (const value of [record.newValue, record.oldValue]) {
		if (isRecord(value) && typeof value.name === 'string') return value.name;
	}
	return null;
}

/** Pretty JSON for the raw view of a record. */
export function prettyJson(value: unknown): string {
	return JSON.stringify(value, null, 2);
}
