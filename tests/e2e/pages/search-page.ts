import type { Page } from 'playwright-core';

export class SearchPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/suche`);
		await this.page.getByLabel('Suchbegriff').waitFor();
	}

	async search(query: string) {
		await this.page.getByLabel('Suchbegriff').fill(query);
	}

	async resultIds(): Promise<string[]> {
		return this.page
			.getByTestId('search-results')
			.locator('li')
			.evaluateAll((items) => items.map((i) => i.getAttribute('data-kpi') ?? ''));
	}
}
