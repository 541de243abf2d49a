import type { Page } from 'playwright-core';

/** The logout button in the header and the dialog that asks about unsent entries. */
export class LogoutControls {
	constructor(private readonly page: Page) {}

	button() {
		return this.page.getByRole('banner').getByRole('button', { name: 'Abmelden' });
	}

	async logOut() {
		await this.button().click();
	}

	dialog() {
		return this.page.getByRole('dialog', { name: 'Noch nicht gesendet' });
	}

	cancel() {
		return this.dialog().getByRole('button', { name: 'Abbrechen' });
	}

	keep() {
		return this.dialog().getByRole('button', { name: 'Auf dem Gerät behalten und abmelden' });
	}

	discard() {
		return this.dialog().getByRole('button', { name: /^Verwerfen und abmelden/ });
	}

	/** The accessible name of the element that has focus. */
	focusedText(): Promise<string> {
		return this.page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
	}
}

/** The notice the login page shows after the session ended without a logout. */
export function sessionExpiredNotice(page: Page) {
	return page.getByTestId('session-expired');
}

export interface DeviceStorage {
	/** Rows per IndexedDB table of the app. */
	tables: Record<string, number>;
	/** Keys left in the sync state table. */
	stateKeys: string[];
	/** Cache Storage caches. */
	caches: string[];
}

/** Everything the app keeps on the phone, read straight from the browser's storage. */
export function deviceStorage(page: Page): Promise<DeviceStorage> {
	return page.evaluate(async () => {
		const db = await new Promise<IDBDatabase>((resolve, reject) => {
			const open = indexedDB.open('klar');
			open.onsuccess = () => resolve(open.result);
			open.onerror = () => reject(open.error);
		});
		const request = <T>(r: IDBRequest<T>) =>
			new Promise<T>((resolve, reject) => {
				r.onsuccess = () => resolve(r.result);
				r.onerror = () => reject(r.error);
			});
		try {
			const tables: Record<string, number> = {};
			for (const name of Array.from(db.objectStoreNames))
				tables[name] = await request(db.transaction(name).objectStore(name).count());
			const stateKeys = db.objectStoreNames.contains('syncState')
				? (await request(db.transaction('syncState').objectStore('syncState').getAllKeys())).map(
						String
					)
				: [];
			return { tables, stateKeys, caches: await caches.keys() };
		} finally {
			db.close();
		}
	});
}
