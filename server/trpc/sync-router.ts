import { pull } from '#server/sync/pull';
import { push } from '#server/sync/push';
import { PullRequestV1, PushRequestV1 } from '#shared/protocol';
import { authedProcedure, router } from './init';

export const syncRouter = router({
	pull: authedProcedure
		.input(PullRequestV1)
		.query(({ ctx, input }) => pull(ctx.db, ctx.principal, input, ctx.now())),
	push: authedProcedure
		.input(PushRequestV1)
		.mutation(({ ctx, input }) => push(ctx.db, ctx.principal, input, ctx.now()))
});
