import { db } from '$lib/sync/client';
import { type DeviceSession } from '$lib/sync/db';
import { userMessageOf } from '$lib/sync/trpc-transport';
import { readDeviceSession } from '$lib/sync/session';

export type PageAccess = 'checking' | 'allowed' | 'denied';

/**
 * A client-side helper (not a SvelteKit server load): what every page that reads from the
 * server online (admin pages, data quality) has in common:
 * whether the person on this device may use it, a first load when the page opens online, a
 * second try when the network comes back, and the loading flag with a German error. The
 * server decides again on every request; this only spares a refused person the round trip.
 */
export class OnlineResource {
	access = $state<PageAccess>('checking');
	/** The person on this device, known before the first load starts. */
	session = $state<DeviceSession | null>(null);
	loading = $state(false);
	loadError = $state('');

	/**
	 * @param permitted the rule from `$lib/shared/permissions` the page needs
	 * @param fetch loads the page's data and stores it in the page
	 * @param loaded whether the page's data is there
	 */
	constructor(
		private readonly permitted: (session: DeviceSession) => boolean,
		private readonly fetch: () => Promise<void>,
		private readonly loaded: () => boolean
	) {}

	/**
	 * Decides access from the device's session and loads when online. Without a session it does
	 * nothing: the layout sends the person to the login.
	 */
	async open(): Promise<void> {
		const session = await readDeviceSession(db);
		if (!session) return;
		this.session = session;
		this.access = this.permitted(session) ? 'allowed' : 'denied';
		if (this.access === 'allowed' && navigator.onLine) await this.load();
	}

	/** Runs one request with the loading flag; a failure becomes the German `loadError`. */
	async run(task: () => Promise<void>): Promise<void> {
		this.loading = true;
		this.loadError = '';
		try {
			await task();
		} catch (error) {
			this.loadError = userMessageOf(error);
		} finally {
			this.loading = false;
		}
	}

	/** The page's load; a second call while one runs is dropped. */
	load = async (): Promise<void> => {
		if (this.loading) return;
		await this.run(this.fetch);
	};

	/** For `<svelte:window ononline>`: loads what could not be loaded offline. */
	wentOnline = (): void => {
		if (this.access === 'allowed' && !this.loaded()) void this.load();
	};
}
