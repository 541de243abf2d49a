import type { Page } from 'playwright-core';

export class AreaPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string, areaId: string) {
		await this.page.goto(`${baseUrl}/bereich/${areaId}`);
		await this.page.getByRole('heading', { level: 1 }).waitFor();
		await this.page.getByTestId('kpi-tile').first().waitFor();
	}

	async tileIds(): Promise<string[]> {
		return this.page
			.getByTestId('kpi-tile')
			.evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-kpi') ?? ''));
	}

	heading() {
		return this.page.getByRole('heading', { level: 1 });
	}

	tile(kpiId: string) {
		return this.page.locator(`[data-testid="kpi-tile"][data-kpi="${kpiId}"]`);
	}

	gauge() {
		return this.page.getByTestId('gauge');
	}

	projectionSentence() {
		return this.page.getByTestId('projection-sentence');
	}
}
