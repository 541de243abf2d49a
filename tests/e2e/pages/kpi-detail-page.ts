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
}
