import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { openOccupancyFormAs } from './support/steps';
import { cityToday } from './support/city-day';
import { countIndexedDb } from './support/browser';
import { KpiDetailPage } from './pages/kpi-detail-page';

describe('Staff enter the daily occupancy in a cellar without network', () => {
	const story = storyWithAppAndPhone();

	it('queues two entries offline, keeps them over a reload, and sends each exactly once', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');

		await context.setOffline(true);
		const today = cityToday();
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

		// The snapshot the phone pulled back reflects the entries, marked provisional until released.
		const detail = new KpiDetailPage(page);
		await detail.open(server.url, 'asyl.belegung');
		await detail.waitForValue();
		await expect.poll(() => detail.breakdownValue('Wohnheim Kotten')).toBe('91');
		expect(await detail.breakdownValue('Wohnheim Betzenberg')).toBe('57');
		await page.getByTestId('provisional-note').waitFor();
		const [snapshot] = server.query<{ payload: string; internal: string }>(
			`SELECT payload, internal_payload AS internal FROM snapshots WHERE kpi_id = 'asyl.belegung'`
		);
		expect(JSON.parse(snapshot!.internal).period).toBe(today);
		expect(JSON.parse(snapshot!.internal).provisionalPeriods).toEqual([today]);
		// The council's view waits for the release.
		expect(JSON.parse(snapshot!.payload).period).not.toBe(today);
	});
});
