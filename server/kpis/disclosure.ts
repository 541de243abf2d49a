import type { BreakdownRow, KpiSnapshot, SuppressionMarks } from '#shared/kpi';
import { compactSeries, expandSeries } from '#shared/series';

/**
 * Statistical confidentiality (the statistics acts forbid publishing counts that identify
 * people): counts of 1 to minCount − 1 must not reach
 * council and public views, neither directly nor worked out from what is shown beside them.
 * Everything here is pure; the server applies it before a snapshot leaves it.
 */

/** How a count KPI adds up over time; `ytd` values are running sums within a calendar year. */
export type CountAccumulation = 'flow' | 'stock' | 'ytd';

export type DisclosureRule =
	/** A KPI whose values are counts of cases: primary and secondary suppression. */
	| { kind: 'count'; minCount: number; accumulation: CountAccumulation }
	/**
	 * A ratio or difference of two KPIs (`a` then `b`): beside its inputs it would give a hidden
	 * input back (utilisation × capacity = occupancy), so it hides what its inputs hide. The
	 * inputs' marks are those of their disclosed views; undefined when an input hides nothing.
	 */
	| {
			kind: 'derived';
			inputs: readonly (SuppressionMarks | undefined)[];
	  };

/** A figure that must not be shown: a count of at least one case and below the threshold. Zero is shown. */
export function isSmallCount(value: number | null | undefined, minCount: number): boolean {
	return value != null && value > 0 && value < minCount;
}

/** Whether a snapshot carries marks of hidden figures. */
export function hidesSomething(snapshot: Pick<KpiSnapshot, 'suppressed'>): boolean {
	return snapshot.suppressed !== undefined;
}

/**
 * The snapshot as readers without access to small counts may see it: hidden figures are null
 * and `suppressed` says which they are. Returns the snapshot itself when nothing is hidden.
 */
export function discloseSnapshot(snapshot: KpiSnapshot, rule: DisclosureRule): KpiSnapshot {
	const hidden =
		rule.kind === 'count' ? hiddenByCountRule(snapshot, rule) : hiddenByInputs(snapshot, rule);
	if (!hidden) return snapshot;
	return applyHidden(snapshot, hidden);
}

interface Hidden {
	periods: Set<string>;
	value: boolean;
	previousValue: boolean;
	members: Set<string>;
	references: Set<string>;
	minCount: number;
}

function hiddenByCountRule(
	snapshot: KpiSnapshot,
	rule: Extract<DisclosureRule, { kind: 'count' }>
): Hidden | null {
	const min = rule.minCount;
	if (min <= 1) return null;
	const points = expandSeries(snapshot.series);
	const periods = new Set(points.filter((p) => isSmallCount(p.value, min)).map((p) => p.period));
	if (rule.accumulation === 'ytd') hideSmallYtdSteps(points, periods, min);

	let value =
		isSmallCount(snapshot.value, min) || (snapshot.period !== null && periods.has(snapshot.period));
	const previousValue =
		isSmallCount(snapshot.previousValue, min) ||
		(snapshot.previousPeriod !== null && periods.has(snapshot.previousPeriod));

	const members = new Set(
		snapshot.breakdown.filter((r) => isSmallCount(r.value, min)).map((r) => r.key)
	);
	const references = new Set(
		snapshot.breakdown.filter((r) => isSmallCount(r.reference, min)).map((r) => r.key)
	);
	// The total is the current value; a hidden total cannot be used to work rows out.
	if (members.size > 0 && !value && snapshot.value !== null) {
		value = !hideComplementaryRows(snapshot.breakdown, members, min);
	}
	if (value && snapshot.period !== null) periods.add(snapshot.period);
	if (previousValue && snapshot.previousPeriod !== null) periods.add(snapshot.previousPeriod);

	const any = periods.size + members.size + references.size > 0 || value || previousValue;
	return any ? { periods, value, previousValue, members, references, minCount: min } : null;
}

/**
 * Within a year a running sum's step from one shown point to the next is that period's flow:
 * a step of 1 to min − 1 reveals a small count. Walking forward from the year's known start
 * (zero), a point whose step is small is hidden, so the next step spans both periods; every
 * step between shown points is then zero or at least min.
 */
