import { z } from 'zod';
import { cityDayOf } from '../city-time';
import { dataQualityOverview, listFeeds, listRuns } from '../feeds/queries';
import { storedDefinition } from '../feeds/definitions';
import { uploadLimitBytes } from '../feeds/upload';
import { canAdminister, canReadDataQuality } from '../../src/lib/shared/permissions';
import { authedProcedure, klarError, router } from './init';

/** Feeds are kept by the central controlling; the check runs before the input is parsed. */
const feedAdminProcedure = authedProcedure.use(({ ctx, next }) => {
	if (!canAdminister(ctx.principal)) {
		throw klarError(
			'FORBIDDEN',
			'Only administrators see and run feeds',
			'Datenlieferungen verwaltet das Zentralcontrolling. Sie haben dafür keine Berechtigung.'
		);
	}
	return next();
});

const qualityProcedure = authedProcedure.use(({ ctx, next }) => {
	if (!canReadDataQuality(ctx.principal)) {
		throw klarError(
			'FORBIDDEN',
			'Only administrators and executives read the data-quality page',
			'Die Datenqualität sehen das Zentralcontrolling und die Verwaltungsspitze.'
		);
	}
	return next();
});

const FeedIdInput = z.object({ feedId: z.string().min(1).max(64) });

export const feedsRouter = router({
	list: feedAdminProcedure.query(({ ctx }) => ({
		feeds: listFeeds(ctx.db, cityDayOf(new Date())),
		uploadLimitBytes: uploadLimitBytes()
	})),
	runs: feedAdminProcedure
		.input(FeedIdInput.extend({ before: z.string().max(40).optional() }))
		.query(({ ctx, input }) => {
			if (!storedDefinition(ctx.db, input.feedId)) throw unknownFeed(input.feedId);
			return listRuns(ctx.db, input.feedId, input.before);
		}),
	definition: feedAdminProcedure.input(FeedIdInput).query(({ ctx, input }) => {
		const definition = storedDefinition(ctx.db, input.feedId);
		if (!definition) throw unknownFeed(input.feedId);
		return definition;
	})
});

export const qualityRouter = router({
	overview: qualityProcedure.query(({ ctx }) => dataQualityOverview(ctx.db))
});

const unknownFeed = (feedId: string) =>
	klarError('NOT_FOUND', `Unknown feed ${feedId}`, 'Diese Datenlieferung gibt es nicht (mehr).');
