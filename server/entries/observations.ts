import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { observations } from '#server/db/schema';
import { appendAudit } from '#server/audit';

export interface ObservationWrite {
	kpiId: string;
	period: string;
	dimensionKey: string;
	value: number | null;
	status: 'provisional' | 'final';
	sourceKind: 'seed' | 'feed' | 'form';
	sourceRef: string | null;
}

/**
 * Inserts or updates one observation and audits the old and new value. Returns whether
 * anything changed (the same value again is a no-op).
 */
export function upsertObservation(
	db: DbOrTx,
	write: ObservationWrite,
	userId: string | null,
	now: Date
): boolean {
	const key = and(
		eq(observations.kpiId, write.kpiId),
		eq(observations.period, write.period),
		eq(observations.dimensionKey, write.dimensionKey)
	);
	const old = db
		.select({ id: observations.id, value: observations.value, status: observations.status })
		.from(observations)
		.where(key)
		.get();
	if (old && old.value === write.value && old.status === write.status) return false;
	const changedAt = now.toISOString();
	if (old) {
		db.update(observations)
			.set({
				value: write.value,
				status: write.status,
				sourceKind: write.sourceKind,
				sourceRef: write.sourceRef,
				changedAt
			})
			.where(eq(observations.id, old.id))
			.run();
	} else {
		db.insert(observations)
			.values({ ...write, changedAt })
			.run();
	}
	appendAudit(
		db,
		{
			userId,
			action: old ? 'observation.update' : 'observation.create',
			entity: 'observation',
			entityId: `${write.kpiId}|${write.period}|${write.dimensionKey}`,
			oldValue: old ? { value: old.value, status: old.status } : undefined,
			newValue: {
				value: write.value,
				status: write.status,
				source: `${write.sourceKind}:${write.sourceRef ?? ''}`
			}
		},
		now
	);
	return true;
}
