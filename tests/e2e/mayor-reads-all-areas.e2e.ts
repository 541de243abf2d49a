import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { reportFullHouseEverywhere } from './support/steps';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AreaPage } from './pages/area-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { SearchPage } from './pages/search-page';
import { demoCatalogue } from '#server/db/demo/catalogue';

const AREAS = demoCatalogue().areas;
const AREA_IDS = AREAS.map((area) => area.id);
const AREA_TITLES = Object.fromEntries(AREAS.map((area) => [area.id, area.title]));

const GERMAN_DATE = /\d{2}\.\d{2}\.\d{4}/;

describe('The mayor asks "where do we stand" for every area, from her phone', () => {
	const story = storyWithAppAndPhone();

	it('sees one summary per area on the home screen and what is overdue', async () => {
		const { page, server } = story;
		await page.goto(server.url);
		await page.waitForURL(/\/login/);
		await new LoginPage(page).logIn('spitze');
		await new HomePage(page).waitForTiles();
		const summaries = page.getByTestId('area-summary');
		await expect.poll(() => summaries.count()).toBe(7);
		expect(
			await summaries.evaluateAll((items) => items.map((i) => i.getAttribute('data-area')))
		).toEqual([...AREA_IDS]);
		// The demo has deliberately late figures; they are named with the day they were due.
		const overdue = page.getByTestId('overdue');
		await overdue.waitFor();
		expect(await overdue.locator('li[data-kpi="soz.wohngeld_haushalte"]').textContent()).toMatch(
			new RegExp(`erwartet bis ${GERMAN_DATE.source}, seit \\d+ Tagen überfällig`)
		);
	});

	it('opens every area page and finds all of its KPIs as tiles', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		for (const areaId of AREA_IDS) {
			await area.open(server.url, areaId);
			expect(await area.heading().textContent()).toBe(AREA_TITLES[areaId]);
			const expected = server
				.query(`SELECT id FROM kpi_definitions WHERE area_id = '${areaId}' ORDER BY sort_order`)
				.map((r) => (r as { id: string }).id);
			await expect.poll(() => area.tileIds()).toEqual(expected);
			// Every tile says its value, its status in words and how current it is.
			for (const tile of await page.getByTestId('kpi-tile').all()) {
				expect(await tile.textContent()).toMatch(/Stand /);
			}
		}
	});

	it('reads the Warnmelder gauge: needle, bands and the value as text', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		await area.open(server.url, 'gesundheit');
		await area.gauge().waitFor();
		expect(await page.getByTestId('gauge-value').textContent()).toMatch(
			/^\d+,\d\sje 100\.000 Einwohner$/
		);
		expect(await page.getByTestId('gauge-status').textContent()).toMatch(
			/im Zielbereich|Warnbereich|kritisch/
		);
		expect(await area.gauge().locator('path.band').count()).toBe(3);
		expect(await area.gauge().locator('line.needle').count()).toBe(1);
	});

	it('learns whether the accommodation places suffice, and how that is computed', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		await area.open(server.url, 'asyl');
		await area.projectionSentence().waitFor();
		expect(await area.projectionSentence().textContent()).toMatch(
			new RegExp(`^Die Plätze reichen bei aktuellem Trend bis ca\\. ${GERMAN_DATE.source}\\.$`)
		);
		await page.getByText('Wie wird das berechnet?').click();
		expect(
			await page
				.getByText(/kleinsten Quadrate|Regression/)
				.first()
				.isVisible()
		).toBe(true);

		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.belegung');
		await detail.waitForValue();
		await page.getByTestId('projection-chart').waitFor();
		expect(await page.getByTestId('projection-sentence').textContent()).toMatch(/reichen/);
		// The chart's table alternative: the trend reaches the capacity in its last row.
		await page.getByText('Tabelle: Belegung, Kapazität und Trend').click();
		const lastRow = page.getByTestId('projection-table').locator('tbody tr').first();
		const [, , capacity, trend] = await lastRow.locator('th, td').allTextContents();
		expect(Number(trend!.replace('.', ''))).toBeGreaterThanOrEqual(
			Number(capacity!.replace('.', ''))
		);
	});

	it('compares budget plan and actual, cumulated by month and by Produktbereich', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		await area.open(server.url, 'finanzen');
		const summary = page.getByTestId('plan-actual-summary');
		await summary.waitFor();
		expect(await summary.getByRole('row').count()).toBe(1 + 5);

		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'fin.aufwendungen.ist');
		await detail.waitForValue();
		await page.getByTestId('plan-actual-chart').waitFor();
		await page.getByText('Tabelle: Plan und Ist nach Monaten').click();
		expect(await page.getByTestId('plan-actual-table').locator('tbody tr').count()).toBe(12);
		expect(await page.getByTestId('plan-actual-members').locator('tbody tr').count()).toBe(10);
	});

	it('sorts the breakdown by district and downloads it as a CSV that German Excel opens', async () => {
		const { page, server } = story;
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'bev.einwohner');
		await detail.waitForValue();
		await detail.chart().waitFor();
		const byValue = await detail.breakdownOrder();
		expect(byValue).toHaveLength(18);
		await detail.sortBreakdownBy(/Ortsbezirk/);
		const byName = await detail.breakdownOrder();
		expect(byName).not.toEqual(byValue);
		expect([...byName].sort()).toEqual([...byValue].sort());
		expect(
			await page.getByTestId('breakdown-table').locator('th[aria-sort]').getAttribute('aria-sort')
		).toBe('ascending');

		const csv = await detail.downloadCsv(/Verlauf als CSV/);
		expect(csv.name).toMatch(/^klar_bev\.einwohner_verlauf_\d{4}-\d{2}-\d{2}\.csv$/);
		expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = csv.bytes.toString('utf8').slice(1).split('\r\n');
		expect(lines[0]).toBe('Kennzahl;Zeitraum;Beginn;Ende;Wert;Einheit');
		expect(lines[1]).toMatch(/^Einwohnerinnen|^Einwohner/);
		expect(lines[1]!.split(';')).toHaveLength(6);
		expect(lines[1]!.split(';')[2]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);

		const breakdown = await detail.downloadCsv(/Aufteilung als CSV/);
		const rows = breakdown.bytes.toString('utf8').slice(1).trim().split('\r\n');
		expect(rows).toHaveLength(1 + 18);
		expect(rows.some((r) => r.includes('Lämmchesberg'))).toBe(true);
	});

	it('sees language-course places against the waiting list by level', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		await area.open(server.url, 'bildung');
		const courses = page.getByTestId('supply-demand');
		await courses.waitFor();
		expect(
			await courses.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.member))
		).toEqual(['A1', 'A2', 'B1', 'B2', 'C1']);
		expect(await courses.textContent()).toMatch(/Bedarf größer als das Angebot bei/);
	});

	it('pins the incidence; the pin is first on the home screen, also after an offline reload', async () => {
		const { page, context, server } = story;
		await waitForServiceWorker(page);
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'ges.inzidenz_7t');
		await detail.waitForValue();
		await detail.pinButton().click();
		await expect.poll(() => detail.pinButton().getAttribute('aria-pressed')).toBe('true');

		await page.goto(server.url);
		const pinned = page.getByTestId('pinned');
		await pinned.getByTestId('kpi-tile').first().waitFor();
		expect(await pinned.getByTestId('kpi-tile').getAttribute('data-kpi')).toBe('ges.inzidenz_7t');

		await context.setOffline(true);
		await page.reload();
		await pinned.getByTestId('kpi-tile').first().waitFor();
		expect(await pinned.getByTestId('kpi-tile').getAttribute('data-kpi')).toBe('ges.inzidenz_7t');
		await context.setOffline(false);
	});

	it('after a sync, sees what turned red since the last one, also offline', async () => {
		const { page, context, server } = story;
		await page.goto(server.url);
		await new HomePage(page).waitForTiles();
		expect(await page.getByTestId('newly-red').count()).toBe(0);

		reportFullHouseEverywhere(server.dbFile);
		await page.getByRole('button', { name: 'Jetzt synchronisieren' }).click();
		const newlyRed = page.getByTestId('newly-red');
		await newlyRed.waitFor();
		expect(await newlyRed.getByRole('link').allTextContents()).toEqual(
			expect.arrayContaining(['Auslastung der Unterkünfte', 'Freie Plätze in Unterkünften'])
		);
		expect(await newlyRed.textContent()).toMatch(/kritisch/);

		await context.setOffline(true);
		await page.reload();
		await newlyRed.waitFor();
		expect(await newlyRed.getByRole('link').count()).toBe(2);
		await context.setOffline(false);
	});

	it('searches the catalogue offline, with umlauts typed either way', async () => {
		const { page, context, server } = story;
		const search = new SearchPage(page);
		await search.open(server.url);
		await context.setOffline(true);
		await page.reload();
		await page.getByLabel('Suchbegriff').waitFor();
		await search.search('bevoelkerung');
		await expect.poll(() => search.resultIds()).toContain('bev.einwohner');
		const either = await search.resultIds();
		await search.search('Bevölkerung');
		await expect.poll(() => search.resultIds()).toEqual(either);
		await search.search('STRASSENLEUCHTEN');
		await expect.poll(() => search.resultIds()).toContain('inf.strassenleuchten');
		await search.search('kita');
		await expect.poll(() => search.resultIds()).toContain('bil.betreuungsquote_u3');
		await search.search('xyzzy');
		await expect.poll(() => page.getByTestId('search-count').textContent()).toMatch(/0 Kennzahlen/);
		await context.setOffline(false);
	});
});
