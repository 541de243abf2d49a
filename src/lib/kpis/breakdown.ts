import type { BreakdownRow } from '#shared/kpi';

export type BreakdownSort = { by: 'label' | 'value'; direction: 'asc' | 'desc' };

// Numeric, so "Ortsbezirk 2" comes before "Ortsbezirk 10"; German, so "Ö" sorts with "O".
const collator = new Intl.Collator('de-DE', { numeric: true });

/**
 * Rows sorted for the table and the bar chart. Rows without a value come last in either
 * direction, since "no figure" is neither large nor small; equal rows keep their order.
 */
export function sortBreakdown(rows: BreakdownRow[], sort: BreakdownSort): BreakdownRow[] {
	const sign = sort.direction === 'asc' ? 1 : -1;
	return [...rows].sort((a, b) => {
		if (sort.by === 'label') return sign * collator.compare(a.label, b.label);
		if (a.value === null || b.value === null) {
			return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0);
		}
		return sign * (a.value - b.value);
	});
}

/** Clicking the sorted column flips it; another column starts with what readers look for first. */
export function nextSort(current: BreakdownSort, column: 'label' | 'value'): BreakdownSort {
	if (current.by === column) {
		return { by: column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
	}
	return { by: column, direction: column === 'value' ? 'desc' : 'asc' };
}
