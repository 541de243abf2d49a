import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { countIndexedDb, waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { OccupancyFormPage } from './pages/occupancy-form-page';
import { KpiDetailPage } from './pages/kpi-detail-page';

function isoToday(): string {
	const now = new Date();
	const local = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
	return local.toISOString().slice(0, 10);
}

describe('Staff enter the daily occupancy in a cellar without network', () => {
	const story = storyWithAppAndPhone();

	it('queues two entries offline, keeps them over a reload, and sends each exactly once', async () => {
		const { page, context, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('erfassung');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);

		const form = new OccupancyFormPage(page);
		await form.open(server.url);
		await form.waitForFacilities();

		await context.setOffline(true);
		const today = isoToday();
		await form.enter({ facilityId: 'wh-kotten', date: today, occupied: 91 });
		await expect
			.poll(() => form.confirmation().textContent())
			.toMatch(/sobald eine Verbindung besteht/);
		await form.enter({ facilityId: 'wh-betzenberg', date: today, occupied: 57, capacity: 72 });
		await expect
			.poll(() => form.states())
			.toEqual(['wartet auf Verbindung', 'wartet auf Verbindung']);

		await page.reload();
		await page.getByTestId('entry-list').waitFor();
		expect(await form.states()).toEqual(['wartet auf Verbindung', 'wartet auf Verbindung']);
		expect(await countIndexedDb(page, 'outbox')).toBe(2);
		expect(server.query('SELECT id FROM form_entries')).toHaveLength(0);

		await context.setOffline(false);
		await expect.poll(() => form.states(), { timeout: 15_000 }).toEqual(['gesendet', 'gesendet']);
		expect(await countIndexedDb(page, 'outbox')).toBe(0);

		const stored = server.query<{ payload: string }>(
			'SELECT payload FROM form_entries ORDER BY created_at'
		);
		expect(stored.map((row) => JSON.parse(row.payload))).toEqual([
			{ facilityId: 'wh-kotten', date: today, occupied: 91, capacity: 96 },
			{ facilityId: 'wh-betzenberg', date: today, occupied: 57, capacity: 72 }
		]);
		expect(server.query('SELECT entry_id FROM processed_entries')).toHaveLength(2);

		// The snapshot the phone pulled back reflects the entries.
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.belegung');
		await detail.waitForValue();
		await expect
			.poll(() => detail.breakdownRow('Wohnheim Kotten').textContent())
			.toMatch(/91\sPersonen/);
		expect(await detail.breakdownRow('Wohnheim Betzenberg').textContent()).toMatch(/57\sPersonen/);
		const [snapshot] = server.query<{ payload: string }>(
			`SELECT payload FROM snapshots WHERE kpi_id = 'asyl.belegung'`
		);
		expect(JSON.parse(snapshot!.payload).period).toBe(today);
	});
});
