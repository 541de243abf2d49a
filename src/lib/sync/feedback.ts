import { fieldErrorsOf, type FieldErrors } from '#shared/field-errors';
import {
	FeedbackDraftV1,
	FeedbackMessageV1,
	type FeedbackDraft,
	type FeedbackSendResult
} from '#shared/feedback';
import type { KlarDatabase, QueuedFeedback } from './db';
import { newEntryId } from './outbox';
import { readDeviceSession } from './session';

/**
 * The device's outbox for accessibility feedback. A message is stored first and sent after,
 * so it survives a missing network, a reload and a failing server; the id made here once lets
 * the server take a retry only once. Feedback needs no release, so it stays out of the
 * four-eyes entry outbox and its sync protocol.
 */

/** How the outbox reaches the server: tRPC in the app, the router itself in tests. */
export interface FeedbackTransport {
	send(message: QueuedFeedback['message']): Promise<FeedbackSendResult>;
}

/** Sent messages stay this long, so the page can still say "Gesendet" after a reload. */
const KEEP_SENT_MS = 30 * 86_400_000;

export type QueueResult =
	{ ok: true; queued: QueuedFeedback } | { ok: false; fieldErrors: FieldErrors };

/** Checks the draft with the shared schema and stores it; nothing is sent yet. */
export async function queueFeedback(
	db: KlarDatabase,
	draft: FeedbackDraft,
	now: Date = new Date()
): Promise<QueueResult> {
	const parsed = FeedbackDraftV1.safeParse(draft);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const message = FeedbackMessageV1.parse({
		...parsed.data,
		id: newEntryId(),
		writtenAt: now.toISOString(),
		writtenBy: (await readDeviceSession(db))?.id ?? null
	});
	const queued: QueuedFeedback = {
		id: message.id,
		message,
		state: 'queued',
		createdAt: message.writtenAt,
		attempts: 0
	};
	await db.feedbackOutbox.add(queued);
	return { ok: true, queued };
}

export interface FlushOutcome {
	sent: number;
	rejected: number;
	/** Messages still waiting (no connection, a busy or failing server). */
	waiting: number;
}

const flushing = new WeakMap<KlarDatabase, Promise<FlushOutcome>>();

/**
 * Sends every queued message, oldest first. A message leaves the queue only on the server's
 * answer: taken (now or earlier) marks it sent, a refusal of its fields marks it rejected with
 * the reason. Anything else – no network, too many requests, a server error – leaves it queued
 * with its German reason and stops this round; the next trigger tries again. One flush per
 * database at a time: a second call joins the running one.
 */
export function flushFeedback(
	db: KlarDatabase,
	transport: FeedbackTransport,
	describe: (error: unknown) => string = (error) =>
		error instanceof Error ? error.message : String(error)
): Promise<FlushOutcome> {
	const running = flushing.get(db);
	if (running) return running;
	const run = (async (): Promise<FlushOutcome> => {
		const outcome: FlushOutcome = { sent: 0, rejected: 0, waiting: 0 };
		const queued = await db.feedbackOutbox.where('state').equals('queued').sortBy('createdAt');
		for (const [index, item] of queued.entries()) {
			let result: FeedbackSendResult;
			try {
				result = await transport.send(item.message);
			} catch (error) {
				await db.feedbackOutbox.update(item.id, {
					attempts: item.attempts + 1,
					error: describe(error)
				});
				outcome.waiting = queued.length - index;
				break;
			}
			if (result.ok) {
				await db.feedbackOutbox.update(item.id, {
					state: 'sent',
					sentAt: new Date().toISOString(),
					attempts: item.attempts + 1,
					error: undefined
				});
				outcome.sent++;
			} else {
				await db.feedbackOutbox.update(item.id, {
					state: 'rejected',
					attempts: item.attempts + 1,
					error: Object.values(result.fieldErrors).join(' ')
				});
				outcome.rejected++;
			}
		}
		const cutoff = new Date(Date.now() - KEEP_SENT_MS).toISOString();
		await db.feedbackOutbox
			.where('state')
			.equals('sent')
			.filter((item) => (item.sentAt ?? '') < cutoff)
			.delete();
		return outcome;
	})();
	flushing.set(db, run);
	return run.finally(() => flushing.delete(db));
}

/** Whether anything waits to be sent (cheap: the layout asks this at every start). */
export async function hasQueuedFeedback(db: KlarDatabase): Promise<boolean> {
	return (await db.feedbackOutbox.where('state').equals('queued').count()) > 0;
}
