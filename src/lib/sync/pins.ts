import type { KlarDatabase } from './db';

/** The KPIs a user pinned on this device, oldest pin first (the order they chose them in). */
export async function pinnedKpiIds(db: KlarDatabase, userId: string): Promise<string[]> {
	const pins = await db.pins.where('userId').equals(userId).toArray();
	return pins.sort((a, b) => a.pinnedAt.localeCompare(b.pinnedAt)).map((p) => p.kpiId);
}

export async function isPinned(db: KlarDatabase, userId: string, kpiId: string): Promise<boolean> {
	return (await db.pins.get([userId, kpiId])) !== undefined;
}

/** Pins or unpins; returns whether the KPI is pinned afterwards. */
export async function togglePin(
	db: KlarDatabase,
	userId: string,
	kpiId: string,
	now = new Date()
): Promise<boolean> {
	return db.transaction('rw', db.pins, async () => {
		if (await db.pins.get([userId, kpiId])) {
			await db.pins.delete([userId, kpiId]);
			return false;
		}
		await db.pins.put({ userId, kpiId, pinnedAt: now.toISOString() });
		return true;
	});
}
