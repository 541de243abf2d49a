import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { KlarDatabase as ServerDatabase } from '#server/db/connection';
import { createCaller } from '#server/trpc/router';
import { klarError } from '#server/trpc/init';
import type { FeedbackMessage } from '#shared/feedback';
import { KlarDatabase } from '../../src/lib/sync/db';
import {
	flushFeedback,
	hasQueuedFeedback,
	queueFeedback,
	type FeedbackTransport
} from '../../src/lib/sync/feedback';
import { NetworkError } from '../../src/lib/sync/transport';
import { rememberLogin, type LoginAnswer } from '../../src/lib/sync/session';
import { flushFeedbackInWorker } from '../../src/lib/sync/background-sync';
import { anonymousContext, count, openTempDatabase, removeTempDirs } from '../server/helpers';

/**
 * The feedback outbox of a visitor's phone against the real router on a real SQLite file: the
 * network can be cut, the server can fail, and an answer can be lost after the server wrote.
 */
class FaultyNetwork implements FeedbackTransport {
	offline = false;
	serverFails = false;
	lostAnswers = 0;
	calls = 0;
	constructor(private readonly server: ServerDatabase) {}

	async send(message: FeedbackMessage) {
		this.calls++;
		if (this.offline) throw new NetworkError();
		if (this.serverFails) {
			throw klarError('INTERNAL_SERVER_ERROR', 'disk full', 'Ein Fehler auf dem Server.');
		}
		const answer = await createCaller(anonymousContext(this.server)).feedback.send(message);
		if (this.lostAnswers > 0) {
			this.lostAnswers--;
			throw new NetworkError();
		}
		return answer;
	}
}

let server: ServerDatabase;
let phone: KlarDatabase;
let network: FaultyNetwork;
let devices = 0;

const RAT: LoginAnswer = {
	id: 'u-rat',
	username: 'rat',
	displayName: 'Ratsmitglied',
	role: 'councillor',
	areas: [],
	writableAreas: []
};

const draft = {
	text: 'Der Knopf „Anmelden“ ist mit der Tastatur nicht erreichbar.',
	page: '/login',
	email: '',
	name: ''
};

beforeEach(async () => {
	({ db: server } = openTempDatabase());
	phone = new KlarDatabase(`feedback-phone-${++devices}`);
	await phone.open();
	network = new FaultyNetwork(server);
});
afterEach(() => {
	phone.close();
	server.$client.close();
});
afterAll(() => removeTempDirs());

const onServer = () => count(server, 'feedback');
const stateOf = async (id: string) => (await phone.feedbackOutbox.get(id))?.state;

