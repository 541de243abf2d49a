import { liveQuery } from 'dexie';
import { db } from '$lib/sync/client';
import { readState, type SyncStatus } from '$lib/sync/db';
import type { ReportItem } from '#shared/reports';
import { resolveReport, type ResolvedReport } from './report-model';

export interface DeviceReport extends ResolvedReport {
	/** When the device last synced: the report's "Stand". */
	dataAsOf: string | null;
	/** Whether a first sync is done; before it every KPI would look withheld. */
	loaded: boolean;
}

/**
 * A report's KPIs rendered from what this device holds, following IndexedDB: the reader's own
 * synced catalogue and snapshots, so a KPI not released to them is only counted.
 */
export function deviceReport(items: () => readonly ReportItem[]) {
	return liveQuery(async (): Promise<DeviceReport> => {
		const [definitions, snapshots, areas, dimensions, status, cursor] = await Promise.all([
			db.catalogue.toArray(),
			db.snapshots.toArray(),
			db.areas.toArray(),
			db.dimensions.toArray(),
			readState<SyncStatus>(db, 'status'),
			db.syncState.get('cursor')
		]);
		const byId = new Map(definitions.map((d) => [d.id, d]));
		const snaps = new Map(snapshots.map((s) => [s.kpiId, s]));
		const resolved = resolveReport(items(), {
			definition: (id) => byId.get(id),
			snapshot: (id) => snaps.get(id),
			areaTitle: (id) => areas.find((a) => a.id === id)?.title ?? id,
			dimensionTitle: (id) => dimensions.find((d) => d.id === id)?.title ?? id
		});
		return { ...resolved, dataAsOf: status?.lastSyncAt ?? null, loaded: cursor !== undefined };
	});
}
