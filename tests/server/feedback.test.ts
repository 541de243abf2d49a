import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { KlarDatabase } from '#server/db/connection';
import { createSession } from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import { fixedClock } from '#server/clock';
import { addressBlock, FEEDBACK_LIMIT, FEEDBACK_LIMIT_ALL } from '#server/feedback/feedback';
import {
	anonymousContext,
	contextForToken,
	copyDatabase,
	count,
	loginAs,
	openSeededDatabase,
	removeTempDirs,
	SEED_NOW,
	trpcError,
	userMessageOf
} from './helpers';

let seeded: KlarDatabase;
let db: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});
beforeEach(() => {
	db = copyDatabase(seeded);
});
afterEach(() => db.$client.close());
afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

function message(overrides: Record<string, unknown> = {}) {
	return {
		id: randomUUID(),
		writtenAt: new Date(SEED_NOW.getTime() - 3_600_000).toISOString(),
		text: 'Die Tabelle auf der Seite Offene Daten liest der Screenreader ohne Spaltenköpfe vor.',
		page: '/offene-daten',
		email: 'leserin@beispiel.de',
		name: 'Erika Muster',
		...overrides
	};
}

const visitor = (address = '198.51.100.7') => createCaller(anonymousContext(db, [], address));

function stored(id: string) {
	return db.$client
		.prepare(
			'SELECT author_id AS authorId, state, text, page, contact_email AS email, written_at AS writtenAt, received_at AS receivedAt FROM feedback WHERE id = ?'
		)
		.get(id) as
		| {
				authorId: string | null;
				state: string;
				text: string;
				page: string;
				email: string;
				writtenAt: string;
				receivedAt: string;
		  }
		| undefined;
}

function auditOf(id: string) {
	return db.$client
		.prepare(
			`SELECT user_id AS userId, action, old_value AS oldValue, new_value AS newValue, at FROM audit_log WHERE entity = 'feedback' AND entity_id = ? ORDER BY id`
		)
		.all(id) as {
		userId: string | null;
		action: string;
		oldValue: string | null;
		newValue: string | null;
		at: string;
	}[];
}

