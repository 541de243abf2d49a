import { isIP } from 'node:net';
import { and, desc, eq, like, lt, lte, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '#server/db/connection';
import { feedback, requestLimits, users } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import { fieldErrorsOf } from '#shared/field-errors';
import {
	FeedbackListInputV1,
	FeedbackMessageV1,
	FeedbackSetStateInputV1,
	FeedbackState,
	type FeedbackItemV1,
	type FeedbackSendResult
} from '#shared/feedback';
import type { z } from 'zod';

/**
 * How much feedback one address may send: a person reporting several barriers in a row is
 * fine, a script filling the admin list is not. Counted in fixed windows per address; a retry
 * of a message already taken does not count.
 */
export const FEEDBACK_LIMIT = { perWindow: 10, windowMs: 60 * 60_000 };

/**
 * All addresses together: an IPv6 sender holds a whole /64 and a botnet many addresses, so the
 * admin list and the audit log also get a ceiling that no spread of addresses lifts.
 */
export const FEEDBACK_LIMIT_ALL = { perWindow: 200, windowMs: 60 * 60_000 };
const ALL_SENDERS_KEY = 'feedback:alle';

export const feedbackLimitKey = (address: string | null) =>
	`feedback:${address ? addressBlock(address) : 'unbekannt'}`;

/**
 * The unit one sender controls: an IPv4 address (also when written IPv4-mapped, ::ffff:a.b.c.d)
 * or the /64 network of an IPv6 address, which providers hand to a single line.
 */
export function addressBlock(address: string): string {
	const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
	if (mapped) return mapped[1]!;
	if (isIP(address) !== 6) return address;
	const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
	const headParts = head ? head.split(':') : [];
	const tailParts = address.includes('::') && tail ? tail.split(':') : [];
	const parts = address.includes('::')
		? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
		: headParts;
	return `${parts
		.slice(0, 4)
		.map((part) => part.replace(/^0+(?=.)/, ''))
		.join(':')}::/64`;
}

/**
 * Counts one request against `key`; false when the window's allowance is used up (the request
 * is then not counted). Synchronous inside the caller's transaction: no two requests see the
 * same count.
 */
export function takeRequest(
	db: DbOrTx,
	key: string,
	limit: { perWindow: number; windowMs: number },
	now: Date
): boolean {
	// Windows that ran out count as nothing: drop those of this kind of key, or every address
	// that ever sent would keep a row.
	const kind = `${key.slice(0, key.indexOf(':') + 1)}%`;
	const expired = new Date(now.getTime() - limit.windowMs).toISOString();
	db.delete(requestLimits)
		.where(and(like(requestLimits.key, kind), lte(requestLimits.windowStart, expired)))
		.run();
	const row = db
		.select({ windowStart: requestLimits.windowStart, count: requestLimits.count })
		.from(requestLimits)
		.where(eq(requestLimits.key, key))
		.get();
	const fresh = !row || now.getTime() - new Date(row.windowStart).getTime() >= limit.windowMs;
	if (!fresh && row.count >= limit.perWindow) return false;
	const values = fresh
		? { windowStart: now.toISOString(), count: 1 }
		: { windowStart: row.windowStart, count: row.count + 1 };
	db.insert(requestLimits)
		.values({ key, ...values })
		.onConflictDoUpdate({ target: requestLimits.key, set: values })
		.run();
	return true;
}

export type ReceiveOutcome = FeedbackSendResult | { ok: false; limited: true };

/**
 * Takes one feedback message. Validated here with the shared schema, so a wrong field comes
 * back as a German message beside it. The same id twice is answered "duplicate" and changes
 * nothing, whoever sends it. `authorId` is the session's user, never a field of the message.
 */
export function receiveFeedback(
	db: DbOrTx,
	input: unknown,
	sender: { authorId: string | null; address: string | null },
	now: Date
): ReceiveOutcome {
	const parsed = FeedbackMessageV1.safeParse(input);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const message = parsed.data;
	return db.transaction((tx): ReceiveOutcome => {
		const known = tx
			.select({ id: feedback.id })
			.from(feedback)
			.where(eq(feedback.id, message.id))
			.get();
		if (known) return { ok: true, outcome: 'duplicate' };
		if (
			!takeRequest(tx, feedbackLimitKey(sender.address), FEEDBACK_LIMIT, now) ||
			!takeRequest(tx, ALL_SENDERS_KEY, FEEDBACK_LIMIT_ALL, now)
		) {
			return { ok: false, limited: true };
		}
		const receivedAt = now.toISOString();
		// The session names the author only if it is who wrote the message on the device.
		const authorId =
			sender.authorId !== null && message.writtenBy === sender.authorId ? sender.authorId : null;
		// The device's clock may run ahead; a message is never written after it arrived.
		const writtenAt = message.writtenAt > receivedAt ? receivedAt : message.writtenAt;
		tx.insert(feedback)
			.values({
				id: message.id,
				receivedAt,
				writtenAt: new Date(writtenAt).toISOString(),
				text: message.text,
				page: message.page,
				contactEmail: message.email,
				contactName: message.name,
				authorId,
				state: 'neu'
			})
			.run();
		// The audit log is kept for good: it records that and where, not the text or the contact.
		appendAudit(
			tx,
			{
				userId: authorId,
				action: 'feedback.receive',
				entity: 'feedback',
				entityId: message.id,
				newValue: { state: 'neu', page: message.page }
			},
			now
		);
		return { ok: true, outcome: 'received' };
	});
}

const changer = alias(users, 'changer');

/** Feedback for the admin list, newest first, optionally of one state. */
export function listFeedback(
	db: DbOrTx,
	input: z.input<typeof FeedbackListInputV1>
): { items: FeedbackItemV1[]; nextBefore: { receivedAt: string; id: string } | null } {
	const filter = FeedbackListInputV1.parse(input);
	const where: SQL[] = [];
	if (filter.state) where.push(eq(feedback.state, filter.state));
	if (filter.before) {
		where.push(
			or(
				lt(feedback.receivedAt, filter.before.receivedAt),
				and(eq(feedback.receivedAt, filter.before.receivedAt), lt(feedback.id, filter.before.id))
			)!
		);
	}
	const rows = db
		.select({
			id: feedback.id,
			receivedAt: feedback.receivedAt,
			writtenAt: feedback.writtenAt,
			text: feedback.text,
			page: feedback.page,
			email: feedback.contactEmail,
			name: feedback.contactName,
			authorName: users.displayName,
			state: feedback.state,
			stateChangedAt: feedback.stateChangedAt,
			stateChangedByName: changer.displayName,
			note: feedback.note
		})
		.from(feedback)
		.leftJoin(users, eq(users.id, feedback.authorId))
		.leftJoin(changer, eq(changer.id, feedback.stateChangedBy))
		.where(and(...where))
		.orderBy(desc(feedback.receivedAt), desc(feedback.id))
		.limit(filter.limit + 1)
		.all();
	const page = rows.slice(0, filter.limit);
	const last = page.at(-1);
	return {
		items: page.map((row) => ({ ...row, state: FeedbackState.parse(row.state) })),
		nextBefore:
			rows.length > filter.limit && last ? { receivedAt: last.receivedAt, id: last.id } : null
	};
}

export type SetStateOutcome =
	| { ok: true; changed: boolean }
	| { ok: false; reason: 'not_found' }
	| { ok: false; fieldErrors: Record<string, string> };

/** Moves a feedback to another state (or adds a note), audited with who and when. */
export function setFeedbackState(
	db: DbOrTx,
	actorId: string,
	input: unknown,
	now: Date
): SetStateOutcome {
	const parsed = FeedbackSetStateInputV1.safeParse(input);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const { id, state, note } = parsed.data;
	return db.transaction((tx): SetStateOutcome => {
		const before = tx
			.select({ state: feedback.state, note: feedback.note })
			.from(feedback)
			.where(eq(feedback.id, id))
			.get();
		if (!before) return { ok: false, reason: 'not_found' };
		if (before.state === state && before.note === note) return { ok: true, changed: false };
		tx.update(feedback)
			.set({ state, note, stateChangedAt: now.toISOString(), stateChangedBy: actorId })
			.where(eq(feedback.id, id))
			.run();
		appendAudit(
			tx,
			{
				userId: actorId,
				action: 'feedback.state',
				entity: 'feedback',
				entityId: id,
				oldValue: { state: before.state, note: before.note },
				newValue: { state, note }
			},
			now
		);
		return { ok: true, changed: true };
	});
}
