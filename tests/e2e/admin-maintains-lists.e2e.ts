import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { launchPhone } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { AdminListsPage } from './pages/admin-lists-page';
import { AuditLogPage } from './pages/audit-log-page';

describe('Central controlling keeps the reference lists current and sees who changed what', () => {
	const story = storyWithAppAndPhone();

	it('finds the admin pages under Verwaltung (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('admin');
		await new HomePage(page).waitForTiles();
		await page.goto(`${server.url}/verwaltung`);
		await page.getByRole('link', { name: /Listen pflegen/ }).waitFor();
		expect(await page.getByRole('link', { name: /Protokoll/ }).getAttribute('href')).toBe(
			'/verwaltung/protokoll'
		);
		expect(await axeViolations(page)).toEqual([]);
		await page.getByRole('link', { name: /Listen pflegen/ }).click();
		await new AdminListsPage(page).waitForLists();
	});

	it('adds a facility with its capacity', async () => {
		const { page, server } = story;
		const lists = new AdminListsPage(page);
		const form = await lists.startNew('Einrichtungen');
		await lists.fill(form, {
			name: 'Notunterkunft Messehalle',
			district: 'Kaiserslautern-West',
			capacity: 150
		});
		await lists.save(form);
		await expect
			.poll(() => lists.status().textContent())
			.toBe('Gespeichert: Einrichtung „Notunterkunft Messehalle“ angelegt.');
		expect(await lists.item('Einrichtungen', 'Notunterkunft Messehalle').textContent()).toMatch(
			/Kaiserslautern-West · 150 Plätze/
		);
		expect(
			server.query(
				'SELECT id, district_id, capacity, active FROM facilities WHERE name = ?',
				'Notunterkunft Messehalle'
			)
		).toEqual([{ id: 'notunterkunft-messehalle', district_id: 'west', capacity: 150, active: 1 }]);
	});

	it('shows a wrong entry beside its field and keeps what was typed (no axe violations)', async () => {
		const { page, server } = story;
		const lists = new AdminListsPage(page);
		const form = await lists.startEdit('Einrichtungen', 'Wohnheim Kotten');
		expect(await axeViolations(page)).toEqual([]);

		// Checked in the browser before sending …
		await lists.fill(form, { capacity: -1 });
		await lists.save(form);
		await expect
			.poll(() => lists.fieldError(form, 'Kapazität (Plätze)'))
			.toBe('Die Kapazität darf nicht negativ sein.');
		// … and by the server, which knows the other names.
		await lists.fill(form, { name: 'gu pfaffgelände', capacity: 90 });
		await lists.save(form);
		await expect
			.poll(() => lists.fieldError(form, 'Name'))
			.toBe(
				'„GU Pfaffgelände“ gibt es in der Liste der Einrichtungen schon. Bitte einen anderen Namen wählen.'
			);
		expect(await form.getByLabel('Kapazität (Plätze)').inputValue()).toBe('90');
		expect(await axeViolations(page)).toEqual([]);

		await form.getByRole('button', { name: 'Abbrechen' }).click();
		await lists.item('Einrichtungen', 'Wohnheim Kotten').getByText('96 Plätze').waitFor();
		expect(server.query('SELECT name, capacity FROM facilities WHERE id = ?', 'wh-kotten')).toEqual(
			[{ name: 'Wohnheim Kotten', capacity: 96 }]
		);
	});

	it('renames a course provider', async () => {
		const { page, server } = story;
		const lists = new AdminListsPage(page);
		const form = await lists.startEdit('Kursträger', 'AWO Bildungswerk');
		await lists.fill(form, { name: 'AWO Bildungswerk Westpfalz' });
		await lists.save(form);
		await expect
			.poll(() => lists.status().textContent())
			.toBe('Gespeichert: Kursträger „AWO Bildungswerk Westpfalz“ geändert.');
		await lists.item('Kursträger', 'AWO Bildungswerk Westpfalz').waitFor();
		// Focus returns to the entry's button, so the keyboard continues where it was.
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
			'Bearbeiten: AWO Bildungswerk Westpfalz'
		);
		expect(server.query('SELECT name FROM course_providers WHERE id = ?', 'awo')).toEqual([
			{ name: 'AWO Bildungswerk Westpfalz' }
		]);
	});

	it('deactivates a district; it stays in the list, marked inaktiv', async () => {
		const { page, server } = story;
		const lists = new AdminListsPage(page);
		const form = await lists.startEdit('Stadtteile', 'Mölschbach');
		await lists.fill(form, { active: false });
		await lists.save(form);
		await expect
			.poll(() => lists.status().textContent())
			.toBe('Gespeichert: Stadtteil „Mölschbach“ deaktiviert.');
		expect(await lists.item('Stadtteile', 'Mölschbach').textContent()).toContain('inaktiv');
		expect(server.query('SELECT active FROM districts WHERE id = ?', 'moelschbach')).toEqual([
			{ active: 0 }
		]);
		// New entries are no longer offered the district.
		const facility = await lists.startNew('Einrichtungen');
		const offered = await facility.getByLabel('Stadtteil').locator('option').allTextContents();
		expect(offered).not.toContain('Mölschbach');
		expect(offered).toContain('Morlautern');
		await facility.getByRole('button', { name: 'Abbrechen' }).click();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			await page.evaluate(() => window.innerWidth)
		);
	});

	it('finds those changes in the audit log with old and new value (no axe violations)', async () => {
		const { page, server } = story;
		const log = new AuditLogPage(page);
		await log.open(server.url);
		await log.waitForRecords();
		expect(await axeViolations(page)).toEqual([]);

		await log.filter({ action: 'Liste: geändert' });
		await expect.poll(() => log.recordTitles()).toEqual(['Liste: geändert', 'Liste: geändert']);
		const district = log.record('Mölschbach');
		expect(await district.textContent()).toContain('Zentralcontrolling (Demo)');
		expect(await log.changes(district)).toEqual(['Aktiv: vorher ja → nachher nein']);
		const provider = log.record('AWO Bildungswerk Westpfalz');
		expect(await log.changes(provider)).toEqual([
			'Name: vorher AWO Bildungswerk → nachher AWO Bildungswerk Westpfalz'
		]);
		expect(await provider.textContent()).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);

		await log.filter({ action: 'Liste: angelegt', entity: 'Einrichtung' });
		await expect.poll(() => log.recordTitles()).toEqual(['Liste: angelegt']);
		expect(await log.changes(log.records().first())).toEqual([
			'Name: neu Notunterkunft Messehalle',
			'Stadtteil: neu west',
			'Kapazität: neu 150',
			'Aktiv: neu ja'
		]);
		const raw = log.records().first().getByText('Alter und neuer Wert als JSON');
		await raw.click();
		expect(await log.records().first().locator('pre').last().textContent()).toContain(
			'"capacity": 150'
		);
		expect(await axeViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
			await page.evaluate(() => window.innerWidth)
		);
	});

	it('shows an editor who opens the audit log by URL no audit data', async () => {
		const { server } = story;
		const phone = await launchPhone();
		try {
			const { page } = phone;
			const calls: string[] = [];
			page.on('request', (request) => {
				if (request.url().includes('/api/trpc/audit')) calls.push(request.url());
			});
			await page.goto(`${server.url}/login`);
			await new LoginPage(page).logIn('erfassung');
			await new HomePage(page).waitForTiles();
			const log = new AuditLogPage(page);
			await log.open(server.url);
			await log.noPermission().waitFor();
			expect(await log.noPermission().textContent()).toContain(
				'Sie haben keine Berechtigung, das Protokoll zu sehen.'
			);
			expect(await log.records().count()).toBe(0);
			expect(await page.getByText('Mölschbach').count()).toBe(0);
			expect(calls).toEqual([]);
			// The server refuses it anyway, whatever the page would do.
			const status = await page.evaluate(async () => {
				const input = encodeURIComponent(JSON.stringify({ 0: {} }));
				const response = await fetch(`/api/trpc/audit.list?batch=1&input=${input}`);
				return response.status;
			});
			expect(status).toBe(403);
		} finally {
			await phone.close();
		}
	});
});
