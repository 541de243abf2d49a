import { z } from 'zod';
import {
	catalogueOverview,
	emptyKpi,
	exportCatalogue,
	saveArea,
	saveKpi,
	setKpiActive
} from '#server/kpis/catalogue-admin';
import { KpiIdV1 } from '#shared/catalogue';
import { authedProcedure, router } from './init';

const Mode = z.enum(['create', 'update']);

/**
 * The KPI catalogue for `/verwaltung/kennzahlen`: admins change it, executives read it (rules in
 * PROCEDURE_ACCESS). Definitions are checked by the catalogue module against the whole
 * catalogue, so the input here is only the envelope; a refused change answers
 * `{ ok: false, fieldErrors }` with German messages per field and writes nothing.
 */
export const catalogueRouter = router({
	overview: authedProcedure.query(({ ctx }) => catalogueOverview(ctx.db)),
	export: authedProcedure.query(({ ctx }) => exportCatalogue(ctx.db)),
	saveKpi: authedProcedure
		.input(z.object({ mode: Mode, kpi: z.unknown() }))
		.mutation(({ ctx, input }) => saveKpi(ctx.db, ctx.principal, input.mode, input.kpi, ctx.now())),
	setActive: authedProcedure
		.input(z.object({ id: KpiIdV1, active: z.boolean() }))
		.mutation(({ ctx, input }) =>
			setKpiActive(ctx.db, ctx.principal, input.id, input.active, ctx.now())
		),
	saveArea: authedProcedure
		.input(z.object({ mode: Mode, area: z.unknown() }))
		.mutation(({ ctx, input }) =>
			saveArea(ctx.db, ctx.principal, input.mode, input.area, ctx.now())
		),
	emptyKpi: authedProcedure
		.input(
			z.object({
				kpiId: KpiIdV1,
				confirmation: z.string().max(100),
				runId: z.string().max(100).nullable().optional()
			})
		)
		.mutation(({ ctx, input }) => emptyKpi(ctx.db, ctx.principal, input, ctx.now()))
});
