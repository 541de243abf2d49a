import { eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '#server/db/connection';
import { formEntries, users } from '#server/db/schema';
import type { AreaId } from '#shared/areas';
import type { EntryV1 } from '#shared/protocol';

const reviewers = alias(users, 'reviewers');

/** Entry versions as they sync to devices, with the names of author and reviewer. */
export function loadEntries(db: DbOrTx, ids: string[]): EntryV1[] {
	if (!ids.length) return [];
	return db
		.select({
			id: formEntries.id,
			recordId: formEntries.recordId,
			version: formEntries.version,
			formId: formEntries.formId,
			areaId: formEntries.areaId,
			authorId: formEntries.authorId,
			authorName: users.displayName,
			payload: formEntries.payload,
			createdAt: formEntries.createdAt,
			receivedAt: formEntries.receivedAt,
			state: formEntries.state,
			reviewedBy: formEntries.reviewedBy,
			reviewerName: reviewers.displayName,
			reviewedAt: formEntries.reviewedAt,
			reviewNote: formEntries.reviewNote
		})
		.from(formEntries)
		.innerJoin(users, eq(users.id, formEntries.authorId))
		.leftJoin(reviewers, eq(reviewers.id, formEntries.reviewedBy))
		.where(inArray(formEntries.id, ids))
		.all()
		.map((row) => ({
			...row,
			areaId: row.areaId as AreaId,
			payload: JSON.parse(row.payload) as Record<string, unknown>
		}));
}
