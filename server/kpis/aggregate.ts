import type { BreakdownRow, KpiDefinition, KpiSnapshot, SeriesPoint } from '#shared/kpi';
import { isOverdue, nextExpectedUpdate, periodEnd, toIsoDate } from '#shared/periods';
import { changeBetween, statusOf } from '#shared/status';
import { compactSeries } from '#shared/series';

/** One stored value: a KPI, a period, the dimension members (canonical key, '' for the total). */
export interface ObservationValue {
	period: string;
	dimensionKey: string;
	value: number | null;
}

/**
 * How observations of one KPI add up to its total:
 * - `flow` sums what was reported in a period (arrivals per week);
 * - `stock` carries each member's last value forward until it reports again (occupied places
 *   of a facility that has not reported today are still occupied);
 * - `ytd` cumulates a flow within the calendar year (budgets are read "so far this year"): a
 *   period's value is the sum of the flows of its year up to and including it.
 */
export type Accumulation = 'flow' | 'stock' | 'ytd';

export interface Aggregate {
	/** Total per period, ascending by period. */
	series: SeriesPoint[];
	/**
	 * Per dimension member: the value at the latest period (carried forward for stocks; the
	 * year-to-date sum in the year of the latest period for `ytd`).
	 */
	latestByMember: Map<string, { value: number | null; period: string }>;
}

const plus = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

/** The calendar year of a period key (`2026`, `2026-Q4`, `2026-11`, `2026-W47`, `2026-11-21`). */
const yearOf = (period: string) => period.slice(0, 4);

export function aggregate(observations: ObservationValue[], accumulation: Accumulation): Aggregate {
	const byPeriod = new Map<string, ObservationValue[]>();
	for (const o of observations) {
		const list = byPeriod.get(o.period);
		if (list) list.push(o);
		else byPeriod.set(o.period, [o]);
	}
	const periods = [...byPeriod.keys()].sort();
	const series: SeriesPoint[] = [];
	const latestByMember = new Map<string, { value: number | null; period: string }>();
	let year: string | null = null;
	let yearToDate = 0;
	for (const period of periods) {
		const rows = byPeriod.get(period)!;
		const total = rows.find((r) => r.dimensionKey === '');
		if (accumulation === 'ytd' && yearOf(period) !== year) {
			year = yearOf(period);
			yearToDate = 0;
			latestByMember.clear();
		}
		if (accumulation === 'flow') latestByMember.clear();
		let periodSum: number | null = null;
		for (const r of rows) {
			if (r.dimensionKey === '') continue;
			periodSum = plus(periodSum, r.value);
			if (accumulation === 'ytd') {
				const before = latestByMember.get(r.dimensionKey);
				latestByMember.set(r.dimensionKey, {
					value: plus(before?.value ?? null, r.value),
					period: r.value === null && before ? before.period : period
				});
			} else {
				latestByMember.set(r.dimensionKey, { value: r.value, period });
			}
		}
		if (accumulation === 'ytd') {
			// A period that reported nothing has no value, but the year goes on counting.
			const flow = total ? total.value : periodSum;
			if (flow !== null) yearToDate += flow;
			series.push({ period, value: flow === null ? null : yearToDate });
			continue;
		}
		if (total) {
			series.push({ period, value: total.value });
			continue;
		}
		let sum = 0;
		let any = false;
		for (const { value } of latestByMember.values()) {
			if (value !== null) {
				sum += value;
				any = true;
			}
		}
		series.push({ period, value: any ? sum : null });
	}
	return { series, latestByMember };
}

/** Combines two aligned series point by point (for derived KPIs such as a utilisation rate). */
export function combineSeries(
	a: SeriesPoint[],
	b: SeriesPoint[],
	combine: (a: number, b: number) => number | null
): SeriesPoint[] {
	const bByPeriod = new Map(b.map((p) => [p.period, p.value]));
	return a
		.filter((p) => bByPeriod.has(p.period))
		.map((p) => {
			const other = bByPeriod.get(p.period) ?? null;
			return {
				period: p.period,
				value: p.value === null || other === null ? null : combine(p.value, other)
			};
		});
}

export const ratioPercent = (a: number, b: number) => (b === 0 ? null : (a / b) * 100);
export const difference = (a: number, b: number) => a - b;

/** How many points of the series a snapshot carries, by cadence (the phone stores them all). */
const SERIES_LENGTH: Record<KpiDefinition['cadence'], number> = {
	daily: 400,
	weekly: 160,
	monthly: 120,
	quarterly: 80,
	yearly: 30
};

export function roundTo(value: number | null, decimals: number): number | null {
	if (value === null) return null;
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}

/**
 * The snapshot of a KPI from its total series and its breakdown: current and previous value,
 * change, status against the bands, "as of", overdue flag and the next expected update.
 */
export function buildSnapshot(
	definition: KpiDefinition,
	series: SeriesPoint[],
	breakdown: { dimension: string | null; rows: BreakdownRow[] },
	today: Date,
	computedAt: string
): KpiSnapshot {
	const known = series.filter((p) => p.value !== null);
	const current = known.at(-1) ?? null;
	const previous = known.at(-2) ?? null;
	const value = roundTo(current?.value ?? null, definition.decimals);
	const previousValue = roundTo(previous?.value ?? null, definition.decimals);
	const change = changeBetween(value, previousValue);
	const period = current?.period ?? null;
	const end = period ? periodEnd(period) : null;
	const next = period ? nextExpectedUpdate(period, definition.graceDays) : null;
	return {
		kpiId: definition.id,
		areaId: definition.areaId,
		period,
		value,
		previousPeriod: previous?.period ?? null,
		previousValue,
		change: roundTo(change.absolute, definition.decimals),
		changePercent: roundTo(change.percent, 1),
		status: statusOf(value, definition.direction, definition.thresholds),
		series: compactSeries(
			series
				.slice(-SERIES_LENGTH[definition.cadence])
				.map((p) => ({ period: p.period, value: roundTo(p.value, definition.decimals) }))
		),
		breakdownDimension: breakdown.dimension,
		breakdown: breakdown.rows.map((r) => ({
			...r,
			value: roundTo(r.value, definition.decimals)
		})),
		asOf: end ? toIsoDate(end) : null,
		overdue: isOverdue(period, definition.graceDays, today),
		nextExpectedUpdate: next ? toIsoDate(next) : null,
		computedAt
	};
}

/** `facility=ae-03` → `{ facility: 'ae-03' }`, and back; keys are sorted so equal sets are equal strings. */
export function dimensionKeyOf(members: Record<string, string>): string {
	return Object.keys(members)
		.sort()
		.map((k) => `${k}=${members[k]}`)
		.join('&');
}

export function membersOf(dimensionKey: string): Record<string, string> {
	if (dimensionKey === '') return {};
	return Object.fromEntries(
		dimensionKey.split('&').map((pair) => pair.split('=') as [string, string])
	);
}
