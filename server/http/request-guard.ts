/**
 * Checks that run before any route sees a request that could change state. A browser sends a
 * cross-site request without a preflight only as GET, HEAD or POST with a form or text body
 * ("simple" requests); KLAR's mutations take JSON or a raw file, which a browser sends across
 * sites only after a CORS preflight that KLAR never grants. The Origin check refuses the rest.
 */

import { MAX_BATCH_CALLS, UNBATCHED_PREFIX } from '#shared/api-limits';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Body types of KLAR's mutations; none of them is a "simple" CORS type. */
const MUTATION_TYPES = new Set(['application/json', 'application/octet-stream']);

/** Paths that take a large body (a feed delivery); everything else is a small JSON message. */
const LARGE_BODY_PATHS = ['/api/feeds/upload'];

/** Largest body a JSON mutation may have (a push of a full outbox stays far below). */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

export interface GuardRefusal {
	status: number;
	body: { code: string; message: string; developerMessage: string };
}

function refuse(
	status: number,
	code: string,
	message: string,
	developerMessage: string
): GuardRefusal {
	return { status, body: { code, message, developerMessage } };
}

const TRPC_PREFIX = '/api/trpc/';

function decoded(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/**
 * The procedures a tRPC request names in its path (`/api/trpc/a.b,c.d`): a batch is refused
 * before anything is parsed or checked when it is larger than the app ever sends, or when it
 * bundles a login with other calls.
 */
export function guardBatch(url: URL): GuardRefusal | null {
	if (!url.pathname.startsWith(TRPC_PREFIX)) return null;
	const paths = url.pathname.slice(TRPC_PREFIX.length).split(',');
	if (paths.length > MAX_BATCH_CALLS) {
		return refuse(
			413,
			'PAYLOAD_TOO_LARGE',
			'Die Anfrage ist zu groß.',
			`A batch of ${paths.length} calls exceeds the limit of ${MAX_BATCH_CALLS}`
		);
	}
	if (paths.length > 1 && paths.some((path) => decoded(path).startsWith(UNBATCHED_PREFIX))) {
		return refuse(
			400,
			'BAD_REQUEST',
			'Die Anfrage ist fehlerhaft.',
			`Calls to ${UNBATCHED_PREFIX}* must be sent alone, not in a batch`
		);
	}
	return null;
}

/** Null when the request may go on, else the answer to send instead. */
export function guardRequest(request: Request, url: URL): GuardRefusal | null {
	const batch = guardBatch(url);
	if (batch) return batch;
	if (SAFE_METHODS.has(request.method)) return null;
	const origin = request.headers.get('origin');
	const fetchSite = request.headers.get('sec-fetch-site');
	if (origin !== url.origin || (fetchSite !== null && fetchSite !== 'same-origin')) {
		return refuse(
			403,
			'FORBIDDEN',
			'Die Anfrage kam nicht von dieser Seite.',
			`Cross-origin ${request.method} refused: Origin ${origin ?? '(none)'} is not ${url.origin}`
		);
	}
	const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
	if (!MUTATION_TYPES.has(type)) {
		return refuse(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			'Die Anfrage hat ein falsches Format.',
			`Content-Type ${type || '(none)'} refused: mutations take application/json (or application/octet-stream for uploads)`
		);
	}
	if (!LARGE_BODY_PATHS.includes(url.pathname)) {
		const length = request.headers.get('content-length');
		if (length === null) {
			return refuse(
				411,
				'LENGTH_REQUIRED',
				'Die Anfrage ist fehlerhaft.',
				'A JSON mutation must announce its Content-Length'
			);
		}
		if (Number(length) > MAX_JSON_BODY_BYTES) {
			return refuse(
				413,
				'PAYLOAD_TOO_LARGE',
				'Die Anfrage ist zu groß.',
				`Body of ${length} bytes exceeds ${MAX_JSON_BODY_BYTES} bytes`
			);
		}
	}
	return null;
}
