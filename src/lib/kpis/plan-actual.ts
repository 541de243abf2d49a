import { formatPercent, formatValue } from '#shared/format';
import type { BreakdownRow, SeriesPoint } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { cadenceOfPeriod, formatPeriod } from '#shared/periods';
import { changeBetween } from '#shared/status';

/**
 * Budgets: an actual ("Ist") and a plan ("Ansatz") KPI, both monthly and already cumulated within
 * the fiscal year (= calendar year), so each month's value is the total from January on.
 */
export interface PlanActualMonth {
	period: string;
	plan: number | null;
	actual: number | null;
	/** Actual minus plan. */
	deviation: number | null;
	/** Deviation relative to the plan; null when the plan is 0 or a figure is missing. */
	deviationPercent: number | null;
}

function monthlyValues(points: SeriesPoint[]): Map<string, number> {
	const values = new Map<string, number>();
	for (const point of points) {
		if (cadenceOfPeriod(point.period) === 'monthly' && point.value !== null) {
			values.set(point.period, point.value);
		}
	}
	return values;
}

/**
 * January to December of `year`. A month without a booked actual stays null: the cumulated
 * figure of an earlier month is not carried forward, because it would read as "nothing spent".
 */
export function planVsActualByMonth(
	actual: SeriesPoint[],
	plan: SeriesPoint[],
	year: number
): PlanActualMonth[] {
	const actualByMonth = monthlyValues(actual);
	const planByMonth = monthlyValues(plan);
	const prefix = String(year).padStart(4, '0');
	return Array.from({ length: 12 }, (_, i) => {
		const period = `${prefix}-${String(i + 1).padStart(2, '0')}`;
		const actualValue = actualByMonth.get(period) ?? null;
		const planValue = planByMonth.get(period) ?? null;
		const { absolute, percent } = changeBetween(actualValue, planValue);
		return {
			period,
			plan: planValue,
			actual: actualValue,
			deviation: absolute,
			deviationPercent: percent
		};
	});
}

/** The fiscal year of the latest booked month, which the screen opens on. */
export function latestBookedYear(actual: SeriesPoint[]): number | null {
	const latest = [...monthlyValues(actual).keys()].sort().at(-1);
	return latest === undefined ? null : Number(latest.slice(0, 4));
}

export interface PlanActualMember {
	key: string;
	label: string;
	/** The plan's breakdown is at December, i.e. the plan of the whole year. */
	annualPlan: number | null;
	/** Actual cumulated up to the latest booked month. */
	actualToDate: number | null;
	/** Share of the annual plan used so far; null without a plan above 0. */
	usedPercent: number | null;
}

const collator = new Intl.Collator('de-DE', { numeric: true });

/** Plan and actual side by side for every Produktbereich found in either breakdown. */
export function planVsActualByMember(
	actualRows: BreakdownRow[],
	planRows: BreakdownRow[]
): PlanActualMember[] {
	const members = new Map<string, PlanActualMember>();
	const member = (row: BreakdownRow) => {
		let m = members.get(row.key);
		if (!m) {
			m = {
				key: row.key,
				label: row.label,
				annualPlan: null,
				actualToDate: null,
				usedPercent: null
			};
			members.set(row.key, m);
		}
		return m;
	};
	for (const row of actualRows) member(row).actualToDate = row.value;
	for (const row of planRows) member(row).annualPlan = row.value;
	for (const m of members.values()) {
		m.usedPercent =
			m.actualToDate !== null && m.annualPlan !== null && m.annualPlan > 0
				? (m.actualToDate / m.annualPlan) * 100
				: null;
	}
	return [...members.values()].sort((a, b) => collator.compare(a.label, b.label));
}

function roundsToZero(value: number, decimals: number): boolean {
	return Number(Math.abs(value).toFixed(decimals)) === 0;
}

/**
 * "Ist bis Oktober 2026: 312,4 Mio. € – 4,1 % unter Plan (325,8 Mio. €)". When the plan is 0, the
 * deviation is given as an amount, since no percentage exists.
 */
export function describePlanActual(
	month: PlanActualMonth,
	kpi: Pick<KpiDefinition, 'unit' | 'decimals'>
): string {
	const head = `Ist bis ${formatPeriod(month.period)}`;
	if (month.actual === null) {
		return month.plan === null
			? `${head}: noch kein Wert`
			: `${head}: noch kein Wert (Plan: ${formatValue(month.plan, kpi)})`;
	}
	const actual = `${head}: ${formatValue(month.actual, kpi)}`;
	if (month.plan === null || month.deviation === null) return `${actual} – kein Planwert`;
	const plan = `(${formatValue(month.plan, kpi)})`;
	const side = month.deviation > 0 ? 'über' : 'unter';
	if (month.deviationPercent !== null) {
		if (roundsToZero(month.deviationPercent, 1)) return `${actual} – im Plan ${plan}`;
		return `${actual} – ${formatPercent(Math.abs(month.deviationPercent))} ${side} Plan ${plan}`;
	}
	if (roundsToZero(month.deviation, kpi.decimals)) return `${actual} – im Plan ${plan}`;
	return `${actual} – ${formatValue(Math.abs(month.deviation), kpi)} ${side} Plan ${plan}`;
}
