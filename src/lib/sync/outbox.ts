import type { FormDeclaration } from '#shared/forms/index';
import { toIsoDate } from '#shared/periods';
import { PUSH_BATCH_MAX, SYNC_SCHEMA_VERSION } from '#shared/protocol';
import { forgetLostHistory, readState, type KlarDatabase, type OutboxEntry } from './db';
import { UpdateRequiredError, type SyncTransport } from './transport';

/** RFC 4122 version 4 id from getRandomValues (randomUUID needs a secure context). */
export function newEntryId(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	bytes[6] = (bytes[6]! & 0x0f) | 0x40;
	bytes[8] = (bytes[8]! & 0x3f) | 0x80;
	const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Validates an entry with the form's own schema and puts it in the outbox. The id is made
 * here, once, so every retry of the push carries the same id and the server applies it once.
 */
export async function enqueueEntry(
	db: KlarDatabase,
	form: FormDeclaration,
	payload: unknown,
	authorId: string,
	made: {
		id?: string;
		createdAt?: Date;
		/** Correct this record: the entry becomes its next version. */
		recordId?: string;
		/** The draft the entry was made from: it goes in the same transaction. */
		draftId?: string;
		/** A refused entry this one replaces: it goes in the same transaction. */
		replacesOutboxId?: string;
	} = {}
): Promise<OutboxEntry> {
	// The phone's own day decides what "in the future" means; the server checks again on its clock.
	const createdAt = made.createdAt ?? new Date();
	const parsed = form.schema(toIsoDate(createdAt)).parse(payload);
	const entry: OutboxEntry = {
		id: made.id ?? newEntryId(),
		formId: form.id,
		authorId,
		createdAt: createdAt.toISOString(),
		payload: parsed,
		state: 'queued',
		attempts: 0,
		...(made.recordId ? { recordId: made.recordId } : {})
	};
	await db.transaction('rw', [db.outbox, db.drafts], async () => {
		await db.outbox.add(entry);
		if (made.draftId) await db.drafts.delete(made.draftId);
		if (made.replacesOutboxId) await db.outbox.delete(made.replacesOutboxId);
	});
	return entry;
}

export interface PushOutcome {
	acknowledged: number;
	rejected: number;
}

/**
 * Sends the queued entries of `authorId` in batches until none is left, including entries added
 * while pushing. Entries another person left on a shared device wait for that person's login
 * (the server would reject them anyway, and they are not this user's to see). An entry leaves
 * the outbox only when the server answered applied or duplicate; a rejected entry stays, with
 * its reason, for its author.
 */
export async function pushOutbox(
	db: KlarDatabase,
	transport: SyncTransport,
	authorId: string
): Promise<PushOutcome> {
	const outcome: PushOutcome = { acknowledged: 0, rejected: 0 };
	const tried = new Set<string>();
	let resets = 0;
	for (;;) {
		const batch = (await db.outbox.where('state').equals('queued').sortBy('createdAt'))
			.filter((e) => e.authorId === authorId && !tried.has(e.id))
			.slice(0, PUSH_BATCH_MAX);
		if (batch.length === 0) return outcome;
		batch.forEach((e) => tried.add(e.id));
		await db.outbox.bulkUpdate(
			batch.map((e) => ({ key: e.id, changes: { attempts: e.attempts + 1 } }))
		);
		const response = await transport.push({
			schemaVersion: SYNC_SCHEMA_VERSION,
			witness: (await readState<string>(db, 'witness')) ?? null,
			entries: batch.map(({ id, formId, authorId, createdAt, payload, recordId }) => ({
				id,
				formId,
				authorId,
				createdAt,
				payload,
				...(recordId ? { recordId } : {})
			}))
		});
		if (response.kind === 'update_required') throw new UpdateRequiredError(response.message);
		if (response.kind === 'reset') {
			// The server lost history this device saw acknowledged: start over with everything.
			if (++resets > 1) throw new Error('Server refused a push without a witness');
			await forgetLostHistory(db);
			tried.clear();
			continue;
		}
		const byId = new Map(batch.map((e) => [e.id, e]));
		const sentAt = new Date().toISOString();
		await db.transaction('rw', [db.outbox, db.sentEntries, db.syncState], async () => {
			await db.syncState.put({ key: 'witness', value: response.witness });
			for (const result of response.results) {
				const entry = byId.get(result.id);
				if (!entry) continue;
				if (result.result === 'rejected') {
					await db.outbox.update(entry.id, { state: 'rejected', rejection: result.reason });
					outcome.rejected++;
				} else {
					const { id, formId, authorId, createdAt, payload, recordId } = entry;
					await db.sentEntries.put({
						id,
						formId,
						authorId,
						createdAt,
						payload,
						sentAt,
						...(recordId ? { recordId } : {})
					});
					await db.outbox.delete(entry.id);
					outcome.acknowledged++;
				}
			}
		});
	}
}
