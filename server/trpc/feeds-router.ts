import { z } from 'zod';
import { cityDayOf } from '#server/city-time';
import { dataQualityOverview, listFeeds, listRuns } from '#server/feeds/queries';
import { storedDefinition } from '#server/feeds/definitions';
import { SAMPLE_LIMIT_BYTES } from '#shared/feeds';
import {
	definitionVersions,
	deleteFeed,
	previewDefinition,
	saveDefinition,
	setFeedActive,
	takeBackRun
} from '#server/feeds/admin';
import { uploadLimitBytes } from '#server/feeds/upload';
import { authedProcedure, klarError, router } from './init';

// Who may call these is decided before the input is parsed, by the permission table
// (PROCEDURE_ACCESS): feeds are for the central controlling, the data quality also for executives.
const FeedIdInput = z.object({ feedId: z.string().min(1).max(64) });

const DefinitionWithSample = z.object({
	/** The definition as typed (JSON text): problems name its lines. */
	definition: z.string().max(200_000),
	sample: z.object({
		fileName: z.string().max(200),
		// 1 MiB as base64, with room for padding.
		base64: z.string().max(Math.ceil(SAMPLE_LIMIT_BYTES / 3) * 4 + 4)
	})
});

// The feed administration: definitions checked with a sample, versions, retiring, deleting,
// taking a run back (server/feeds/admin.ts).
const administration = {
	preview: authedProcedure
		.input(DefinitionWithSample)
		.mutation(({ ctx, input }) =>
			previewDefinition(ctx.db, input.definition, input.sample, ctx.principal!.id, ctx.now)
		),
	save: authedProcedure
		.input(
			DefinitionWithSample.extend({
				intent: z.enum(['create', 'edit']),
				feedId: z.string().min(1).max(64).optional()
			})
		)
		.mutation(({ ctx, input }) =>
			saveDefinition(
				ctx.db,
				{
					text: input.definition,
					sample: input.sample,
					intent: input.intent,
					feedId: input.feedId
				},
				ctx.principal!.id,
				ctx.now
			)
		),
	versions: authedProcedure.input(FeedIdInput).query(({ ctx, input }) => {
		if (!storedDefinition(ctx.db, input.feedId)) throw unknownFeed(input.feedId);
		return definitionVersions(ctx.db, input.feedId);
	}),
	setActive: authedProcedure
		.input(FeedIdInput.extend({ active: z.boolean() }))
		.mutation(({ ctx, input }) => {
			if (!setFeedActive(ctx.db, input.feedId, input.active, ctx.principal!.id, ctx.now())) {
				throw unknownFeed(input.feedId);
			}
			return { ok: true as const };
		}),
	remove: authedProcedure
		.input(FeedIdInput.extend({ confirmation: z.string().max(100) }))
		.mutation(({ ctx, input }) =>
			deleteFeed(ctx.db, input.feedId, input.confirmation, ctx.principal!.id, ctx.now())
		),
	takeBack: authedProcedure
		.input(z.object({ runId: z.string().min(1).max(120) }))
		.mutation(({ ctx, input }) => takeBackRun(ctx.db, input.runId, ctx.principal!.id, ctx.now()))
};

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
	}),
	...administration
});

export const qualityRouter = router({
	overview: authedProcedure.query(({ ctx }) => dataQualityOverview(ctx.db, ctx.now()))
});

const unknownFeed = (feedId: string) =>
	klarError('NOT_FOUND', `Unknown feed ${feedId}`, 'Diese Datenlieferung gibt es nicht (mehr).');
