import type { Page } from 'playwright-core';
import { LoginPage } from '../pages/login-page';
import { HomePage } from '../pages/home-page';
import { OccupancyFormPage } from '../pages/occupancy-form-page';
import { waitForServiceWorker } from './browser';
import { openDatabase } from '#server/db/connection';
import { reportFullHouse } from '../../server/helpers';

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

/** A full house in every facility, written on the running server's database file. */
export function reportFullHouseEverywhere(dbFile: string): void {
	const db = openDatabase(dbFile);
	try {
		reportFullHouse(db, new Date());
	} finally {
		db.$client.close();
	}
}
