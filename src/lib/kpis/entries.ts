import type { FormDeclaration } from '../shared/forms';
import type { OutboxEntry, SentEntry } from '../sync/db';

/** Turns the text of form inputs into the payload the form's schema checks. */
export function payloadFromInputs(
	form: FormDeclaration,
	values: Record<string, string>
): Record<string, unknown> {
	const payload: Record<string, unknown> = {};
	for (const field of form.fields) {
		const raw = (values[field.name] ?? '').trim();
		if (field.kind === 'integer') {
			// "1.234" is how Germans write a thousand; accept it, reject anything else that is not digits.
			const digits = raw.replace(/\.(?=\d{3}(\D|$))/g, '');
			payload[field.name] =
				raw === '' ? undefined : /^-?\d+$/.test(digits) ? Number(digits) : Number.NaN;
		} else {
			payload[field.name] = raw === '' ? undefined : raw;
		}
	}
	return payload;
}

export type EntryState = 'queued' | 'rejected' | 'sent';

export interface EntryListItem {
	id: string;
	formId: string;
	createdAt: string;
	payload: unknown;
	state: EntryState;
	reason?: string;
}

export const ENTRY_STATE_WORDS: Record<EntryState, string> = {
	queued: 'wartet auf Verbindung',
	rejected: 'abgelehnt',
	sent: 'gesendet'
};

/** "Meine Einträge": unsent and sent entries of one author, newest first. */
export function myEntries(
	authorId: string,
	outbox: OutboxEntry[],
	sent: SentEntry[]
): EntryListItem[] {
	const items: EntryListItem[] = [
		...outbox
			.filter((e) => e.authorId === authorId)
			.map((e) => ({
				id: e.id,
				formId: e.formId,
				createdAt: e.createdAt,
				payload: e.payload,
				state: e.state,
				reason: e.rejection?.message
			})),
		...sent
			.filter((e) => e.authorId === authorId)
			.map((e) => ({
				id: e.id,
				formId: e.formId,
				createdAt: e.createdAt,
				payload: e.payload,
				state: 'sent' as const
			}))
	];
	return items.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
