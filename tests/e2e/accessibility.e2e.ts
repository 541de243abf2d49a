import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { axeViolations as violations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { OccupancyFormPage } from './pages/occupancy-form-page';

describe('Every screen is usable with assistive technology (axe-core, WCAG 2.1 AA)', () => {
	const story = storyWithAppAndPhone();

	it('login has no violations, also with an error shown', async () => {
		const login = new LoginPage(story.page);
		await login.open(story.server.url);
		expect(await violations(story.page)).toEqual([]);
		await login.logIn('erfassung', 'falsches-passwort');
		await login.error().waitFor();
		expect(await login.error().textContent()).toBe('Benutzername oder Passwort ist falsch.');
		expect(await violations(story.page)).toEqual([]);
	});

	it('home has no violations', async () => {
		await new LoginPage(story.page).logIn('erfassung');
		await new HomePage(story.page).waitForTiles();
		expect(await violations(story.page)).toEqual([]);
	});

	it('KPI detail has no violations, with the table open', async () => {
		const detail = new KpiDetailPage(story.page);
		await detail.open(story.server.url, 'asyl.auslastung');
		await detail.waitForValue();
		await detail.chart().waitFor();
		await detail.showSeriesTable();
		expect(await violations(story.page)).toEqual([]);
	});

	it('the occupancy form has no violations, also with validation errors', async () => {
		const form = new OccupancyFormPage(story.page);
		await form.open(story.server.url);
		await form.waitForFacilities();
		expect(await violations(story.page)).toEqual([]);
		await form.enter({ facilityId: 'wh-kotten', date: '', occupied: 500, capacity: 96 });
		await story.page.locator('.field .error').first().waitFor();
		expect(await story.page.locator('#date-error').textContent()).toBe(
			'Bitte den Stichtag angeben.'
		);
		await form.enter({ facilityId: 'wh-kotten', date: '2026-11-01', occupied: 500, capacity: 96 });
		await story.page.locator('#occupied-error').waitFor();
		expect(await story.page.locator('#occupied-error').textContent()).toMatch(
			/^Die Belegung übersteigt die Kapazität/
		);
		expect(await story.page.getByLabel(/Belegte Plätze/).getAttribute('aria-invalid')).toBe('true');
		expect(await violations(story.page)).toEqual([]);
	});
});
