import type { Locator, Page } from 'playwright-core';

export interface UploadFile {
	name: string;
	content: string | Buffer;
}

/** /verwaltung/lieferungen: the feeds as cards with their runs, and the upload form. */
export class FeedsPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/verwaltung/lieferungen`);
		await this.page.getByRole('heading', { name: 'Datenlieferungen', level: 1 }).waitFor();
	}

	async waitForFeeds() {
		await this.page.getByTestId('feed-list').waitFor();
	}

	cards(): Locator {
		return this.page.getByTestId('feed-list').locator('article[data-feed]');
	}

	card(feedId: string): Locator {
		return this.page.locator(`article[data-feed="${feedId}"]`);
	}

	async feedIds(): Promise<string[]> {
		return this.cards().evaluateAll((cards) => cards.map((c) => c.getAttribute('data-feed') ?? ''));
	}

	/** The health of a feed as read: symbol and words, e.g. "✓ in Ordnung". */
	async health(feedId: string): Promise<string> {
		return squash(await this.card(feedId).getByTestId('feed-health').textContent());
	}

	async lastSuccess(feedId: string): Promise<string> {
		return squash(await this.card(feedId).getByTestId('feed-last-success').textContent());
	}

	/** Opens the feed's runs and waits until they are there. */
	async openRuns(feedId: string) {
		const card = this.card(feedId);
		const details = card.locator('details.runs');
		if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
			await card.getByText('Läufe', { exact: true }).click();
		}
		await this.runs(feedId).first().waitFor();
	}

	runs(feedId: string): Locator {
		return this.card(feedId).getByTestId('feed-run');
	}

	async openDefinition(feedId: string): Promise<string> {
		const card = this.card(feedId);
		await card.getByText('Definition', { exact: true }).click();
		const definition = card.getByTestId('feed-definition');
		await definition.waitFor();
		return (await definition.textContent()) ?? '';
	}

	/** Picks the feed and the file, presses "Nur prüfen" or "Importieren", waits for the answer. */
	async upload(feedTitle: string, file: UploadFile, mode: 'validate' | 'import') {
		const form = this.form();
		await form.getByLabel('Datenlieferung').selectOption({ label: feedTitle });
		await form.getByLabel('Datei', { exact: true }).setInputFiles({
			name: file.name,
			mimeType: 'application/octet-stream',
			buffer: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content
		});
		const button = mode === 'import' ? 'Importieren' : 'Nur prüfen';
		await Promise.all([
			this.page.waitForResponse((response) => response.url().includes('/api/feeds/upload')),
			form.getByRole('button', { name: button }).click()
		]);
	}

	form(): Locator {
		return this.page.getByRole('form', { name: 'Datei hochladen' });
	}

	report(): Locator {
		return this.page.getByTestId('run-report');
	}

	async reportHeadline(): Promise<string> {
		return squash(await this.report().getByTestId('report-headline').textContent());
	}

	async reportSummary(): Promise<string> {
		return squash(await this.report().getByTestId('report-summary').textContent());
	}

	/** The report's counts as label → number, as the definition list pairs them. */
	async reportCounts(): Promise<Record<string, string>> {
		const pairs = await this.report()
			.getByTestId('report-counts')
			.locator('div')
			.evaluateAll((lines) =>
				lines.map((line) => [
					line.querySelector('dt')?.textContent?.trim() ?? '',
					line.querySelector('dd')?.textContent?.trim() ?? ''
				])
			);
		return Object.fromEntries(pairs);
	}

	/** The error table's rows as [Zeile, Spalte, Fehler]. */
	async reportErrors(): Promise<string[][]> {
		const table = this.report().getByTestId('report-errors');
		if ((await table.count()) === 0) return [];
		return table
			.locator('tbody tr')
			.evaluateAll((rows) =>
				rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))
			);
	}

	uploadError(): Locator {
		return this.page.getByTestId('upload-error');
	}

	noPermission(): Locator {
		return this.page.getByText(/keine Berechtigung/);
	}
}

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

/** /verwaltung/lieferungen/<id> and …/neu: a feed's definition with its preview and versions. */
export class FeedDefinitionPage {
	constructor(private readonly page: Page) {}

	async waitForEditor() {
		await this.page.getByLabel('Definition (JSON)').waitFor();
	}

	async writeDefinition(json: string) {
		await this.page.getByLabel('Definition (JSON)').fill(json);
	}

	async definitionText(): Promise<string> {
		return this.page.getByLabel('Definition (JSON)').inputValue();
	}

	async chooseSample(file: UploadFile) {
		await this.page.getByLabel('Beispieldatei').setInputFiles({
			name: file.name,
			mimeType: 'application/octet-stream',
			buffer: typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content
		});
	}

	/** Presses "Vorschau" and waits for the server's answer. */
	async preview() {
		await Promise.all([
			this.page.waitForResponse((response) => response.url().includes('feeds.preview')),
			this.page.getByRole('button', { name: 'Vorschau' }).click()
		]);
	}

	saveButton(): Locator {
		return this.page.getByRole('button', { name: /Lieferung anlegen|Als neue Fassung speichern/ });
	}

	problems(): Locator {
		return this.page.getByTestId('definition-problems').locator('li');
	}

	overlaps(): Locator {
		return this.page.getByTestId('feed-overlaps');
	}

	/** The preview's values as rows of [Zeile, "Kennzahl Zeitraum · Gliederung", Wert]. */
	async previewValues(): Promise<string[][]> {
		return this.page
			.getByTestId('preview-values')
			.locator('tbody tr')
			.evaluateAll((rows) =>
				rows.map((row) =>
					[...row.querySelectorAll('td')].map(
						(td) => td.textContent?.replace(/\s+/g, ' ').trim() ?? ''
					)
				)
			);
	}

	async state(): Promise<string> {
		return squash(await this.page.getByTestId('feed-state').textContent());
	}

	versions(): Locator {
		return this.page.getByTestId('feed-versions').locator('li');
	}

	toast(): Locator {
		return this.page.getByTestId('feed-saved');
	}
}
