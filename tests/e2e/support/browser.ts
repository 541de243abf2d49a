import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * A phone-sized Chromium with a fresh profile (its own IndexedDB and service worker), or with
 * the given profile folder, which then outlives the browser (to start the same phone again).
 */
export async function launchPhone(options: { profile?: string } = {}): Promise<{
	context: BrowserContext;
	page: Page;
	close: () => Promise<void>;
}> {
	const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'klar-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		],
		viewport: { width: 360, height: 740 },
		locale: 'de-DE',
		timezoneId: 'Europe/Berlin',
		serviceWorkers: 'allow'
	});
	const page = context.pages()[0] ?? (await context.newPage());
	page.on('pageerror', (error) => console.error('[browser error]', error.message));
	if (process.env.DEBUG_BROWSER)
		page.on('console', (m) => console.log('[browser]', m.type(), m.text()));
	return {
		context,
		page,
		close: async () => {
			await context.close();
			if (!options.profile) rmSync(profile, { recursive: true, force: true });
		}
	};
}

/** Waits until the service worker controls the page's scope and has precached the shell. */
export async function waitForServiceWorker(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
	});
}

/** Counts the records of one IndexedDB table of the app, straight from the browser. */
export async function countIndexedDb(page: Page, table: string): Promise<number> {
	return page.evaluate(
		(name) =>
			new Promise<number>((resolve, reject) => {
				const open = indexedDB.open('klar');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains(name)) {
						db.close();
						resolve(0);
						return;
					}
					const request = db.transaction(name).objectStore(name).count();
					request.onsuccess = () => {
						db.close();
						resolve(request.result);
					};
					request.onerror = () => reject(request.error);
				};
			}),
		table
	);
}
