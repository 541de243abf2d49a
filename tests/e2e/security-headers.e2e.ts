import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppServer } from './support/server';
import { launchPhone } from './support/browser';
import { LoginPage, DEMO_PASSWORD } from './pages/login-page';

/**
 * Every kind of response the built server gives carries the security headers: the HTML shell,
 * a deep link, hashed assets, the service worker, static files, a 404, tRPC answers and
 * refusals. Mutations need the same origin and a non-simple body, and GET changes nothing.
 */

const COMMON = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'x-frame-options': 'DENY'
};

function cspOf(response: Response): Map<string, string[]> {
	const header = response.headers.get('content-security-policy') ?? '';
	return new Map(
		header
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0])
			.map(([name, ...sources]) => [name!, sources])
	);
}

function expectSecurityHeaders(response: Response, what: string) {
	for (const [name, value] of Object.entries(COMMON)) {
		expect(response.headers.get(name), `${what}: ${name}`).toBe(value);
	}
	const csp = cspOf(response);
	expect(csp.get('object-src'), `${what}: object-src`).toEqual(["'none'"]);
	expect(csp.get('base-uri'), `${what}: base-uri`).toEqual(["'none'"]);
	expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
	const scripts = csp.get('script-src') ?? [];
	expect(scripts, `${what}: script-src`).toContain("'self'");
	expect(scripts, `${what}: no inline script without a hash`).not.toContain("'unsafe-inline'");
	expect(scripts).not.toContain("'unsafe-eval'");
}

describe('over plain http (a laptop demo)', () => {
	let server: AppServer;
	beforeAll(async () => {
		server = await AppServer.startSeeded();
	}, 120_000);
	afterAll(() => server?.dispose());

	const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
	const post = (path: string, body: string, headers: Record<string, string>) =>
		fetch(`${server.url}${path}`, { method: 'POST', body, headers });

	test('the shell allows its one inline script by hash, and every other response has the same headers', async () => {
		const shell = await get('/');
		expect(shell.status).toBe(200);
		expectSecurityHeaders(shell, 'shell');
		const html = await shell.text();
		const hashes = (cspOf(shell).get('script-src') ?? []).filter((s) => s.startsWith("'sha256-"));
		expect(hashes.length).toBeGreaterThan(0);
		expect(html).toMatch(/<script>/);
		expect(shell.headers.get('strict-transport-security')).toBeNull();

		const asset = /"(\/_app\/immutable\/[^"]+\.js)"/.exec(html)?.[1];
		expect(asset).toBeDefined();
		const responses: [string, Response][] = [
			['deep link', await get('/kpi/asyl.belegung')],
			['hashed asset', await get(asset!)],
			['service worker', await get('/service-worker.js')],
			['manifest', await get('/manifest.webmanifest')],
			['static icon', await get('/icons/icon-192.png')],
			['unknown path', await get('/gibt-es-nicht/wirklich-nicht.txt')],
			['tRPC query', await get('/api/trpc/auth.me')],
			['tRPC refusal', await get('/api/trpc/feeds.list')]
		];
		for (const [what, response] of responses) expectSecurityHeaders(response, what);
		expect(responses.find(([w]) => w === 'tRPC refusal')![1].status).toBe(401);
	});

	test('a mutation from another origin is refused in German and English, and changes nothing', async () => {
		const response = await post(
			'/api/trpc/auth.login',
			JSON.stringify({ username: 'rat', password: DEMO_PASSWORD }),
			{ 'content-type': 'application/json', origin: 'https://boese.example' }
		);
		expect(response.status).toBe(403);
		expectSecurityHeaders(response, 'cross-origin refusal');
		expect(await response.json()).toMatchObject({
			message: 'Die Anfrage kam nicht von dieser Seite.',
			developerMessage: expect.stringContaining('Cross-origin POST refused')
		});
		expect(response.headers.get('set-cookie')).toBeNull();
	});

	test('a simple (form or text) body is refused even from the same origin', async () => {
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
			const response = await post('/api/trpc/auth.login', '{}', {
				'content-type': type,
				origin: server.url
			});
			expect([403, 415], type).toContain(response.status);
		}
	});

	test('nothing changes state on GET: logout over GET is refused and the session lives on', async () => {
		const login = await post(
			'/api/trpc/auth.login',
			JSON.stringify({ username: 'rat', password: DEMO_PASSWORD }),
			{ 'content-type': 'application/json', origin: server.url }
		);
		expect(login.status).toBe(200);
		const cookie = login.headers.get('set-cookie')!;
		expect(cookie).toMatch(
			/^klar_session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict$/
		);
		const session = cookie.split(';')[0]!;
		const logout = await get('/api/trpc/auth.logout', { headers: { cookie: session } });
		expect(logout.status).toBe(405);
		const me = await get('/api/trpc/auth.me', { headers: { cookie: session } });
		expect((await me.json()).result.data).toMatchObject({ username: 'rat' });
	});

	test('a JSON mutation above 2 MiB is refused before it is read', async () => {
		const response = await post('/api/trpc/auth.login', 'x'.repeat(2 * 1024 * 1024 + 1), {
			'content-type': 'application/json',
			origin: server.url
		});
		expect(response.status).toBe(413);
		expectSecurityHeaders(response, 'too large');
	});

	test('in Chromium, no screen trips the Content Security Policy', async () => {
		const phone = await launchPhone();
		const violations: string[] = [];
		phone.page.on('console', (m) => {
			if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
		});
		try {
			await new LoginPage(phone.page).open(server.url);
			await new LoginPage(phone.page).logIn('admin');
			await phone.page.getByRole('heading', { name: 'Lagebild' }).waitFor();
			for (const path of [
				'/bereich/asyl',
				'/kpi/asyl.belegung',
				'/kpi/ges.inzidenz_7t',
				'/suche',
				'/verwaltung/lieferungen',
				'/datenqualitaet'
			]) {
				await phone.page.goto(`${server.url}${path}`);
				await phone.page.locator('h1').first().waitFor();
				await phone.page.waitForTimeout(300);
			}
		} finally {
			await phone.close();
		}
		expect(violations).toEqual([]);
	}, 120_000);
});

describe('over https (TLS ends at the city’s reverse proxy)', () => {
	let server: AppServer;
	beforeAll(async () => {
		server = await AppServer.startSeeded({ httpsOrigin: true });
	}, 120_000);
	afterAll(() => server?.dispose());

	test('HSTS on every response, and the session cookie is __Host- and Secure', async () => {
		for (const path of ['/', '/service-worker.js', '/api/trpc/auth.me', '/nicht-da']) {
			const response = await fetch(`${server.url}${path}`);
			expect(response.headers.get('strict-transport-security'), path).toBe(
				'max-age=63072000; includeSubDomains'
			);
			expectSecurityHeaders(response, path);
		}
		const login = await fetch(`${server.url}/api/trpc/auth.login`, {
			method: 'POST',
			body: JSON.stringify({ username: 'spitze', password: DEMO_PASSWORD }),
			headers: { 'content-type': 'application/json', origin: server.origin! }
		});
		expect(login.status).toBe(200);
		expect(login.headers.get('set-cookie')).toMatch(
			/^__Host-klar_session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Strict; Secure$/
		);
	});
});
