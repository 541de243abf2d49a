import { describe, expect, test } from 'vitest';
import { decodeCursor, encodeCursor } from '#server/sync/cursor';

const cursor = {
	epoch: '9f1c7c2e-epoch',
	upTo: 42,
	head: 57,
	headCheck: '9c1f0a22b3d4e5f6',
	userId: 'u-spitze',
	scope: 'executive:'
};
/** The same cursor as it travels, with one-letter keys. */
const wire = {
	v: 1,
	e: cursor.epoch,
	s: 42,
	t: 57,
	h: cursor.headCheck,
	u: 'u-spitze',
	p: 'executive:'
};

describe('sync cursor', () => {
	test('round trip', () => {
		expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
		expect(decodeCursor(encodeCursor({ ...cursor, upTo: 0 }))).toEqual({ ...cursor, upTo: 0 });
		expect(JSON.parse(Buffer.from(encodeCursor(cursor), 'base64url').toString())).toEqual(wire);
	});

	test('is safe to put in a URL or header as it is', () => {
		expect(encodeCursor({ ...cursor, scope: 'editor:asyl,soziales' })).toMatch(/^[A-Za-z0-9_-]+$/);
	});

	test.each([
		'',
		'kaputt',
		'!!!',
		Buffer.from('null').toString('base64url'),
		Buffer.from('[1,2]').toString('base64url'),
		Buffer.from('{"v":1}').toString('base64url'),
		Buffer.from(JSON.stringify({ ...wire, v: 2 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...wire, s: -1 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...wire, s: 1.5 })).toString('base64url'),
		Buffer.from(JSON.stringify({ ...wire, s: '42' })).toString('base64url'),
		encodeCursor(cursor).slice(0, -4)
	])('garbage %j decodes to null', (value) => {
		expect(decodeCursor(value)).toBeNull();
	});
});
