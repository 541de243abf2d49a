import {
	createTRPCClient,
	httpBatchLink,
	httpLink,
	splitLink,
	TRPCClientError
} from '@trpc/client';
import type { AppRouter } from '#server/trpc/router';
import { MAX_BATCH_CALLS, UNBATCHED_PREFIX } from '#shared/api-limits';
import { NetworkError, SessionExpiredError, type SyncTransport } from './transport';

// The server refuses batches above MAX_BATCH_CALLS and logins inside a batch; the client keeps
// to both, so it never meets those refusals.
export const api = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.path.startsWith(UNBATCHED_PREFIX),
			true: httpLink({ url: '/api/trpc' }),
			false: httpBatchLink({ url: '/api/trpc', maxItems: MAX_BATCH_CALLS })
		})
	]
});

/** The German message for a failed call, as the server phrased it where it did. */
export function userMessageOf(error: unknown): string {
	if (error instanceof TRPCClientError) {
		const message = (error.data as { userMessage?: string } | undefined)?.userMessage;
		if (message) return message;
		if (!error.data) return 'Keine Verbindung zum Server. Bitte später erneut versuchen.';
	}
	return 'Ein unerwarteter Fehler ist aufgetreten.';
}

function classify(error: unknown): Error {
	if (error instanceof TRPCClientError) {
		const code = (error.data as { code?: string } | undefined)?.code;
		if (code === 'UNAUTHORIZED') return new SessionExpiredError();
		// No data means no tRPC answer: the request or its response was lost on the way.
		if (!error.data) return new NetworkError(error);
	}
	return error instanceof Error ? error : new Error(String(error));
}

export const trpcTransport: SyncTransport = {
	async pull(request) {
		try {
			return await api.sync.pull.query(request);
		} catch (error) {
			throw classify(error);
		}
	},
	async push(request) {
		try {
			return await api.sync.push.mutate(request);
		} catch (error) {
			throw classify(error);
		}
	}
};
