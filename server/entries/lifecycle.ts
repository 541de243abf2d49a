import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { entryCells, formEntries } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { recordChange } from '#server/sync/change-log';
import type { AreaId } from '#shared/areas';
import type { FormDeclaration } from '#shared/forms/index';
import { canReview, type Principal } from '#shared/permissions';
import type { OutboxEntryV1, RejectionV1 } from '#shared/protocol';
import { refreshCells, type CellKey } from './cells';
import { cityToday } from '#server/clock';
import type { FormEffect } from './effects';

type EntryRow = typeof formEntries.$inferSelect;

/** Entries travel to the area's editors and leads; this scope tag is what pull filters on. */
export const ENTRY_SCOPE = 'entries' as const;

function logEntry(db: DbOrTx, row: Pick<EntryRow, 'id' | 'areaId'>, now: Date) {
	recordChange(
		db,
		{
			entity: 'entry.v1',
			id: row.id,
			op: 'put',
			areaId: row.areaId,
			visibility: ENTRY_SCOPE
		},
		now
	);
}

function cellsOfVersion(db: DbOrTx, entryId: string): CellKey[] {
	return db
		.select({
			kpiId: entryCells.kpiId,
			period: entryCells.period,
			dimensionKey: entryCells.dimensionKey
		})
		.from(entryCells)
		.where(eq(entryCells.entryId, entryId))
		.all();
}

/**
 * Marks the record's versions in `state` as superseded (each sent to devices again) and returns
 * the cells they wrote, which must be resolved anew.
 */
function supersede(
	db: DbOrTx,
	recordId: string,
	state: 'pending' | 'released',
	now: Date
): CellKey[] {
	const versions = db
		.select()
		.from(formEntries)
		.where(and(eq(formEntries.recordId, recordId), eq(formEntries.state, state)))
		.all();
	const cells: CellKey[] = [];
	for (const old of versions) {
		db.update(formEntries).set({ state: 'superseded' }).where(eq(formEntries.id, old.id)).run();
		logEntry(db, old, now);
		cells.push(...cellsOfVersion(db, old.id));
	}
	return cells;
}

const payloadOf = (row: EntryRow) => JSON.parse(row.payload) as unknown;

export type SubmitOutcome = { ok: true; touched: Set<string> } | { ok: false; reason: RejectionV1 };

/**
 * Stores a validated entry as a new record or, with `recordId`, as the next version of one,
 * waiting for release; writes its cells for internal readers. Call inside the push transaction.
 */
export function submitEntry(
	db: DbOrTx,
	principal: Principal,
	entry: OutboxEntryV1,
	form: FormDeclaration,
	effect: FormEffect<never>,
	payload: Record<string, unknown>,
	areaId: AreaId,
	now: Date
): SubmitOutcome {
	const key = form.key(payload as never) ?? '';
	let previous: EntryRow | undefined;
	if (entry.recordId) {
		previous = db
			.select()
			.from(formEntries)
			.where(eq(formEntries.recordId, entry.recordId))
			.orderBy(desc(formEntries.version))
			.get();
		if (!previous || previous.formId !== entry.formId || previous.areaId !== areaId) {
			return {
				ok: false,
				reason: {
					code: 'unknown_reference',
					message: 'Der Eintrag, den Sie korrigieren wollten, ist nicht (mehr) vorhanden.',
					detail: `record ${entry.recordId} does not exist for form ${entry.formId} in area ${areaId}`
				}
			};
		}
	}
	if (key) {
		const clash = db
			.select({ recordId: formEntries.recordId })
			.from(formEntries)
			.where(
				and(
					eq(formEntries.formId, entry.formId),
					eq(formEntries.entryKey, key),
					inArray(formEntries.state, ['pending', 'released']),
					entry.recordId ? ne(formEntries.recordId, entry.recordId) : undefined
				)
			)
			.get();
		if (clash) {
			return {
				ok: false,
				reason: {
					code: 'conflict',
					message:
						'Dafür gibt es schon einen Eintrag. Bitte diesen unter „Meine Einträge“ korrigieren statt einen zweiten anzulegen.',
					detail: `form ${entry.formId} already has record ${clash.recordId} with key ${key}`
				}
			};
		}
	}

	const receivedAt = now.toISOString();
	const row: EntryRow = {
		id: entry.id,
		formId: entry.formId,
		areaId,
		authorId: principal.id,
		payload: JSON.stringify(payload),
		createdAt: entry.createdAt,
		receivedAt,
		recordId: previous ? previous.recordId : entry.id,
		version: previous ? previous.version + 1 : 1,
		entryKey: key,
		state: 'pending',
		reviewedBy: null,
		reviewedAt: null,
		reviewNote: null
	};
	const cells: CellKey[] = [];
	if (previous) {
		// An earlier version still waiting for release is replaced by this one and never released.
		cells.push(...supersede(db, previous.recordId, 'pending', now));
		const released = db
			.select({ id: formEntries.id })
			.from(formEntries)
			.where(and(eq(formEntries.recordId, previous.recordId), eq(formEntries.state, 'released')))
			.get();
		if (released) cells.push(...cellsOfVersion(db, released.id));
	}
	db.insert(formEntries).values(row).run();
	const written = effect.cells(payload as never, cityToday(now));
	for (const cell of written) {
		db.insert(entryCells)
			.values({ entryId: entry.id, ...cell })
			.run();
	}
	cells.push(...written);
	logEntry(db, row, now);
	appendAudit(
		db,
		{
			userId: principal.id,
			action: previous ? 'entry.correct' : 'entry.create',
			entity: 'form_entry',
			entityId: row.recordId,
			oldValue: previous ? { version: previous.version, payload: payloadOf(previous) } : undefined,
			newValue: { version: row.version, formId: row.formId, entryId: row.id, payload }
		},
		now
	);
	return { ok: true, touched: refreshCells(db, cells, principal.id, now) };
}

