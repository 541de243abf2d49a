import { readState, type KlarDatabase, type RedAlert } from './db';

/**
 * Records which KPIs turned red in the sync that just finished, on the device, so that the home
 * screen can say "neu im roten Bereich seit der letzten Synchronisation" offline.
 *
 * The baseline is the set of red KPIs after the previous completed sync; it survives a reset
 * (which drops and re-pulls every snapshot) and an interrupted pull (the baseline only moves
 * when a pull completes). The list is replaced only when a sync finds new red KPIs, so a later
 * sync that merely updates other figures does not wipe a warning before anyone saw it; KPIs
 * that left the red band drop out. The very first sync sets the baseline and warns of nothing:
 * without an earlier state nothing is "new".
 */
export async function updateRedAlerts(db: KlarDatabase, now = new Date()): Promise<RedAlert[]> {
	return db.transaction('rw', [db.snapshots, db.syncState], async () => {
		const red = (await db.snapshots.filter((s) => s.status === 'red').toArray()).map(
			(s) => s.kpiId
		);
		const redSet = new Set(red);
		const baseline = await readState<string[]>(db, 'redBaseline');
		const previous = (await readState<RedAlert[]>(db, 'redAlerts')) ?? [];
		let alerts = previous.filter((a) => redSet.has(a.kpiId));
		if (baseline) {
			const before = new Set(baseline);
			const detectedAt = now.toISOString();
			const fresh = red.filter((id) => !before.has(id)).map((kpiId) => ({ kpiId, detectedAt }));
			if (fresh.length > 0) alerts = fresh;
		}
		await db.syncState.bulkPut([
			{ key: 'redBaseline', value: [...redSet].sort() },
			{ key: 'redAlerts', value: alerts }
		]);
		return alerts;
	});
}
