import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { AppServer } from './support/server';
import { launchPhone } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { MyEntriesPage } from './pages/entry-pages';
import { beforeAll, afterAll } from 'vitest';

/**
 * Every form, filled in with the keyboard alone: Tab from field to field, typing, arrow keys in
 * the pickers, Space for the checkbox, Enter to send. Each form is also checked with axe-core,
 * empty, with its German error messages showing, and filled in.
 */
let server: AppServer;
let phone: Awaited<ReturnType<typeof launchPhone>> | null = null;

beforeAll(async () => {
	server = await AppServer.startSeeded();
}, 180_000);
afterAll(async () => {
	await server?.dispose();
});
afterEach(async () => {
	await phone?.close();
	phone = null;
});

async function openFormAs(username: string, slug: string): Promise<Page> {
	phone = await launchPhone();
	const { page } = phone;
	await page.goto(`${server.url}/login`);
	await new LoginPage(page).logIn(username);
	await new HomePage(page).waitForTiles();
	await page.goto(`${server.url}/erfassen/${slug}`);
	await page.getByTestId('entry-form').waitFor();
	return page;
}

const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Presses Tab until the field has the focus; fails if it is not reachable in 40 steps. */
async function tabTo(page: Page, id: string) {
	for (let i = 0; i < 40; i++) {
		if ((await focusedId(page)) === id) return;
		await page.keyboard.press('Tab');
	}
	throw new Error(`#${id} cannot be reached with the Tab key`);
}

/** Waits until a select has its options from the synced reference lists. */
async function waitForOptions(page: Page, id: string) {
	await page.waitForFunction(
		(selectId) =>
			((document.getElementById(selectId) as HTMLSelectElement | null)?.options.length ?? 0) > 1,
		id
	);
}

/**
 * Date fields take their digits in the order of the browser's language (day first in German,
 * month first in English): found out once with a scratch field, then typed accordingly.
 */
let dayFirst: boolean | null = null;
async function typeDate(page: Page, id: string, iso: string) {
	if (dayFirst === null) {
		await page.evaluate(() => {
			const probe = document.createElement('input');
			probe.type = 'date';
			probe.id = 'probe-date';
			document.body.prepend(probe);
		});
		await page.focus('#probe-date');
		await page.keyboard.type('01022003');
		const value = await page.evaluate(
			() => (document.getElementById('probe-date') as HTMLInputElement).value
		);
		await page.evaluate(() => document.getElementById('probe-date')?.remove());
		dayFirst = value === '2003-02-01';
	}
	const [year, month, day] = iso.split('-');
	await type(page, id, dayFirst ? `${day}${month}${year}` : `${month}${day}${year}`);
}

async function type(page: Page, id: string, text: string) {
	await tabTo(page, id);
	await page.keyboard.type(text);
}

/** Picks an option by pressing ArrowDown until its label matches. */
async function choose(page: Page, id: string, label: RegExp) {
	await tabTo(page, id);
	for (let i = 0; i < 60; i++) {
		const current = await page.evaluate((selectId) => {
			const select = document.getElementById(selectId) as HTMLSelectElement;
			return select.selectedOptions[0]?.textContent ?? '';
		}, id);
		if (label.test(current)) return;
		await page.keyboard.press('ArrowDown');
	}
	throw new Error(`no option ${label} in #${id}`);
}

async function send(page: Page) {
	await tabTo(
		page,
		await page.evaluate(() => {
			const button = [...document.querySelectorAll('button[type=submit]')].find((b) =>
				b.textContent?.includes('Speichern und senden')
			) as HTMLButtonElement;
			button.id ||= 'senden';
			return button.id;
		})
	);
	await page.keyboard.press('Enter');
}

async function confirmation(page: Page) {
	await expect
		.poll(() => page.getByTestId('entry-confirmation').textContent(), { timeout: 10_000 })
		.toMatch(/^Gespeichert: /);
	return page.getByTestId('entry-confirmation').textContent();
}

async function noViolations(page: Page) {
	expect(await axeViolations(page)).toEqual([]);
}

/** Sends the empty form: each field says in German what is missing, and axe finds nothing. */
async function emptyFormShowsErrors(page: Page, expectedErrors: number) {
	await noViolations(page);
	await send(page);
	await expect
		.poll(() => page.locator('.field .error').count())
		.toBeGreaterThanOrEqual(expectedErrors);
	// The focus goes to the first field with a problem.
	expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe(
		'true'
	);
	await noViolations(page);
}