describe('the feedback outbox on the phone', () => {
	test('a wrong draft is refused in German and nothing is stored', async () => {
		const result = await queueFeedback(phone, { ...draft, text: ' ', email: 'name@' });
		expect(result).toEqual({
			ok: false,
			fieldErrors: {
				text: 'Bitte beschreiben Sie das Problem.',
				email: expect.stringMatching(/gültige E-Mail-Adresse/)
			}
		});
		expect(await phone.feedbackOutbox.count()).toBe(0);
	});

	test('offline it is stored, survives a reload, and is sent once the network is back', async () => {
		network.offline = true;
		const queued = await queueFeedback(phone, draft);
		if (!queued.ok) throw new Error('draft refused');
		const offline = await flushFeedback(phone, network);
		expect(offline).toEqual({ sent: 0, rejected: 0, waiting: 1 });
		expect(await phone.feedbackOutbox.get(queued.queued.id)).toMatchObject({
			state: 'queued',
			attempts: 1,
			error: 'Keine Verbindung zum Server.'
		});
		expect(onServer()).toBe(0);

		// The page is reloaded: a new connection to the same IndexedDB still has it.
		phone.close();
		phone = new KlarDatabase(phone.name);
		await phone.open();
		expect(await hasQueuedFeedback(phone)).toBe(true);

		network.offline = false;
		expect(await flushFeedback(phone, network)).toEqual({ sent: 1, rejected: 0, waiting: 0 });
		expect(await stateOf(queued.queued.id)).toBe('sent');
		expect(onServer()).toBe(1);
		const row = server.$client.prepare('SELECT id, text, page FROM feedback').get();
		expect(row).toEqual({ id: queued.queued.id, text: draft.text, page: '/login' });
		expect(await hasQueuedFeedback(phone)).toBe(false);
	});

	test('it records who was logged in when it was written: nobody, or that person', async () => {
		const anonymous = await queueFeedback(phone, draft);
		await rememberLogin(phone, RAT);
		const signedIn = await queueFeedback(phone, { ...draft, text: 'Zweite Meldung' });
		if (!anonymous.ok || !signedIn.ok) throw new Error('draft refused');
		expect(anonymous.queued.message.writtenBy).toBeNull();
		expect(signedIn.queued.message.writtenBy).toBe('u-rat');
	});

	test('a server error keeps it queued; the next try sends it', async () => {
		network.serverFails = true;
		const queued = await queueFeedback(phone, draft);
		if (!queued.ok) throw new Error('draft refused');
		expect(await flushFeedback(phone, network)).toMatchObject({ sent: 0, waiting: 1 });
		expect(await stateOf(queued.queued.id)).toBe('queued');
		expect(onServer()).toBe(0);
		network.serverFails = false;
		expect(await flushFeedback(phone, network)).toMatchObject({ sent: 1, waiting: 0 });
		expect(onServer()).toBe(1);
	});

	test('an answer lost after the server wrote: the retry lands once', async () => {
		network.lostAnswers = 1;
		const queued = await queueFeedback(phone, draft);
		if (!queued.ok) throw new Error('draft refused');
		expect(await flushFeedback(phone, network)).toMatchObject({ sent: 0, waiting: 1 });
		expect(onServer()).toBe(1);
		expect(await flushFeedback(phone, network)).toMatchObject({ sent: 1 });
		expect(await stateOf(queued.queued.id)).toBe('sent');
		expect(onServer()).toBe(1);
	});

	test('sent is not sent twice: a second flush, and two flushes at once, send nothing more', async () => {
		await queueFeedback(phone, draft);
		await queueFeedback(phone, { ...draft, text: 'Zweite Meldung' });
		const [first, second] = await Promise.all([
			flushFeedback(phone, network),
			flushFeedback(phone, network)
		]);
		expect(first).toEqual({ sent: 2, rejected: 0, waiting: 0 });
		expect(second).toBe(first);
		expect(network.calls).toBe(2);
		await flushFeedback(phone, network);
		expect(network.calls).toBe(2);
		expect(onServer()).toBe(2);
	});

	test('a message the server refuses for good is kept as rejected with its reason, not retried', async () => {
		const queued = await queueFeedback(phone, draft);
		if (!queued.ok) throw new Error('draft refused');
		// A message changed on the device behind the form's back (an old app version).
		await phone.feedbackOutbox.update(queued.queued.id, {
			message: { ...queued.queued.message, email: 'keine-adresse' }
		});
		expect(await flushFeedback(phone, network)).toEqual({ sent: 0, rejected: 1, waiting: 0 });
		expect(await phone.feedbackOutbox.get(queued.queued.id)).toMatchObject({
			state: 'rejected',
			error: expect.stringMatching(/gültige E-Mail-Adresse/)
		});
		await flushFeedback(phone, network);
		expect(network.calls).toBe(1);
		expect(onServer()).toBe(0);
	});

	test('the service worker sends what waits, and fails while it cannot, so the browser retries', async () => {
		// The worker opens the app's own database, not the test's.
		const app = new KlarDatabase();
		await app.open();
		try {
			const queued = await queueFeedback(app, draft);
			if (!queued.ok) throw new Error('draft refused');
			network.offline = true;
			await expect(flushFeedbackInWorker(network)).rejects.toThrow(/still waiting/);
			expect(await app.feedbackOutbox.get(queued.queued.id)).toMatchObject({ state: 'queued' });
			network.offline = false;
			await flushFeedbackInWorker(network);
			expect(await app.feedbackOutbox.get(queued.queued.id)).toMatchObject({ state: 'sent' });
			expect(onServer()).toBe(1);
		} finally {
			app.close();
		}
	});
});
