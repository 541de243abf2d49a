import { z } from 'zod';
import { safeText } from '#shared/text';
import type { DbOrTx } from '#server/db/connection';
import { reviewEntry, ReviewError } from '#server/entries/lifecycle';
import { rebuildSnapshots } from '#server/kpis/snapshots';
import { authedProcedure, klarError, router } from './init';

export const ReviewInput = z.object({
	entryId: z.string().min(1).max(64),
	note: safeText({ multiline: true }).max(1000).optional()
});

/** Four-eyes release of form entries by a lead of the entry's area who is not its author. */
function review(
	db: DbOrTx,
	principal: Parameters<typeof reviewEntry>[1],
	release: boolean,
	input: z.infer<typeof ReviewInput>,
	now: Date
) {
	try {
		return db.transaction((tx) => {
			const touched = reviewEntry(
				tx,
				principal,
				{
					entryId: input.entryId,
					release,
					note: input.note ?? null
				},
				now
			);
			if (touched.size) rebuildSnapshots(tx, [...touched], now);
			return { ok: true as const, changedKpis: [...touched].sort() };
		});
	} catch (error) {
		if (error instanceof ReviewError) throw klarError(error.code, error.message, error.userMessage);
		throw error;
	}
}

export const entriesRouter = router({
	release: authedProcedure
		.input(ReviewInput)
		.mutation(({ ctx, input }) => review(ctx.db, ctx.principal, true, input, ctx.now())),
	reject: authedProcedure
		.input(ReviewInput)
		.mutation(({ ctx, input }) => review(ctx.db, ctx.principal, false, input, ctx.now()))
});
