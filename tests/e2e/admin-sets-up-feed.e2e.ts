import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { storyWithAppAndPhone } from './support/story';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { FeedDefinitionPage, FeedsPage } from './pages/feeds-page';

const FEED = 'melderegister-test';
const FEED_TITLE = 'Einwohnermelderegister, Monatsauszug (Testdefinition)';
const DEFINITION = readFileSync('tests/fixtures/feeds/melderegister.feed.json', 'utf8');
const CSV = {
	name: 'melderegister-2026-11.csv',
	content: readFileSync('tests/fixtures/feeds/melderegister-2026-11.csv')
};

async function fitsThePhone(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		await page.evaluate(() => window.innerWidth)
	);
}

/**
 * A data officer of the central controlling sets up the resident register's monthly extract in
 * the browser: writes the definition, checks it against a sample (a typo first), saves it,
 * imports the month, corrects the definition, takes a mistaken run back and finally deletes the
 * feed — on a phone, without a shell.
 */
describe('Central controlling sets up a feed in the browser, without a shell', () => {
	const story = storyWithAppAndPhone();

	it('writes a definition: a typo is named in German, a preview shows the values (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('admin');
		await new HomePage(page).waitForTiles();
		const feeds = new FeedsPage(page);
		await feeds.open(server.url);
		await page.getByRole('link', { name: 'Neue Lieferung einrichten' }).click();
		const editor = new FeedDefinitionPage(page);
		await editor.waitForEditor();
		// The screen starts from a template of the fields every definition has.
		expect(JSON.parse(await editor.definitionText())).toMatchObject({ source: { format: 'csv' } });
		expect(await editor.saveButton().isDisabled()).toBe(true);

		await editor.writeDefinition(
			DEFINITION.replace('"cadence": "monthly",', '"cadence": "monatlich"')
		);
		await editor.chooseSample(CSV);
		await editor.preview();
		expect(await editor.problems().allTextContents()).toEqual([
			expect.stringMatching(/^Zeile \d+, Spalte \d+: Die Definition ist kein gültiges JSON\.$/)
		]);
		expect(await editor.saveButton().isDisabled()).toBe(true);
		expect(await axeViolations(page)).toEqual([]);

		await editor.writeDefinition(DEFINITION);
		await editor.preview();
		const values = await editor.previewValues();
		expect(values[0]).toEqual([
			'4',
			'Einwohnerinnen und Einwohner November 2026 · Ortsbezirk: innenstadt-ost',
			'6.512'
		]);
		expect(values.at(-1)?.[2]).toBe('fehlt – ein gespeicherter Wert würde entfernt');
		// The demo's own register already writes these KPIs: a warning, not a refusal.
		expect(await editor.overlaps().textContent()).toContain('Einwohnermelderegister');
		expect(await editor.saveButton().isDisabled()).toBe(false);
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('saves it as version 1, and imports the month through the upload form', async () => {
		const { page, server } = story;
		const editor = new FeedDefinitionPage(page);
		await editor.saveButton().click();
		await page.waitForURL(`${server.url}/verwaltung/lieferungen/${FEED}?angelegt=1`);
		await expect.poll(() => editor.state()).toMatch(/noch keine Lieferung · Fassung 1$/);
		expect(await editor.versions().count()).toBe(1);

		const feeds = new FeedsPage(page);
		await feeds.open(server.url);
		await feeds.waitForFeeds();
		await feeds.upload(FEED_TITLE, CSV, 'import');
		expect(await feeds.reportHeadline()).toBe('✓ Import erfolgreich');
		// The demo's register delivered November already: the extract changes five values and
		// withdraws one ("-").
		expect(await feeds.reportCounts()).toMatchObject({
			'Werte neu': '0',
			'Werte geändert': '5',
			'Werte entfernt': '1'
		});
	});

	it('corrects the definition: a new version, the old one still readable (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/verwaltung/lieferungen/${FEED}`);
		const editor = new FeedDefinitionPage(page);
		await editor.waitForEditor();
		await expect.poll(() => editor.definitionText()).toContain('"graceDays": 10');
		await editor.writeDefinition(
			(await editor.definitionText()).replace('"graceDays": 10', '"graceDays": 12')
		);
		// Without a new preview the change cannot be saved.
		expect(await editor.saveButton().isDisabled()).toBe(true);
		await editor.chooseSample(CSV);
		await editor.preview();
		await editor.saveButton().click();
		await expect.poll(() => editor.toast().textContent()).toMatch(/Fassung 2/);
		await expect.poll(() => editor.versions().count()).toBe(2);
		await editor
			.versions()
			.nth(1)
			.getByText(/^Fassung 1/)
			.click();
		expect(await editor.versions().nth(1).locator('pre').textContent()).toContain(
			'"graceDays": 10'
		);
		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('takes the mistaken run back after asking: the values are as before it (no axe violations)', async () => {
		const { page, server } = story;
		const feeds = new FeedsPage(page);
		await feeds.open(server.url);
		await feeds.waitForFeeds();
		await feeds.openRuns(FEED);
		const run = feeds.runs(FEED).first();
		await run.getByRole('button', { name: /Lauf zurücknehmen/ }).click();
		expect(await axeViolations(page)).toEqual([]);
		await run.getByRole('button', { name: 'Ja, zurücknehmen' }).click();
		await expect
			.poll(() => page.getByTestId('take-back-outcome').first().textContent())
			.toBe('Lauf zurückgenommen: 0 Werte entfernt, 6 auf den Stand vor dem Lauf zurückgesetzt.');
		await expect.poll(() => feeds.runs(FEED).first().getByTestId('run-taken-back').count()).toBe(1);
		expect(await feeds.health(FEED)).toBe('– noch keine Lieferung');
		await fitsThePhone(page);
	});

	it('deletes the feed, which no longer has values that stand', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/verwaltung/lieferungen/${FEED}`);
		const editor = new FeedDefinitionPage(page);
		await editor.waitForEditor();
		const confirmation = page.getByLabel(/Zur Bestätigung die Kennung abtippen/);
		await confirmation.fill('melderegister');
		await page.getByRole('button', { name: 'Lieferung endgültig löschen' }).click();
		await expect
			.poll(() => page.getByRole('alert').first().textContent())
			.toMatch(/genau abtippen/);
		await confirmation.fill(FEED);
		await page.getByRole('button', { name: 'Lieferung endgültig löschen' }).click();
		await page.waitForURL(`${server.url}/verwaltung/lieferungen?geloescht=1`);
		const feeds = new FeedsPage(page);
		await feeds.waitForFeeds();
		expect(await feeds.feedIds()).not.toContain(FEED);
		expect(await page.getByTestId('feeds-notice').textContent()).toBe(
			'Die Lieferung wurde gelöscht.'
		);
	});
});
