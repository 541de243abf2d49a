import { describe, expect, test } from 'vitest';
import { safeReturnPath } from '../../src/lib/app/return-path';

describe('the path after the login', () => {
	test('a deep link of the app is kept, with its query and anchor', () => {
		expect(safeReturnPath('/kpi/bev.einwohner')).toBe('/kpi/bev.einwohner');
		expect(safeReturnPath('/suche?q=kita#treffer')).toBe('/suche?q=kita#treffer');
		expect(safeReturnPath('/bereich/asyl/../finanzen')).toBe('/bereich/finanzen');
	});

	test('anything that leaves the origin, or the login itself, leads home', () => {
		for (const next of [
			null,
			'',
			'https://evil.example/x',
			'//evil.example/x',
			'/\\evil.example/x',
			'/\\/evil.example',
			'\\\\evil.example',
			'/\t/evil.example',
			'javascript:alert(1)',
			'/login',
			'/login?weiter=/kpi/x'
		]) {
			expect(safeReturnPath(next), String(next)).toBe('/');
		}
	});
});
