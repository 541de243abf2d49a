import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storyWithAppAndPhone } from './support/story';
import { launchPhone } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AuditLogPage } from './pages/audit-log-page';
import { UsersPage, waitForLoginRequired } from './pages/users-page';

const FIRST_PASSWORD = 'Lesesaal am Rathausplatz';
const NEW_PASSWORD = 'Stadtbibliothek 2027!';
const WRONG_LOGIN = 'Benutzername oder Passwort ist falsch.';

async function fitsThePhone(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		await page.evaluate(() => window.innerWidth)
	);
}

/** The forms a person is offered under "Erfassen", by title. */
async function offeredForms(page: Page, baseUrl: string): Promise<string[]> {
	await page.goto(`${baseUrl}/erfassen`);
	await page.getByRole('heading', { name: 'Formulare' }).waitFor();
	const links = page.locator('a[href^="/erfassen/"] strong');
	await links.first().waitFor();
	return links.allTextContents();
}

describe('Central controlling gives a colleague an account, changes it and takes it away', () => {
	const story = storyWithAppAndPhone();
	// The colleague's own phone, next to the admin's.
	let colleague: Awaited<ReturnType<typeof launchPhone>> | undefined;
	afterAll(async () => {
		await colleague?.close();
	});

	const ninaId = () =>
		story.server.query<{ id: string }>('SELECT id FROM users WHERE username = ?', 'nina.neumann')[0]
			?.id;

	it('finds "Benutzer und Rechte" under Verwaltung with every account (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('admin');
		await new HomePage(page).waitForTiles();
		await page.goto(`${server.url}/verwaltung`);
		await page.getByRole('link', { name: /Benutzer und Rechte/ }).click();
		const users = new UsersPage(page);
		await users.waitForList();
		expect(await users.facts(users.card('Zentralcontrolling (Demo)'))).toMatchObject({
			state: 'aktiv',
			role: 'Zentralcontrolling',
			areas: 'alle Bereiche'
		});
		const editor = await users.facts(users.card('Sachbearbeitung Unterbringung (Demo)'));
		expect(editor).toMatchObject({ role: 'Sachbearbeitung', areas: 'Asyl & Unterbringung' });
		// Nobody locks themself out: the own card offers no actions.
		expect(
			await users
				.card('Zentralcontrolling (Demo)')
				.getByRole('button', { name: /^Verwalten/ })
				.count()
		).toBe(0);
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('refuses a short password and a taken user name beside the field, then creates the account', async () => {
		const { page, server } = story;
		const users = new UsersPage(page);
		const form = await users.startNew();
		// A role with areas asks for them; other roles do not show them.
		await users.fillNew(form, { role: 'Verwaltungsspitze' });
		expect(await form.getByRole('group', { name: 'Bereiche' }).count()).toBe(0);
		await users.fillNew(form, {
			username: 'erfassung',
			displayName: 'Nina Neumann',
			role: 'Sachbearbeitung',
			areas: ['Bildung'],
			password: 'zu-kurz'
		});
		await users.submitNew(form);
		await expect
			.poll(() => users.fieldError(form, 'Erstes Passwort'))
			.toBe('Das Passwort muss mindestens 12 Zeichen lang sein.');
		expect(await users.focusedLabel()).toBe('Erstes Passwort');
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);

		// The server knows the names that are taken; what was typed stays.
		await users.fillNew(form, { password: FIRST_PASSWORD });
		await users.submitNew(form);
		// The server hashes the password before it looks at the name: give a busy machine time.
		await expect
			.poll(() => users.fieldError(form, 'Benutzername'), { timeout: 20_000 })
			.toBe('Dieser Benutzername ist schon vergeben.');
		expect(await users.fieldError(form, 'Erstes Passwort')).toBeNull();
		expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Nina Neumann');
		expect(await users.focusedLabel()).toBe('Benutzername');

		await users.fillNew(form, { username: 'Nina.Neumann' });
		await users.submitNew(form);
		await expect
			.poll(() => users.status().textContent())
			.toBe('Benutzerkonto „Nina Neumann“ angelegt: Sachbearbeitung für Bildung.');
		const card = users.card('Nina Neumann');
		expect(await users.facts(card)).toEqual({
			state: 'aktiv',
			role: 'Sachbearbeitung',
			areas: 'Bildung',
			sessions: 'keine aktive Sitzung'
		});
		expect(await card.textContent()).toContain('noch nie angemeldet');
		// The keyboard continues at the new account.
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
			'Nina Neumann'
		);
		expect(
			server.query(
				'SELECT username, display_name, role, areas, disabled FROM users WHERE username = ?',
				'nina.neumann'
			)
		).toEqual([
			{
				username: 'nina.neumann',
				display_name: 'Nina Neumann',
				role: 'editor',
				areas: '["bildung"]',
				disabled: 0
			}
		]);
		expect(await axeViolations(page)).toEqual([]);
	});

	it('lets the colleague log in on her phone and enter data for Bildung', async () => {
		const { server } = story;
		colleague = await launchPhone();
		const { page } = colleague;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('nina.neumann', FIRST_PASSWORD);
		await new HomePage(page).waitForTiles();
		expect(await offeredForms(page, server.url)).toEqual(['Sprachkursangebot']);
	});

	it('changes her areas; the list shows her live session (no axe violations)', async () => {
		const { page } = story;
		const users = new UsersPage(page);
		const card = await users.manage('Nina Neumann');
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
		// No area at all is refused beside the areas.
		await users.changeAccess(card, { areas: [] });
		await card.getByText('Bitte mindestens einen Bereich wählen').waitFor();
		await users.changeAccess(card, { areas: ['Bildung', 'Infrastruktur'] });
		await expect
			.poll(() => users.status().textContent())
			.toBe('Rechte von „Nina Neumann“ geändert: Sachbearbeitung für Bildung und Infrastruktur.');
		expect(await users.facts(card)).toMatchObject({
			areas: 'Bildung und Infrastruktur',
			sessions: '1 aktive Sitzung'
		});
		expect(await card.textContent()).toMatch(/zuletzt angemeldet \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
	});

	it('ends her sessions: her phone asks her to log in again, then offers the new area', async () => {
		const { page, server } = story;
		const users = new UsersPage(page);
		const card = users.card('Nina Neumann');
		await users.endSessions(card);
		await expect
			.poll(() => users.status().textContent())
			.toBe('Sitzungen von „Nina Neumann“: 1 Sitzung beendet.');
		expect((await users.facts(card)).sessions).toBe('keine aktive Sitzung');
		// Focus stays on the button, so ending again is one key away.
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
			'Alle Sitzungen beenden'
		);

		const phone = colleague!.page;
		await phone.reload();
		await waitForLoginRequired(phone);
		await new LoginPage(phone).logIn('nina.neumann', FIRST_PASSWORD);
		// The login returns her to where she was.
		await phone.waitForURL((url) => url.pathname === '/erfassen');
		// The list grows while the first sync brings the catalogue: the value form appears once
		// the street-light KPIs she now owns have arrived.
		await expect
			.poll(() => offeredForms(phone, server.url), { timeout: 15_000 })
			.toEqual(['Sprachkursangebot', 'Störung Straßenbeleuchtung', 'Wert für eine Kennzahl']);
	});

	it('sets a new password: the old one fails, the new one works', async () => {
		const { page, server } = story;
		const users = new UsersPage(page);
		const card = users.card('Nina Neumann');
		await users.resetPassword(card, 'kurz');
		await expect
			.poll(() => users.fieldError(card, 'Neues Passwort'))
			.toBe('Das Passwort muss mindestens 12 Zeichen lang sein.');
		await users.resetPassword(card, NEW_PASSWORD);
		await expect
			.poll(() => users.status().textContent())
			.toBe('Passwort von „Nina Neumann“ neu gesetzt. 1 Sitzung beendet.');
		expect(await card.getByLabel('Neues Passwort', { exact: true }).inputValue()).toBe('');
		expect(await axeViolations(page)).toEqual([]);

		const phone = colleague!.page;
		await phone.reload();
		await waitForLoginRequired(phone);
		const login = new LoginPage(phone);
		await login.logIn('nina.neumann', FIRST_PASSWORD);
		await expect.poll(() => login.error().textContent()).toBe(WRONG_LOGIN);
		await login.logIn('nina.neumann', NEW_PASSWORD);
		await phone.waitForURL((url) => url.pathname !== '/login');
		expect(
			server.query(
				"SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login' AND entity_id = ?",
				ninaId()
			)
		).toEqual([{ n: 3 }]);
	});

	it('disables the account after asking: her login fails like a wrong password (no axe violations)', async () => {
		const { page, server } = story;
		const users = new UsersPage(page);
		const card = users.card('Nina Neumann');
		await card.getByRole('button', { name: 'Sperren …' }).click();
		await card.getByText('„Nina Neumann“ sperren? Alle Sitzungen enden sofort').waitFor();
		expect(await axeViolations(page)).toEqual([]);
		// "Abbrechen" changes nothing and returns to the button.
		await card.getByRole('button', { name: 'Abbrechen' }).click();
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
			'Sperren …'
		);
		await users.disable(card);
		await expect
			.poll(() => users.status().textContent())
			.toBe('„Nina Neumann“ gesperrt. 1 Sitzung beendet.');
		expect(await users.facts(card)).toMatchObject({
			state: 'gesperrt',
			sessions: 'keine aktive Sitzung'
		});
		expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
			'Entsperren …'
		);
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
		expect(server.query('SELECT disabled FROM users WHERE id = ?', ninaId())).toEqual([
			{ disabled: 1 }
		]);

		const phone = colleague!.page;
		await phone.reload();
		await waitForLoginRequired(phone);
		const login = new LoginPage(phone);
		await login.logIn('nina.neumann', NEW_PASSWORD);
		await expect.poll(() => login.error().textContent()).toBe(WRONG_LOGIN);
		// The same words as for a wrong password: a disabled account reveals nothing.
		await login.logIn('nina.neumann', 'ganz-falsches-passwort');
		await expect.poll(() => login.error().textContent()).toBe(WRONG_LOGIN);
		expect(new URL(phone.url()).pathname).toBe('/login');
	});

	it('finds every change to the account in the audit log (no axe violations)', async () => {
		const { page, server } = story;
		const log = new AuditLogPage(page);
		await log.open(server.url);
		await log.waitForRecords();
		await log.filter({ entityId: ninaId() });
		await expect
			.poll(() => log.recordTitles())
			.toEqual([
				'Benutzerkonto gesperrt',
				'Angemeldet',
				'Passwort neu gesetzt',
				'Angemeldet',
				'Sitzungen beendet',
				'Berechtigungen geändert',
				'Angemeldet',
				'Benutzerkonto angelegt'
			]);
		const access = log.record('Berechtigungen geändert');
		expect(await access.textContent()).toContain('Zentralcontrolling (Demo)');
		expect(await log.changes(access)).toEqual([
			'Bereiche: vorher bildung → nachher bildung, infrastruktur'
		]);
		expect(await log.changes(log.record('Benutzerkonto angelegt'))).toContain(
			'Benutzername: neu nina.neumann'
		);
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);

		await log.filter({ entityId: 'nina.neumann' });
		await expect
			.poll(() => log.recordTitles())
			.toEqual([
				'Anmeldung fehlgeschlagen',
				'Anmeldung fehlgeschlagen',
				'Anmeldung fehlgeschlagen'
			]);
	});

	it('shows an editor who opens the page by URL no accounts', async () => {
		const { server } = story;
		const phone = await launchPhone();
		try {
			const { page } = phone;
			const calls: string[] = [];
			page.on('request', (request) => {
				if (request.url().includes('/api/trpc/users')) calls.push(request.url());
			});
			await page.goto(`${server.url}/login`);
			await new LoginPage(page).logIn('erfassung');
			await new HomePage(page).waitForTiles();
			const users = new UsersPage(page);
			await page.goto(`${server.url}/verwaltung/benutzer`);
			await users.noPermission().waitFor();
			expect(await page.getByText('Nina Neumann').count()).toBe(0);
			expect(calls).toEqual([]);
			expect(await axeViolations(page)).toEqual([]);
			// The server refuses it anyway, whatever the page would do.
			const status = await page.evaluate(async () => {
				const input = encodeURIComponent(JSON.stringify({ 0: {} }));
				return (await fetch(`/api/trpc/users.list?batch=1&input=${input}`)).status;
			});
			expect(status).toBe(403);
		} finally {
			await phone.close();
		}
	});
});
