// @ts-check
// Starts the built app (adapter-node's handler) behind a plain node http server that puts the
// security headers on every response. adapter-node serves the built assets, the service worker
// and static files itself, outside SvelteKit's hooks; wrapping its handler is the one place
// that reaches all of them. SvelteKit's own headers (the page's CSP with its script hash)
// replace these defaults where it sets them.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { securityHeaders, servedOverHttps } from './security-headers.js';

const buildDir = resolve(process.env.KLAR_BUILD_DIR || 'build');
/** @type {{ handler: import('node:http').RequestListener & ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void) }} */
const { handler } = await import(pathToFileURL(resolve(buildDir, 'handler.js')).href);

const headers = securityHeaders({ https: servedOverHttps(process.env.ORIGIN) });
const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);

const server = createServer((req, res) => {
	for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
	// API answers hold a person's figures: no browser or proxy cache may keep them (after a
	// logout the HTTP cache would still hold an executive's pull).
	if (req.url?.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
	keepCachedPolicyOn304(res);
	handler(req, res, () => {
		res.statusCode = 404;
		res.setHeader('Content-Type', 'text/plain; charset=utf-8');
		res.end('Nicht gefunden');
	});
});

/**
 * A 304 carries no Content-Security-Policy: the browser merges a 304's headers into the response
 * it cached, and the default policy set above lacks the script hash SvelteKit puts on the HTML
 * shell, so a revalidated shell would block its own bootstrap script and stay blank. Without
 * the header the cached response keeps the policy it came with, whatever kind it was.
 * @param {import('node:http').ServerResponse} res
 */
function keepCachedPolicyOn304(res) {
	const writeHead = res.writeHead;
	/** @type {typeof res.writeHead} */
	const patched = function (/** @type {number} */ status, /** @type {any[]} */ ...rest) {
		if (status === 304) res.removeHeader('Content-Security-Policy');
		return writeHead.call(res, status, ...rest);
	};
	res.writeHead = patched;
}

server.listen(port, host, () => console.log(`KLAR listening on http://${host}:${port}`));

function shutdown() {
	server.close(() => process.exit(0));
	// Idle keep-alive connections would hold close() open.
	server.closeIdleConnections();
	setTimeout(() => process.exit(0), 5000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