export class ReviewError extends Error {
	constructor(
		readonly code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT' | 'BAD_REQUEST',
		message: string,
		readonly userMessage: string
	) {
		super(message);
	}
}

/**
 * A lead's decision on a waiting version: released (it reaches the council and public views and
 * replaces the record's earlier released version) or rejected with a reason (the released
 * version, if any, stays). Four eyes: never by the version's author. Returns the KPIs whose data
 * changed. Call inside a transaction.
 */
export function reviewEntry(
	db: DbOrTx,
	principal: Principal,
	decision: { entryId: string; release: boolean; note: string | null },
	now: Date
): Set<string> {
	const row = db.select().from(formEntries).where(eq(formEntries.id, decision.entryId)).get();
	if (!row) {
		throw new ReviewError(
			'NOT_FOUND',
			`entry ${decision.entryId} does not exist`,
			'Diesen Eintrag gibt es nicht.'
		);
	}
	if (!canReview(principal, row.areaId as AreaId)) {
		throw new ReviewError(
			'FORBIDDEN',
			`role ${principal.role} with areas [${principal.areas.join(',')}] may not review area ${row.areaId}`,
			'Nur die Fachbereichsleitung dieses Bereichs kann Einträge freigeben oder ablehnen.'
		);
	}
	if (row.authorId === principal.id) {
		throw new ReviewError(
			'FORBIDDEN',
			`user ${principal.id} is the author of entry ${row.id} (four-eyes rule)`,
			'Eigene Einträge kann nur eine andere Person freigeben (Vier-Augen-Prinzip).'
		);
	}
	if (row.state !== 'pending') {
		throw new ReviewError(
			'CONFLICT',
			`entry ${row.id} is ${row.state}, not pending`,
			row.state === 'superseded'
				? 'Dieser Eintrag wurde inzwischen korrigiert. Bitte die neue Fassung prüfen.'
				: 'Über diesen Eintrag wurde schon entschieden.'
		);
	}
	if (!decision.release && (!decision.note || decision.note.trim().length < 5)) {
		throw new ReviewError(
			'BAD_REQUEST',
			'a rejection needs a reason of at least 5 characters',
			'Bitte begründen Sie die Ablehnung (mindestens 5 Zeichen), damit sie korrigiert werden kann.'
		);
	}
	const cells = cellsOfVersion(db, row.id);
	if (decision.release) cells.push(...supersede(db, row.recordId, 'released', now));
	const state = decision.release ? 'released' : 'rejected';
	const note = decision.note?.trim() || null;
	db.update(formEntries)
		.set({ state, reviewedBy: principal.id, reviewedAt: now.toISOString(), reviewNote: note })
		.where(eq(formEntries.id, row.id))
		.run();
	logEntry(db, row, now);
	appendAudit(
		db,
		{
			userId: principal.id,
			action: decision.release ? 'entry.release' : 'entry.reject',
			entity: 'form_entry',
			entityId: row.recordId,
			oldValue: { version: row.version, state: row.state },
			newValue: { version: row.version, entryId: row.id, state, note, payload: payloadOf(row) }
		},
		now
	);
	return refreshCells(db, cells, principal.id, now);
}
