import type { Locator, Page } from 'playwright-core';

export type ListTitle = 'Stadtteile' | 'Einrichtungen' | 'Kursträger';

const NEW_FORM_TITLES: Record<ListTitle, string> = {
	Stadtteile: 'Neuer Stadtteil',
	Einrichtungen: 'Neue Einrichtung',
	Kursträger: 'Neuer Kursträger'
};

export interface ReferenceFields {
	name?: string;
	/** The district as the picker shows it, e.g. `Kaiserslautern-West`. */
	district?: string;
	capacity?: string | number;
	active?: boolean;
}

/** /verwaltung/listen: one section per reference list, each entry editable in place. */
export class AdminListsPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung/listen`);
		await this.waitForLists();
	}

	async waitForLists() {
		await this.section('Stadtteile')
			.getByRole('button', { name: /^Bearbeiten: / })
			.first()
			.waitFor();
	}

	section(list: ListTitle): Locator {
		return this.page.getByRole('region', { name: list, exact: true });
	}

	item(list: ListTitle, name: string): Locator {
		return this.section(list).getByRole('listitem').filter({ hasText: name });
	}

	/** Opens the "Neu anlegen" form of the list and returns it. */
	async startNew(list: ListTitle): Promise<Locator> {
		await this.section(list)
			.getByRole('button', { name: /^Neu anlegen/ })
			.click();
		const form = this.form(NEW_FORM_TITLES[list]);
		await form.waitFor();
		return form;
	}

	/** Opens the inline edit form of an entry and returns it. */
	async startEdit(list: ListTitle, name: string): Promise<Locator> {
		await this.section(list)
			.getByRole('button', { name: `Bearbeiten: ${name}`, exact: true })
			.click();
		const form = this.form(`„${name}“ bearbeiten`);
		await form.waitFor();
		return form;
	}

	form(title: string): Locator {
		return this.page.getByRole('form', { name: title, exact: true });
	}

	async fill(form: Locator, fields: ReferenceFields) {
		if (fields.name !== undefined) await form.getByLabel('Name', { exact: true }).fill(fields.name);
		if (fields.district !== undefined)
			await form.getByLabel('Stadtteil', { exact: true }).selectOption({ label: fields.district });
		if (fields.capacity !== undefined)
			await form.getByLabel('Kapazität (Plätze)').fill(String(fields.capacity));
		if (fields.active !== undefined)
			await form.getByLabel('Aktiv', { exact: true }).setChecked(fields.active);
	}

	async save(form: Locator) {
		await form.getByRole('button', { name: 'Speichern' }).click();
	}

	/** The message of a field, as its input names it through aria-describedby. */
	async fieldError(form: Locator, label: string): Promise<string | null> {
		const input = form.getByLabel(label, { exact: true });
		if ((await input.getAttribute('aria-invalid')) !== 'true') return null;
		const ids = (await input.getAttribute('aria-describedby')) ?? '';
		const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
		return errorId ? this.page.locator(`[id="${errorId}"]`).textContent() : null;
	}

	/** The "Gespeichert: …" line announced after a save. */
	status(): Locator {
		return this.page.getByTestId('saved-status');
	}
}
