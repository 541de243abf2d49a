import type { KpiSnapshot } from '#shared/kpi';
import type { Dimension, KpiDefinition } from '#shared/catalogue';

/** A KPI as a screen holds it: definition and, once synced, its snapshot. */
export interface KpiView {
	definition: KpiDefinition;
	snapshot: KpiSnapshot;
}

/** One position of a plan-vs-actual view: the actual, cumulated in the year, and its plan. */
export interface PlanActualLine {
	/** The position's name in the summary table ("Erträge"). */
	item: string;
	actual: KpiView;
	plan: KpiView;
}

/**
 * A view the catalogue asks for beyond the tiles and line charts, with all the KPIs it needs.
 * `key` is stable for Svelte's keyed lists.
 */
export type SpecialView =
	| { kind: 'gauge'; key: string; title: string; kpi: KpiView }
	| { kind: 'plan_actual'; key: string; lines: PlanActualLine[] }
	| {
			kind: 'supply_demand';
			key: string;
			title: string;
			demand: KpiView;
			supply: KpiView;
			/** Whether to say when the supply runs out at the current trend (daily KPIs). */
			projection: boolean;
			/** The shared breakdown in the catalogue's order, when both are broken down alike. */
			breakdown: { title: string; members: { id: string; label: string }[] } | null;
	  }
	| { kind: 'breakdown'; key: string; kpi: KpiView };

export interface ViewSources {
	/** The KPI with its snapshot, or undefined when the device does not hold both. */
	kpi: (id: string) => KpiView | undefined;
	dimension: (id: string) => Dimension | undefined;
}

export const DEFAULT_GAUGE_TITLE = 'Tacho';

function planActualLine(definition: KpiDefinition, sources: ViewSources): PlanActualLine | null {
	if (definition.view.kind !== 'plan_actual') return null;
	const actual = sources.kpi(definition.id);
	const plan = sources.kpi(definition.view.plan);
	if (!actual || !plan) return null;
	return { item: definition.view.title ?? definition.shortTitle, actual, plan };
}

/**
 * The view one KPI asks for, or null for a plain line chart, or when a part is missing: a pair is
 * only drawn when the device holds both halves (the user may see both, and both have values).
 */
export function viewOf(definition: KpiDefinition, sources: ViewSources): SpecialView | null {
	const view = definition.view;
	const key = `${view.kind}:${definition.id}`;
	switch (view.kind) {
		case 'line':
			return null;
		case 'gauge': {
			const kpi = sources.kpi(definition.id);
			return kpi ? { kind: 'gauge', key, title: view.title ?? DEFAULT_GAUGE_TITLE, kpi } : null;
		}
		case 'breakdown': {
			const kpi = sources.kpi(definition.id);
			return kpi && kpi.snapshot.breakdown.length > 0 ? { kind: 'breakdown', key, kpi } : null;
		}
		case 'plan_actual': {
			const line = planActualLine(definition, sources);
			return line ? { kind: 'plan_actual', key, lines: [line] } : null;
		}
		case 'supply_demand': {
			const demand = sources.kpi(definition.id);
			const supply = sources.kpi(view.supply);
			if (!demand || !supply) return null;
			return {
				kind: 'supply_demand',
				key,
				title: view.title ?? `${demand.definition.shortTitle} und ${supply.definition.shortTitle}`,
				demand,
				supply,
				projection: view.projection && definition.cadence === 'daily',
				breakdown: sharedBreakdown(demand, supply, sources)
			};
		}
	}
}

/** The members both KPIs are broken down by, in the dimension's order (labels from the data). */
function sharedBreakdown(
	demand: KpiView,
	supply: KpiView,
	sources: ViewSources
): { title: string; members: { id: string; label: string }[] } | null {
	const dimension = demand.snapshot.breakdownDimension;
	if (!dimension || dimension !== supply.snapshot.breakdownDimension) return null;
	const labels = new Map(
		[...demand.snapshot.breakdown, ...supply.snapshot.breakdown].map((row) => [row.key, row.label])
	);
	if (labels.size === 0) return null;
	const catalogued = sources.dimension(dimension);
	const listed = catalogued?.members ?? [];
	const known = listed.filter((m) => labels.has(m.id)).map((m) => ({ id: m.id, label: m.label }));
	const others = [...labels]
		.filter(([id]) => !listed.some((m) => m.id === id))
		.map(([id, label]) => ({ id, label }))
		.sort((a, b) => a.label.localeCompare(b.label, 'de', { numeric: true }));
	return { title: catalogued?.title ?? dimension, members: [...known, ...others] };
}

/**
 * The views on an area page, in the catalogue's order of their KPIs. All plan-vs-actual pairs of
 * the area form one table (where the first of them stands), as a budget is read as a whole.
 */
export function areaViews(
	definitions: readonly KpiDefinition[],
	sources: ViewSources
): SpecialView[] {
	const views: SpecialView[] = [];
	let budget: Extract<SpecialView, { kind: 'plan_actual' }> | null = null;
	for (const definition of [...definitions].sort((a, b) => a.sortOrder - b.sortOrder)) {
		const view = viewOf(definition, sources);
		if (!view) continue;
		if (view.kind === 'plan_actual') {
			if (budget) budget.lines.push(...view.lines);
			else views.push((budget = { ...view, key: `plan_actual:${definition.areaId}` }));
		} else views.push(view);
	}
	return views;
}

/**
 * The views on a KPI's page: those of the KPI itself and those it is the partner in (the plan of
 * a plan-vs-actual pair, the supply of a supply-vs-demand pair). The breakdown is always on the
 * page, so a breakdown view adds nothing there.
 */
export function kpiViews(
	kpiId: string,
	definitions: readonly KpiDefinition[],
	sources: ViewSources
): SpecialView[] {
	const partnerOf = (definition: KpiDefinition) =>
		(definition.view.kind === 'plan_actual' && definition.view.plan === kpiId) ||
		(definition.view.kind === 'supply_demand' && definition.view.supply === kpiId);
	return definitions
		.filter((definition) => definition.id === kpiId || partnerOf(definition))
		.flatMap((definition) => viewOf(definition, sources) ?? [])
		.filter((view) => view.kind !== 'breakdown');
}
