import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export class KpiDetailPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string, kpiId: string) {
		await this.page.goto(`${baseUrl}/kpi/${kpiId}`);
	}

	async waitForValue() {
		await this.page.getByTestId('kpi-value').waitFor();
	}

	value() {
		return this.page.getByTestId('kpi-value');
	}

	chart() {
		return this.page.getByTestId('trend-chart');
	}

	async showSeriesTable() {
		await this.page.getByText(/Tabelle: Verlauf/).click();
		return this.page.getByTestId('series-table');
	}

	breakdownRow(label: string) {
		return this.page.getByTestId('breakdown-table').getByRole('row', { name: new RegExp(label) });
	}

	/** The value cell of a breakdown row (the unit stands in the column head). */
	breakdownValue(label: string) {
		return this.breakdownRow(label).locator('td').textContent();
	}

	/** Member keys of the breakdown table, top to bottom. */
	async breakdownOrder(): Promise<string[]> {
		return this.page
			.getByTestId('breakdown-table')
			.locator('tbody tr')
			.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-member') ?? ''));
	}

	async sortBreakdownBy(column: RegExp) {
		await this.page.getByTestId('breakdown-table').getByRole('button', { name: column }).click();
	}

	pinButton() {
		return this.page.getByTestId('pin-button');
	}

	/** Clicks a CSV download button and returns the file's bytes as the browser saved them. */
	async downloadCsv(label: RegExp): Promise<{ name: string; bytes: Buffer }> {
		const [download] = await Promise.all([
			this.page.waitForEvent('download'),
			this.page.getByRole('button', { name: label }).click()
		]);
		const path = await download.path();
		return { name: download.suggestedFilename(), bytes: readFileSync(path) };
	}
}

/** The history's range on a KPI's page ("Zeitraum": 1 Jahr, 5 Jahre, Alles). */
export class HistoryRangeControl {
	constructor(private readonly page: Page) {}

	async choose(label: '1 Jahr' | '5 Jahre' | 'Alles') {
		await this.page.getByRole('group', { name: 'Zeitraum' }).getByLabel(label).check();
	}

	note() {
		return this.page.getByTestId('history-note');
	}

	/** The note under the range, as read (white space of the markup squashed). */
	async noteText(): Promise<string> {
		return ((await this.note().textContent()) ?? '').replace(/\s+/g, ' ').trim();
	}

	async tableRows(): Promise<number> {
		const table = this.page.getByTestId('series-table');
		if (!(await table.isVisible())) await this.page.getByText(/Tabelle: Verlauf/).click();
		return table.locator('tbody tr').count();
	}
}
