import type { KpiSnapshot } from '#shared/kpi';
import type { KlarDatabase } from './db';
import { api } from './trpc-transport';

export type HistoryState =
	/** Loaded for the device's current snapshot (now or earlier). */
	| { kind: 'current'; history: KpiSnapshot }
	/** Kept from an earlier visit; newer values exist, but the device is offline. */
	| { kind: 'older'; history: KpiSnapshot; loadedAt: string }
	/** Not on the device, and the device is offline. */
	| { kind: 'unavailable' };

/**
 * A KPI's whole history: from the device when it was loaded for the current snapshot, else from
 * the server when online (then kept on the device), else what an earlier visit kept. Errors of
 * the request (the server refuses, the network drops) propagate with their German message.
 */
export async function loadHistory(
	db: KlarDatabase,
	kpiId: string,
	snapshot: Pick<KpiSnapshot, 'computedAt'>,
	online: boolean
): Promise<HistoryState> {
	const kept = await db.histories.get(kpiId);
	if (kept && kept.basedOn === snapshot.computedAt)
		return { kind: 'current', history: kept.history };
	if (!online) {
		return kept
			? { kind: 'older', history: kept.history, loadedAt: kept.loadedAt }
			: { kind: 'unavailable' };
	}
	const history = await api.kpis.history.query({ kpiId });
	// Kept only while the KPI is still on the device (a pull may have taken it meanwhile).
	await db.transaction('rw', [db.snapshots, db.histories], async () => {
		if (await db.snapshots.get(kpiId)) {
			await db.histories.put({
				kpiId,
				history,
				basedOn: snapshot.computedAt,
				loadedAt: new Date().toISOString()
			});
		}
	});
	return { kind: 'current', history };
}
