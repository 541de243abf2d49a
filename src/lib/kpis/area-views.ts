import type { KpiDefinition, KpiSnapshot } from '#shared/kpi';
import { ASYL_KPI } from '#shared/catalogue/asyl';
import { BILDUNG_KPI } from '#shared/catalogue/bildung';
import { PLAN_ACTUAL_PAIRS, type PlanActualPair } from '#shared/catalogue/finanzen';
import { GESUNDHEIT_KPI } from '#shared/catalogue/gesundheit';

/** A KPI as a screen holds it: definition and, once synced, its snapshot. */
export interface KpiView {
	definition: KpiDefinition;
	snapshot: KpiSnapshot;
}

type Lookup = (id: string) => KpiView | undefined;

/** Both halves of a pair, or nothing: a view is only drawn when the user may see all its parts. */
function both<T extends string>(lookup: Lookup, ids: Record<T, string>): Record<T, KpiView> | null {
	const result = {} as Record<T, KpiView>;
	for (const [key, id] of Object.entries(ids) as [T, string][]) {
		const view = lookup(id);
		if (!view) return null;
		result[key] = view;
	}
	return result;
}

/** The special views (gauge, capacity, plan vs actual, courses) that a KPI belongs to. */
export function specialViewsOf(kpiId: string, lookup: Lookup) {
	const capacityIds = [
		ASYL_KPI.occupancy,
		ASYL_KPI.capacity,
		ASYL_KPI.utilisation,
		ASYL_KPI.freePlaces
	] as string[];
	const pair = PLAN_ACTUAL_PAIRS.find((p) => p.actual === kpiId || p.plan === kpiId);
	const courseIds = [
		BILDUNG_KPI.languageCoursePlaces,
		BILDUNG_KPI.languageCourseWaitingList
	] as string[];
	return {
		gauge: kpiId === GESUNDHEIT_KPI.incidence7d ? (lookup(kpiId) ?? null) : null,
		capacity: capacityIds.includes(kpiId)
			? both(lookup, { occupancy: ASYL_KPI.occupancy, capacity: ASYL_KPI.capacity })
			: null,
		planActual: pair ? planActualOf(pair, lookup) : null,
		languageCourses: courseIds.includes(kpiId) ? languageCoursesOf(lookup) : null
	};
}

export function planActualOf(pair: PlanActualPair, lookup: Lookup) {
	const views = both(lookup, { actual: pair.actual, plan: pair.plan });
	return views ? { item: pair.item, title: `${pair.item}: Plan und Ist`, ...views } : null;
}

export function languageCoursesOf(lookup: Lookup) {
	return both(lookup, {
		places: BILDUNG_KPI.languageCoursePlaces,
		waiting: BILDUNG_KPI.languageCourseWaitingList
	});
}

/** The special views on an area page, each only when its KPIs are visible to the user. */
export function areaViewsOf(areaId: string, lookup: Lookup) {
	return {
		gauge: areaId === 'gesundheit' ? (lookup(GESUNDHEIT_KPI.incidence7d) ?? null) : null,
		capacity:
			areaId === 'asyl'
				? both(lookup, { occupancy: ASYL_KPI.occupancy, capacity: ASYL_KPI.capacity })
				: null,
		planActual:
			areaId === 'finanzen'
				? PLAN_ACTUAL_PAIRS.flatMap((pair) => {
						const view = planActualOf(pair, lookup);
						return view ? [view] : [];
					})
				: [],
		languageCourses: areaId === 'bildung' ? languageCoursesOf(lookup) : null
	};
}