describe('Every form can be completed with the keyboard alone', () => {
	it('daily occupancy, including an over-capacity override with its reason', async () => {
		const page = await openFormAs('erfassung', 'belegung');
		await waitForOptions(page, 'facilityId');
		await emptyFormShowsErrors(page, 2);
		await choose(page, 'facilityId', /Wohnheim Kotten/);
		// The capacity comes from the reference list; more occupied than places needs the override.
		await expect.poll(() => page.locator('#capacity').inputValue()).toBe('96');
		await type(page, 'occupied', '99');
		await send(page);
		await page.getByText('Die Belegung übersteigt die Kapazität').waitFor();
		await tabTo(page, 'overCapacity');
		await page.keyboard.press('Space');
		await type(page, 'overCapacityReason', 'Drei Notbetten nach Wasserschaden im Nachbarhaus');
		await noViolations(page);
		await send(page);
		expect(await confirmation(page)).toMatch(/Wohnheim Kotten, .*: 99 von 96 Plätzen/);
		await expect
			.poll(() => server.query<{ payload: string }>('SELECT payload FROM form_entries'), {
				timeout: 10_000
			})
			.toHaveLength(1);
		const [stored] = server.query<{ payload: string }>('SELECT payload FROM form_entries');
		expect(JSON.parse(stored!.payload)).toMatchObject({
			facilityId: 'wh-kotten',
			occupied: 99,
			capacity: 96,
			overCapacity: true,
			overCapacityReason: 'Drei Notbetten nach Wasserschaden im Nachbarhaus'
		});
	});

	it('weekly arrivals', async () => {
		const page = await openFormAs('erfassung', 'zugaenge');
		await emptyFormShowsErrors(page, 3);
		// The week field takes the week number and the year as typed digits.
		await type(page, 'week', '462026');
		await choose(page, 'originGroup', /Syrien/);
		await type(page, 'persons', '14');
		await type(page, 'minors', '15');
		await send(page);
		await page.getByText('Es können nicht mehr Minderjährige').waitFor();
		await noViolations(page);
		await tabTo(page, 'minors');
		await page.keyboard.press('Control+A');
		await page.keyboard.type('5');
		await send(page);
		expect(await confirmation(page)).toMatch(/KW 46\/2026, Syrien: 14 Personen, davon 5/);
	});

	it('language-course offer', async () => {
		const page = await openFormAs('vhs', 'sprachkurs');
		await waitForOptions(page, 'providerId');
		await emptyFormShowsErrors(page, 5);
		await choose(page, 'providerId', /Volkshochschule/);
		await choose(page, 'courseType', /Integrationskurs/);
		await choose(page, 'level', /^B1$/);
		await type(page, 'places', '20');
		await type(page, 'taken', '18');
		await type(page, 'waitingList', '7');
		await typeDate(page, 'start', '2026-12-07');
		await choose(page, 'districtId', /Betzenberg/);
		await noViolations(page);
		await send(page);
		expect(await confirmation(page)).toMatch(
			/Volkshochschule: Integrationskurs B1 ab 07\.12\.2026, 18 von 20 Plätzen, 7 auf der Warteliste/
		);
	});

	it('street-light fault, still open, then listed as sent under Meine Einträge', async () => {
		const page = await openFormAs('licht', 'stoerung');
		await waitForOptions(page, 'districtId');
		await emptyFormShowsErrors(page, 3);
		await type(page, 'lightNumber', 'L-10423');
		await choose(page, 'districtId', /Erlenbach/);
		await choose(page, 'cause', /Kabelschaden/);
		await send(page);
		expect(await confirmation(page)).toMatch(/Leuchte L-10423 \(Erlenbach\), gemeldet .*: offen/);
		const mine = new MyEntriesPage(page);
		await mine.open(server.url);
		await expect.poll(() => mine.stateOf('L-10423'), { timeout: 15_000 }).toBe('gesendet');
	});

	it('value for a KPI, with a period picker that follows the KPI’s cadence', async () => {
		const page = await openFormAs('kaemmerei', 'wert');
		await waitForOptions(page, 'kpiId');
		await noViolations(page);
		await choose(page, 'kpiId', /Jahresergebnis/);
		// A monthly KPI: the period is picked from the recent months.
		await choose(page, 'period', /^Oktober 2026$/);
		await type(page, 'value', '-4.250.000');
		await noViolations(page);
		await send(page);
		expect(await confirmation(page)).toMatch(/Oktober 2026: -4\.250\.000/);
	});

	it('a draft stays on the phone over a reload and is sent from "Meine Einträge"', async () => {
		const page = await openFormAs('erfassung', 'zugaenge');
		await type(page, 'persons', '8');
		await expect
			.poll(() => page.getByTestId('draft-note').textContent())
			.toMatch(/Entwurf auf dem Gerät gesichert/);
		await page.reload();
		const mine = new MyEntriesPage(page);
		await mine.open(server.url);
		expect(await mine.stateOf('Noch unvollständig')).toBe('Entwurf');
		await noViolations(page);
		await mine.entry('Noch unvollständig').getByRole('link', { name: 'Weiter bearbeiten' }).click();
		await expect.poll(() => page.locator('#persons').inputValue()).toBe('8');
		await type(page, 'week', '452026');
		await choose(page, 'originGroup', /Ukraine/);
		await type(page, 'minors', '3');
		await send(page);
		expect(await confirmation(page)).toMatch(/KW 45\/2026, Ukraine: 8 Personen/);
		await mine.open(server.url);
		await expect.poll(() => mine.entry('Noch unvollständig').count()).toBe(0);
	});
});
