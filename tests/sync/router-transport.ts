import type { KlarDatabase } from '../../server/db/connection';
import { createSession, principalForToken } from '../../server/auth/sessions';
import { createCaller } from '../../server/trpc/router';
import { NetworkError, type SyncTransport } from '../../src/lib/sync/transport';

/**
 * The real router behind an in-process transport, logged in as the user with this id. Set
 * `lostResponses` to lose that many push answers after the server committed.
 */
export function routerTransport(
	server: KlarDatabase,
	userId: string
): SyncTransport & { lostResponses: number } {
	const token = createSession(server, userId);
	const caller = () =>
		createCaller({
			db: server,
			principal: principalForToken(server, token),
			sessionToken: token,
			clientAddress: null,
			setSessionCookie: () => {}
		});
	return {
		lostResponses: 0,
		pull: (request) => caller().sync.pull(request),
		async push(request) {
			const response = await caller().sync.push(request);
			if (this.lostResponses > 0) {
				// The server committed, but the answer never reaches the phone.
				this.lostResponses--;
				throw new NetworkError();
			}
			return response;
		}
	};
}