function hideSmallYtdSteps(
	points: { period: string; value: number | null }[],
	periods: Set<string>,
	min: number
): void {
	let year: string | null = null;
	let lastShown = 0;
	for (const point of points) {
		if (point.period.slice(0, 4) !== year) {
			year = point.period.slice(0, 4);
			lastShown = 0;
		}
		if (point.value === null || periods.has(point.period)) continue;
		if (isSmallCount(Math.abs(point.value - lastShown), min)) periods.add(point.period);
		else lastShown = point.value;
	}
}

/**
 * Secondary suppression: the total minus the shown rows is the sum of the hidden rows, so one
 * hidden row, or hidden rows that together are a small count, could be worked out. Hides
 * further rows, smallest first, until at least two are hidden and they sum to at least min.
 * Rows of zero or without a value add nothing and are not used. Returns false when the rows
 * cannot protect each other, so the total must be hidden instead.
 */
function hideComplementaryRows(rows: BreakdownRow[], members: Set<string>, min: number): boolean {
	const valueOf = new Map(rows.map((r) => [r.key, r.value ?? 0]));
	let hiddenSum = [...members].reduce((sum, key) => sum + (valueOf.get(key) ?? 0), 0);
	const candidates = rows
		.filter((r) => !members.has(r.key) && r.value !== null && r.value > 0)
		.sort((a, b) => a.value! - b.value! || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
	const protectedEnough = () => members.size >= 2 && hiddenSum >= min;
	for (const row of candidates) {
		if (protectedEnough()) break;
		members.add(row.key);
		hiddenSum += row.value!;
	}
	return protectedEnough();
}

function hiddenByInputs(
	snapshot: KpiSnapshot,
	rule: Extract<DisclosureRule, { kind: 'derived' }>
): Hidden | null {
	const marks = rule.inputs.filter((m): m is SuppressionMarks => m !== undefined);
	if (marks.length === 0) return null;
	const periods = new Set(marks.flatMap((m) => m.periods));
	const members = new Set(marks.flatMap((m) => m.members));
	// A derived row's reference is the second input's figure for the member.
	const b = rule.inputs.length === 2 ? rule.inputs[1] : undefined;
	const references = new Set([...(b?.members ?? []), ...(b?.references ?? [])]);
	const value = snapshot.period !== null && periods.has(snapshot.period);
	const previousValue = snapshot.previousPeriod !== null && periods.has(snapshot.previousPeriod);
	const minCount = Math.max(0, ...marks.map((m) => m.minCount));
	return { periods, value, previousValue, members, references, minCount };
}

function applyHidden(snapshot: KpiSnapshot, hidden: Hidden): KpiSnapshot {
	const points = expandSeries(snapshot.series);
	const shownPeriods = new Set(points.map((p) => p.period));
	const series = compactSeries(
		points.map((p) => ({ period: p.period, value: hidden.periods.has(p.period) ? null : p.value }))
	);
	const breakdown = snapshot.breakdown.map((row) => {
		const next: BreakdownRow = { ...row, value: hidden.members.has(row.key) ? null : row.value };
		if (row.reference !== undefined) {
			next.reference = hidden.references.has(row.key) ? null : row.reference;
		}
		return next;
	});
	const eitherHidden = hidden.value || hidden.previousValue;
	const marks: SuppressionMarks = {
		value: hidden.value,
		previousValue: hidden.previousValue,
		// Only periods the snapshot carries: marks of an input's longer history say nothing here.
		periods: [...hidden.periods].filter((p) => shownPeriods.has(p)).sort(),
		members: snapshot.breakdown.filter((r) => hidden.members.has(r.key)).map((r) => r.key),
		minCount: hidden.minCount
	};
	const references = snapshot.breakdown
		.filter((r) => r.reference != null && hidden.references.has(r.key))
		.map((r) => r.key);
	if (references.length) marks.references = references;
	if (
		!marks.value &&
		!marks.previousValue &&
		marks.periods.length === 0 &&
		marks.members.length === 0 &&
		!marks.references
	) {
		return snapshot;
	}
	return {
		...snapshot,
		value: hidden.value ? null : snapshot.value,
		previousValue: hidden.previousValue ? null : snapshot.previousValue,
		change: eitherHidden ? null : snapshot.change,
		changePercent: eitherHidden ? null : snapshot.changePercent,
		// A status colour would tell in which band the hidden value lies.
		status: hidden.value ? 'none' : snapshot.status,
		series,
		breakdown,
		suppressed: marks
	};
}
