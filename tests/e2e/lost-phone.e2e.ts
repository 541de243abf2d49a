import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { axeViolations } from './support/axe';
import { openOccupancyFormAs } from './support/steps';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import {
	deviceStorage,
	LogoutControls,
	sessionExpiredNotice,
	type DeviceStorage
} from './pages/device-session';
import { toIsoDate } from '#shared/periods';

/** Tables a pull fills, and the entries the server acknowledged (they still hold form data). */
const SYNCED_TABLES = [
	'catalogue',
	'snapshots',
	'facilities',
	'districts',
	'providers',
	'entries',
	'sentEntries'
];
/** What may stay in the sync state: nothing about the city's figures. */
const HARMLESS_STATE = ['witness', 'storage', 'updateRequired', 'signedOut', 'sessionExpired'];

function expectNoSyncedData(storage: DeviceStorage) {
	for (const table of SYNCED_TABLES) expect(storage.tables[table], table).toBe(0);
	expect(storage.stateKeys.filter((key) => !HARMLESS_STATE.includes(key))).toEqual([]);
	// The app shell stays precached (the login opens offline); no cache of figures is left.
	expect(storage.caches.filter((name) => !name.startsWith('workbox-precache'))).toEqual([]);
}

const daysAgo = (days: number) => toIsoDate(new Date(Date.now() - days * 86_400_000));

