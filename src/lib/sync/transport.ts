import type {
	PullRequestV1,
	PullResponseV1,
	PushRequestV1,
	PushResponseV1
} from '#shared/protocol';

/** How the sync engine talks to the server; tRPC in the app, the router itself in tests. */
export interface SyncTransport {
	pull(request: PullRequestV1): Promise<PullResponseV1>;
	push(request: PushRequestV1): Promise<PushResponseV1>;
}

/** The session is gone on the server: the outbox stays, the person is asked to log in again. */
export class SessionExpiredError extends Error {
	constructor() {
		super('Die Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.');
	}
}

/** The server no longer speaks this client's protocol version. */
export class UpdateRequiredError extends Error {}

/** The request did not reach the server or its answer did not come back. */
export class NetworkError extends Error {
	constructor(cause?: unknown) {
		super('Keine Verbindung zum Server.', { cause });
	}
}
