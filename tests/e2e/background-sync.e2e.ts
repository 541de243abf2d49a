import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { LoginPage } from './pages/login-page';
import { HomePage } from './pages/home-page';
import { OccupancyFormPage } from './pages/occupancy-form-page';

describe('An entry made offline reaches the server after the app was closed (Background Sync)', () => {
	const story = storyWithAppAndPhone();

	it('the service worker sends the outbox when the browser fires the sync event', async () => {
		const { page, context, server } = story;
		await page.goto(`${server.url}/login`);
		await new LoginPage(page).logIn('erfassung');
		await new HomePage(page).waitForTiles();
		await waitForServiceWorker(page);
		const form = new OccupancyFormPage(page);
		await form.open(server.url);
		await form.waitForFacilities();

		await context.setOffline(true);
		const yesterday = new Date(Date.now() - 86_400_000);
		const date = new Date(yesterday.getTime() - yesterday.getTimezoneOffset() * 60_000)
			.toISOString()
			.slice(0, 10);
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
