import { json } from '@sveltejs/kit';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestHandler } from './$types';
import { getDatabase } from '#server/db/connection';
import { receiveUpload } from '#server/feeds/upload';
import { systemClock } from '#server/clock';

/**
 * `POST /api/feeds/upload?feed=<id>&mode=import|validate`, the file as the raw body. Not tRPC:
 * the body streams to disk instead of being parsed as JSON. hooks.server.ts has already refused
 * other origins and simple (form) body types, and read the session.
 */
export const POST: RequestHandler = async ({ request, url, locals }) => {
	const db = getDatabase();
	const answer = await receiveUpload(
		db,
		locals.principal,
		{
			feedId: url.searchParams.get('feed'),
			mode: url.searchParams.get('mode'),
			fileName: request.headers.get('x-klar-file-name'),
			contentType: request.headers.get('content-type'),
			contentLength: request.headers.get('content-length'),
			body: request.body as WebReadableStream<Uint8Array> | null
		},
		systemClock
	);
	return json(answer.body, { status: answer.status });
};
