import type { Page } from 'playwright-core';

/** `/verwaltung/kennzahlen`: the catalogue's areas and KPIs. */
export class CataloguePage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung/kennzahlen`);
		await this.page.getByTestId('catalogue-count').waitFor();
	}

	async createArea(area: { id: string; title: string; description?: string }) {
		const areas = this.page.locator('details.areas');
		if ((await areas.getAttribute('open')) === null) await areas.locator('summary').click();
		await this.page.getByRole('button', { name: 'Neuer Bereich' }).click();
		const form = this.page.getByRole('form', { name: 'Neuer Bereich' });
		await form.getByLabel('Kennung').fill(area.id);
		await form.getByLabel('Titel').fill(area.title);
		if (area.description) await form.getByLabel('Beschreibung').fill(area.description);
		await form.getByRole('button', { name: 'Speichern' }).click();
		await this.saved().filter({ hasText: 'angelegt' }).waitFor();
	}

	saved() {
		return this.page.getByTestId('catalogue-saved');
	}

	row(kpiId: string) {
		return this.page.locator(`li[data-kpi="${kpiId}"]`);
	}
}

/** `/verwaltung/kennzahlen/neu` and `/verwaltung/kennzahlen/<id>`: one KPI's definition. */
export class KpiDefinitionPage {
	constructor(private readonly page: Page) {}

	async openNew(baseUrl: string, areaId?: string) {
		await this.page.goto(
			`${baseUrl}/verwaltung/kennzahlen/neu${areaId ? `?bereich=${areaId}` : ''}`
		);
		await this.page.getByLabel('Kennung').waitFor();
	}

	async open(baseUrl: string, kpiId: string) {
		await this.page.goto(`${baseUrl}/verwaltung/kennzahlen/${kpiId}`);
		await this.page.getByTestId('kpi-state').waitFor();
	}

	/** The field with this label, marked "(optional)" or not. */
	field(label: string) {
		const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return this.page.getByLabel(new RegExp(`^${escaped}( ?\\(optional\\))?$`));
	}

	async fill(fields: Record<string, string>) {
		for (const [label, value] of Object.entries(fields)) await this.field(label).fill(value);
	}

	async choose(fields: Record<string, string>) {
		for (const [label, option] of Object.entries(fields)) {
			await this.field(label).selectOption({ label: option });
		}
	}

	/** The message beside a field (its `aria-describedby` error). */
	async errorOf(label: string): Promise<string | null> {
		const id = await this.field(label).getAttribute('id');
		const error = this.page.locator(`[id="${id}-error"]`);
		return (await error.count()) ? error.textContent() : null;
	}

	async create() {
		await this.page.getByRole('button', { name: 'Kennzahl anlegen' }).click();
	}

	async save() {
		await this.page.getByRole('button', { name: 'Änderungen speichern' }).click();
		await this.saved().filter({ hasText: 'gespeichert' }).waitFor();
	}

	saved() {
		return this.page.getByTestId('kpi-saved');
	}
}
