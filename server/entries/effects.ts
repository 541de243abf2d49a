import { eq } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { facilities } from '../db/schema';
import { ASYL_KPI } from '../../src/lib/kpis/asyl';
import { dimensionKeyOf } from '../../src/lib/kpis/aggregate';
import { occupancyForm, type OccupancyEntry } from '../../src/lib/shared/forms';
import type { RejectionV1 } from '../../src/lib/shared/protocol';
import { upsertObservation } from './observations';

export interface EntryContext {
	entryId: string;
	userId: string;
}

/** What a form entry does on the server: checks against reference data, then its effect. */
export interface FormEffect<P> {
	/** A rejection when the entry refers to something that does not exist, else null. */
	checkReferences(db: KlarDatabase, payload: P): RejectionV1 | null;
	/** Writes the entry's observations; returns the KPI ids whose snapshots must be rebuilt. */
	apply(db: KlarDatabase, payload: P, context: EntryContext): string[];
}

const occupancyEffect: FormEffect<OccupancyEntry> = {
	checkReferences(db, payload) {
		const facility = db
			.select({ id: facilities.id, active: facilities.active })
			.from(facilities)
			.where(eq(facilities.id, payload.facilityId))
			.get();
		if (facility?.active) return null;
		return {
			code: 'unknown_reference',
			message: 'Diese Einrichtung gibt es nicht (mehr). Bitte eine andere Einrichtung wählen.',
			detail: `facility ${payload.facilityId} does not exist or is inactive`,
			fieldErrors: { facilityId: 'Unbekannte oder geschlossene Einrichtung.' }
		};
	},
	apply(db, payload, { entryId, userId }) {
		const dimensionKey = dimensionKeyOf({ facility: payload.facilityId });
		const common = {
			period: payload.date,
			dimensionKey,
			status: 'provisional',
			sourceKind: 'form',
			sourceRef: entryId
		} as const;
		upsertObservation(
			db,
			{ ...common, kpiId: ASYL_KPI.occupancy, value: payload.occupied },
			userId
		);
		upsertObservation(db, { ...common, kpiId: ASYL_KPI.capacity, value: payload.capacity }, userId);
		return [ASYL_KPI.occupancy, ASYL_KPI.capacity];
	}
};

export const FORM_EFFECTS: Record<string, FormEffect<never>> = {
	[occupancyForm.id]: occupancyEffect as FormEffect<never>
};
