import { json } from '@sveltejs/kit';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestHandler } from './$types';
import { getDatabase } from '$server/db/connection';
import { principalForToken, SESSION_COOKIE } from '$server/auth/sessions';
import { receiveUpload } from '$server/feeds/upload';

/**
 * `POST /api/feeds/upload?feed=<id>&mode=import|validate`, the file as the raw body. Not tRPC:
 * the body streams to disk instead of being parsed as JSON. The octet-stream type makes a
 * cross-site form unable to send it; the Origin check refuses other sites' scripts.
 */
export const POST: RequestHandler = async ({ request, url, cookies }) => {
	if (request.headers.get('origin') !== url.origin) {
		return json(
			{
				code: 'FORBIDDEN',
				message: 'Die Anfrage kam nicht von dieser Seite.',
				developerMessage: 'Cross-origin upload refused'
			},
			{ status: 403 }
		);
	}
	const db = getDatabase();
	const token = cookies.get(SESSION_COOKIE);
	const answer = await receiveUpload(db, token ? principalForToken(db, token) : null, {
		feedId: url.searchParams.get('feed'),
		mode: url.searchParams.get('mode'),
		fileName: request.headers.get('x-klar-file-name'),
		contentType: request.headers.get('content-type'),
		contentLength: request.headers.get('content-length'),
		body: request.body as WebReadableStream<Uint8Array> | null
	});
	return json(answer.body, { status: answer.status });
};
