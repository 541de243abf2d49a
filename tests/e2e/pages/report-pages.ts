import type { Page } from 'playwright-core';

/** `/bericht`: the author's reports on this device, and a new one. */
export class ReportListPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/bericht`);
		await this.page.getByRole('heading', { name: 'Sitzungsberichte', level: 1 }).waitFor();
	}

	async newReport() {
		await this.page.getByTestId('new-report').click();
		await this.page.getByRole('heading', { name: 'Bericht bearbeiten' }).waitFor();
	}

	reportLinks() {
		return this.page.getByTestId('report-list').getByRole('heading', { level: 3 });
	}
}

/** `/bericht/[id]`: title, meeting date, the KPIs in order with notes and page breaks. */
export class ReportEditorPage {
	constructor(private readonly page: Page) {}

	async waitForEditor() {
		await this.page.getByRole('heading', { name: 'Bericht bearbeiten' }).waitFor();
	}

	async setTitle(title: string) {
		await this.page.getByLabel('Titel', { exact: true }).fill(title);
	}

	async setMeetingDate(isoDate: string) {
		await this.page.getByLabel('Sitzungsdatum').fill(isoDate);
	}

	async addKpi(title: string) {
		await this.page.getByLabel('Einzelne Kennzahl').selectOption({ label: title });
		await this.page.getByRole('button', { name: 'Kennzahl hinzufügen' }).click();
		await this.item(title).waitFor();
	}

	async addArea(title: string) {
		await this.page.getByLabel('Ganzer Bereich').selectOption({ label: title });
		await this.page.getByRole('button', { name: 'Bereich hinzufügen' }).click();
	}

	item(title: string) {
		return this.page.getByTestId('report-items').locator('li', {
			has: this.page.getByRole('heading', { name: new RegExp(`^\\d+\\. ${escape(title)}$`) })
		});
	}

	/** KPI ids top to bottom. */
	async order(): Promise<string[]> {
		return this.page
			.getByTestId('report-items')
			.locator(':scope > li')
			.evaluateAll((items) => items.map((li) => li.getAttribute('data-kpi') ?? ''));
	}

	moveButton(title: string, direction: 'nach oben' | 'nach unten') {
		return this.page.getByRole('button', { name: `„${title}“ ${direction}` });
	}

	async setNote(title: string, note: string) {
		await this.item(title).getByLabel('Anmerkung (optional)').fill(note);
	}

	async startOnNewPage(title: string) {
		await this.item(title).getByLabel('Neue Seite vor diesem Block').check();
	}

	saveState() {
		return this.page.getByTestId('save-state');
	}

	async shareLink(): Promise<string> {
		await this.page.getByRole('button', { name: 'Link zum Teilen' }).click();
		return this.page.getByTestId('share-link').inputValue();
	}

	async openPrintView() {
		await this.page.getByTestId('open-print').click();
		await this.page.getByTestId('report-document').waitFor();
	}
}

/** The print view of a report (`/bericht/[id]/druck`) or of a shared link. */
export class ReportPrintPage {
	constructor(private readonly page: Page) {}

	async waitForDocument() {
		await this.page.getByTestId('report-document').waitFor();
	}

	blocks() {
		return this.page.getByTestId('report-block');
	}

	/** Per block: KPI id, heading, value, and the source line, as the screen shows them. */
	async blockTexts(): Promise<{ kpi: string; title: string; value: string; source: string }[]> {
		return this.blocks().evaluateAll((blocks) =>
			blocks.map((block) => ({
				kpi: block.getAttribute('data-kpi') ?? '',
				title: block.querySelector('h2')?.textContent?.trim() ?? '',
				value: block.querySelector('[data-testid="report-value"]')?.textContent?.trim() ?? '',
				source: block.querySelector('[data-testid="report-source"]')?.textContent?.trim() ?? ''
			}))
		);
	}

	withheldNote() {
		return this.page.getByTestId('report-withheld');
	}

	tableOfContents() {
		return this.page.getByTestId('report-toc');
	}
}

function escape(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
