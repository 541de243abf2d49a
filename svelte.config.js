import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// KLAR_BUILD_DIR lets the update test build a second version beside the first.
		adapter: adapter({ out: process.env.KLAR_BUILD_DIR || 'build' }),
		// Registered through workbox-window (src/lib/sync/service-worker-registration.ts) so that
		// the app can show the "Neue Version verfügbar" prompt.
		serviceWorker: { register: false },
		// Absolute asset paths: the service worker answers every route with the one shell
		// cached under "/", and relative paths in it would break on deep links like /kpi/x.
		paths: { relative: false },
		alias: {
			$server: 'server'
		}
	}
};

export default config;
