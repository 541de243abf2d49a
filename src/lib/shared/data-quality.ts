import { addDays, addMonths, addYears } from 'date-fns';
import { z } from 'zod';
import { AreaId } from './areas';
import { FeedListItemV1, type FeedHealth } from './feeds';
import type { Cadence } from './kpi';
import { lateness, parseIsoDate, periodOf, shiftPeriod, toIsoDate } from './periods';

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

const NEXT_DELIVERY: Record<Cadence, (day: Date) => Date> = {
	daily: (day) => addDays(day, 1),
	weekly: (day) => addDays(day, 7),
	monthly: (day) => addMonths(day, 1),
	quarterly: (day) => addMonths(day, 3),
	yearly: (day) => addYears(day, 1)
};

/**
 * The day a feed's next delivery is due: one cadence after its last successful run, plus its
 * grace days. Null before the first success.
 */
export function feedDueOn(
	lastSuccessDay: string | null,
	cadence: Cadence,
	graceDays: number
): string | null {
	const day = lastSuccessDay ? parseIsoDate(lastSuccessDay) : null;
	return day ? toIsoDate(addDays(NEXT_DELIVERY[cadence](day), graceDays)) : null;
}

/** How a feed is doing on `today` (ISO date), from its last run and last successful one. */
export function feedHealth(
	lastRunStatus: 'succeeded' | 'failed' | null,
	dueOn: string | null,
	today: string,
	active = true
): FeedHealth {
	if (!active) return 'inactive';
	if (lastRunStatus === 'failed') return 'failing';
	if (!dueOn) return 'never';
	return today > dueOn ? 'overdue' : 'ok';
}

export interface KpiLateness {
	kpiId: string;
	title: string;
	areaId: OverdueKpi['areaId'];
	cadence: Cadence;
	graceDays: number;
	latestPeriod: string | null;
	owner: { department: string; contact: string; email?: string | null };
}

/**
 * The KPIs whose next value is overdue on `today`, grouped by owning department (the most
 * overdue first within a group; groups by their most overdue KPI).
 */
export function overdueByOwner(kpis: readonly KpiLateness[], today: string): OwnerOverdue[] {
	const day = parseIsoDate(today)!;
	const groups = new Map<string, OwnerOverdue>();
	for (const kpi of kpis) {
		const late = lateness(kpi.latestPeriod, kpi.graceDays, day);
		if (!late) continue;
		const key = `${kpi.owner.department}\u0000${kpi.owner.contact}`;
		let group = groups.get(key);
		if (!group) {
			group = {
				department: kpi.owner.department,
				contact: kpi.owner.contact,
				email: kpi.owner.email ?? null,
				kpis: []
			};
			groups.set(key, group);
		}
		group.kpis.push({
			kpiId: kpi.kpiId,
			title: kpi.title,
			areaId: kpi.areaId,
			latestPeriod: kpi.latestPeriod,
			dueOn: late.dueOn,
			// A KPI that never had a value has no due day to count from.
			daysLate: late.daysLate ?? 0
		});
	}
	const worst = (g: OwnerOverdue) => Math.max(...g.kpis.map((k) => k.daysLate));
	for (const group of groups.values()) group.kpis.sort((a, b) => b.daysLate - a.daysLate);
	return [...groups.values()].sort(
		(a, b) => worst(b) - worst(a) || a.department.localeCompare(b.department, 'de')
	);
}

/** Runs of the last `weeks` ISO weeks up to `today`'s, oldest first, empty weeks included. */
export function rejectedByWeek(
	runs: readonly { startedOn: string; status: 'succeeded' | 'failed'; rowsRejected: number }[],
	today: string,
	weeks = 12
): RejectedWeek[] {
	const current = periodOf(parseIsoDate(today)!, 'weekly');
	const result = Array.from({ length: weeks }, (_, i) => ({
		week: shiftPeriod(current, i - weeks + 1)!,
		runs: 0,
		failedRuns: 0,
		rowsRejected: 0
	}));
	const byWeek = new Map(result.map((w) => [w.week, w]));
	for (const run of runs) {
		const week = byWeek.get(periodOf(parseIsoDate(run.startedOn)!, 'weekly'));
		if (!week) continue;
		week.runs++;
		if (run.status === 'failed') week.failedRuns++;
		week.rowsRejected += run.rowsRejected;
	}
	return result;
}
