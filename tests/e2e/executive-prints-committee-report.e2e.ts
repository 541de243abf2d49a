import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storyWithAppAndPhone } from './support/story';
import { countIndexedDb, launchPhone, waitForServiceWorker } from './support/browser';
import { axeViolations } from './support/axe';
import { pdfPageTexts, squash } from './support/pdf-text';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { KpiDetailPage } from './pages/kpi-detail-page';
import { ReportEditorPage, ReportListPage, ReportPrintPage } from './pages/report-pages';

/** The page's width: more than the phone's 360 px means sideways scrolling. */
const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

const TITLE = 'Haupt- und Finanzausschuss – Lage Dezember';
const NOTE = 'Zugänge seit Oktober rückläufig; Landeszuweisung bleibt abzuwarten.';
/** The report's KPIs as the executive picks them; the councillor may not see `asyl.zugaenge`. */
const KPIS = {
	arrivals: { id: 'asyl.zugaenge', title: 'Zugänge pro Woche' },
	utilisation: { id: 'asyl.auslastung', title: 'Auslastung der Unterkünfte' },
	residents: { id: 'bev.einwohner', title: 'Einwohnerinnen und Einwohner' }
} as const;

describe('The mayor prints a committee report on the train', () => {
	const story = storyWithAppAndPhone();
	/** What the KPI pages show, to compare the report with. */
	const onScreen = new Map<string, string>();
	let shareUrl = '';
	let closeCouncillor: (() => Promise<void>) | undefined;
	afterAll(async () => closeCouncillor?.());

	it('logs in, syncs, goes offline and notes the values the KPI pages show', async () => {
		const { page, context, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('spitze');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);
		await context.setOffline(true);
		const detail = new KpiDetailPage(page);
		for (const kpi of Object.values(KPIS)) {
			await detail.open(server.url, kpi.id);
			await detail.waitForValue();
			onScreen.set(kpi.id, squash((await detail.value().textContent()) ?? ''));
		}
		expect(onScreen.get(KPIS.utilisation.id)).toMatch(/^\d+,\d %$/);
	});

	it('builds a report of three KPIs offline, in its own order, by keyboard', async () => {
		const { page, server } = story;
		const list = new ReportListPage(page);
		await list.open(server.url);
		await page.getByTestId('no-reports').waitFor();
		expect(await axeViolations(page)).toEqual([]);
		await list.newReport();

		const editor = new ReportEditorPage(page);
		await editor.setTitle(TITLE);
		await editor.setMeetingDate('2026-12-15');
		await editor.addKpi(KPIS.arrivals.title);
		await editor.addKpi(KPIS.residents.title);
		await editor.addKpi(KPIS.utilisation.title);
		expect(await editor.order()).toEqual([
			KPIS.arrivals.id,
			KPIS.residents.id,
			KPIS.utilisation.id
		]);

		// Utilisation up one place, with the keyboard; the focus stays on the moved KPI.
		await editor.moveButton(KPIS.utilisation.title, 'nach oben').focus();
		await page.keyboard.press('Enter');
		await expect
			.poll(() => editor.order())
			.toEqual([KPIS.arrivals.id, KPIS.utilisation.id, KPIS.residents.id]);
		expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
			`„${KPIS.utilisation.title}“ nach oben`
		);

		await editor.setNote(KPIS.arrivals.title, NOTE);
		await editor.startOnNewPage(KPIS.residents.title);
		await expect
			.poll(() => editor.saveState().textContent())
			.toMatch(/Auf diesem Gerät gespeichert/);
		// An empty title is refused beside the field; the stored report keeps the last good one.
		await editor.setTitle('');
		await page.getByText('Bitte einen Titel angeben.').waitFor();
		await editor.setTitle(TITLE);
		expect(await axeViolations(page)).toEqual([]);

		await page.reload();
		await editor.waitForEditor();
		expect(await editor.order()).toEqual([
			KPIS.arrivals.id,
			KPIS.utilisation.id,
			KPIS.residents.id
		]);
		expect(await page.getByLabel('Titel', { exact: true }).inputValue()).toBe(TITLE);
		expect(
			await editor.item(KPIS.arrivals.title).getByLabel('Anmerkung (optional)').inputValue()
		).toBe(NOTE);
		expect(
			await editor.item(KPIS.residents.title).getByLabel('Neue Seite vor diesem Block').isChecked()
		).toBe(true);
		expect(await countIndexedDb(page, 'reports')).toBe(1);
		expect(await pageWidth(page)).toBeLessThanOrEqual(360);
		shareUrl = await editor.shareLink();
		expect(new URL(shareUrl).pathname).toBe('/bericht/geteilt');
		expect(new URL(shareUrl).search).toBe('');
	});

	it('prints an A4 PDF: title page with contents, one whole block per KPI, values as on screen', async () => {
		const { page } = story;
		await new ReportEditorPage(page).openPrintView();
		const print = new ReportPrintPage(page);
		const blocks = await print.blockTexts();
		expect(blocks.map((b) => b.kpi)).toEqual([
			KPIS.arrivals.id,
			KPIS.utilisation.id,
			KPIS.residents.id
		]);
		for (const block of blocks) expect(squash(block.value)).toBe(onScreen.get(block.kpi));
		expect(await page.getByTestId('report-chart').count()).toBe(3);
		expect(await pageWidth(page)).toBeLessThanOrEqual(360);
		expect(await page.locator('[data-testid="report-block"] canvas').count()).toBe(0);
		expect(await axeViolations(page)).toEqual([]);

		const pdf = await page.pdf({
			format: 'A4',
			preferCSSPageSize: true,
			displayHeaderFooter: false
		});
		const pages = await pdfPageTexts(pdf);
		console.log(`[report] three-KPI report as PDF: ${pages.length} pages, ${pdf.byteLength} bytes`);

		// Page 1 is the title page: title, meeting, contents with the three titles, no block.
		const [first] = pages;
		expect(first).toContain(TITLE);
		expect(first).toContain('Sitzung am 15.12.2026');
		expect(first).toContain('Inhalt');
		for (const kpi of Object.values(KPIS)) expect(first).toContain(kpi.title);
		expect(first).not.toContain('Quelle:');
		expect(first).toMatch(/Seite 1 von \d/);
		expect(first).toMatch(/Stand \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);

		const pageOf = (text: string) => pages.findIndex((p, i) => i > 0 && p.includes(text));
		const starts: number[] = [];
		for (const [index, block] of blocks.entries()) {
			const heading = squash(block.title);
			const start = pageOf(heading);
			expect(start, `${heading} is printed after the title page`).toBeGreaterThan(0);
			// Its last line is on the same page, after the heading: the block is not cut.
			const rest = pages[start]!.slice(pages[start]!.indexOf(heading));
			expect(rest, `${heading} ends on its page`).toContain(squash(block.source));
			expect(rest).toContain(squash(block.value));
			if (index === 0) expect(rest).toContain(NOTE);
			starts.push(start);
		}
		// Two blocks share a page; the one marked "neue Seite vor diesem Block" starts the next,
		// with nothing of another block before it.
		expect(starts[1]).toBe(starts[0]);
		expect(starts[2]).toBe(starts[1]! + 1);
		const residents = pages[starts[2]!]!;
		expect(residents.slice(0, residents.indexOf(squash(blocks[2]!.title)))).not.toContain(
			'Quelle:'
		);
		expect(pages.at(-1)).toContain(`Seite ${pages.length} von ${pages.length}`);
	});

	it('a councillor opens the shared link: the internal KPI is left out, not named', async () => {
		const phone = await launchPhone();
		closeCouncillor = phone.close;
		const page = phone.page;
		// The link arrives in a mail on a phone nobody is logged in on: the login leads back to
		// the report, with the report still in the address.
		await page.goto(shareUrl);
		await page.waitForURL(/\/login\?weiter=/);
		await new LoginPage(page).logIn('rat');
		await page.waitForURL((url) => url.pathname === '/bericht/geteilt' && url.hash.length > 1);
		const print = new ReportPrintPage(page);
		await print.waitForDocument();
		expect((await print.blockTexts()).map((b) => b.kpi)).toEqual([
			KPIS.utilisation.id,
			KPIS.residents.id
		]);
		expect(await print.withheldNote().textContent()).toBe(
			'1 Kennzahl ist für Sie nicht freigegeben.'
		);
		const text = (await page.getByTestId('report-document').textContent()) ?? '';
		expect(text).toContain(TITLE);
		expect(text).not.toContain(KPIS.arrivals.title);
		expect(text).not.toContain(NOTE);
		// A councillor reads and prints; saving a report of one's own is for authors.
		expect(await page.getByTestId('save-shared').count()).toBe(0);
		expect(await axeViolations(page)).toEqual([]);

		// A link cut short in a mail is refused with a message.
		await page.goto(`${shareUrl.slice(0, -9)}`);
		await page.reload();
		expect(await page.getByTestId('share-error').textContent()).toMatch(/beschädigt/);
	});

	it('adds a KPI from its page to the report; a logout takes the report off the phone', async () => {
		const { page, server, context } = story;
		await context.setOffline(false);
		await new KpiDetailPage(page).open(server.url, 'inf.led_anteil');
		await page.getByTestId('add-to-report-link').click();
		await page.getByTestId('add-to-report').getByRole('button', { name: TITLE }).click();
		const editor = new ReportEditorPage(page);
		await editor.waitForEditor();
		await expect.poll(() => editor.order()).toHaveLength(4);

		await page.getByRole('button', { name: 'Abmelden' }).click();
		await page.waitForURL(/\/login/);
		expect(await countIndexedDb(page, 'reports')).toBe(0);
	});
});
