import { openDataKpis } from '#server/kpis/open-data';
import { publicProcedure, router } from './init';

/** Open data: what citizens and the press read without a login (GET /api/trpc/openData.kpis). */
export const openDataRouter = router({
	kpis: publicProcedure.query(({ ctx }) => openDataKpis(ctx.db))
});
