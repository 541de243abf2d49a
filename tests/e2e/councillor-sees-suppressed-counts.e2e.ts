import { afterAll, describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { launchPhone } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { AreaPage } from './pages/area-page';

const WAITING = 'bil.sprachkurs_warteliste';
const FOOTNOTE =
	'• Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als 3 Fälle).';

describe('A councillor sees small counts withheld, the mayor sees them', () => {
	const story = storyWithAppAndPhone();
	let closePhone: (() => Promise<void>) | undefined;
	afterAll(async () => {
		await closePhone?.();
	});

	it('the councillor opens the waiting list: C1 (2 people) shows "•" with the footnote', async () => {
		const { page, server } = story;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('rat');
		await new HomePage(page).waitForTiles();

		const detail = new KpiDetailPage(page);
		await detail.open(server.url, WAITING);
		await detail.waitForValue();
		// The total is shown; the level of 2 and the next smallest level (B2) are not.
		expect(await detail.value().textContent()).toMatch(/\d{3}/);
		const c1 = detail.breakdownRow('C1').locator('td');
		await expect.poll(() => c1.textContent()).toContain('•');
		// Seen "•", heard "geheim (kleine Fallzahl)", and no digit of the count.
		expect(await c1.textContent()).toBe('•geheim (kleine Fallzahl)');
		expect(await c1.locator('[aria-hidden="true"]').textContent()).toBe('•');
		expect(await detail.breakdownRow('B2').locator('td').textContent()).toBe(
			'•geheim (kleine Fallzahl)'
		);
		expect(await detail.breakdownValue('A1')).toMatch(/^\d+$/);
		expect(await page.getByTestId('suppression-note').allTextContents()).toContain(FOOTNOTE);
		// The small count never reached this phone.
		const stored = await page.evaluate(
			(id) =>
				new Promise<string>((resolve, reject) => {
					const open = indexedDB.open('klar');
					open.onerror = () => reject(open.error);
					open.onsuccess = () => {
						const request = open.result.transaction('snapshots').objectStore('snapshots').get(id);
						request.onsuccess = () => resolve(JSON.stringify(request.result));
						request.onerror = () => reject(request.error);
					};
				}),
			WAITING
		);
		expect(JSON.parse(stored).breakdown.find((r: { key: string }) => r.key === 'C1').value).toBe(
			null
		);
		expect(await axeViolations(page)).toEqual([]);

		// The language-course view of the area says the same.
		await new AreaPage(page).open(server.url, 'bildung');
		const courses = page.getByTestId('supply-demand');
		await courses.waitFor();
		expect(await courses.locator('tr[data-member="C1"] td').nth(1).textContent()).toMatch(
			/^\s*•geheim \(kleine Fallzahl\)\s*$/
		);
		expect(await courses.getByTestId('suppression-note').textContent()).toBe(FOOTNOTE);
		expect(await axeViolations(page)).toEqual([]);
	});

	it('the executive, on her own phone, sees the 2', async () => {
		const { server } = story;
		const phone = await launchPhone();
		closePhone = phone.close;
		const page = phone.page;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('spitze');
		await new HomePage(page).waitForTiles();

		const detail = new KpiDetailPage(page);
		await detail.open(server.url, WAITING);
		await detail.waitForValue();
		const c1 = detail.breakdownRow('C1').locator('td');
		await expect.poll(() => c1.textContent()).toBe('2');
		expect(await detail.breakdownValue('B2')).toMatch(/^\d+$/);
		expect(await page.getByTestId('suppression-note').count()).toBe(0);
		expect(await axeViolations(page)).toEqual([]);
	});
});
