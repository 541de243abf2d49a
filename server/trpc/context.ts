import type { DbOrTx } from '#server/db/connection';
import type { Clock } from '#server/clock';
import { sessionCookie } from '#server/auth/sessions';
import type { Principal } from '#shared/permissions';
import type { Context } from './init';

/** What the HTTP layer (hooks.server.ts) found out about a request before tRPC sees it. */
export interface RequestFacts {
	principal: Principal | null;
	sessionToken: string | null;
	https: boolean;
	/** The client's address as the server sees it (behind a proxy: ADDRESS_HEADER). */
	clientAddress: string | null;
}

/** Builds the tRPC context of one HTTP request: the session user, and a way to set the cookie. */
export function createRequestContext(
	db: DbOrTx,
	now: Clock,
	facts: RequestFacts,
	resHeaders: Headers
): Context {
	return {
		db,
		now,
		principal: facts.principal,
		sessionToken: facts.sessionToken,
		clientAddress: facts.clientAddress,
		setSessionCookie(value) {
			resHeaders.append('Set-Cookie', sessionCookie(value, facts.https));
		}
	};
}
