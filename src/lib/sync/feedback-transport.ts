import { flushFeedback, type FlushOutcome } from './feedback';
import type { KlarDatabase } from './db';
import { api, userMessageOf } from './trpc-transport';

/** Sends the device's queued accessibility feedback over tRPC; failures keep it queued. */
export function flushQueuedFeedback(db: KlarDatabase): Promise<FlushOutcome> {
	return flushFeedback(db, { send: (message) => api.feedback.send.mutate(message) }, userMessageOf);
}