describe('feedback.send', () => {
	test('a visitor without login sends feedback: stored as new, audited without the contact', async () => {
		const sent = message();
		await expect(visitor().feedback.send(sent)).resolves.toEqual({
			ok: true,
			outcome: 'received'
		});
		expect(stored(sent.id)).toMatchObject({
			authorId: null,
			state: 'neu',
			page: '/offene-daten',
			email: 'leserin@beispiel.de',
			writtenAt: sent.writtenAt,
			receivedAt: SEED_NOW.toISOString()
		});
		const audit = auditOf(sent.id);
		expect(audit).toHaveLength(1);
		expect(audit[0]).toMatchObject({ userId: null, action: 'feedback.receive' });
		expect(audit[0]!.newValue).not.toContain('leserin@beispiel.de');
	});

	test('logged in, the author comes from the session; an author in the message is ignored', async () => {
		const { caller } = await loginAs(db, 'rat');
		const sent = { ...message({ writtenBy: 'u-rat' }), authorId: 'u-admin' };
		await caller.feedback.send(sent);
		expect(stored(sent.id)?.authorId).toBe('u-rat');
		expect(auditOf(sent.id)[0]?.userId).toBe('u-rat');
	});

	test('written by nobody or by someone else, a message sent in a session names no author', async () => {
		const { caller } = await loginAs(db, 'rat');
		const anonymous = message({ writtenBy: null });
		const otherWriter = message({ writtenBy: 'u-admin' });
		const older = message();
		for (const sent of [anonymous, otherWriter, older]) await caller.feedback.send(sent);
		for (const sent of [anonymous, otherWriter, older]) {
			expect(stored(sent.id)?.authorId, sent.id).toBeNull();
			expect(auditOf(sent.id)[0]?.userId).toBeNull();
		}
	});

	test('a retry of the same id is taken once and answered duplicate', async () => {
		const sent = message();
		await visitor().feedback.send(sent);
		await expect(
			visitor('192.0.2.99').feedback.send({ ...sent, text: 'Etwas anderes' })
		).resolves.toEqual({ ok: true, outcome: 'duplicate' });
		expect(count(db, 'feedback')).toBe(1);
		expect(stored(sent.id)?.text).toBe(sent.text);
		expect(auditOf(sent.id)).toHaveLength(1);
	});

	test('wrong fields come back in German, one message per field, and nothing is stored', async () => {
		const result = await visitor().feedback.send(
			message({ text: '   ', email: 'keine-adresse', name: 'x'.repeat(101) })
		);
		expect(result).toEqual({
			ok: false,
			fieldErrors: {
				text: 'Bitte beschreiben Sie das Problem.',
				email:
					'Bitte eine gültige E-Mail-Adresse angeben, zum Beispiel name@beispiel.de – oder das Feld leer lassen.',
				name: 'Der Name darf höchstens 100 Zeichen lang sein.'
			}
		});
		const tooLong = await visitor().feedback.send(message({ text: 'a'.repeat(2001) }));
		expect(tooLong).toEqual({
			ok: false,
			fieldErrors: { text: 'Die Beschreibung darf höchstens 2.000 Zeichen lang sein.' }
		});
		expect(count(db, 'feedback')).toBe(0);
		expect(count(db, 'audit_log', `entity = 'feedback'`)).toBe(0);
	});

	test('contact e-mail and name are optional; the page may be empty', async () => {
		const sent = message({ email: '', name: '', page: '' });
		await expect(visitor().feedback.send(sent)).resolves.toMatchObject({ ok: true });
		delete (sent as Partial<typeof sent>).email;
		await expect(visitor().feedback.send({ ...sent, id: randomUUID() })).resolves.toMatchObject({
			ok: true
		});
	});

	test('a device clock ahead of the server does not date the message into the future', async () => {
		const sent = message({ writtenAt: '2030-01-01T00:00:00.000Z' });
		await visitor().feedback.send(sent);
		expect(stored(sent.id)?.writtenAt).toBe(SEED_NOW.toISOString());
	});

	test('one address is limited per hour with a German message; others and retries still pass', async () => {
		for (let i = 0; i < FEEDBACK_LIMIT.perWindow; i++) {
			await visitor('198.51.100.66').feedback.send(message());
		}
		const error = await trpcError(
			visitor('198.51.100.66').feedback.send(message()),
			'TOO_MANY_REQUESTS'
		);
		expect(userMessageOf(error)).toMatch(/sehr viele Rückmeldungen/);
		expect(count(db, 'feedback')).toBe(FEEDBACK_LIMIT.perWindow);
		// Another address is not affected.
		await expect(visitor('198.51.100.67').feedback.send(message())).resolves.toMatchObject({
			ok: true,
			outcome: 'received'
		});
		// A retry of a message already taken is no new message: it still gets its answer.
		const first = db.$client.prepare('SELECT id FROM feedback LIMIT 1').get() as { id: string };
		await expect(
			visitor('198.51.100.66').feedback.send(message({ id: first.id }))
		).resolves.toEqual({ ok: true, outcome: 'duplicate' });
		// An hour later the address may send again.
		const later = fixedClock(new Date(SEED_NOW.getTime() + FEEDBACK_LIMIT.windowMs));
		await expect(
			createCaller(anonymousContext(db, [], '198.51.100.66', later)).feedback.send(message())
		).resolves.toMatchObject({ ok: true, outcome: 'received' });
		// Windows that ran out are not kept: only the address that just sent has a row, beside
		// the count of all senders.
		expect(db.$client.prepare('SELECT key FROM request_limits ORDER BY key').all()).toEqual([
			{ key: 'feedback:198.51.100.66' },
			{ key: 'feedback:alle' }
		]);
	});

	test('an IPv6 sender is one /64 network: changing the last 64 bits does not lift the limit', async () => {
		for (let i = 0; i < FEEDBACK_LIMIT.perWindow; i++) {
			await visitor(`2001:db8:5:7::${(i + 1).toString(16)}`).feedback.send(message());
		}
		await trpcError(
			visitor('2001:0db8:0005:0007:ffff:1:2:3').feedback.send(message()),
			'TOO_MANY_REQUESTS'
		);
		// The next network is another line.
		await expect(visitor('2001:db8:5:8::1').feedback.send(message())).resolves.toMatchObject({
			ok: true,
			outcome: 'received'
		});
	});

	test('all senders together have a ceiling that no spread of addresses lifts', async () => {
		for (let i = 0; i < FEEDBACK_LIMIT_ALL.perWindow; i++) {
			await visitor(`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`).feedback.send(message());
		}
		const error = await trpcError(
			visitor('192.0.2.200').feedback.send(message()),
			'TOO_MANY_REQUESTS'
		);
		expect(userMessageOf(error)).toMatch(/bleibt gespeichert/);
		expect(count(db, 'feedback')).toBe(FEEDBACK_LIMIT_ALL.perWindow);
	});
});

describe('the unit of the feedback limit', () => {
	test.each([
		['198.51.100.7', '198.51.100.7'],
		['::ffff:198.51.100.7', '198.51.100.7'],
		['2001:db8::1', '2001:db8:0:0::/64'],
		['2001:0db8:0005:0007:0000:0000:0000:0001', '2001:db8:5:7::/64'],
		['fe80::1%eth0', 'fe80:0:0:0::/64'],
		['::1', '0:0:0:0::/64']
	])('%s counts as %s', (address, block) => {
		expect(addressBlock(address)).toBe(block);
	});
});

