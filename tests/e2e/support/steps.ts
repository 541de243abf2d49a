import type { Page } from 'playwright-core';
import { LoginPage } from '../pages/login-page';
import { HomePage } from '../pages/home-page';
import { OccupancyFormPage } from '../pages/occupancy-form-page';
import { waitForServiceWorker } from './browser';
import { openDatabase, type KlarDatabase } from '../../../server/db/connection';
import { upsertObservation } from '../../../server/entries/observations';
import { rebuildSnapshots } from '../../../server/kpis/snapshots';
import { FACILITIES } from '../../../server/db/demo/city';
import { dimensionKeyOf } from '../../../src/lib/kpis/aggregate';
import { ASYL_KPI } from '../../../src/lib/kpis/asyl';
import { toIsoDate } from '../../../src/lib/shared/periods';

/**
 * A member of staff logs in, the app is installed (service worker ready) and the occupancy form
 * is open with the facility list synced: where every data-entry story starts.
 */
export async function openOccupancyFormAs(
	page: Page,
	baseUrl: string,
	username: string
): Promise<OccupancyFormPage> {
	await page.goto(`${baseUrl}/login`);
	await new LoginPage(page).logIn(username);
	await new HomePage(page).waitForTiles();
	await waitForServiceWorker(page);
	const form = new OccupancyFormPage(page);
	await form.open(baseUrl);
	await form.waitForFacilities();
	return form;
}

/**
 * Every accommodation facility reports a full house today, written on the server's database as
 * the day's reports would be: utilisation goes to 100 % and the free places to none (both red).
 */
export function reportFullHouseEverywhere(dbFile: string): void {
	const db = openDatabase(dbFile);
	const today = toIsoDate(new Date());
	try {
		db.transaction((tx) => {
			const t = tx as unknown as KlarDatabase;
			for (const f of FACILITIES) {
				const dimensionKey = dimensionKeyOf({ facility: f.id });
				for (const kpiId of [ASYL_KPI.capacity, ASYL_KPI.occupancy]) {
					upsertObservation(
						t,
						{
							kpiId,
							period: today,
							dimensionKey,
							value: f.capacity,
							status: 'final',
							sourceKind: 'form',
							sourceRef: 'e2e'
						},
						null
					);
				}
			}
			rebuildSnapshots(t, [ASYL_KPI.occupancy, ASYL_KPI.capacity]);
		});
	} finally {
		db.$client.close();
	}
}
