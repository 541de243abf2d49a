import type { Locator, Page } from 'playwright-core';

export interface NewUserFields {
	username?: string;
	displayName?: string;
	/** The role as the picker shows it, e.g. `Sachbearbeitung`. */
	role?: string;
	/** Areas as the checkboxes name them, e.g. `Bildung`; only for roles with areas. */
	areas?: string[];
	password?: string;
}

/** /verwaltung/benutzer: the accounts as cards, a form for a new person, actions per account. */
export class UsersPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung/benutzer`);
		await this.waitForList();
	}

	async waitForList() {
		await this.page.getByRole('heading', { name: 'Benutzer und Rechte', level: 1 }).waitFor();
		await this.list().getByRole('listitem').first().waitFor();
	}

	list(): Locator {
		return this.page.getByTestId('user-list');
	}

	/** The card of an account, found by the name in its heading. */
	card(displayName: string): Locator {
		return this.list()
			.getByRole('listitem')
			.filter({
				has: this.page.getByRole('heading', { level: 3, name: displayName, exact: true })
			});
	}

	/** What a card says about the account, as its reader sees it. */
	async facts(card: Locator) {
		const text = async (id: string) =>
			((await card.getByTestId(id).textContent()) ?? '').replace(/\s+/g, ' ').trim();
		return {
			state: await text('account-state'),
			role: await text('user-role'),
			areas: await text('user-areas'),
			sessions: await text('user-sessions')
		};
	}

	async startNew(): Promise<Locator> {
		await this.page.getByRole('button', { name: 'Neue Person', exact: true }).click();
		const form = this.page.getByRole('form', { name: 'Neue Person', exact: true });
		await form.waitFor();
		return form;
	}

	async fillNew(form: Locator, fields: NewUserFields) {
		if (fields.username !== undefined)
			await form.getByLabel('Benutzername', { exact: true }).fill(fields.username);
		if (fields.displayName !== undefined)
			await form.getByLabel('Name', { exact: true }).fill(fields.displayName);
		if (fields.role !== undefined)
			await form.getByLabel('Rolle', { exact: true }).selectOption({ label: fields.role });
		if (fields.areas !== undefined) await this.tickAreas(form, fields.areas);
		if (fields.password !== undefined)
			await form.getByLabel('Erstes Passwort', { exact: true }).fill(fields.password);
	}

	async submitNew(form: Locator) {
		await form.getByRole('button', { name: 'Person anlegen' }).click();
	}

	/** Ticks exactly the given areas of a form. */
	async tickAreas(form: Locator, areas: string[]) {
		const boxes = form.getByRole('group', { name: 'Bereiche' }).getByRole('checkbox');
		for (const box of await boxes.all()) {
			const name = (await box.evaluate((el) => el.closest('label')?.textContent ?? '')).trim();
			await box.setChecked(areas.includes(name));
		}
	}

	/** The message of a field, as its input names it through aria-describedby. */
	async fieldError(form: Locator, label: string): Promise<string | null> {
		const input = form.getByLabel(label, { exact: true });
		if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
		const ids = (await input.getAttribute('aria-describedby')) ?? '';
		const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
		return errorId ? this.page.locator(`[id="${errorId}"]`).textContent() : null;
	}

	/** The label of the element that has the keyboard focus. */
	async focusedLabel(): Promise<string | null> {
		return this.page.evaluate(() => {
			const active = document.activeElement as HTMLElement | null;
			if (!active) return null;
			const label = active.id ? document.querySelector(`label[for="${active.id}"]`) : null;
			return (label?.textContent ?? active.textContent ?? '').trim();
		});
	}

	/** Opens the actions of an account and returns its card. */
	async manage(displayName: string): Promise<Locator> {
		const card = this.card(displayName);
		const button = card.getByRole('button', { name: `Verwalten: ${displayName}`, exact: true });
		await button.click();
		await card.getByRole('form', { name: 'Rolle und Bereiche' }).waitFor();
		return card;
	}

	async changeAccess(card: Locator, access: { role?: string; areas?: string[] }) {
		const form = card.getByRole('form', { name: 'Rolle und Bereiche' });
		if (access.role !== undefined)
			await form.getByLabel('Rolle', { exact: true }).selectOption({ label: access.role });
		if (access.areas !== undefined) await this.tickAreas(form, access.areas);
		await form.getByRole('button', { name: 'Rechte speichern' }).click();
	}

	async resetPassword(card: Locator, password: string) {
		const form = card.getByRole('form', { name: 'Passwort neu setzen' });
		await form.getByLabel('Neues Passwort', { exact: true }).fill(password);
		await form.getByRole('button', { name: 'Passwort setzen' }).click();
	}

	async endSessions(card: Locator) {
		await card.getByRole('button', { name: 'Alle Sitzungen beenden' }).click();
	}

	/** "Sperren …", then the confirmation. */
	async disable(card: Locator) {
		await card.getByRole('button', { name: 'Sperren …' }).click();
		await card.getByRole('button', { name: 'Ja, sperren' }).click();
	}

	/** The line announced after an action. */
	status(): Locator {
		return this.page.getByTestId('users-status');
	}

	noPermission(): Locator {
		return this.page.getByText(/keine Berechtigung/);
	}
}

/**
 * Waits until a phone whose session the server ended asks for a new login: either it is
 * sent to the login page, or it says the login expired and offers "Anmelden", which is taken.
 */
export async function waitForLoginRequired(page: Page): Promise<void> {
	const expired = page.getByRole('alert').filter({ hasText: 'Anmeldung ist abgelaufen' });
	await page.waitForFunction(
		() =>
			location.pathname === '/login' ||
			[...document.querySelectorAll('[role="alert"]')].some((el) =>
				el.textContent?.includes('Anmeldung ist abgelaufen')
			),
		undefined,
		{ timeout: 20_000 }
	);
	if (!new URL(page.url()).pathname.startsWith('/login')) {
		await expired.getByRole('link', { name: 'Anmelden' }).click();
	}
	await page.getByLabel('Benutzername').waitFor();
}
