import type { Page } from 'playwright-core';

export class HomePage {
	constructor(private readonly page: Page) {}

	async waitForTiles() {
		await this.page.getByRole('heading', { name: 'Lagebild' }).waitFor();
		await this.page.getByTestId('kpi-tile').first().waitFor();
	}

	tile(kpiId: string) {
		return this.page.locator(`[data-testid="kpi-tile"][data-kpi="${kpiId}"]`);
	}

	async tileIds(): Promise<string[]> {
		return this.page
			.getByTestId('kpi-tile')
			.evaluateAll((tiles) => tiles.map((t) => t.getAttribute('data-kpi') ?? ''));
	}

	offlineBadge() {
		return this.page.getByTestId('offline-badge');
	}

	lastSync() {
		return this.page.getByTestId('last-sync');
	}
}
