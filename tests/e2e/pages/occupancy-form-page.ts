import type { Page } from 'playwright-core';

export class OccupancyFormPage {
	constructor(private readonly page: Page) {}

	async open(baseUrl: string) {
		await this.page.goto(`${baseUrl}/erfassen/belegung`);
		await this.page.getByTestId('entry-form').waitFor();
	}

	/** Waits until the facilities reference list has arrived on the device. */
	async waitForFacilities() {
		await this.page.waitForFunction(
			() =>
				((document.querySelector('#facilityId') as HTMLSelectElement | null)?.options.length ?? 0) >
				1
		);
	}

	async enter(entry: { facilityId: string; date: string; occupied: number; capacity?: number }) {
		await this.page.getByLabel('Einrichtung').selectOption(entry.facilityId);
		await this.page.getByLabel('Stichtag').fill(entry.date);
		await this.page.getByLabel(/Belegte Plätze/).fill(String(entry.occupied));
		if (entry.capacity !== undefined)
			await this.page.getByLabel(/Kapazität/).fill(String(entry.capacity));
		await this.page.getByRole('button', { name: 'Speichern und senden' }).click();
		// Saved (the confirmation names the entry) or refused with messages at the fields: either
		// way the form is ready for the next entry.
		await this.page.waitForFunction(
			(occupied) =>
				document
					.querySelector('[data-testid=entry-confirmation]')
					?.textContent?.includes(`: ${occupied} von`) ||
				document.querySelector('.field .error') !== null,
			entry.occupied
		);
	}

	states() {
		return this.page.getByTestId('entry-state').allTextContents();
	}

	confirmation() {
		return this.page.getByTestId('entry-confirmation');
	}
}
