import { z } from 'zod';
import { cityDayOf } from '#server/city-time';
import { dataQualityOverview, listFeeds, listRuns } from '#server/feeds/queries';
import { storedDefinition } from '#server/feeds/definitions';
import { uploadLimitBytes } from '#server/feeds/upload';
import { authedProcedure, klarError, router } from './init';

// Who may call these is decided before the input is parsed, by the permission table
// (PROCEDURE_ACCESS): feeds are for the central controlling, the data quality also for executives.
const FeedIdInput = z.object({ feedId: z.string().min(1).max(64) });

export const feedsRouter = router({
	list: authedProcedure.query(({ ctx }) => ({
		feeds: listFeeds(ctx.db, cityDayOf(ctx.now())),
		uploadLimitBytes: uploadLimitBytes()
	})),
	runs: authedProcedure
		.input(FeedIdInput.extend({ before: z.string().max(40).optional() }))
		.query(({ ctx, input }) => {
			if (!storedDefinition(ctx.db, input.feedId)) throw unknownFeed(input.feedId);
			return listRuns(ctx.db, input.feedId, input.before);
		}),
	definition: authedProcedure.input(FeedIdInput).query(({ ctx, input }) => {
		const definition = storedDefinition(ctx.db, input.feedId);
		if (!definition) throw unknownFeed(input.feedId);
		return definition;
	})
});

export const qualityRouter = router({
	overview: authedProcedure.query(({ ctx }) => dataQualityOverview(ctx.db, ctx.now()))
});

const unknownFeed = (feedId: string) =>
	klarError('NOT_FOUND', `Unknown feed ${feedId}`, 'Diese Datenlieferung gibt es nicht (mehr).');
