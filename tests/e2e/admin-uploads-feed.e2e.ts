import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { subDays, subWeeks } from 'date-fns';
import { storyWithAppAndPhone } from './support/story';
import { cityDaysAgo } from './support/city-day';
import { launchPhone } from './support/browser';
import { axeViolations } from './support/axe';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { FeedsPage } from './pages/feeds-page';
import { DataQualityPage } from './pages/data-quality-page';
import { toIsoDate } from '#shared/periods';
import { openDatabase } from '#server/db/connection';
import { storedDefinition } from '#server/feeds/definitions';
import { runFeed } from '#server/feeds/runner';
import { fixedClock } from '#server/clock';

const HEALTH_FEED = 'gesundheitsamt-inzidenz';
const INCIDENCE_KPI = 'ges.inzidenz_7t';
/** A small limit, so that the page's own size check can be seen without a huge file. */
const UPLOAD_LIMIT = 64 * 1024;
const HEALTH_TITLE = 'Gesundheitsamt: Sieben-Tage-Inzidenz';
const DEMO_FEEDS = ['einwohnermelderegister', 'finanzbuchungen', HEALTH_FEED, 'schulstatistik'];
/** Overdue on purpose in the demo data, so that the data-quality page has something to say. */
const OVERDUE_KPIS = [
	'ges.abwasser_viruslast',
	'soz.wohngeld_haushalte',
	'inf.investprojekte_im_plan'
];

/** The health office's export as its software writes it: the days under "daten". */
function healthFile(days: { meldedatum: string; inzidenz_7t: number | string }[]): string {
	return `${JSON.stringify({ quelle: 'Gesundheitsamt (Test)', daten: days }, null, 2)}\n`;
}

const dayBefore = (n: number) => cityDaysAgo(n);

/** The department's runs from the command line, dated weeks back, on the running server's file. */
function importFromCommandLine(dbFile: string, dir: string, weeksAgo: number[]) {
	const db = openDatabase(dbFile);
	try {
		const definition = storedDefinition(db, HEALTH_FEED)!;
		for (const weeks of weeksAgo) {
			const when = subWeeks(new Date(), weeks);
			const path = join(dir, `warnmelder_kw-${weeks}.json`);
			writeFileSync(
				path,
				healthFile([{ meldedatum: toIsoDate(subDays(when, 1)), inzidenz_7t: 50 + weeks }])
			);
			const report = runFeed(
				db,
				definition,
				{ path },
				{ mode: 'import', origin: 'cli', userId: null, clock: fixedClock(when) }
			);
			if (report.status !== 'succeeded') throw new Error(report.summary);
		}
	} finally {
		db.$client.close();
	}
}

async function fitsThePhone(page: Page) {
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
		await page.evaluate(() => window.innerWidth)
	);
}

/**
 * Central controlling receives the health office's weekly export: it looks at the feeds and
 * their runs, lets a broken file be checked (nothing imported, the rows named), imports a
 * correct one and sees the run; the mayor's office reads what is late; a councillor does not.
 */
