import { eq } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { processedEntries } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { cellProblem, FORM_EFFECTS } from '#server/entries/effects';
import { submitEntry } from '#server/entries/lifecycle';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { cityDayOf } from '#server/city-time';
import { cityToday } from '#server/clock';
import { currentWitness, witnessHolds } from './pull';
import { FORMS } from '#shared/forms/index';
import { canWriteArea, writableAreas, type Principal } from '#shared/permissions';
import {
	isSupportedSchemaVersion,
	UPDATE_REQUIRED_MESSAGE,
	type OutboxEntryV1,
	type PushRequestV1,
	type PushResponseV1,
	type PushResultV1,
	type RejectionV1
} from '#shared/protocol';
import { fieldErrorsOf } from '#shared/field-errors';

/**
 * Applies a batch of outbox entries in one transaction. Each entry id is applied at most once:
 * the processed id is written in the same transaction as the entry's effect, so a push retried
 * after a lost response is answered "duplicate" and changes nothing.
 */
export function push(
	db: DbOrTx,
	principal: Principal,
	request: PushRequestV1,
	now: Date
): PushResponseV1 {
	if (!isSupportedSchemaVersion(request.schemaVersion)) {
		return { kind: 'update_required', message: UPDATE_REQUIRED_MESSAGE };
	}
	return db.transaction((tx): PushResponseV1 => {
		if (!witnessHolds(tx, request.witness)) {
			return { kind: 'reset', reason: 'unknown_cursor' };
		}
		const touched = new Set<string>();
		// A second copy of an id in one batch gets the answer of the first: duplicate when it was
		// applied, the same rejection when it was not (never "duplicate" for something not stored).
		const seen = new Map<string, PushResultV1>();
		const results = request.entries.map((entry): PushResultV1 => {
			const earlier = seen.get(entry.id);
			if (earlier)
				return earlier.result === 'rejected' ? earlier : { id: entry.id, result: 'duplicate' };
			const result = applyEntry(tx, principal, entry, touched, now);
			seen.set(entry.id, result);
			if (result.result === 'rejected') {
				appendAudit(
					tx,
					{
						userId: principal.id,
						action: 'entry.refuse',
						entity: 'form_entry',
						entityId: entry.id,
						newValue: { formId: entry.formId, reason: result.reason.detail }
					},
					now
				);
			}
			return result;
		});
		if (touched.size) rebuildSnapshots(tx, [...touched], now);
		return { kind: 'results', results, witness: currentWitness(tx) };
	});
}

function reject(id: string, reason: RejectionV1): PushResultV1 {
	return { id, result: 'rejected', reason };
}

function forbidden(id: string, principal: Principal, area: string): PushResultV1 {
	return reject(id, {
		code: 'forbidden',
		message: 'Sie haben keine Berechtigung, Daten für diesen Bereich zu erfassen.',
		detail: `role ${principal.role} with areas [${principal.areas.join(',')}] may not write ${area}`
	});
}

function applyEntry(
	db: DbOrTx,
	principal: Principal,
	entry: OutboxEntryV1,
	touched: Set<string>,
	now: Date
): PushResultV1 {
	const processed = db
		.select({ userId: processedEntries.userId })
		.from(processedEntries)
		.where(eq(processedEntries.entryId, entry.id))
		.get();
	if (processed) {
		if (processed.userId === principal.id) return { id: entry.id, result: 'duplicate' };
		return reject(entry.id, {
			code: 'wrong_author',
			message: 'Dieser Eintrag gehört einer anderen Person.',
			detail: `entry id ${entry.id} was processed for another user`
		});
	}
	if (entry.authorId !== principal.id) {
		return reject(entry.id, {
			code: 'wrong_author',
			message:
				'Dieser Eintrag wurde unter einer anderen Anmeldung erfasst und kann nicht gesendet werden.',
			detail: `entry author ${entry.authorId} is not the session user ${principal.id}`
		});
	}
	const form = FORMS[entry.formId];
	const effect = FORM_EFFECTS[entry.formId];
	if (!form || !effect) {
		return reject(entry.id, {
			code: 'unknown_form',
			message: 'Dieses Formular gibt es nicht mehr. Bitte die App aktualisieren.',
			detail: `unknown form ${entry.formId}`
		});
	}
	// Deny early what the role may never write, before looking at the payload.
	if (form.areaId !== null && !canWriteArea(principal, form.areaId))
		return forbidden(entry.id, principal, form.areaId);
	if (!writableAreas(principal).length) return forbidden(entry.id, principal, 'any area');
	const parsed = form.schema(cityDayOf(now)).safeParse(entry.payload);
	if (!parsed.success) {
		const errors = fieldErrorsOf(parsed.error);
		return reject(entry.id, {
			code: 'validation',
			message: `Der Eintrag ist unvollständig oder fehlerhaft: ${Object.values(errors).join(' ')}`,
			detail: `payload does not match ${entry.formId}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')}`,
			fieldErrors: errors
		});
	}
	const areaId = form.areaId ?? effect.areaOf?.(db, parsed.data as never) ?? null;
	if (areaId === null || !canWriteArea(principal, areaId)) {
		return forbidden(entry.id, principal, areaId ?? 'unknown area');
	}
	const referenceProblem = effect.checkReferences(db, parsed.data as never, principal);
	if (referenceProblem) return reject(entry.id, referenceProblem);
	const targetProblem = cellProblem(db, form, effect.cells(parsed.data as never, cityToday(now)));
	if (targetProblem) return reject(entry.id, targetProblem);

	const outcome = submitEntry(
		db,
		principal,
		entry,
		form,
		effect,
		parsed.data as Record<string, unknown>,
		areaId,
		now
	);
	if (!outcome.ok) return reject(entry.id, outcome.reason);
	for (const kpiId of outcome.touched) touched.add(kpiId);
	db.insert(processedEntries)
		.values({ entryId: entry.id, userId: principal.id, processedAt: now.toISOString() })
		.run();
	return { id: entry.id, result: 'applied' };
}
