import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { AppServer } from './support/server';
import { launchPhone, waitForServiceWorker } from './support/browser';
import { apiSessionOf } from './support/api';
import { axeViolations as violations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AreaPage } from './pages/area-page';
import { CataloguePage, KpiDefinitionPage } from './pages/catalogue-pages';

const PASSWORD = 'Rettungswache 112 am Ring';

/** The city's calendar day `days` before today, as the feed file writes it (DD.MM.YYYY). */
function cityDay(daysAgo: number): string {
	const day = new Date(Date.now() - daysAgo * 86_400_000);
	return new Intl.DateTimeFormat('de-DE', {
		timeZone: 'Europe/Berlin',
		day: '2-digit',
		month: '2-digit',
		year: 'numeric'
	}).format(day);
}

interface Phone {
	page: Page;
	context: BrowserContext;
	close: () => Promise<void>;
}

describe('A city goes live without demo data: its own area, KPIs, gauge and feed', () => {
	let server: AppServer;
	let admin: Phone;
	let executive: Phone;
	let councillor: Phone;

	beforeAll(async () => {
		server = await AppServer.startEmpty();
		admin = await launchPhone();
	}, 180_000);

	afterAll(async () => {
		for (const phone of [admin, executive, councillor]) await phone?.close();
		await server?.dispose();
	});

	it('the first administrator is created on the command line of an empty installation', async () => {
		expect(server.query(`SELECT count(*) AS n FROM users`)).toEqual([{ n: 0 }]);
		const created = server.npmRun(
			'admin',
			['create', 'chefin', '--name', 'Petra Chefin'],
			`${PASSWORD}\n`
		);
		expect(created).toMatchObject({ status: 0 });
		expect(created.output).toMatch(/Administrator „chefin“ angelegt/);
		expect(server.npmRun('admin', ['create', 'chefin'], `${PASSWORD}\n`).status).toBe(1);

		const { page } = admin;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('chefin', PASSWORD);
		await page.getByTestId('empty-home').waitFor();
		await page.getByRole('link', { name: 'Verwaltung' }).click();
		await page.getByRole('link', { name: /Kennzahlenkatalog/ }).click();
		await page.getByTestId('catalogue-count').waitFor();
		expect(await page.getByTestId('catalogue-count').textContent()).toMatch(/0 Kennzahlen/);
	});

	it('creates the area; the population comes from a catalogue file on the command line', async () => {
		const { page } = admin;
		const catalogue = new CataloguePage(page);
		await catalogue.createArea({
			id: 'rettung',
			title: 'Rettungsdienst',
			description: 'Einsätze des Rettungsdienstes und ihre Last je Einwohner.'
		});
		expect(await violations(page)).toEqual([]);

		const file = join(server.dir, 'katalog.json');
		writeFileSync(
			file,
			JSON.stringify({
				format: 'klar-catalogue',
				version: 1,
				kpis: [
					{
						id: 'ret.einwohner',
						areaId: 'rettung',
						title: 'Einwohner (amtlich)',
						shortTitle: 'Einwohner',
						unit: 'Personen',
						numberFormat: 'integer',
						decimals: 0,
						direction: 'neutral',
						cadence: 'yearly',
						graceDays: 200,
						source: { kind: 'feed', name: 'Statistisches Landesamt' },
						owner: { department: 'Statistikstelle', contact: 'Statistik' },
						visibility: 'public',
						disclosureMinCount: 0,
						sortOrder: 90,
						formula: { kind: 'stock' }
					}
				]
			})
		);
		const applied = server.npmRun('catalogue', ['apply', file]);
		expect(applied).toMatchObject({ status: 0 });
		expect(applied.output).toMatch(/Neu: ret\.einwohner/);
	});

	it('creates a daily KPI with bands; a wrong form shows German messages beside the fields first', async () => {
		const { page } = admin;
		const form = new KpiDefinitionPage(page);
		await form.openNew(server.url, 'rettung');
		await form.fill({ Kennung: 'ret.einsaetze', Titel: 'Rettungseinsätze je Tag' });
		await page.getByLabel('Ampel mit Schwellen (grün, gelb, rot)').check();
		await form.fill({ 'Warnschwelle (gelb ab)': '60', 'Kritische Schwelle (rot ab)': '40' });
		await form.create();
		expect(await form.errorOf('Kurztitel')).toBe('Bitte den Kurztitel angeben.');
		expect(await form.errorOf('Kritische Schwelle (rot ab)')).toMatch(
			/Die kritische Schwelle liegt über der Warnschwelle\./
		);
		expect(await page.evaluate(() => document.activeElement?.id)).toBe('kpi-shortTitle');
		expect(await violations(page)).toEqual([]);
		expect(server.query(`SELECT id FROM kpi_definitions`)).toEqual([{ id: 'ret.einwohner' }]);

		await form.choose({ Art: 'Summe je Zeitraum (z. B. Zugänge je Woche)', Rhythmus: 'täglich' });
		await form.choose({ Richtung: 'niedriger ist besser' });
		await form.fill({
			Kurztitel: 'Rettungseinsätze',
			Einheit: 'Einsätze',
			'Warnschwelle (gelb ab)': '40',
			'Kritische Schwelle (rot ab)': '60',
			'Karenz in Tagen': '2',
			Quelle: 'Integrierte Leitstelle, Einsatzprotokoll',
			'Zuständige Stelle': 'Feuerwehr',
			Ansprechperson: 'Leitstelle'
		});
		await form.choose({ Sichtbarkeit: 'für den Stadtrat freigegeben' });
		await form.create();
		await page.waitForURL(/\/verwaltung\/kennzahlen\/ret\.einsaetze/);
		await form.saved().filter({ hasText: 'Kennzahl angelegt' }).waitFor();
	});

	it('derives "per 1,000 inhabitants" from it without code, with the method text generated', async () => {
		const { page } = admin;
		const form = new KpiDefinitionPage(page);
		await form.openNew(server.url, 'rettung');
		await form.fill({
			Kennung: 'ret.einsaetze_je_1000',
			Titel: 'Rettungseinsätze je 1.000 Einwohner',
			Kurztitel: 'Einsätze je 1.000'
		});
		await form.choose({ Art: 'je 1.000', Rhythmus: 'täglich' });
		await form.choose({
			Anzahl: 'Rettungseinsätze je Tag (ret.einsaetze)',
			'Einwohner (Bezugsgröße)': 'Einwohner (amtlich) (ret.einwohner)'
		});
		expect(await form.field('Berechnung (Methodentext)').inputValue()).toBe(
			'„Rettungseinsätze je Tag“ je 1.000: geteilt durch „Einwohner (amtlich)“, mal 1.000.'
		);
		await form.choose({
			Zahlenformat: 'Dezimalzahl',
			Sichtbarkeit: 'für den Stadtrat freigegeben'
		});
		await form.fill({
			Nachkommastellen: '2',
			Einheit: 'je 1.000 Einwohner',
			Quelle: 'berechnet',
			'Zuständige Stelle': 'Feuerwehr',
			Ansprechperson: 'Leitstelle'
		});
		await form.create();
		await page.waitForURL(/\/verwaltung\/kennzahlen\/ret\.einsaetze_je_1000/);
		expect(
			server.query(`SELECT formula FROM kpi_definitions WHERE id = 'ret.einsaetze_je_1000'`)
		).toEqual([
			{ formula: JSON.stringify({ kind: 'per_1000', inputs: ['ret.einsaetze', 'ret.einwohner'] }) }
		]);
	});

	it('puts the daily KPI on a gauge, then imports its feed on the command line', async () => {
		const { page } = admin;
		const form = new KpiDefinitionPage(page);
		await form.open(server.url, 'ret.einsaetze');
		await form.choose({ Darstellung: 'Tacho mit Ampelbändern' });
		await form.fill({ 'Überschrift der Ansicht': 'Einsatzlage' });
		await form.save();
		expect(await violations(page)).toEqual([]);

		const definition = join(server.dir, 'leitstelle.json');
		writeFileSync(
			definition,
			JSON.stringify({
				id: 'leitstelle',
				title: 'Leitstelle: Einsätze und Einwohner',
				owner: { department: 'Feuerwehr', contact: 'Leitstelle' },
				source: {
					format: 'csv',
					dialect: { delimiter: ';', encoding: 'utf-8', decimal: ',', thousands: '.', header: true }
				},
				mapping: {
					period: { column: 'Stichtag', format: 'DD.MM.YYYY' },
					values: [
						{
							column: 'Wert',
							kpi: {
								column: 'Kennzahl',
								lookup: { Einsätze: 'ret.einsaetze', Einwohner: 'ret.einwohner' }
							}
						}
					]
				},
				status: 'final',
				cadence: 'daily',
				graceDays: 2
			})
		);
		const csv = join(server.dir, 'leitstelle.csv');
		writeFileSync(
			csv,
			[
				'Stichtag;Kennzahl;Wert',
				'31.12.2025;Einwohner;100.000',
				`${cityDay(3)};Einsätze;35`,
				`${cityDay(2)};Einsätze;38`,
				`${cityDay(1)};Einsätze;45`
			].join('\n')
		);
		const imported = server.npmRun('feed', ['import', definition, csv]);
		expect(imported.output).toMatch(/^✓ leitstelle/);
		expect(imported.status).toBe(0);
	});

	it('an executive on another phone, offline, sees the gauge and the derived value', async () => {
		const api = await apiSessionOf(server, 'chefin', PASSWORD);
		for (const [username, role] of [
			['ob', 'executive'],
			['rat', 'councillor']
		] as const) {
			await api.mutate('users.create', {
				username,
				displayName: username === 'ob' ? 'Oberbürgermeisterin' : 'Ratsmitglied',
				password: PASSWORD,
				role,
				areas: []
			});
		}
		executive = await launchPhone();
		const { page, context } = executive;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('ob', PASSWORD);
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);

		await context.setOffline(true);
		const area = new AreaPage(page);
		await area.open(server.url, 'rettung');
		expect(await area.heading().textContent()).toBe('Rettungsdienst');
		await area.gauge().waitFor();
		expect(
			await page.getByRole('heading', { name: /^Einsatzlage: Rettungseinsätze$/ }).count()
		).toBe(1);
		expect(await page.getByTestId('gauge-value').textContent()).toMatch(/^45\sEinsätze$/);
		expect(await page.getByTestId('gauge-status').textContent()).toMatch(/Warnbereich/);
		expect(await area.gauge().getByTestId('overdue-mark').count()).toBe(0);
		const home = new HomePage(page);
		await expect
			.poll(() => home.tile('ret.einsaetze_je_1000').getByTestId('kpi-value').textContent())
			.toMatch(/^0,45\s/);
		expect(await violations(page)).toEqual([]);

		// Four days later, still offline and without a new delivery: yesterday's value is late,
		// and the gauge says so like the tile does, in words.
		await context.clock.setFixedTime(new Date(Date.now() + 4 * 86_400_000));
		await area.open(server.url, 'rettung');
		await area.gauge().waitFor();
		expect(await area.gauge().getByTestId('overdue-mark').textContent()).toBe('· überfällig');
		expect(await area.tile('ret.einsaetze').textContent()).toMatch(/überfällig/);
		await context.setOffline(false);
	});

	it('narrowed to internal, the KPI leaves the councillor’s phone at the next sync', async () => {
		councillor = await launchPhone();
		const { page } = councillor;
		await new LoginPage(page).open(server.url);
		await new LoginPage(page).logIn('rat', PASSWORD);
		await new HomePage(page).waitForTiles();
		const area = new AreaPage(page);
		await area.open(server.url, 'rettung');
		expect(await area.tileIds()).toContain('ret.einsaetze');

		const form = new KpiDefinitionPage(admin.page);
		await form.open(server.url, 'ret.einsaetze');
		await form.choose({ Sichtbarkeit: 'intern' });
		await form.save();

		await page.getByRole('button', { name: 'Jetzt synchronisieren' }).click();
		await expect.poll(() => area.tileIds()).not.toContain('ret.einsaetze');
		expect(await area.gauge().count()).toBe(0);
		// The executive still reads it.
		const executiveArea = new AreaPage(executive.page);
		await executive.page.getByRole('button', { name: 'Jetzt synchronisieren' }).click();
		await executiveArea.open(server.url, 'rettung');
		expect(await executiveArea.tileIds()).toContain('ret.einsaetze');
	});

	it('the catalogue lists what was built; the executive reads it but has no buttons to change it', async () => {
		const { page } = executive;
		await new CataloguePage(page).open(server.url);
		expect(await page.getByTestId('catalogue-count').textContent()).toBe('3 Kennzahlen');
		expect(await new CataloguePage(page).row('ret.einsaetze').textContent()).toMatch(/intern/);
		expect(await page.getByRole('link', { name: 'Neue Kennzahl' }).count()).toBe(0);
		expect(await violations(page)).toEqual([]);
		await page.goto(`${server.url}/verwaltung/kennzahlen/ret.einsaetze`);
		await page.getByTestId('kpi-state').waitFor();
		expect(await page.getByLabel('Titel', { exact: true }).isDisabled()).toBe(true);
		expect(await page.getByRole('button', { name: 'Änderungen speichern' }).count()).toBe(0);
		expect(await violations(page)).toEqual([]);
	});
});
