import { describe, expect, test } from 'vitest';
import { hashPassword, verifyPassword } from '#server/auth/password';

describe('password hashing', () => {
	test('a hash verifies its password and no other', async () => {
		const stored = await hashPassword('KLAR-demo-2026!');
		expect(stored.startsWith('scrypt$')).toBe(true);
		expect(stored).not.toContain('KLAR-demo-2026!');
		expect(await verifyPassword('KLAR-demo-2026!', stored)).toBe(true);
		expect(await verifyPassword('KLAR-demo-2026', stored)).toBe(false);
		expect(await verifyPassword('klar-demo-2026!', stored)).toBe(false);
		expect(await verifyPassword('', stored)).toBe(false);
	});

	test('two hashes of the same password differ (random salt) and both verify', async () => {
		const [first, second] = await Promise.all([hashPassword('geheim'), hashPassword('geheim')]);
		expect(first).not.toBe(second);
		expect(await verifyPassword('geheim', first)).toBe(true);
		expect(await verifyPassword('geheim', second)).toBe(true);
	});

	test('the same password typed in another Unicode normal form still verifies', async () => {
		const composed = 'Grüße'; // ü as one code point
		const decomposed = 'Gru\u0308ße'; // u + combining diaeresis, as some keyboards send it
		const stored = await hashPassword(composed);
		expect(await verifyPassword(decomposed, stored)).toBe(true);
	});

	test('the cost parameters travel with the hash, so older hashes keep verifying', async () => {
		const stored = await hashPassword('geheim');
		const [, n, r, p, salt, key] = stored.split('$');
		expect(Number(n)).toBeGreaterThanOrEqual(2 ** 15);
		expect(Buffer.from(salt!, 'base64')).toHaveLength(16);
		expect(Buffer.from(key!, 'base64')).toHaveLength(32);
		expect(r).toBe('8');
		expect(p).toBe('3');
	});

	test.each([
		'',
		'geheim',
		'bcrypt$10$abc',
		'scrypt$32768$8$3$c2FsdA==',
		'scrypt$32768$8$3$c2FsdA==$',
		'scrypt$x$8$3$c2FsdA==$a2V5',
		'scrypt$3$8$3$c2FsdA==$a2V5',
		'scrypt$32768$0$3$c2FsdA==$a2V5',
		'scrypt$32768$8$3$c2FsdA==$a2V5'
	])('a malformed stored hash %j never verifies and never throws', async (stored) => {
		await expect(verifyPassword('geheim', stored)).resolves.toBe(false);
	});
});