describe('A phone is lost: logout and an ended session leave no figures on it', () => {
	const story = storyWithAppAndPhone();

	it('a councillor logs out: no synced data left, a deep link asks for the login, online and offline', async () => {
		const { page, context, server } = story;
		await page.goto(server.url);
		await new LoginPage(page).logIn('rat');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.auslastung');
		await detail.waitForValue();
		expect((await deviceStorage(page)).tables.snapshots).toBeGreaterThan(0);

		// Nothing unsent: no question, straight to the login.
		await new LogoutControls(page).logOut();
		await page.waitForURL(`${server.url}/login`);
		expect(await page.getByTestId('logout-dialog').isVisible()).toBe(false);
		expectNoSyncedData(await deviceStorage(page));
		expect(server.query(`SELECT token_hash FROM sessions WHERE user_id = 'u-rat'`)).toEqual([]);

		await page.goto(`${server.url}/kpi/asyl.auslastung`);
		await page.waitForURL(/\/login\?weiter=%2Fkpi%2Fasyl\.auslastung$/);
		await page.getByLabel('Benutzername').waitFor();
		expect(await detail.value().count()).toBe(0);
		expect(await page.getByText('Auslastung der Unterkünfte').count()).toBe(0);
		// A plain logout is no expiry.
		expect(await sessionExpiredNotice(page).count()).toBe(0);

		await context.setOffline(true);
		try {
			await page.goto(`${server.url}/kpi/asyl.auslastung`);
			await page.waitForURL(/\/login\?weiter=%2Fkpi%2Fasyl\.auslastung$/);
			await page.getByLabel('Benutzername').waitFor();
			expect(await detail.value().count()).toBe(0);
			await page.goto(`${server.url}/bereich/asyl`);
			await page.waitForURL(/\/login\?weiter=%2Fbereich%2Fasyl$/);
			expect(await page.getByTestId('kpi-tile').count()).toBe(0);
			expectNoSyncedData(await deviceStorage(page));
		} finally {
			await context.setOffline(false);
		}
	});

	it('an editor with an unsent entry is asked; "Abbrechen" keeps them logged in; online the logout needs no question', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');
		await context.setOffline(true);
		await form.enter({ facilityId: 'wh-kotten', date: daysAgo(1), occupied: 77 });
		await expect
			.poll(() => form.confirmation().textContent())
			.toMatch(/sobald eine Verbindung besteht/);

		const logout = new LogoutControls(page);
		await logout.logOut();
		await logout.dialog().waitFor();
		expect(await logout.dialog().textContent()).toMatch(/1 Eintrag ist noch nicht beim Server/);
		expect(await logout.discard().textContent()).toBe('Verwerfen und abmelden (1 Eintrag)');
		// The safe choice has focus; the rest of the page is inert behind the modal dialog.
		expect(await logout.focusedText()).toBe('Abbrechen');
		expect(await axeViolations(page)).toEqual([]);

		await logout.cancel().click();
		await logout.dialog().waitFor({ state: 'hidden' });
		expect(await logout.focusedText()).toBe('Abmelden');
		expect(new URL(page.url()).pathname).toBe('/erfassen/belegung');
		expect((await deviceStorage(page)).tables.snapshots).toBeGreaterThan(0);
		expect(await form.states()).toEqual(['wartet auf Verbindung']);

		// Escape is "Abbrechen" too.
		await logout.logOut();
		await logout.dialog().waitFor();
		await page.keyboard.press('Escape');
		await logout.dialog().waitFor({ state: 'hidden' });
		expect(await logout.button().isVisible()).toBe(true);

		await context.setOffline(false);
		await expect.poll(() => form.states(), { timeout: 15_000 }).toEqual(['gesendet']);
		await logout.logOut();
		await page.waitForURL(`${server.url}/login`);
		expect(await page.getByTestId('logout-dialog').isVisible()).toBe(false);
		const storage = await deviceStorage(page);
		expectNoSyncedData(storage);
		expect(storage.tables.outbox).toBe(0);
		expect(
			server.query(`SELECT id FROM form_entries WHERE author_id = 'u-erfassung'`)
		).toHaveLength(1);
	});

	it('the server ends the session: the next sync wipes the figures and the login says why; the entry is sent after the next login', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');
		await context.setOffline(true);
		await form.enter({ facilityId: 'wh-kotten', date: daysAgo(2), occupied: 78 });
		await expect.poll(() => form.states()).toContain('wartet auf Verbindung');

		// An admin ends the editor's sessions (as disabling the account does).
		const serverDb = new Database(server.dbFile);
		try {
			serverDb.prepare(`DELETE FROM sessions WHERE user_id = 'u-erfassung'`).run();
		} finally {
			serverDb.close();
		}

		// Network back: the app syncs, the server answers UNAUTHORIZED.
		await context.setOffline(false);
		await page.waitForURL(/\/login\?weiter=%2Ferfassen%2Fbelegung$/, { timeout: 15_000 });
		const notice = sessionExpiredNotice(page);
		await notice.waitFor();
		const text = (await notice.textContent())?.replace(/\s+/g, ' ');
		expect(text).toMatch(/Ihre Anmeldung ist abgelaufen\./);
		expect(text).toMatch(
			/Noch nicht gesendete Einträge bleiben auf diesem Gerät und werden nach der Anmeldung gesendet\./
		);
		const storage = await deviceStorage(page);
		expectNoSyncedData(storage);
		expect(storage.tables.outbox).toBe(1);
		expect(await axeViolations(page)).toEqual([]);

		await page.goto(`${server.url}/kpi/asyl.belegung`);
		await page.waitForURL(/\/login\?weiter=%2Fkpi%2Fasyl\.belegung$/);
		expect(await page.getByTestId('kpi-value').count()).toBe(0);

		// The same person logs in again: back where they were, and the kept entry goes out.
		await new LoginPage(page).logIn('erfassung');
		await page.waitForURL(`${server.url}/kpi/asyl.belegung`);
		await new KpiDetailPage(page).waitForValue();
		await expect
			.poll(() => server.query(`SELECT id FROM form_entries WHERE author_id = 'u-erfassung'`), {
				timeout: 15_000
			})
			.toHaveLength(2);
		expect((await deviceStorage(page)).tables.outbox).toBe(0);
		expect(await sessionExpiredNotice(page).count()).toBe(0);
	});
});
