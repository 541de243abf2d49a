import type { Locator, Page } from 'playwright-core';

/** "Meine Einträge": the author's drafts and entries with their states. */
export class MyEntriesPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/eintraege`);
		await this.page.getByRole('heading', { name: 'Meine Einträge' }).waitFor();
	}

	/** The card of the entry whose summary contains `text`. */
	entry(text: string | RegExp): Locator {
		return this.page.getByTestId('entry-list').getByRole('listitem').filter({ hasText: text });
	}

	stateOf(text: string | RegExp) {
		return this.entry(text).getByTestId('entry-state').textContent();
	}

	async filter(status: string, form = 'Alle Formulare') {
		await this.page.getByLabel('Status').selectOption({ label: status });
		await this.page.getByLabel('Formular').selectOption({ label: form });
	}

	states() {
		return this.page.getByTestId('entry-list').getByTestId('entry-state').allTextContents();
	}
}

/** A lead's list of entries waiting for release. */
export class ReleaseListPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/freigaben`);
		await this.page.getByRole('heading', { name: 'Freigaben' }).waitFor();
	}

	item(text: string | RegExp): Locator {
		return this.page.getByTestId('release-list').getByRole('listitem').filter({ hasText: text });
	}

	async release(text: string | RegExp) {
		await this.item(text)
			.getByRole('button', { name: /^Freigeben/ })
			.click();
	}

	async reject(text: string | RegExp, reason: string) {
		const item = this.item(text);
		await item.getByRole('button', { name: /^Ablehnen/ }).click();
		await item.getByLabel('Begründung der Ablehnung').fill(reason);
		await item.getByRole('button', { name: 'Ablehnung senden' }).click();
	}

	message() {
		return this.page.getByTestId('review-message');
	}
}
