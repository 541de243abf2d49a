import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { cityDaysAgo } from './support/city-day';
import { openOccupancyFormAs } from './support/steps';
import { OccupancyFormPage } from './pages/occupancy-form-page';

describe('An entry made offline reaches the server after the app was closed (Background Sync)', () => {
	const story = storyWithAppAndPhone();

	it('the service worker sends the outbox when the browser fires the sync event', async () => {
		const { page, context, server } = story;
		const form = await openOccupancyFormAs(page, server.url, 'erfassung');

		await context.setOffline(true);
		const date = cityDaysAgo(1);
		await form.enter({ facilityId: 'wh-kotten', date, occupied: 77 });
		await expect.poll(() => form.states()).toEqual(['wartet auf Verbindung']);

		// The person closes the app; later the phone is online again. No page of the app is open.
		const blank = await context.newPage();
		await page.close();
		await context.setOffline(false);
		expect(server.query('SELECT id FROM form_entries')).toHaveLength(0);

		// What the browser does when connectivity returns: fire the registered sync event.
		const cdp = await context.newCDPSession(blank);
		const registrationId = new Promise<string>((resolve) =>
			cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
				const ours = registrations.find((r) => r.scopeURL.startsWith(server.url));
				if (ours) resolve(ours.registrationId);
			})
		);
		await cdp.send('ServiceWorker.enable');
		await cdp.send('ServiceWorker.dispatchSyncEvent', {
			origin: server.url,
			registrationId: await registrationId,
			tag: 'klar-outbox',
			lastChance: false
		});

		await expect
			.poll(() => server.query<{ payload: string }>('SELECT payload FROM form_entries'), {
				timeout: 15_000
			})
			.toHaveLength(1);
		const [stored] = server.query<{ payload: string }>('SELECT payload FROM form_entries');
		expect(JSON.parse(stored!.payload)).toMatchObject({ facilityId: 'wh-kotten', occupied: 77 });

		// Opening the app again shows the entry as sent, and it is not sent twice.
		const reopened = new OccupancyFormPage(await context.newPage());
		await reopened.open(server.url);
		await expect.poll(() => reopened.states()).toEqual(['gesendet']);
		expect(server.query('SELECT id FROM form_entries')).toHaveLength(1);
	});
});
