import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { countIndexedDb, waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { AreaPage } from './pages/area-page';

describe('A councillor reads the accommodation figures on the train', () => {
	const story = storyWithAppAndPhone();

	it('logs in and sees the released tiles, but no internal KPI', async () => {
		const { page, server } = story;
		await page.goto(server.url);
		await page.waitForURL(/\/login/);
		await new LoginPage(page).logIn('rat');
		const home = new HomePage(page);
		await home.waitForTiles();
		await expect.poll(() => home.lastSync().textContent()).toMatch(/\d{2}\.\d{2}\.\d{4}/);
		// Whether the browser promised to keep the figures is said on the home screen.
		await expect
			.poll(() => page.getByTestId('storage-note').textContent())
			.toMatch(/Daten auf diesem Gerät: (nicht )?dauerhaft gespeichert/);

		const area = new AreaPage(page);
		await area.open(server.url, 'asyl');
		const ids = await area.tileIds();
		expect(ids).toEqual(
			expect.arrayContaining(['asyl.auslastung', 'asyl.belegung', 'asyl.kapazitaet'])
		);
		expect(ids).not.toContain('asyl.freie_plaetze');
		expect(ids).not.toContain('asyl.zugaenge');
		await expect.poll(() => home.tile('asyl.auslastung').textContent()).toMatch(/\d+,\d\s%/);
		expect(await home.tile('asyl.auslastung').textContent()).toMatch(/Stand \d{2}\.\d{2}\.\d{4}/);
	});

	it('goes offline, reloads the area page and a deep link, and still sees the figures', async () => {
		const { page, context, server } = story;
		await waitForServiceWorker(page);
		const home = new HomePage(page);
		const onlineValue = await home.tile('asyl.belegung').getByTestId('kpi-value').textContent();

		await context.setOffline(true);
		await page.reload();
		await page.getByTestId('kpi-tile').first().waitFor();
		expect(await home.offlineBadge().isVisible()).toBe(true);
		expect(await home.tile('asyl.belegung').getByTestId('kpi-value').textContent()).toBe(
			onlineValue
		);

		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.auslastung');
		await detail.waitForValue();
		expect(await detail.value().textContent()).toMatch(/\d+,\d\s%/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			'Auslastung der Unterkünfte'
		);
		const table = await detail.showSeriesTable();
		expect(await table.getByRole('row').count()).toBeGreaterThan(30);
		await page.getByTestId('breakdown-table').waitFor();
		expect(await page.getByTestId('breakdown-table').getByRole('row').count()).toBe(9);

		// An internal KPI was never sent to this phone, so its deep link shows nothing.
		await detail.open(server.url, 'asyl.freie_plaetze');
		await page.getByRole('heading', { name: 'Kennzahl nicht verfügbar' }).waitFor();
		await context.setOffline(false);
	});

	it('logs out: the figures leave the phone and a deep link asks for the login', async () => {
		const { page, server } = story;
		await page.goto(server.url);
		await new HomePage(page).waitForTiles();
		expect(await countIndexedDb(page, 'snapshots')).toBeGreaterThan(0);
		await page.getByRole('button', { name: 'Abmelden' }).click();
		await page.waitForURL(/\/login/);
		expect(await countIndexedDb(page, 'snapshots')).toBe(0);
		expect(await countIndexedDb(page, 'catalogue')).toBe(0);
		expect(server.query(`SELECT token_hash FROM sessions WHERE user_id = 'u-rat'`)).toHaveLength(0);

		await page.goto(`${server.url}/kpi/asyl.auslastung`);
		await page.waitForURL(/\/login\?weiter=%2Fkpi%2Fasyl.auslastung/);
		expect(await page.getByTestId('kpi-value').count()).toBe(0);
	});
});
