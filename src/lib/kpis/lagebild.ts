import type { KpiSnapshot } from '#shared/kpi';
import type { Area, KpiDefinition } from '#shared/catalogue';
import { lateness } from '#shared/periods';

export interface LagebildItem {
	definition: KpiDefinition;
	snapshot: KpiSnapshot | undefined;
}

export interface OverdueItem extends LagebildItem {
	/** ISO date by which the next value was expected; null when the KPI has no value at all. */
	expectedBy: string | null;
	daysLate: number | null;
}

export interface AreaSummary {
	areaId: string;
	title: string;
	kpiCount: number;
	red: number;
	amber: number;
	overdue: number;
	/** The area's first KPI in catalogue order: its headline on the home screen. */
	headline: LagebildItem;
}

export interface Lagebild {
	pinned: LagebildItem[];
	newlyRed: (LagebildItem & { detectedAt: string })[];
	overdue: OverdueItem[];
	areas: AreaSummary[];
}

/**
 * What the home screen shows, computed on the device from what it stores (so it works offline):
 * the user's pins first, then KPIs that turned red in the last sync and are still red, then the
 * overdue ones (most overdue first), then one summary per area in the catalogue's order.
 */
export function buildLagebild(
	areaList: readonly Area[],
	catalogue: KpiDefinition[],
	snapshots: Map<string, KpiSnapshot>,
	pinnedIds: string[],
	redAlerts: { kpiId: string; detectedAt: string }[],
	today: Date
): Lagebild {
	const byId = new Map(catalogue.map((d) => [d.id, d]));
	const item = (definition: KpiDefinition): LagebildItem => ({
		definition,
		snapshot: snapshots.get(definition.id)
	});
	const pinned = pinnedIds.flatMap((id) => {
		const definition = byId.get(id);
		return definition ? [item(definition)] : [];
	});
	const newlyRed = redAlerts.flatMap(({ kpiId, detectedAt }) => {
		const definition = byId.get(kpiId);
		const snapshot = snapshots.get(kpiId);
		return definition && snapshot?.status === 'red' ? [{ definition, snapshot, detectedAt }] : [];
	});
	const overdue: OverdueItem[] = [];
	for (const definition of catalogue) {
		const snapshot = snapshots.get(definition.id);
		// Without a snapshot the device simply has not synced it yet: not a lateness.
		const late = snapshot ? lateness(snapshot.period, definition.graceDays, today) : null;
		if (!snapshot || !late) continue;
		overdue.push({ definition, snapshot, expectedBy: late.dueOn, daysLate: late.daysLate });
	}
	overdue.sort((a, b) => (b.daysLate ?? Infinity) - (a.daysLate ?? Infinity));
	const overdueIds = new Set(overdue.map((o) => o.definition.id));

	const areas: AreaSummary[] = [];
	const ordered = [...areaList].sort((a, b) => a.sortOrder - b.sortOrder);
	for (const { id: areaId, title } of ordered) {
		const kpis = catalogue
			.filter((d) => d.areaId === areaId)
			.sort((a, b) => a.sortOrder - b.sortOrder);
		const first = kpis[0];
		if (!first) continue;
		const statuses = kpis.map((d) => snapshots.get(d.id)?.status);
		areas.push({
			areaId,
			title,
			kpiCount: kpis.length,
			red: statuses.filter((s) => s === 'red').length,
			amber: statuses.filter((s) => s === 'amber').length,
			overdue: kpis.filter((d) => overdueIds.has(d.id)).length,
			headline: item(first)
		});
	}
	return { pinned, newlyRed, overdue, areas };
}
