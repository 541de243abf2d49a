import { describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor } from '../../server/sync/cursor';

const cursor = {
	e: '9f1c7c2e-epoch',
	s: 42,
	t: 57,
	h: '9c1f0a22b3d4e5f6',
	u: 'u-spitze',
	p: 'executive:'
};

describe('sync cursor', () => {
	test('round trip', () => {
		expect(decodeCursor(encodeCursor(cursor))).toEqual({ v: 1, ...cursor });
		expect(decodeCursor(encodeCursor({ ...cursor, s: 0 }))).toEqual({ v: 1, ...cursor, s: 0 });
	});

	test('is safe to put in a URL or header as it is', () => {
		expect(encodeCursor({ ...cursor, p: 'editor:asyl,soziales' })).toMatch(/^[A-Za-z0-9_-]+$/);
	});

	test.each([
		'',
		'kaputt',
		'!!!',
		Buffer.from('null').toString('base64url'),
		Buffer.from('[1,2]').toString('base64url'),
		Buffer.from('{"v":1}').toString('base64url'),
		Buffer.from(JSON.stringify({ ...cursor, v: 2 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...cursor, v: 1, s: -1 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...cursor, v: 1, s: 1.5 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...cursor, v: 1, s: '42' })).toString('base64url'),
		encodeCursor(cursor).slice(0, -4)
	])('garbage %j decodes to null', (value) => {
		expect(decodeCursor(value)).toBeNull();
	});
});
