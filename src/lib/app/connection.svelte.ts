/**
 * Whether the browser has a network, for every screen that shows it or needs the server. One
 * pair of listeners for the whole app.
 */
class Connection {
	online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

	constructor() {
		if (typeof window === 'undefined') return;
		window.addEventListener('online', () => (this.online = true));
		window.addEventListener('offline', () => (this.online = false));
	}
}

export const connection = new Connection();
