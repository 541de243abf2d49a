import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './server/http/security-headers.js';

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
		// The shell's policy, with the hash of SvelteKit's inline bootstrap script added to
		// script-src; the same policy as every other response (server/http/serve.js).
		csp: { mode: 'hash', directives: CSP_DIRECTIVES }
	}
};

export default config;
