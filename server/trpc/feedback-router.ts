import { z } from 'zod';
import { listFeedback, receiveFeedback, setFeedbackState } from '#server/feedback/feedback';
import { FeedbackListInputV1 } from '#shared/feedback';
import type { FeedbackSendResult } from '#shared/feedback';
import { authedProcedure, klarError, publicProcedure, router } from './init';

// The wire checks only types and sizes, so that a wrong value reaches the German validation in
// server/feedback and comes back as a message beside its field.
const MessageWire = z.object({
	id: z.string().max(100),
	writtenAt: z.string().max(40),
	text: z.string().max(20_000),
	page: z.string().max(2_000).optional(),
	email: z.string().max(1_000).optional(),
	name: z.string().max(1_000).optional(),
	writtenBy: z.string().max(100).nullable().optional()
});
const SetStateWire = z.object({
	id: z.string().max(100),
	state: z.string().max(40),
	note: z.string().max(10_000).optional()
});

/**
 * Accessibility feedback: anyone sends (the permission table), central controlling reads and
 * works through it.
 */
export const feedbackRouter = router({
	send: publicProcedure.input(MessageWire).mutation(({ ctx, input }): FeedbackSendResult => {
		const outcome = receiveFeedback(
			ctx.db,
			input,
			{ authorId: ctx.principal?.id ?? null, address: ctx.clientAddress },
			ctx.now()
		);
		if ('limited' in outcome) {
			throw klarError(
				'TOO_MANY_REQUESTS',
				`Feedback limit reached for ${ctx.clientAddress ?? 'an unknown address'}`,
				'Von diesem Anschluss kamen in der letzten Stunde sehr viele Rückmeldungen. Ihre Rückmeldung bleibt gespeichert und wird später noch einmal gesendet.'
			);
		}
		return outcome;
	}),
	list: authedProcedure
		.input(FeedbackListInputV1)
		.query(({ ctx, input }) => listFeedback(ctx.db, input)),
	setState: authedProcedure.input(SetStateWire).mutation(({ ctx, input }) => {
		const outcome = setFeedbackState(ctx.db, ctx.principal.id, input, ctx.now());
		if (!outcome.ok && 'reason' in outcome) {
			throw klarError(
				'NOT_FOUND',
				`No feedback ${input.id}`,
				'Diese Rückmeldung gibt es nicht (mehr). Bitte die Liste neu laden.'
			);
		}
		return outcome;
	})
});
