import type { KlarDatabase } from '#server/db/connection';
import { createSession, principalForToken } from '#server/auth/sessions';
import { createCaller } from '#server/trpc/router';
import type { Clock } from '#server/clock';
import { NetworkError, type SyncTransport } from '../../src/lib/sync/transport';

/**
 * The real router behind an in-process transport, logged in as the user with this id, on the
 * server clock `clock`. Set `lostResponses` to lose that many push answers after the server
 * committed.
 *
 * A test whose device code judges time (session expiry, overdue) seeds the database for the
 * machine's today and gives `systemClock`, so phone and server agree as they do in the field;
 * a test on the pinned seed day gives the pinned clock.
 */
export function routerTransport(
	server: KlarDatabase,
	userId: string,
	clock: Clock
): SyncTransport & { lostResponses: number } {
	const token = createSession(server, userId, clock());
	const caller = () =>
		createCaller({
			db: server,
			now: clock,
			principal: principalForToken(server, token, clock()),
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
