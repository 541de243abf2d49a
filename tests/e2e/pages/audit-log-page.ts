import type { Locator, Page } from 'playwright-core';

export interface AuditFilter {
	/** Labels as the selects show them: a person's name, an action in words, a kind of object. */
	person?: string;
	action?: string;
	entity?: string;
	entityId?: string;
	from?: string;
	to?: string;
}

/** /verwaltung/protokoll: filters and the audit records as cards, newest first. */
export class AuditLogPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung/protokoll`);
		await this.page.getByRole('heading', { name: 'Protokoll', level: 1 }).waitFor();
	}

	async waitForRecords() {
		await this.summary()
			.filter({ hasText: /angezeigt|Keine Einträge/ })
			.waitFor();
	}

	summary(): Locator {
		return this.page.getByTestId('audit-summary');
	}

	/** Sets the filters and waits for the server's answer. */
	async filter(filter: AuditFilter) {
		const form = this.page.getByRole('form', { name: 'Filter' });
		if (filter.person !== undefined)
			await form.getByLabel('Person').selectOption({ label: filter.person });
		if (filter.action !== undefined)
			await form.getByLabel('Aktion').selectOption({ label: filter.action });
		if (filter.entity !== undefined)
			await form.getByLabel('Objektart').selectOption({ label: filter.entity });
		if (filter.entityId !== undefined) await form.getByLabel('Objekt-ID').fill(filter.entityId);
		if (filter.from !== undefined) await form.getByLabel('von', { exact: true }).fill(filter.from);
		if (filter.to !== undefined) await form.getByLabel('bis', { exact: true }).fill(filter.to);
		await Promise.all([
			this.page.waitForResponse((response) => response.url().includes('audit.list')),
			form.getByRole('button', { name: 'Anzeigen' }).click()
		]);
	}

	records(): Locator {
		return this.page.getByTestId('audit-records').getByRole('listitem');
	}

	/** The titles (actions in words) of the records shown. */
	async recordTitles(): Promise<string[]> {
		return this.records().getByRole('heading', { level: 3 }).allTextContents();
	}

	record(text: string): Locator {
		return this.records().filter({ hasText: text });
	}

	/** The change lines of a record as `label: old → new`, as a screen reader reads them. */
	async changes(record: Locator): Promise<string[]> {
		return record.locator('dl > div').evaluateAll((lines) =>
			lines.map((line) => {
				const text = (selector: string) =>
					(line.querySelector(selector)?.textContent ?? '').replace(/\s+/g, ' ').trim();
				return `${text('dt')}: ${text('dd')}`;
			})
		);
	}

	noPermission(): Locator {
		return this.page.getByText(/keine Berechtigung/);
	}
}
