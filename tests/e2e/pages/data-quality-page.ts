import type { Locator, Page } from 'playwright-core';

/** /datenqualitaet: overdue KPIs by owner, the feeds' health, rejected rows per week. */
export class DataQualityPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/datenqualitaet`);
		await this.page.getByRole('heading', { name: 'Datenqualität', level: 1 }).waitFor();
	}

	async waitForOverview() {
		await this.page.getByTestId('quality-today').waitFor();
	}

	/** "… gemessen am Tag des Servers: 22.11.2026." */
	async today(): Promise<string> {
		return squash(await this.page.getByTestId('quality-today').textContent());
	}

	async overdueSummary(): Promise<string> {
		return squash(await this.page.getByTestId('overdue-summary').textContent());
	}

	owners(): Locator {
		return this.page.getByTestId('overdue-owner');
	}

	owner(department: string): Locator {
		return this.owners().filter({
			has: this.page.getByRole('heading', { name: department, exact: true })
		});
	}

	async overdueKpiIds(): Promise<string[]> {
		return this.owners()
			.locator('li[data-kpi]')
			.evaluateAll((items) => items.map((item) => item.getAttribute('data-kpi') ?? ''));
	}

	overdueKpi(kpiId: string): Locator {
		return this.owners().locator(`li[data-kpi="${kpiId}"]`);
	}

	feed(feedId: string): Locator {
		return this.page.getByTestId('feed-health-list').locator(`li[data-feed="${feedId}"]`);
	}

	async feedIds(): Promise<string[]> {
		return this.page
			.getByTestId('feed-health-list')
			.locator('li[data-feed]')
			.evaluateAll((items) => items.map((item) => item.getAttribute('data-feed') ?? ''));
	}

	async feedHealth(feedId: string): Promise<string> {
		return squash(await this.feed(feedId).getByTestId('feed-health').textContent());
	}

	/** Opens the table behind the weekly chart and returns its rows [KW, Läufe, fehlgeschlagen, abgelehnt]. */
	async rejectedTable(): Promise<string[][]> {
		await this.page.getByText('Tabelle: Läufe und abgelehnte Zeilen je Woche').click();
		return this.page
			.getByTestId('rejected-table')
			.locator('tbody tr')
			.evaluateAll((rows) =>
				rows.map((row) =>
					[...row.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')
				)
			);
	}

	noPermission(): Locator {
		return this.page.getByText(/keine Berechtigung/);
	}
}

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
