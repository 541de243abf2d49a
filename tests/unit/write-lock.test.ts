import { describe, expect, test } from 'vitest';
import { WriteLock } from '#server/db/write-lock';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the write lock', () => {
	test('exclusive work runs one after the other, in the order asked', async () => {
		const lock = new WriteLock();
		const log: string[] = [];
		const job = (name: string) =>
			lock.exclusive(async () => {
				log.push(`${name} start`);
				await tick();
				await tick();
				log.push(`${name} end`);
				return name;
			});
		expect(await Promise.all([job('a'), job('b'), job('c')])).toEqual(['a', 'b', 'c']);
		expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
		expect(lock.busy).toBe(false);
	});

	test('idle waits until no exclusive work runs or waits, also after a failure', async () => {
		const lock = new WriteLock();
		const log: string[] = [];
		expect(lock.busy).toBe(false);
		const first = lock.exclusive(async () => {
			await tick();
			log.push('import');
			throw new Error('kaputt');
		});
		const second = lock.exclusive(async () => {
			await tick();
			log.push('second import');
		});
		expect(lock.busy).toBe(true);
		const writer = lock.idle().then(() => log.push('push'));
		await expect(first).rejects.toThrow('kaputt');
		await second;
		await writer;
		expect(log).toEqual(['import', 'second import', 'push']);
		expect(lock.busy).toBe(false);
		// With nothing running, idle resolves at once.
		await lock.idle();
	});
});
