import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppServer } from './support/server';
import { launchPhone } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { OccupancyFormPage } from './pages/occupancy-form-page';

async function violations(page: Page) {
	const result = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	return result.violations.map(
		(v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
}

describe('Every screen is usable with assistive technology (axe-core, WCAG 2.1 AA)', () => {
	let server: AppServer;
	let phone: Awaited<ReturnType<typeof launchPhone>>;

	beforeAll(async () => {
		server = await AppServer.startSeeded();
		phone = await launchPhone();
	});

	afterAll(async () => {
		await phone?.close();
		await server?.dispose();
	});

	it('login has no violations, also with an error shown', async () => {
		const login = new LoginPage(phone.page);
		await login.open(server.url);
		expect(await violations(phone.page)).toEqual([]);
		await login.logIn('erfassung', 'falsches-passwort');
		await login.error().waitFor();
		expect(await login.error().textContent()).toBe('Benutzername oder Passwort ist falsch.');
		expect(await violations(phone.page)).toEqual([]);
	});

	it('home has no violations', async () => {
		await new LoginPage(phone.page).logIn('erfassung');
		await new HomePage(phone.page).waitForTiles();
		expect(await violations(phone.page)).toEqual([]);
	});

	it('KPI detail has no violations, with the table open', async () => {
		const detail = new KpiDetailPage(phone.page);
		await detail.open(server.url, 'asyl.auslastung');
		await detail.waitForValue();
		await detail.chart().waitFor();
		await detail.showSeriesTable();
		expect(await violations(phone.page)).toEqual([]);
	});

	it('the occupancy form has no violations, also with validation errors', async () => {
		const form = new OccupancyFormPage(phone.page);
		await form.open(server.url);
		await form.waitForFacilities();
		expect(await violations(phone.page)).toEqual([]);
		await form.enter({ facilityId: 'wh-kotten', date: '', occupied: 500, capacity: 96 });
		await phone.page.locator('.field .error').first().waitFor();
		expect(await phone.page.locator('#date-error').textContent()).toBe('Bitte ein Datum angeben.');
		await form.enter({ facilityId: 'wh-kotten', date: '2026-11-01', occupied: 500, capacity: 96 });
		await phone.page.locator('#occupied-error').waitFor();
		expect(await phone.page.locator('#occupied-error').textContent()).toBe(
			'Die Belegung darf die Kapazität nicht übersteigen.'
		);
		expect(await phone.page.getByLabel(/Belegte Plätze/).getAttribute('aria-invalid')).toBe('true');
		expect(await violations(phone.page)).toEqual([]);
	});
});
