import type { BreakdownRow, KpiSnapshot, SeriesPoint } from '#shared/kpi';
import {
	applyFormula,
	type Accumulation,
	type ComparisonBasis,
	type DerivedKind,
	type KpiDefinition
} from '#shared/catalogue';
import {
	expectedShareOfYear,
	isOverdue,
	nextExpectedUpdate,
	periodEnd,
	periodOf,
	periodStart,
	shiftPeriod,
	toIsoDate
} from '#shared/periods';
import { changeBetween, statusOf } from '#shared/status';
import { compactSeries, SERIES_LENGTH } from '#shared/series';
import { samePeriodLastYear } from '#shared/comparisons';

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
export type { Accumulation };

export interface Aggregate {
	/** Total per period, ascending by period. */
	series: SeriesPoint[];
	/**
	 * Per dimension member: the value at the latest period (carried forward for stocks; the
	 * year-to-date sum in the year of the latest period for `ytd`).
	 */
	latestByMember: Map<string, MemberValue>;
}

export interface MemberValue {
	value: number | null;
	period: string;
	/** A derived KPI's second input for the member (the capacity beside the utilisation). */
	reference?: number | null;
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
	const latestByMember = new Map<string, MemberValue>();
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

/** An input of a derived KPI: its values and its cadence. */
export interface DerivedInput {
	aggregate: Aggregate;
	cadence: KpiDefinition['cadence'];
}

/**
 * The values of a derived KPI from its inputs' values, period by period and member by member
 * (see `applyFormula`): at the periods of the first input where every input has a value – or,
 * for the population of a rate per inhabitants reported less often, the latest value up to the
 * period. A change against the previous period compares each period with the one before.
 */
export function derivedAggregate(
	kind: DerivedKind,
	inputs: readonly DerivedInput[],
	cadence: KpiDefinition['cadence']
): Aggregate {
	const [first] = inputs;
	if (!first) return { series: [], latestByMember: new Map() };
	if (kind === 'change' || kind === 'change_percent') {
		const byPeriod = new Map(first.aggregate.series.map((p) => [p.period, p.value]));
		return {
			series: first.aggregate.series.map((p) => ({
				period: p.period,
				value: applyFormula(kind, [p.value], byPeriod.get(shiftPeriod(p.period, -1) ?? '') ?? null)
			})),
			latestByMember: new Map()
		};
	}
	const lookups = inputs.map((input) => valueAt(input, cadence));
	const series: SeriesPoint[] = [];
	for (const point of first.aggregate.series) {
		const values = lookups.map((lookup) => lookup(point.period));
		if (values.some((v) => v === undefined)) continue;
		series.push({ period: point.period, value: applyFormula(kind, values as (number | null)[]) });
	}
	const latestByMember = new Map<string, MemberValue>();
	for (const [key, latest] of first.aggregate.latestByMember) {
		const values = inputs.map((input, i) =>
			i === 0 ? latest.value : (input.aggregate.latestByMember.get(key)?.value ?? null)
		);
		latestByMember.set(key, {
			value: applyFormula(kind, values),
			period: latest.period,
			...(inputs.length === 2 ? { reference: values[1] ?? null } : {})
		});
	}
	return { series, latestByMember };
}

/**
 * A lookup of an input's value at a period of the derived KPI's cadence: undefined when the
 * input has no such period. An input reported less often gives its value of the period that
 * contains the day, or else its latest earlier value (a population carried forward).
 */
function valueAt(
	input: DerivedInput,
	cadence: KpiDefinition['cadence']
): (period: string) => number | null | undefined {
	const byPeriod = new Map(input.aggregate.series.map((p) => [p.period, p.value]));
	if (input.cadence === cadence) return (period) => byPeriod.get(period);
	const periods = input.aggregate.series.map((p) => p.period);
	return (period) => {
		const start = periodStart(period);
		if (!start) return undefined;
		const own = periodOf(start, input.cadence);
		if (byPeriod.has(own)) return byPeriod.get(own);
		const earlier = periods.filter((p) => p < own).at(-1);
		return earlier === undefined ? undefined : byPeriod.get(earlier);
	};
}

export function roundTo(value: number | null, decimals: number): number | null {
	if (value === null) return null;
	const f = 10 ** decimals;
	return Math.round(value * f) / f;
}

/** The last period of the year a period belongs to, in its own cadence (`2026-10` → `2026-12`). */
function lastPeriodOfYear(period: string): string | null {
	const year = period.slice(0, 4);
	if (/^\d{4}-\d{2}$/.test(period)) return `${year}-12`;
	if (/^\d{4}-Q\d$/.test(period)) return `${year}-Q4`;
	if (/^\d{4}$/.test(period)) return year;
	return null;
}

/**
 * The plan pro rata of a year-to-date actual: the plan of the whole year (its value at the
 * year's last period) times the share of the year that has passed. Null without that plan, or
 * for periods finer than a month.
 */
export function planProRata(
	period: string,
	plan: readonly SeriesPoint[]
): { value: number; shareOfYear: number } | null {
	const last = lastPeriodOfYear(period);
	const annual = last ? plan.find((p) => p.period === last)?.value : null;
	if (annual === null || annual === undefined) return null;
	const shareOfYear = expectedShareOfYear(period);
	return { value: (annual * shareOfYear) / 100, shareOfYear };
}

/** What a snapshot is compared with, and the figures of the comparison. */
export interface ComparisonInput {
	basis: ComparisonBasis;
	/** The plan's series, for `plan_pro_rata`. */
	planSeries?: readonly SeriesPoint[];
}

/**
 * The snapshot of a KPI from its total series and its breakdown: current value and what it is
 * compared with (the previous period, the same period a year before, or the plan pro rata),
 * change, status against the bands, "as of", overdue flag and the next expected update. Change
 * and change % come from the unrounded values and are rounded once (a drop of 516.59 shows as
 * −517, not as the difference of two rounded values).
 */
export function buildSnapshot(
	definition: KpiDefinition,
	series: SeriesPoint[],
	breakdown: { dimension: string | null; rows: BreakdownRow[] },
	today: Date,
	computedAt: string,
	comparison: ComparisonInput = { basis: { kind: 'previous_period' } },
	/** Points of the series kept: the snapshot's window; the whole history is loaded apart. */
	seriesLength: number = SERIES_LENGTH[definition.cadence]
): KpiSnapshot {
	const known = series.filter((p) => p.value !== null);
	const current = known.at(-1) ?? null;
	const period = current?.period ?? null;
	let previous: { period: string | null; value: number | null } = { period: null, value: null };
	let compared: KpiSnapshot['comparison'];
	let status = statusOf(current?.value ?? null, definition.direction, definition.thresholds);
	const basis = comparison.basis;
	if (basis.kind === 'previous_period') {
		const point = known.at(-2);
		if (point) previous = { period: point.period, value: point.value };
	} else if (basis.kind === 'previous_year' && period) {
		const lastYear = samePeriodLastYear(period);
		const point = series.find((p) => p.period === lastYear);
		previous = { period: lastYear, value: point?.value ?? null };
		compared = { kind: 'previous_year' };
	} else if (basis.kind === 'plan_pro_rata' && period) {
		const plan = planProRata(period, comparison.planSeries ?? []);
		previous = { period: null, value: plan?.value ?? null };
		compared = { kind: 'plan_pro_rata', shareOfYear: roundTo(plan?.shareOfYear ?? null, 1) };
	}
	const change = changeBetween(current?.value ?? null, previous.value);
	// Against the plan the rating is of the deviation in percent: bands such as −3 % and −8 %.
	if (basis.kind === 'plan_pro_rata') {
		status = statusOf(change.percent, definition.direction, definition.thresholds);
	}
	const end = period ? periodEnd(period) : null;
	const next = period ? nextExpectedUpdate(period, definition.graceDays) : null;
	return {
		kpiId: definition.id,
		areaId: definition.areaId,
		period,
		value: roundTo(current?.value ?? null, definition.decimals),
		previousPeriod: previous.period,
		previousValue: roundTo(previous.value, definition.decimals),
		change: roundTo(change.absolute, definition.decimals),
		changePercent: roundTo(change.percent, 1),
		status,
		series: compactSeries(
			series
				.slice(-seriesLength)
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
		computedAt,
		...(compared ? { comparison: compared } : {})
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
