import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** The open-data portal's list (/offene-daten): search and the datasets, no login. */
export class OpenDataListPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/offene-daten`);
		await this.waitForDatasets();
	}

	async waitForDatasets() {
		await this.page.getByTestId('datasets').waitFor();
	}

	async search(query: string) {
		await this.page.getByLabel('Datensätze durchsuchen').fill(query);
	}

	async datasetIds(): Promise<string[]> {
		return this.page
			.getByTestId('datasets')
			.locator('li[data-dataset]')
			.evaluateAll((items) => items.map((i) => i.getAttribute('data-dataset') ?? ''));
	}

	count() {
		return this.page.getByTestId('dataset-count');
	}

	async openDataset(title: string) {
		await this.page.getByRole('link', { name: title, exact: true }).click();
	}
}

/** One dataset's page (/offene-daten/datensatz/<id>). */
export class OpenDatasetPage {
	constructor(private readonly page: Page) {}

	async waitForValue() {
		await this.page.getByTestId('dataset-value').waitFor();
	}

	value() {
		return this.page.getByTestId('dataset-value');
	}

	heading() {
		return this.page.getByRole('heading', { level: 1 });
	}

	/** Clicks the CSV download and returns the file as the browser saved it. */
	async downloadCsv(): Promise<{ name: string; text: string }> {
		const [download] = await Promise.all([
			this.page.waitForEvent('download'),
			this.page.getByTestId('download-csv').click()
		]);
		const path = await download.path();
		return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
	}
}
