import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { cityDaysAgo } from './support/city-day';
import { openOccupancyFormAs } from './support/steps';
import { countIndexedDb } from './support/browser';
import { HomePage } from './pages/home-page';

describe('Entries reach the server exactly once, whatever the connection and the server do', () => {
	const story = storyWithAppAndPhone();

	it('the server dies right after committing a push and comes back: each entry is stored once', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');

		await context.setOffline(true);
		await form.enter({
			facilityId: 'wh-kotten',
			date: cityDaysAgo(1),
			occupied: 88
		});
		await form.enter({
			facilityId: 'wh-betzenberg',
			date: cityDaysAgo(1),
			occupied: 60
		});
		await form.enter({
			facilityId: 'gu-einsiedlerhof',
			date: cityDaysAgo(1),
			occupied: 131
		});
		await expect.poll(() => form.states()).toEqual(Array(3).fill('wartet auf Verbindung'));

		// The first push reaches the server and is committed; then the server process dies
		// before the answer leaves it.
		// (The page and the service worker's Background Sync may both push; whichever comes first
		// is the one that dies with the server.)
		let pushes = 0;
		let serverDied!: () => void;
		const died = new Promise<void>((resolve) => (serverDied = resolve));
		await context.route('**/api/trpc/sync.push**', async (route) => {
			pushes++;
			if (pushes > 1) return route.continue().catch(() => undefined);
			try {
				await route.fetch();
				await server.stop();
			} finally {
				await route.abort('connectionreset').catch(() => undefined);
				serverDied();
			}
		});
		await context.setOffline(false);
		await died;
		await server.start();

		await expect.poll(() => form.states(), { timeout: 30_000 }).toEqual(Array(3).fill('gesendet'));
		expect(pushes).toBeGreaterThan(1);
		expect(await countIndexedDb(page, 'outbox')).toBe(0);
		const stored = server.query<{ id: string; n: number }>(
			`SELECT e.id, (SELECT count(*) FROM audit_log a WHERE a.action = 'entry.create' AND a.entity_id = e.id) AS n
			 FROM form_entries e`
		);
		expect(stored).toHaveLength(3);
		expect(stored.map((row) => row.n)).toEqual([1, 1, 1]);
		await context.unroute('**/api/trpc/sync.push**');
	});

	it('the phone loses its IndexedDB: the app picks up the session and pulls everything anew', async () => {
		const { page, server } = story;
		await page.goto(server.url);
		await new HomePage(page).waitForTiles();
		await expect.poll(() => countIndexedDb(page, 'snapshots')).toBeGreaterThan(5);
		const before = await countIndexedDb(page, 'snapshots');
		// The app lets go of the deleted database and starts afresh (a new page load), so the
		// deletion is only started here; its completion is the reload.
		await Promise.all([
			page.waitForEvent('load'),
			page.evaluate(() => {
				indexedDB.deleteDatabase('klar');
			})
		]);
		const home = new HomePage(page);
		await home.waitForTiles();
		expect(page.url()).not.toMatch(/login/);
		expect(await home.tileIds()).toContain('asyl.auslastung');
		await expect.poll(() => countIndexedDb(page, 'snapshots')).toBe(before);
	});
});
