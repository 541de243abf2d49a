import { describe, expect, test } from 'vitest';
import { guardRequest, MAX_JSON_BODY_BYTES } from '#server/http/request-guard';
import { MAX_BATCH_CALLS } from '#shared/api-limits';
import { contentSecurityPolicy, securityHeaders } from '../../server/http/security-headers.js';

const url = new URL('https://klar.stadt.example/api/trpc/auth.login');

function request(method: string, headers: Record<string, string>) {
	return new Request(url, { method, headers });
}

const sameOrigin = {
	origin: 'https://klar.stadt.example',
	'sec-fetch-site': 'same-origin',
	'content-type': 'application/json',
	'content-length': '42'
};

describe('guardRequest', () => {
	test('reads pass without checks', () => {
		for (const method of ['GET', 'HEAD', 'OPTIONS'])
			expect(guardRequest(request(method, {}), url)).toBeNull();
	});

	test('a same-origin JSON mutation passes', () => {
		expect(guardRequest(request('POST', sameOrigin), url)).toBeNull();
	});

	test.each([
		['another site', { origin: 'https://boese.example' }],
		['no Origin at all', { origin: '' }],
		['the same host over http', { origin: 'http://klar.stadt.example' }],
		['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
		['a same-site subdomain', { 'sec-fetch-site': 'same-site' }]
	])('refuses %s with 403, in German and English', (_, change) => {
		const headers: Record<string, string> = { ...sameOrigin, ...change };
		for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
		expect(guardRequest(request('POST', headers), url)).toMatchObject({
			status: 403,
			body: {
				message: 'Die Anfrage kam nicht von dieser Seite.',
				developerMessage: expect.any(String)
			}
		});
	});

	test.each([
		'text/plain',
		'application/x-www-form-urlencoded',
		'multipart/form-data; boundary=x',
		''
	])('refuses the simple body type "%s" that a foreign form could send', (type) => {
		const headers: Record<string, string> = { ...sameOrigin, 'content-type': type };
		if (!type) delete headers['content-type'];
		expect(guardRequest(request('POST', headers), url)?.status).toBe(415);
	});

	test('JSON needs an announced length within 2 MiB; the upload path streams its own limit', () => {
		const noLength: Record<string, string> = { ...sameOrigin };
		delete noLength['content-length'];
		expect(guardRequest(request('POST', noLength), url)?.status).toBe(411);
		const big = { ...sameOrigin, 'content-length': String(MAX_JSON_BODY_BYTES + 1) };
		expect(guardRequest(request('POST', big), url)?.status).toBe(413);
		const upload = new URL('https://klar.stadt.example/api/feeds/upload');
		const file = { ...noLength, 'content-type': 'application/octet-stream' };
		expect(guardRequest(new Request(upload, { method: 'POST', headers: file }), upload)).toBeNull();
	});
});

describe('securityHeaders', () => {
	test('HSTS only over https', () => {
		expect(securityHeaders({ https: true })['Strict-Transport-Security']).toBe(
			'max-age=63072000; includeSubDomains'
		);
		expect(securityHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security');
	});

	test('the policy quotes its keywords and allows no inline script', () => {
		const csp = contentSecurityPolicy();
		expect(csp).toContain("script-src 'self';");
		expect(csp).toContain("object-src 'none'");
		expect(csp).toContain("base-uri 'none'");
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("img-src 'self' data: blob:");
	});
});

describe('tRPC batches', () => {
	const at = (path: string) => new URL(`https://klar.stadt.example/api/trpc/${path}?batch=1`);
	const get = (path: string) => guardRequest(new Request(at(path)), at(path));

	test('the app’s own batches pass: up to ten calls, a login alone', () => {
		expect(get(Array(MAX_BATCH_CALLS).fill('openData.kpis').join(','))).toBeNull();
		expect(get('auth.login')).toBeNull();
		expect(get('sync.pull')).toBeNull();
	});

	test('a batch above the limit is refused with 413 before anything is read, GET or POST', () => {
		const huge = Array(1000).fill('openData.kpis').join(',');
		expect(get(huge)).toMatchObject({
			status: 413,
			body: {
				message: 'Die Anfrage ist zu groß.',
				developerMessage: expect.stringContaining('1000 calls')
			}
		});
		const logins = Array(1000).fill('auth.login').join(',');
		expect(guardRequest(request('POST', sameOrigin), at(logins))?.status).toBe(413);
	});

	test('a login inside a batch is refused, also when it is spelled with escapes', () => {
		for (const path of [
			'auth.login,auth.login',
			'sync.pull,auth.login',
			'auth%2Elogin,sync.pull'
		]) {
			expect(get(path)).toMatchObject({
				status: 400,
				body: { message: 'Die Anfrage ist fehlerhaft.' }
			});
		}
	});
});
