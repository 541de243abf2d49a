import type { Locator, Page } from 'playwright-core';

/** /barrierefreiheit: the accessibility statement. */
export class StatementPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/barrierefreiheit`);
		await this.waitForHeading();
	}

	async waitForHeading() {
		await this.page
			.getByRole('heading', { name: 'Erklärung zur Barrierefreiheit', level: 1 })
			.waitFor();
	}

	/** The section headings, in order. */
	async sections(): Promise<string[]> {
		return this.page.getByRole('heading', { level: 2 }).allTextContents();
	}

	cityContact(): Locator {
		return this.page.getByTestId('city-contact');
	}

	enforcementBody(): Locator {
		return this.page.getByTestId('enforcement-body');
	}

	async reportBarrier() {
		await this.page.getByRole('link', { name: 'Barriere melden' }).click();
		await new FeedbackFormPage(this.page).waitForForm();
	}
}

/** The footer link every page carries, also the login page. */
export async function followFooterLink(page: Page, name: string) {
	await page.getByRole('contentinfo').getByRole('link', { name }).click();
}

/** /barrierefreiheit/rueckmeldung: the feedback form and the messages of this device. */
export class FeedbackFormPage {
	constructor(private readonly page: Page) {}

	async waitForForm() {
		await this.page.getByRole('heading', { name: 'Barriere melden', level: 1 }).waitFor();
	}

	problem(): Locator {
		return this.page.getByLabel('Was ist das Problem?');
	}

	pageField(): Locator {
		return this.page.getByLabel('Auf welcher Seite?');
	}

	email(): Locator {
		return this.page.getByLabel('E-Mail-Adresse für eine Antwort');
	}

	async fill(values: { problem?: string; email?: string; name?: string }) {
		if (values.problem !== undefined) await this.problem().fill(values.problem);
		if (values.email !== undefined) await this.email().fill(values.email);
		if (values.name !== undefined) await this.page.getByLabel('Ihr Name').fill(values.name);
	}

	async send() {
		await this.page.getByRole('button', { name: 'Rückmeldung senden' }).click();
	}

	/** The German message shown beside a field (by the field's id). */
	error(field: 'text' | 'page' | 'email' | 'name'): Locator {
		return this.page.locator(`#feedback-${field}-error`);
	}

	status(): Locator {
		return this.page.getByTestId('feedback-status');
	}

	/** The messages this device keeps, newest first, with their state in words. */
	sentItems(): Locator {
		return this.page.getByTestId('feedback-list').getByRole('listitem');
	}
}

/** /leichte-sprache */
export class EasyLanguagePage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/leichte-sprache`);
		await this.page.getByRole('heading', { name: 'KLAR in Leichter Sprache', level: 1 }).waitFor();
	}

	async sections(): Promise<string[]> {
		return this.page.getByRole('heading', { level: 2 }).allTextContents();
	}
}

/** /verwaltung/rueckmeldungen: the admin's list of feedback. */
export class FeedbackAdminPage {
	constructor(private readonly page: Page) {}

	async openFromAdminIndex(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung`);
		await this.page.getByRole('link', { name: /Rückmeldungen zur Barrierefreiheit/ }).click();
		await this.waitForList();
	}

	async waitForList() {
		await this.page
			.getByRole('heading', { name: 'Rückmeldungen zur Barrierefreiheit', level: 1 })
			.waitFor();
		await this.page
			.getByTestId('feedback-summary')
			.filter({ hasText: /angezeigt|Keine Rückmeldungen/ })
			.waitFor();
	}

	items(): Locator {
		return this.page.getByTestId('feedback-item');
	}

	item(text: string): Locator {
		return this.items().filter({ hasText: text });
	}

	async setState(item: Locator, state: string, note: string) {
		await item.getByLabel('Zustand').selectOption({ label: state });
		await item.getByLabel('Bemerkung').fill(note);
		await Promise.all([
			this.page.waitForResponse((response) => response.url().includes('feedback.list')),
			item.getByRole('button', { name: 'Speichern' }).click()
		]);
	}

	saved(): Locator {
		return this.page.getByTestId('feedback-saved');
	}

	async filter(state: string) {
		await Promise.all([
			this.page.waitForResponse((response) => response.url().includes('feedback.list')),
			this.page.locator('#filter-zustand').selectOption({ label: state })
		]);
	}
}
