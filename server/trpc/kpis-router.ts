import { z } from 'zod';
import { loadDefinitionsByIds } from '#server/kpis/catalogue';
import { fullHistory } from '#server/kpis/snapshots';
import { canRead, seesSmallCounts } from '#shared/permissions';
import { authedProcedure, klarError, router } from './init';

export const kpisRouter = router({
	/**
	 * A KPI's whole history, beyond the window every phone keeps; for those who may read the KPI,
	 * withheld like their snapshot. Unknown and unreadable KPIs get the same answer.
	 */
	history: authedProcedure
		.input(z.object({ kpiId: z.string().min(1).max(100) }))
		.query(({ ctx, input }) => {
			const principal = ctx.principal!;
			const definition = loadDefinitionsByIds(ctx.db, [input.kpiId])[0];
			if (!definition?.active || !canRead(principal, definition)) {
				throw klarError(
					'NOT_FOUND',
					`KPI ${input.kpiId} is unknown or not readable for this role`,
					'Diese Kennzahl gibt es nicht oder sie ist für Ihre Rolle nicht freigegeben.'
				);
			}
			const history = fullHistory(
				ctx.db,
				input.kpiId,
				!seesSmallCounts(principal, definition.areaId),
				ctx.now()
			);
			if (!history) throw new Error(`No history for active KPI ${input.kpiId}`);
			return history;
		})
});
