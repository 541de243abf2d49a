import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { axeViolations as violations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AreaPage } from './pages/area-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { SearchPage } from './pages/search-page';
import { demoCatalogue } from '#server/db/demo/catalogue';

const AREA_IDS = demoCatalogue().areas.map((area) => area.id);

describe('The screens of all seven areas are usable with assistive technology (axe-core)', () => {
	const story = storyWithAppAndPhone();

	it('home with overdue warnings and area summaries has no violations', async () => {
		const { page, server } = story;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('spitze');
		await new HomePage(page).waitForTiles();
		await page.getByTestId('overdue').waitFor();
		expect(await violations(page)).toEqual([]);
	});

	it('every area page has no violations', async () => {
		const { page, server } = story;
		const area = new AreaPage(page);
		for (const areaId of AREA_IDS) {
			await area.open(server.url, areaId);
			if (areaId === 'gesundheit') await area.gauge().waitFor();
			if (areaId === 'asyl') await area.projectionSentence().waitFor();
			expect({ areaId, violations: await violations(page) }).toEqual({ areaId, violations: [] });
		}
	});

	it('detail pages with gauge, projection, plan vs actual, courses and breakdown have no violations', async () => {
		const { page, server } = story;
		const detail = new KpiDetailPage(page);
		for (const [kpiId, special] of [
			['ges.inzidenz_7t', 'gauge'],
			['asyl.belegung', 'projection-chart'],
			['fin.aufwendungen.ist', 'plan-actual-chart'],
			['bil.sprachkurs_warteliste', 'supply-demand'],
			['bev.einwohner', 'breakdown-table']
		] as const) {
			await detail.open(server.url, kpiId);
			await detail.waitForValue();
			await page.getByTestId(special).waitFor();
			await detail.chart().waitFor();
			await detail.showSeriesTable();
			expect({ kpiId, violations: await violations(page) }).toEqual({ kpiId, violations: [] });
		}
		await detail.pinButton().click();
		await expect.poll(() => detail.pinButton().getAttribute('aria-pressed')).toBe('true');
		expect(await violations(page)).toEqual([]);
	});

	it('home with a pinned KPI has no violations', async () => {
		const { page, server } = story;
		await page.goto(server.url);
		await page.getByTestId('pinned').getByTestId('kpi-tile').waitFor();
		expect(await violations(page)).toEqual([]);
	});

	it('search with results has no violations', async () => {
		const { page, server } = story;
		const search = new SearchPage(page);
		await search.open(server.url);
		await search.search('quote');
		await expect.poll(async () => (await search.resultIds()).length).toBeGreaterThan(1);
		expect(await violations(page)).toEqual([]);
	});
});
