import { z } from 'zod';
import { AreaId } from './areas';
import { FeedListItemV1 } from './feeds';

/** One KPI whose latest value is older than its cadence and grace days allow. */
export const OverdueKpiV1 = z.object({
	kpiId: z.string(),
	title: z.string(),
	areaId: AreaId,
	/** The latest period with a value, null when there never was one. */
	latestPeriod: z.string().nullable(),
	/** ISO date the next value was due. */
	dueOn: z.string().nullable(),
	daysLate: z.number().int()
});
export type OverdueKpi = z.infer<typeof OverdueKpiV1>;

export const OwnerOverdueV1 = z.object({
	department: z.string(),
	contact: z.string(),
	email: z.string().nullable(),
	kpis: z.array(OverdueKpiV1)
});
export type OwnerOverdue = z.infer<typeof OwnerOverdueV1>;

/** Rejected rows of all feeds in one ISO week. */
export const RejectedWeekV1 = z.object({
	week: z.string(),
	runs: z.number().int(),
	failedRuns: z.number().int(),
	rowsRejected: z.number().int()
});
export type RejectedWeek = z.infer<typeof RejectedWeekV1>;

/** The data-quality page: what is late, which feeds fail, how many rows were rejected. */
export const DataQualityOverviewV1 = z.object({
	/** The server's day (Europe/Berlin) the lateness is judged on. */
	today: z.string(),
	overdueByOwner: z.array(OwnerOverdueV1),
	feeds: z.array(FeedListItemV1),
	/** The last twelve ISO weeks, oldest first, weeks without runs included. */
	rejectedByWeek: z.array(RejectedWeekV1)
});
export type DataQualityOverview = z.infer<typeof DataQualityOverviewV1>;
