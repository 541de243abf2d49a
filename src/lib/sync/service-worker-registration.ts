import type { StorageState } from './db';
import { Workbox } from 'workbox-window';

/**
 * Registers the service worker. When a new build is waiting, `onUpdateAvailable` gets a function
 * that activates it; the page reloads once the new worker has taken control, so an update never
 * hangs in "waiting".
 */
export function registerServiceWorker(options: {
	dev: boolean;
	onUpdateAvailable: (activate: () => void) => void;
}): Workbox | null {
	if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
	const wb = new Workbox('/service-worker.js', { type: options.dev ? 'module' : 'classic' });
	wb.addEventListener('waiting', () => {
		options.onUpdateAvailable(() => {
			wb.addEventListener('controlling', () => window.location.reload());
			wb.messageSkipWaiting();
		});
	});
	void wb.register();
	return wb;
}

/**
 * Asks the browser not to evict our IndexedDB under storage pressure (Safari, for one, clears
 * the storage of sites not used for seven days unless it is persistent), and reports usage.
 */
export async function requestPersistentStorage(): Promise<StorageState> {
	if (typeof navigator === 'undefined' || !navigator.storage?.persist) {
		return { persisted: false, usageBytes: null, quotaBytes: null };
	}
	const persisted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
	const estimate = await navigator.storage.estimate?.().catch(() => undefined);
	return { persisted, usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}
