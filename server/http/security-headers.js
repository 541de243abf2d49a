// @ts-check
// Plain JavaScript: svelte.config.js (the page's CSP) and server/http/serve.js (every other
// response) run under node without a TypeScript step, and both must use the same policy.

/**
 * The Content Security Policy. The HTML shell gets it from SvelteKit (`kit.csp`, mode `hash`),
 * which adds the hash of its one inline bootstrap script to `script-src`; every other response
 * gets it from serve.js. The service worker script gets it too, and it governs the worker's
 * own fetches, hence `connect-src 'self'`. Styles allow inline because Svelte and chart.js set
 * style attributes; no script runs inline without its hash. Keywords are written bare, as
 * SvelteKit's `kit.csp.directives` takes them; the header quotes them.
 * @type {Record<string, Array<'self' | 'none' | 'unsafe-inline' | 'data:' | 'blob:'>>}
 */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	'style-src': ['self', 'unsafe-inline'],
	'img-src': ['self', 'data:', 'blob:'],
	'font-src': ['self'],
	'connect-src': ['self'],
	'worker-src': ['self'],
	'manifest-src': ['self'],
	'object-src': ['none'],
	'base-uri': ['none'],
	'frame-ancestors': ['none'],
	'form-action': ['self']
};

const KEYWORDS = new Set(['self', 'none', 'unsafe-inline']);

/** The policy as a header value. */
export function contentSecurityPolicy() {
	return Object.entries(CSP_DIRECTIVES)
		.map(
			([name, sources]) =>
				`${name} ${sources.map((s) => (KEYWORDS.has(s) ? `'${s}'` : s)).join(' ')}`
		)
		.join('; ');
}

/** Two years, the preload list's minimum; only ever sent over https. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * Headers every response carries. `https` is whether the app is reached over https (its
 * ORIGIN), also when a reverse proxy terminates TLS in front of node.
 * @param {{ https: boolean }} options
 * @returns {Record<string, string>}
 */
export function securityHeaders({ https }) {
	return {
		'Content-Security-Policy': contentSecurityPolicy(),
		'X-Content-Type-Options': 'nosniff',
		// Links out of KLAR (a department's e-mail, an open-data portal) must not carry the
		// path of an internal KPI page.
		'Referrer-Policy': 'no-referrer',
		'X-Frame-Options': 'DENY',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
		...(https ? { 'Strict-Transport-Security': HSTS } : {})
	};
}

/**
 * Whether the app is served over https, from the origin the server is told it has (`ORIGIN`,
 * as adapter-node reads it).
 * @param {string | undefined} origin
 */
export function servedOverHttps(origin) {
	return typeof origin === 'string' && origin.startsWith('https:');
}
