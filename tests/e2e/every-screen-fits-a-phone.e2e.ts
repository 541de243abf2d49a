import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { AppServer } from './support/server';
import { launchPhone } from './support/browser';
import { apiSessionOf } from './support/api';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';

/**
 * A city names things at length: an Ortsbezirk of 80 letters, a shelter with a long official
 * name. Every screen of every role stays within a 360 px phone, without sideways scrolling.
 */
const LONG_DISTRICT =
	'Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstaltsbezi';
const LONG_FACILITY = 'Gemeinschaftsunterkunft Erstaufnahmeeinrichtungsnebenstelle Nord';
const LONG_PROVIDER = 'Volkshochschulzweckverbandsbildungseinrichtungsträgergesellschaft';

let server: AppServer;
let kpiIds: string[];

beforeAll(async () => {
	server = await AppServer.startSeeded();
	const admin = await apiSessionOf(server, 'admin');
	await admin.mutate('reference.saveDistrict', {
		id: 'innenstadt-ost',
		name: LONG_DISTRICT,
		active: true
	});
	await admin.mutate('reference.saveFacility', {
		id: 'gu-hohenecker',
		name: LONG_FACILITY,
		districtId: 'innenstadt-ost',
		capacity: 240,
		active: true
	});
	await admin.mutate('reference.saveProvider', {
		id: 'vhs',
		name: LONG_PROVIDER,
		districtId: 'innenstadt-ost',
		active: true
	});
	expect(LONG_DISTRICT).toHaveLength(80);
	kpiIds = server
		.query<{ id: string }>('SELECT id FROM kpi_definitions ORDER BY id')
		.map((r) => r.id);
}, 180_000);
afterAll(() => server?.dispose());

async function widthOf(page: Page, path: string): Promise<number> {
	await page.goto(`${server.url}${path}`);
	await page.locator('h1').first().waitFor();
	// Lists fill from IndexedDB a moment after the heading.
	await page.waitForLoadState('networkidle');
	return page.evaluate(() => document.documentElement.scrollWidth);
}

async function tooWide(page: Page, paths: string[]): Promise<string[]> {
	const wide: string[] = [];
	for (const path of paths) {
		const width = await widthOf(page, path);
		if (width > 360) wide.push(`${path}: ${width} px`);
	}
	return wide;
}

async function phoneLoggedInAs(username: string) {
	const phone = await launchPhone();
	await new LoginPage(phone.page).open(server.url);
	await new LoginPage(phone.page).logIn(username);
	await new HomePage(phone.page).waitForTiles();
	return phone;
}

describe('every screen fits a 360 px phone, with long names', () => {
	test('the executive: Lagebild, every area, every KPI, search, data quality', async () => {
		const phone = await phoneLoggedInAs('spitze');
		try {
			const areas = server.query<{ id: string }>('SELECT id FROM areas').map((a) => a.id);
			const paths = [
				'/',
				...areas.map((a) => `/bereich/${a}`),
				...kpiIds.map((id) => `/kpi/${id}`),
				'/suche',
				'/datenqualitaet',
				'/bericht'
			];
			// The renamed district and shelter are on the screens being measured.
			await phone.page.goto(`${server.url}/kpi/asyl.belegung`);
			await phone.page.getByText(LONG_FACILITY).first().waitFor();
			expect(await tooWide(phone.page, paths)).toEqual([]);
		} finally {
			await phone.close();
		}
	}, 240_000);

	test('the admin: every admin page', async () => {
		const phone = await phoneLoggedInAs('admin');
		try {
			expect(
				await tooWide(phone.page, [
					'/verwaltung',
					'/verwaltung/listen',
					'/verwaltung/benutzer',
					'/verwaltung/protokoll',
					'/verwaltung/lieferungen',
					'/verwaltung/rueckmeldungen'
				])
			).toEqual([]);
		} finally {
			await phone.close();
		}
	}, 120_000);

	test('staff and leads: forms, my entries, the release list', async () => {
		for (const username of ['leitung', 'licht', 'vhs', 'kaemmerei']) {
			const phone = await phoneLoggedInAs(username);
			try {
				expect(
					await tooWide(phone.page, [
						'/erfassen',
						'/erfassen/belegung',
						'/erfassen/zugaenge',
						'/erfassen/stoerung',
						'/erfassen/sprachkurs',
						'/erfassen/wert',
						'/eintraege',
						'/freigaben'
					]),
					username
				).toEqual([]);
			} finally {
				await phone.close();
			}
		}
	}, 240_000);

	test('without login: the login page', async () => {
		const phone = await launchPhone();
		try {
			expect(await tooWide(phone.page, ['/login'])).toEqual([]);
		} finally {
			await phone.close();
		}
	});

	test('without login: the accessibility statement, the feedback form, Leichte Sprache', async () => {
		const phone = await launchPhone();
		try {
			expect(
				await tooWide(phone.page, [
					'/barrierefreiheit',
					'/barrierefreiheit/rueckmeldung',
					'/leichte-sprache'
				])
			).toEqual([]);
		} finally {
			await phone.close();
		}
	});
});
