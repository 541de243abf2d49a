import { subDays } from 'date-fns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { expandSeries } from '#shared/series';
import { toIsoDate } from '#shared/periods';
import type { KpiSnapshot } from '#shared/kpi';
import {
	copyDatabase,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	SEED_DAY,
	trpcError,
	userMessageOf,
	type Session
} from './helpers';

/** A day of occupancy nine years before the seed: far outside the window phones keep. */
const OLD_DAY = toIsoDate(subDays(SEED_DAY, 9 * 365));

let db: KlarDatabase;
const sessions = {} as Record<'admin' | 'councillor', Session>;
beforeAll(async () => {
	db = copyDatabase((await openSeededDatabase()).db);
	// A small count long ago: two people in one shelter on one day.
	db.$client
		.prepare(
			`INSERT INTO observations (kpi_id, period, dimension_key, value, status, source_kind, changed_at)
			 VALUES (?, ?, 'facility=gu-hohenecker', 2, 'final', 'seed', ?)`
		)
		.run(ASYL_KPI.occupancy, OLD_DAY, `${OLD_DAY}T12:00:00.000Z`);
	sessions.admin = await loginAs(db, 'admin');
	sessions.councillor = await loginAs(db, 'rat');
});
afterAll(removeTempDirs);

const storedSnapshot = (kpiId: string) =>
	JSON.parse(
		(
			db.$client.prepare('SELECT payload FROM snapshots WHERE kpi_id = ?').get(kpiId) as {
				payload: string;
			}
		).payload
	) as KpiSnapshot;

describe('a KPI’s whole history, beyond the window phones keep', () => {
	it('reaches back to the first value; the synced snapshot keeps its 400 days', async () => {
		const history = await sessions.admin.caller.kpis.history({ kpiId: ASYL_KPI.occupancy });
		const points = expandSeries(history.series);
		expect(points[0]).toEqual({ period: OLD_DAY, value: 2 });
		expect(points.length).toBeGreaterThanOrEqual(9 * 365);
		// The recent end is the snapshot's.
		const snapshot = storedSnapshot(ASYL_KPI.occupancy);
		const synced = expandSeries(snapshot.series);
		expect(synced).toHaveLength(400);
		expect(points.slice(-400)).toEqual(synced);
		expect(history.value).toBe(snapshot.value);
	});

	it('is withheld for a councillor like the snapshot: the small count stays hidden', async () => {
		const history = await sessions.councillor.caller.kpis.history({ kpiId: ASYL_KPI.occupancy });
		const points = expandSeries(history.series);
		expect(points[0]).toEqual({ period: OLD_DAY, value: null });
		expect(history.suppressed?.periods).toContain(OLD_DAY);
	});

	it('is refused alike for a KPI the role may not read and for one that does not exist', async () => {
		for (const kpiId of [ASYL_KPI.arrivals, 'gibt.es.nicht']) {
			const error = await trpcError(
				sessions.councillor.caller.kpis.history({ kpiId }),
				'NOT_FOUND'
			);
			expect(userMessageOf(error)).toBe(
				'Diese Kennzahl gibt es nicht oder sie ist für Ihre Rolle nicht freigegeben.'
			);
		}
	});
});
