import type { Area, CatalogueKpi } from '#shared/catalogue';
import { isDerived } from '#shared/catalogue';
import type { KpiSourceKind } from '#shared/kpi';
import { formatPeriod } from '#shared/periods';

/** A KPI in the admin's list: the catalogue entry and the period of its latest value. */
export type CatalogueRow = CatalogueKpi & { lastPeriod: string | null };

export type StateFilter = 'active' | 'retired' | 'all';

export interface CatalogueFilter {
	query: string;
	areaId: string;
	state: StateFilter;
	visibility: string;
}

export const NO_FILTER: CatalogueFilter = {
	query: '',
	areaId: '',
	state: 'active',
	visibility: ''
};

export const SOURCE_WORDS: Record<KpiSourceKind, string> = {
	feed: 'Datenlieferung',
	form: 'Formular',
	derived: 'berechnet'
};

const fold = (text: string) =>
	text
		.toLocaleLowerCase('de-DE')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/ß/g, 'ss');

/**
 * The KPIs that match every word of the query (in id, titles, source, owner or tags; accents
 * ignored) and the chosen area, state and visibility.
 */
export function filterCatalogue(
	rows: readonly CatalogueRow[],
	filter: CatalogueFilter
): CatalogueRow[] {
	const words = fold(filter.query).split(/\s+/).filter(Boolean);
	return rows.filter((row) => {
		if (filter.areaId && row.areaId !== filter.areaId) return false;
		if (filter.state === 'active' && !row.active) return false;
		if (filter.state === 'retired' && row.active) return false;
		if (filter.visibility && row.visibility !== filter.visibility) return false;
		const text = fold(
			[
				row.id,
				row.title,
				row.shortTitle,
				row.source.name,
				row.owner.department,
				row.owner.contact,
				...row.tags
			].join(' ')
		);
		return words.every((word) => text.includes(word));
	});
}

/** The rows under their areas in the catalogue's order; areas without a row are left out. */
export function groupByArea(
	areas: readonly Area[],
	rows: readonly CatalogueRow[]
): { area: Area; rows: CatalogueRow[] }[] {
	const ordered = [...areas].sort((a, b) => a.sortOrder - b.sortOrder || a.id.localeCompare(b.id));
	return ordered
		.map((area) => ({
			area,
			rows: rows
				.filter((row) => row.areaId === area.id)
				.sort((a, b) => a.sortOrder - b.sortOrder || a.id.localeCompare(b.id))
		}))
		.filter((group) => group.rows.length > 0);
}

/** `Datenlieferung: Kassenverfahren (Finanzen)` or `berechnet: Anteil`. */
export function sourceLabel(row: CatalogueKpi): string {
	if (isDerived(row.formula)) return `${SOURCE_WORDS.derived}: ${row.source.name}`;
	return `${SOURCE_WORDS[row.source.kind]}: ${row.source.name}`;
}

export function lastValueLabel(row: CatalogueRow): string {
	if (isDerived(row.formula)) return 'aus den Ausgangskennzahlen';
	return row.lastPeriod ? `letzter Wert ${formatPeriod(row.lastPeriod)}` : 'noch kein Wert';
}

/** The sort order for a new KPI of an area: after its last one, in steps of ten. */
export function nextSortOrder(rows: readonly CatalogueKpi[], areaId: string): number {
	const orders = rows.filter((row) => row.areaId === areaId).map((row) => row.sortOrder);
	return orders.length ? Math.floor(Math.max(...orders) / 10) * 10 + 10 : 10;
}

/** `3 von 50 Kennzahlen` or `50 Kennzahlen`. */
export function countLabel(shown: number, total: number): string {
	const kpis = (n: number) => `${n} ${n === 1 ? 'Kennzahl' : 'Kennzahlen'}`;
	return shown === total ? kpis(total) : `${shown} von ${kpis(total)}`;
}

/** The area form's fields, as text. */
export interface AreaFormValues {
	id: string;
	title: string;
	description: string;
	sortOrder: string;
	openDataTheme: string;
}

export function formFromArea(area: Area): AreaFormValues {
	return {
		id: area.id,
		title: area.title,
		description: area.description,
		sortOrder: String(area.sortOrder),
		openDataTheme: area.openDataTheme ?? ''
	};
}

export function emptyAreaForm(areas: readonly Area[]): AreaFormValues {
	const last = Math.max(0, ...areas.map((a) => a.sortOrder));
	return { id: '', title: '', description: '', sortOrder: String(last + 10), openDataTheme: '' };
}

/** The area the form describes, as the server receives it (checked there). */
export function areaFromForm(values: AreaFormValues): Record<string, unknown> {
	const order = values.sortOrder.trim();
	return {
		id: values.id.trim(),
		title: values.title,
		description: values.description,
		sortOrder: /^-?\d+$/.test(order) ? Number(order) : order,
		openDataTheme: values.openDataTheme || null
	};
}
