import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('what a penetration test found, against the built server', () => {
	let server: AppServer;
	const UPLOAD_LIMIT = 1024 * 1024;
	beforeAll(async () => {
		server = await AppServer.startSeeded({
			env: { KLAR_FEED_UPLOAD_LIMIT: String(UPLOAD_LIMIT) }
		});
	}, 120_000);
	afterAll(() => server?.dispose());

	const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
	const login = (username: string, password = DEMO_PASSWORD) =>
		fetch(`${server.url}/api/trpc/auth.login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({ username, password })
		});

	test('a revalidated shell (304) carries no policy that would block its own script', async () => {
		const first = await get('/');
		const etag = first.headers.get('etag');
		expect(etag).toBeTruthy();
		const hashes = (cspOf(first).get('script-src') ?? []).filter((s) => s.startsWith("'sha256-"));
		expect(hashes.length).toBeGreaterThan(0);
		for (const path of ['/', '/login', '/kpi/bev.einwohner']) {
			const tag = (await get(path)).headers.get('etag');
			const again = await get(path, { headers: { 'if-none-match': tag! } });
			expect(again.status, path).toBe(304);
			// Either no policy (the cached one stays) or one that allows the shell's script.
			const policy = again.headers.get('content-security-policy');
			if (policy) for (const hash of hashes) expect(policy, path).toContain(hash);
		}
		// A hashed asset may still revalidate: its policy needs no hash, and stays what it was.
		const asset = /"(\/_app\/immutable\/[^"]+\.js)"/.exec(await first.text())![1]!;
		const assetEtag = (await get(asset)).headers.get('etag');
		const assetAgain = await get(asset, { headers: { 'if-none-match': assetEtag! } });
		expect(assetAgain.status).toBe(304);
		expect(assetAgain.headers.get('content-security-policy')).toBeNull();
	});

	test('a second and a third visit right after the first show the login, not a blank page', async () => {
		const phone = await launchPhone();
		const blocked: string[] = [];
		phone.page.on('console', (m) => {
			if (/Content Security Policy|Refused to execute/i.test(m.text())) blocked.push(m.text());
		});
		try {
			await phone.page.goto(`${server.url}/login`);
			await phone.page.getByLabel('Benutzername').waitFor();
			// Before the service worker controls the page, the browser revalidates the shell.
			for (let i = 0; i < 2; i++) {
				await phone.page.goto(`${server.url}/login`);
				await phone.page.getByLabel('Benutzername').waitFor({ timeout: 10_000 });
			}
		} finally {
			await phone.close();
		}
		expect(blocked).toEqual([]);
	}, 60_000);

	test('no API answer may be cached: figures, refusals and open data alike', async () => {
		const session = (await login('spitze')).headers.get('set-cookie')!.split(';')[0]!;
		const pull = `/api/trpc/sync.pull?input=${encodeURIComponent(JSON.stringify({ schemaVersion: 2, cursor: null }))}`;
		for (const [path, init] of [
			[pull, { headers: { cookie: session } }],
			['/api/trpc/auth.me', { headers: { cookie: session } }],
			['/api/trpc/feeds.list', {}],
			['/api/trpc/openData.kpis', {}],
			['/api/trpc/gibt.es.nicht', {}]
		] as const) {
			const response = await get(path, init);
			expect(response.headers.get('cache-control'), path).toBe('no-store');
		}
	});

	test('after logout the browser’s HTTP cache holds no API answer', async () => {
		const profile = mkdtempSync(join(tmpdir(), 'klar-cache-'));
		try {
			const phone = await launchPhone({ profile });
			await new LoginPage(phone.page).open(server.url);
			await new LoginPage(phone.page).logIn('spitze');
			await phone.page.getByTestId('kpi-tile').first().waitFor();
			await phone.page.getByRole('button', { name: 'Abmelden' }).click();
			await phone.page.getByLabel('Benutzername').waitFor();
			await phone.close();
			const cached = filesUnder(join(profile, 'Default', 'Cache')).filter((file) =>
				readFileSync(file).includes('/api/trpc/')
			);
			expect(cached).toEqual([]);
		} finally {
			rmSync(profile, { recursive: true, force: true });
		}
	}, 60_000);

	test('a batch larger than the app sends is refused before any work; logins never travel in a batch', async () => {
		const huge = Array(1000).fill('openData.kpis').join(',');
		const batch = await get(`/api/trpc/${huge}?batch=1`);
		expect(batch.status).toBe(413);
		expect(await batch.json()).toMatchObject({ message: 'Die Anfrage ist zu groß.' });

		const failuresBefore = server.query<{ n: number }>(
			`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed'`
		)[0]!.n;
		const logins = await fetch(`${server.url}/api/trpc/auth.login,auth.login?batch=1`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url },
			body: JSON.stringify({
				0: { username: 'rat', password: 'falsch-falsch' },
				1: { username: 'rat', password: DEMO_PASSWORD }
			})
		});
		expect(logins.status).toBe(400);
		expect(logins.headers.get('set-cookie')).toBeNull();
		// Refused before a password was checked: no attempt counted.
		expect(
			server.query<{ n: number }>(
				`SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login_failed'`
			)[0]!.n
		).toBe(failuresBefore);
	});

	test('sixteen parallel logins with the right password last do not log in', async () => {
		const answers = await Promise.all(
			Array.from({ length: 16 }, (_, i) => login('vhs', i < 15 ? `falsch-${i}` : DEMO_PASSWORD))
		);
		expect(answers.filter((a) => a.headers.get('set-cookie'))).toEqual([]);
		expect(answers.at(-1)!.status).toBe(429);
	}, 60_000);

	test('an oversize upload without Content-Length gets the German 413, not a reset', async () => {
		const admin = (await login('admin')).headers.get('set-cookie')!.split(';')[0]!;
		const chunk = new Uint8Array(64 * 1024).fill(65);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 3 * UPLOAD_LIMIT) return controller.close();
				sent += chunk.length;
				controller.enqueue(chunk);
			}
		});
		const response = await fetch(
			`${server.url}/api/feeds/upload?feed=einwohnermelderegister&mode=validate`,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/octet-stream',
					origin: server.url,
					cookie: admin
				},
				body,
				duplex: 'half'
			} as RequestInit
		);
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({
			message: 'Die Datei ist zu groß. Erlaubt sind höchstens 1 MB.'
		});
	});

	test('an error tells the browser the German message only', async () => {
		const admin = (await login('admin')).headers.get('set-cookie')!.split(';')[0]!;
		const response = await fetch(`${server.url}/api/trpc/users.setAccess`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.url, cookie: admin },
			body: JSON.stringify({ userId: 7, role: [], areas: 'x' })
		});
		expect(response.status).toBe(400);
		const text = await response.text();
		expect(JSON.parse(text)).toMatchObject({ error: { message: 'Die Anfrage ist fehlerhaft.' } });
		expect(text).not.toMatch(/expected|invalid_type|Invalid input|stack/i);
	});

	test('after login, a return path to another site leads home', async () => {
		const phone = await launchPhone();
		try {
			await phone.page.goto(
				`${server.url}/login?weiter=${encodeURIComponent('/\\evil.example/x')}`
			);
			await new LoginPage(phone.page).logIn('spitze');
			await phone.page.getByRole('heading', { name: 'Lagebild' }).waitFor();
			expect(new URL(phone.page.url()).origin).toBe(server.url);
			expect(new URL(phone.page.url()).pathname).toBe('/');
		} finally {
			await phone.close();
		}
	}, 60_000);
});

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}
