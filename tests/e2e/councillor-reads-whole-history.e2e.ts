import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { HistoryRangeControl, KpiDetailPage } from './pages/kpi-detail-page';

/** A daily KPI the council reads, with years of demo history: more than the phone keeps. */
const OCCUPANCY = 'asyl.belegung';
const CAPACITY = 'asyl.kapazitaet';

/**
 * A councillor prepares a debate on accommodation: the occupancy of the last year is on the
 * phone; the whole series since the first value is loaded once and then read on the train,
 * offline. A KPI never opened that far says plainly that its older values are not on the phone.
 */
describe('A councillor reads the whole history of a KPI, also offline', () => {
	const story = storyWithAppAndPhone();

	it('sees the last year first, then the whole series with its table and CSV (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('rat');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);
		const kpi = new KpiDetailPage(page);
		const range = new HistoryRangeControl(page);
		await kpi.open(server.url, OCCUPANCY);
		await kpi.waitForValue();
		expect(await page.getByRole('radio', { name: '1 Jahr' }).isChecked()).toBe(true);
		const yearRows = await range.tableRows();
		expect(yearRows).toBeGreaterThanOrEqual(365);
		expect(yearRows).toBeLessThanOrEqual(366);
		expect(await range.note().count()).toBe(0);

		await range.choose('Alles');
		await expect.poll(() => range.noteText()).toMatch(/^Ganze Reihe seit /);
		const allRows = await range.tableRows();
		// The phone keeps 400 days; the whole series is longer.
		expect(allRows).toBeGreaterThan(400);
		const csv = await kpi.downloadCsv(/Verlauf als CSV/);
		const lines = csv.bytes.toString('utf8').trim().split(/\r?\n/);
		expect(lines.length - 1).toBe(allRows);
		expect(await axeViolations(page)).toEqual([]);
	});

	it('offline on the train, the whole series is still there; another KPI says what is missing', async () => {
		const { page, server, context } = story;
		const kpi = new KpiDetailPage(page);
		const range = new HistoryRangeControl(page);
		await context.setOffline(true);
		await page.reload();
		await kpi.waitForValue();
		await range.choose('Alles');
		await expect.poll(() => range.noteText()).toMatch(/auch offline/);
		expect(await range.tableRows()).toBeGreaterThan(400);

		await kpi.open(server.url, CAPACITY);
		await kpi.waitForValue();
		await range.choose('Alles');
		await expect
			.poll(() => range.noteText())
			.toMatch(/nicht gespeichert; sie werden geladen, sobald das Gerät online ist/);
		expect(await range.tableRows()).toBe(400);

		// Back online, the page loads the rest by itself.
		await context.setOffline(false);
		await expect.poll(() => range.noteText(), { timeout: 15_000 }).toMatch(/Ganze Reihe seit/);
		expect(await range.tableRows()).toBeGreaterThan(400);
	});
});