describe('feedback for central controlling', () => {
	async function sendThree() {
		const ids = [randomUUID(), randomUUID(), randomUUID()];
		for (const [i, id] of ids.entries()) {
			const at = fixedClock(new Date(SEED_NOW.getTime() + (i + 1) * 60_000));
			await createCaller(anonymousContext(db, [], '198.51.100.8', at)).feedback.send(
				message({ id, text: `Rückmeldung ${i + 1}` })
			);
		}
		return ids;
	}

	test('the admin lists feedback newest first, with text, page, contact and sender', async () => {
		const [, , third] = await sendThree();
		const { caller } = await loginAs(db, 'rat');
		await caller.feedback.send(message({ text: 'Vom Stadtrat', email: '', writtenBy: 'u-rat' }));
		const { caller: admin } = await loginAs(db, 'admin');
		const { items, nextBefore } = await admin.feedback.list({});
		expect(items.map((i) => i.text)).toEqual([
			'Rückmeldung 3',
			'Rückmeldung 2',
			'Rückmeldung 1',
			'Vom Stadtrat'
		]);
		expect(nextBefore).toBeNull();
		expect(items[0]).toMatchObject({
			id: third,
			page: '/offene-daten',
			email: 'leserin@beispiel.de',
			name: 'Erika Muster',
			authorName: null,
			state: 'neu',
			stateChangedByName: null
		});
		expect(items.find((i) => i.text === 'Vom Stadtrat')?.authorName).not.toBeNull();
		const firstPage = await admin.feedback.list({ limit: 2 });
		expect(firstPage.items).toHaveLength(2);
		const rest = await admin.feedback.list({ limit: 2, before: firstPage.nextBefore! });
		expect(rest.items.map((i) => i.text)).toEqual(['Rückmeldung 1', 'Vom Stadtrat']);
	});

	test('the admin moves feedback through its states; each change is audited with who, when and the note', async () => {
		const [first] = await sendThree();
		const later = fixedClock(new Date(SEED_NOW.getTime() + 86_400_000));
		const admin = createCaller(
			contextForToken(db, createSession(db, 'u-admin', SEED_NOW), [], later)
		);
		await expect(
			admin.feedback.setState({ id: first!, state: 'in_bearbeitung', note: 'Prüfen wir.' })
		).resolves.toEqual({ ok: true, changed: true });
		await admin.feedback.setState({ id: first!, state: 'erledigt', note: 'Spaltenköpfe ergänzt.' });
		// The same state and note again changes nothing and writes no second record.
		await expect(
			admin.feedback.setState({ id: first!, state: 'erledigt', note: 'Spaltenköpfe ergänzt.' })
		).resolves.toEqual({ ok: true, changed: false });

		const audit = auditOf(first!);
		expect(audit.map((a) => a.action)).toEqual([
			'feedback.receive',
			'feedback.state',
			'feedback.state'
		]);
		expect(audit[2]).toMatchObject({ userId: 'u-admin', at: later().toISOString() });
		expect(JSON.parse(audit[2]!.oldValue!)).toEqual({
			state: 'in_bearbeitung',
			note: 'Prüfen wir.'
		});
		expect(JSON.parse(audit[2]!.newValue!)).toEqual({
			state: 'erledigt',
			note: 'Spaltenköpfe ergänzt.'
		});

		const done = await admin.feedback.list({ state: 'erledigt' });
		expect(done.items).toHaveLength(1);
		expect(done.items[0]).toMatchObject({
			id: first,
			state: 'erledigt',
			note: 'Spaltenköpfe ergänzt.',
			stateChangedAt: later().toISOString(),
			stateChangedByName: expect.any(String)
		});
		expect((await admin.feedback.list({ state: 'neu' })).items).toHaveLength(2);
		// The Protokoll lists it under the feedback's own entity.
		const log = await admin.audit.list({ entity: 'feedback' });
		expect(log.rows.filter((r) => r.entityId === first)).toHaveLength(3);
	});

	test('an unknown feedback or state is refused in German', async () => {
		const { caller: admin } = await loginAs(db, 'admin');
		const missing = await trpcError(
			admin.feedback.setState({ id: randomUUID(), state: 'erledigt' }),
			'NOT_FOUND'
		);
		expect(userMessageOf(missing)).toMatch(/gibt es nicht/);
		const [first] = await sendThree();
		await expect(admin.feedback.setState({ id: first!, state: 'vergessen' })).resolves.toEqual({
			ok: false,
			fieldErrors: { state: expect.any(String) }
		});
		expect(count(db, 'audit_log', `action = 'feedback.state'`)).toBe(0);
	});

	test('nobody but central controlling reads or changes feedback', async () => {
		const [first] = await sendThree();
		for (const username of ['spitze', 'rat', 'erfassung', 'leitung']) {
			const { caller } = await loginAs(db, username);
			const list = await trpcError(caller.feedback.list({}), 'FORBIDDEN');
			expect(userMessageOf(list)).toMatch(/Zentralcontrolling/);
			await trpcError(caller.feedback.setState({ id: first!, state: 'erledigt' }), 'FORBIDDEN');
		}
		await trpcError(visitor().feedback.list({}), 'UNAUTHORIZED');
		await trpcError(visitor().feedback.setState({ id: first!, state: 'erledigt' }), 'UNAUTHORIZED');
		expect(count(db, 'feedback', `state = 'neu'`)).toBe(3);
	});
});