describe('Central controlling checks and imports a department delivery', () => {
	// Read by the server when the story starts it.
	process.env.KLAR_FEED_UPLOAD_LIMIT = String(UPLOAD_LIMIT);
	const story = storyWithAppAndPhone();
	const phones: { close: () => Promise<void> }[] = [];
	afterAll(async () => {
		delete process.env.KLAR_FEED_UPLOAD_LIMIT;
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

	it('the admin finds the demo feeds with their health and runs (no axe violations)', async () => {
		const { page, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('admin');
		await new HomePage(page).waitForTiles();
		await page.goto(`${server.url}/verwaltung`);
		await page.getByRole('link', { name: /Datenlieferungen/ }).click();
		const feeds = new FeedsPage(page);
		await feeds.waitForFeeds();

		expect([...(await feeds.feedIds())].sort()).toEqual([...DEMO_FEEDS].sort());
		// Every health is told by a symbol and words, not by colour.
		for (const id of DEMO_FEEDS) {
			expect(await feeds.health(id)).toMatch(
				/^(✓ in Ordnung|✕ letzte Lieferung fehlgeschlagen|⏰ überfällig.*|– noch keine Lieferung)$/
			);
		}
		expect(await feeds.health(HEALTH_FEED)).toBe('✓ in Ordnung');
		expect(await feeds.lastSuccess(HEALTH_FEED)).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
		const card = feeds.card(HEALTH_FEED);
		expect(await card.textContent()).toContain('Gesundheitsamt');
		expect(await card.textContent()).toContain('wöchentlich');
		expect(await card.textContent()).toContain('JSON');

		// Twelve weekly demo deliveries, one of them in the wrong encoding.
		await feeds.openRuns(HEALTH_FEED);
		const runs = feeds.runs(HEALTH_FEED);
		expect(await runs.count()).toBe(12);
		expect(await runs.first().textContent()).toContain('Demo');
		const failed = runs.filter({ hasText: '✕ fehlgeschlagen' });
		expect(await failed.count()).toBe(1);
		expect(await failed.textContent()).toMatch(/Zeile \d+/);
		expect(await runs.filter({ hasText: '2 Zeilen abgelehnt' }).count()).toBe(1);

		const definition = await feeds.openDefinition(HEALTH_FEED);
		expect(JSON.parse(definition)).toMatchObject({ id: HEALTH_FEED, cadence: 'weekly' });

		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('refuses a file above the upload limit before sending it', async () => {
		const { page } = story;
		const feeds = new FeedsPage(page);
		const sent: string[] = [];
		const watch = (request: { url: () => string }) => {
			if (request.url().includes('/api/feeds/upload')) sent.push(request.url());
		};
		page.on('request', watch);
		const form = feeds.form();
		await form.getByLabel('Datenlieferung').selectOption({ label: HEALTH_TITLE });
		await form.getByLabel('Datei', { exact: true }).setInputFiles({
			name: 'warnmelder_riesig.json',
			mimeType: 'application/json',
			buffer: Buffer.alloc(UPLOAD_LIMIT + 1, 32)
		});
		await form.getByRole('button', { name: 'Importieren' }).click();
		await form.getByText(/höchstens 64\sKB hochgeladen werden/).waitFor();
		expect(await form.getByLabel('Datei', { exact: true }).getAttribute('aria-invalid')).toBe(
			'true'
		);
		page.off('request', watch);
		expect(sent).toEqual([]);
	});

	it('checks a broken file: the rows are named by line and nothing is imported (no axe violations)', async () => {
		const { page, server } = story;
		const feeds = new FeedsPage(page);
		const runsBefore = await feeds.runs(HEALTH_FEED).count();
		const storedRuns = () =>
			server.query<{ n: number }>(
				'SELECT COUNT(*) AS n FROM feed_runs WHERE feed_id = ?',
				HEALTH_FEED
			)[0]!.n;
		const runsInDatabase = storedRuns();
		const valueOf = (day: string) =>
			server.query<{ value: number | null }>(
				'SELECT value FROM observations WHERE kpi_id = ? AND period = ?',
				INCIDENCE_KPI,
				day
			)[0]?.value;
		const before = valueOf(dayBefore(7));

		// The software wrote "k. A." on six days: more than the feed tolerates (five).
		const broken = healthFile([
			{ meldedatum: dayBefore(7), inzidenz_7t: 101.5 },
			...[6, 5, 4, 3, 2, 1].map((n) => ({ meldedatum: dayBefore(n), inzidenz_7t: 'k. A.' }))
		]);
		// Held on the way, so that the page's state while sending can be seen.
		let release: () => void = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		await page.route('**/api/feeds/upload**', async (route) => {
			await held;
			await route.continue();
		});
		const answered = feeds.upload(
			HEALTH_TITLE,
			{ name: 'warnmelder_kaputt.json', content: broken },
			'validate'
		);
		const form = feeds.form();
		await form.getByText('Wird geprüft …').waitFor();
		expect(await form.getByRole('button', { name: 'Nur prüfen' }).isDisabled()).toBe(true);
		expect(await form.getByRole('button', { name: 'Importieren' }).isDisabled()).toBe(true);
		release();
		await answered;
		await page.unroute('**/api/feeds/upload**');

		await expect
			.poll(() => feeds.reportHeadline())
			.toBe('✕ Prüfung mit Fehlern – nichts importiert');
		const errors = await feeds.reportErrors();
		expect(errors[0]).toEqual([
			'2',
			'inzidenz_7t',
			'„k. A.“ in Spalte „inzidenz_7t“ ist keine Zahl.'
		]);
		expect(errors.map((row) => row[0])).toEqual(['2', '3', '4', '5', '6', '7']);
		expect((await feeds.reportCounts())['abgelehnt']).toBe('6');
		expect(await feeds.reportSummary()).not.toBe('');
		expect(await form.getByRole('button', { name: 'Importieren' }).isDisabled()).toBe(false);
		// A check is not a run, and it wrote nothing.
		expect(await feeds.runs(HEALTH_FEED).count()).toBe(runsBefore);
		expect(storedRuns()).toBe(runsInDatabase);
		expect(valueOf(dayBefore(7))).toBe(before);

		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('imports a correct file, sees the counts, and the run is listed first (no axe violations)', async () => {
		const { page, server } = story;
		const feeds = new FeedsPage(page);
		const correct = healthFile([
			{ meldedatum: dayBefore(3), inzidenz_7t: 123.4 },
			{ meldedatum: dayBefore(2), inzidenz_7t: 131.9 },
			{ meldedatum: dayBefore(1), inzidenz_7t: 140.2 }
		]);
		await feeds.upload(
			HEALTH_TITLE,
			{ name: 'warnmelder_nachtrag.json', content: correct },
			'import'
		);

		await expect.poll(() => feeds.reportHeadline()).toBe('✓ Import erfolgreich');
		expect(await feeds.reportCounts()).toMatchObject({
			'Zeilen gelesen': '3',
			übernommen: '3',
			abgelehnt: '0'
		});
		expect(await feeds.reportErrors()).toEqual([]);

		await expect.poll(() => feeds.runs(HEALTH_FEED).count()).toBe(13);
		const newest = feeds.runs(HEALTH_FEED).first();
		expect(await newest.textContent()).toContain('warnmelder_nachtrag.json');
		expect(await newest.textContent()).toContain('Hochladen');
		expect(await newest.textContent()).toContain('✓ erfolgreich');
		expect(await feeds.health(HEALTH_FEED)).toBe('✓ in Ordnung');
		expect(
			server.query(
				'SELECT value FROM observations WHERE kpi_id = ? AND period = ?',
				INCIDENCE_KPI,
				dayBefore(1)
			)
		).toEqual([{ value: 140.2 }]);

		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('pages through older runs with "Ältere laden"', async () => {
		const { page, server } = story;
		importFromCommandLine(server.dbFile, server.dir, [14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
		const feeds = new FeedsPage(page);
		await feeds.open(server.url);
		await feeds.waitForFeeds();
		await feeds.openRuns(HEALTH_FEED);
		await expect.poll(() => feeds.runs(HEALTH_FEED).count()).toBe(20);
		await feeds.card(HEALTH_FEED).getByRole('button', { name: 'Ältere laden' }).click();
		await expect.poll(() => feeds.runs(HEALTH_FEED).count()).toBe(23);
		expect(
			await feeds.card(HEALTH_FEED).getByRole('button', { name: 'Ältere laden' }).count()
		).toBe(0);
		const oldest = await feeds.runs(HEALTH_FEED).last().textContent();
		expect(oldest).toContain('Kommandozeile');
		expect(oldest).toContain('warnmelder_kw-23.json');
		// Keyboard users continue where the older runs begin.
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
			'feed-run'
		);
	});

	it('the mayor reads the overdue KPIs by owner and the feeds (no axe violations)', async () => {
		const page = await phoneOf('spitze');
		await page.getByRole('link', { name: /Datenqualität/ }).click();
		const quality = new DataQualityPage(page);
		await quality.waitForOverview();

		expect(await quality.today()).toMatch(/\d{2}\.\d{2}\.\d{4}/);
		const overdue = await quality.overdueKpiIds();
		expect(overdue).toEqual(expect.arrayContaining(OVERDUE_KPIS));
		const wastewater = quality.overdueKpi('ges.abwasser_viruslast');
		expect(await wastewater.textContent()).toContain('Gesundheit');
		expect(await wastewater.textContent()).toMatch(/fällig seit \d{2}\.\d{2}\.\d{4}/);
		expect(await wastewater.textContent()).toMatch(/\d+ Tage? überfällig/);
		expect(await wastewater.getByRole('link').getAttribute('href')).toBe(
			'/kpi/ges.abwasser_viruslast'
		);
		expect(await quality.overdueSummary()).toMatch(
			/Kennzahlen? bei \d+ Verantwortlichen überfällig/
		);

		expect([...(await quality.feedIds())].sort()).toEqual([...DEMO_FEEDS].sort());
		expect(await quality.feedHealth(HEALTH_FEED)).toBe('✓ in Ordnung');
		// Executives read the feeds' health but do not administer them.
		expect(await page.getByRole('link', { name: /Zu den Datenlieferungen/ }).count()).toBe(0);

		const weeks = await quality.rejectedTable();
		expect(weeks).toHaveLength(12);
		expect(weeks.every((row) => /^\d{2}\/\d{4}$/.test(row[0]!))).toBe(true);
		// The demo's delivery five weeks ago left out two days.
		expect(weeks.some((row) => row[3] === '2')).toBe(true);

		expect(await axeViolations(page)).toEqual([]);
		await fitsThePhone(page);
	});

	it('a councillor gets a notice and no data', async () => {
		const page = await phoneOf('rat');
		expect(await page.getByRole('link', { name: /Datenqualität/ }).count()).toBe(0);
		const calls: string[] = [];
		page.on('request', (request) => {
			if (request.url().includes('/api/trpc/quality')) calls.push(request.url());
		});
		const quality = new DataQualityPage(page);
		await quality.open(story.server.url);
		await quality.noPermission().waitFor();
		expect(await quality.noPermission().textContent()).toContain(
			'Sie haben keine Berechtigung, die Datenqualität zu sehen.'
		);
		expect(await page.getByTestId('overdue-owners').count()).toBe(0);
		expect(await page.getByTestId('feed-health-list').count()).toBe(0);
		expect(calls).toEqual([]);
		expect(await axeViolations(page)).toEqual([]);
	});
});
