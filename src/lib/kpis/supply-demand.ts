import { formatList } from '#shared/format';
import type { BreakdownRow, KpiSnapshot } from '#shared/kpi';

/** One member of a supply-vs-demand table (a course level, a facility …). */
export interface SupplyDemandRow {
	member: string;
	label: string;
	supply: number | null;
	demand: number | null;
	/** Supply per 100 of demand; null when there is no demand or a figure is missing. */
	coveragePercent: number | null;
}

export const TOTAL_MEMBER = 'total';

const collator = new Intl.Collator('de-DE', { numeric: true });

function coverage(supply: number | null, demand: number | null): number | null {
	return supply === null || demand === null || demand === 0 ? null : (supply / demand) * 100;
}

/** Sum of the figures there are; null only when there is none. */
function sumKnown(values: (number | null)[]): number | null {
	const known = values.filter((v): v is number => v !== null);
	return known.length === 0 ? null : known.reduce((s, v) => s + v, 0);
}

/**
 * Supply beside demand for each member, in the order of `order` (the dimension's list) and members
 * the list does not know after them, plus the total over all members.
 */
export function rowsByMember(
	supply: BreakdownRow[],
	demand: BreakdownRow[],
	order: readonly { id: string; label: string }[] = []
): { rows: SupplyDemandRow[]; total: SupplyDemandRow } {
	const byMember = new Map<string, SupplyDemandRow>();
	const labels = new Map(order.map((m) => [m.id, m.label]));
	const row = (source: BreakdownRow) => {
		let r = byMember.get(source.key);
		if (!r) {
			const label = labels.get(source.key) ?? source.label;
			r = { member: source.key, label, supply: null, demand: null, coveragePercent: null };
			byMember.set(source.key, r);
		}
		return r;
	};
	for (const source of supply) row(source).supply = source.value;
	for (const source of demand) row(source).demand = source.value;

	const known = order.map((m) => m.id);
	const rank = (member: string) => {
		const i = known.indexOf(member);
		return i === -1 ? known.length : i;
	};
	const rows = [...byMember.values()]
		.map((r) => ({ ...r, coveragePercent: coverage(r.supply, r.demand) }))
		.sort((a, b) => rank(a.member) - rank(b.member) || collator.compare(a.label, b.label));

	// Members without a figure (e.g. a suppressed small count) add nothing to the total.
	const totalSupply = sumKnown(rows.map((r) => r.supply));
	const totalDemand = sumKnown(rows.map((r) => r.demand));
	const total: SupplyDemandRow = {
		member: TOTAL_MEMBER,
		label: 'Gesamt',
		supply: totalSupply,
		demand: totalDemand,
		coveragePercent: coverage(totalSupply, totalDemand)
	};
	return { rows, total };
}

type ShownRow = SupplyDemandRow & { supplySuppressed: boolean; demandSuppressed: boolean };

export interface SupplyDemandTable {
	rows: ShownRow[];
	total: ShownRow;
	/** Threshold of the footnote when a figure is withheld, else null. */
	suppressedBelow: number | null;
}

/**
 * The table of a supply-vs-demand view from both snapshots. A member withheld for statistical
 * confidentiality (a waiting list of 1 or 2) shows "•"; the total is then the KPI's total as the
 * server sent it, not the sum of the shown members, which would silently leave members out.
 */
export function supplyDemandTable(
	supply: KpiSnapshot,
	demand: KpiSnapshot,
	order: readonly { id: string; label: string }[] = []
): SupplyDemandTable {
	const { rows, total } = rowsByMember(supply.breakdown, demand.breakdown, order);
	const hidden = (s: KpiSnapshot, key: string) => s.suppressed?.members.includes(key) ?? false;
	const totalOf = (s: KpiSnapshot, sum: number | null) =>
		s.suppressed?.members.length ? s.value : sum;
	const totalSupply = totalOf(supply, total.supply);
	const totalDemand = totalOf(demand, total.demand);
	const minCounts = [supply, demand].flatMap((s) => (s.suppressed ? [s.suppressed.minCount] : []));
	return {
		rows: rows.map((r) => ({
			...r,
			supplySuppressed: hidden(supply, r.member),
			demandSuppressed: hidden(demand, r.member)
		})),
		total: {
			...total,
			supply: totalSupply,
			demand: totalDemand,
			coveragePercent: coverage(totalSupply, totalDemand),
			supplySuppressed: Boolean(supply.suppressed?.value),
			demandSuppressed: Boolean(demand.suppressed?.value)
		},
		suppressedBelow: minCounts.length ? Math.max(...minCounts) : null
	};
}

/** Where the demand exceeds the supply, in one sentence. */
export function describeShortage(rows: SupplyDemandRow[]): string {
	const members = rows.filter((r) => r.member !== TOTAL_MEMBER);
	const complete = members.filter((r) => r.supply !== null && r.demand !== null);
	if (complete.length === 0) return 'Zu Angebot und Bedarf liegen keine Angaben vor.';
	const short = complete.filter((r) => r.demand! > r.supply!).map((r) => r.label);
	if (short.length > 0) return `Bedarf größer als das Angebot bei ${formatList(short)}.`;
	return complete.length === members.length
		? 'Das Angebot deckt den Bedarf überall.'
		: 'Das Angebot deckt den Bedarf überall, wo Angaben vorliegen.';
}
