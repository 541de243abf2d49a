import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storyWithAppAndPhone } from './support/story';
import { cityToday } from './support/city-day';
import { launchPhone } from './support/browser';
import { openOccupancyFormAs } from './support/steps';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { MyEntriesPage, ReleaseListPage } from './pages/entry-pages';

/**
 * The four-eyes story: the accommodation staff enter the day's occupancy without network; once
 * back online it waits, marked "vorläufig" for internal readers; the head of department
 * releases one entry and rejects another on her phone; only then does the councillor see the
 * released figure, and the editor corrects the rejected one.
 */
describe('An entry reaches the council only after the lead released it', () => {
	const story = storyWithAppAndPhone();
	const phones: { close: () => Promise<void> }[] = [];
	afterAll(async () => {
		for (const phone of phones) await phone.close();
	});

	async function phoneOf(username: string): Promise<Page> {
		const phone = await launchPhone();
		phones.push(phone);
		await phone.page.goto(`${story.server.url}/login`);
		await new LoginPage(phone.page).logIn(username);
		await new HomePage(phone.page).waitForTiles();
		return phone.page;
	}

	const today = cityToday();

	it('the editor enters two facilities offline; back online they are "gesendet" and provisional', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');
		await context.setOffline(true);
		await form.enter({ facilityId: 'gu-hohenecker', date: today, occupied: 123 });
		await form.enter({ facilityId: 'gu-pfaffgelaende', date: today, occupied: 17 });
		await expect
			.poll(() => form.states())
			.toEqual(['wartet auf Verbindung', 'wartet auf Verbindung']);
		await page.reload();
		await page.getByTestId('entry-list').waitFor();
		expect(await form.states()).toEqual(['wartet auf Verbindung', 'wartet auf Verbindung']);

		await context.setOffline(false);
		await expect.poll(() => form.states(), { timeout: 15_000 }).toEqual(['gesendet', 'gesendet']);
		expect(server.query(`SELECT state FROM form_entries`)).toEqual([
			{ state: 'pending' },
			{ state: 'pending' }
		]);

		// Internal readers see the value, marked provisional, on the tile and the detail page.
		const home = new HomePage(page);
		await page.goto(`${server.url}/bereich/asyl`);
		await expect
			.poll(() => home.tile('asyl.belegung').getByTestId('provisional').count(), {
				timeout: 10_000
			})
			.toBe(1);
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.belegung');
		await detail.waitForValue();
		await page.getByTestId('provisional-note').waitFor();
		expect(await detail.breakdownValue('GU Hohenecker Straße')).toBe('123');
	});

	it('the councillor does not see the unreleased value', async () => {
		const councillor = await phoneOf('rat');
		const detail = new KpiDetailPage(councillor);
		await detail.open(story.server.url, 'asyl.belegung');
		await detail.waitForValue();
		expect(await detail.breakdownValue('GU Hohenecker Straße')).not.toBe('123');
		expect(await councillor.getByTestId('provisional-note').count()).toBe(0);
	});

	it('the lead releases one entry and rejects the other with a reason, on her phone', async () => {
		const lead = await phoneOf('leitung');
		const list = new ReleaseListPage(lead);
		await list.open(story.server.url);
		await list.item('GU Hohenecker Straße').waitFor();
		expect(await list.item(/GU Hohenecker Straße.*123 von 240/).count()).toBe(1);
		expect(await axeViolations(lead)).toEqual([]);

		await list.release('GU Hohenecker Straße');
		await expect.poll(() => list.message().textContent()).toMatch(/^Freigegeben: GU Hohenecker/);

		await list
			.item('GU Pfaffgelände')
			.getByRole('button', { name: /^Ablehnen/ })
			.click();
		await list.item('GU Pfaffgelände').getByRole('button', { name: 'Ablehnung senden' }).click();
		// No reason, no rejection: the message sits at the field.
		await lead.getByText('Bitte begründen Sie die Ablehnung').waitFor();
		expect(await axeViolations(lead)).toEqual([]);
		await list
			.item('GU Pfaffgelände')
			.getByLabel('Begründung der Ablehnung')
			.fill('17 Personen kann nicht stimmen, gestern waren es 160.');
		await list.item('GU Pfaffgelände').getByRole('button', { name: 'Ablehnung senden' }).click();
		await expect.poll(() => list.message().textContent()).toMatch(/^Abgelehnt: GU Pfaffgelände/);
		await expect.poll(() => list.item('GU').count()).toBe(0);

		expect(
			story.server.query(`SELECT state, reviewed_by AS reviewer FROM form_entries ORDER BY state`)
		).toEqual([
			{ state: 'rejected', reviewer: 'u-leitung' },
			{ state: 'released', reviewer: 'u-leitung' }
		]);
	});

	it('the councillor now sees the released value, and not the rejected one', async () => {
		const councillor = await phoneOf('rat');
		const detail = new KpiDetailPage(councillor);
		await detail.open(story.server.url, 'asyl.belegung');
		await detail.waitForValue();
		await expect
			.poll(() => detail.breakdownValue('GU Hohenecker Straße'), { timeout: 10_000 })
			.toBe('123');
		expect(await detail.breakdownValue('GU Pfaffgelände')).not.toBe('17');
	});

	it('the editor sees "freigegeben" and "abgelehnt" with the reason, corrects it, and the history shows both versions', async () => {
		const { page, server } = story;
		await page.getByRole('button', { name: 'Jetzt synchronisieren' }).click();
		const mine = new MyEntriesPage(page);
		await mine.open(server.url);
		await expect.poll(() => mine.stateOf('GU Hohenecker Straße')).toBe('freigegeben');
		await expect.poll(() => mine.stateOf('GU Pfaffgelände')).toBe('abgelehnt');
		expect(await mine.entry('GU Pfaffgelände').textContent()).toMatch(
			/Grund: 17 Personen kann nicht stimmen/
		);
		expect(await axeViolations(page)).toEqual([]);

		await mine.filter('Freigegeben');
		expect(await mine.states()).toEqual(['freigegeben']);
		await mine.filter('Zu erledigen (Entwurf, abgelehnt)');
		expect(await mine.states()).toEqual(['abgelehnt']);

		await mine.entry('GU Pfaffgelände').getByRole('link', { name: 'Korrigieren' }).click();
		await page.getByText('Sie korrigieren einen Eintrag').waitFor();
		expect(await page.getByLabel('Belegte Plätze').inputValue()).toBe('17');
		await page.getByLabel('Belegte Plätze').fill('171');
		await page.getByRole('button', { name: 'Speichern und senden' }).click();
		await expect
			.poll(() => page.getByTestId('entry-confirmation').textContent())
			.toMatch(/^Korrektur gespeichert: GU Pfaffgelände/);

		await mine.open(server.url);
		await expect.poll(() => mine.stateOf('GU Pfaffgelände'), { timeout: 15_000 }).toBe('gesendet');
		await mine.entry('GU Pfaffgelände').getByRole('link', { name: 'Verlauf' }).click();
		const versions = page.getByTestId('version');
		await expect.poll(() => versions.count()).toBe(2);
		expect(await versions.first().textContent()).toMatch(/Fassung 2.*gesendet/s);
		expect(await versions.first().textContent()).toMatch(/17\s*→\s*, neu 171|171/);
		expect(await versions.last().textContent()).toMatch(/Fassung 1.*abgelehnt.*Begründung/s);
		expect(await axeViolations(page)).toEqual([]);
		expect(
			server.query(`SELECT version, state FROM form_entries WHERE record_id IN (
				SELECT record_id FROM form_entries WHERE state = 'rejected') ORDER BY version`)
		).toEqual([
			{ version: 1, state: 'rejected' },
			{ version: 2, state: 'pending' }
		]);
	});
});
