import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { KlarDatabase } from '#server/db/connection';
import { canAdminister, type Principal } from '#shared/permissions';
import type { FeedRunReport } from '#shared/feeds';
import { feedIsActive, storedDefinition } from './definitions';
import { FeedFailure } from './mapping';
import { tooLarge } from './readers';
import { runFeedCooperatively } from './runner';
import { writeLock } from '#server/db/write-lock';
import type { Clock } from '#server/clock';

/** The largest upload accepted, in bytes (KLAR_FEED_UPLOAD_LIMIT; default 20 MiB). */
export function uploadLimitBytes(): number {
	const configured = Number(process.env.KLAR_FEED_UPLOAD_LIMIT);
	return Number.isFinite(configured) && configured > 0 ? configured : 20 * 1024 * 1024;
}

export interface UploadAnswer {
	status: number;
	body: FeedRunReport | { message: string; developerMessage: string; code: string };
}

const refuse = (status: number, code: string, message: string, developerMessage: string) => ({
	status,
	body: { code, message, developerMessage }
});

export interface UploadRequest {
	feedId: string | null;
	mode: string | null;
	fileName: string | null;
	contentType: string | null;
	contentLength: string | null;
	body: WebReadableStream<Uint8Array> | null;
}

/**
 * An admin's upload of a delivery: checked (role, feed, mode, content type, size), spooled to
 * a temporary file while its size is counted, then run through the same runner as the command
 * line. The body is never held in memory as a whole. Same-origin is checked by the caller.
 */
export async function receiveUpload(
	db: KlarDatabase,
	principal: Principal | null,
	request: UploadRequest,
	clock: Clock
): Promise<UploadAnswer> {
	if (!principal) {
		return refuse(401, 'UNAUTHORIZED', 'Bitte melden Sie sich an.', 'Login required');
	}
	if (!canAdminister(principal)) {
		return refuse(
			403,
			'FORBIDDEN',
			'Lieferungen hochladen darf nur das Zentralcontrolling.',
			'Only administrators upload feed files'
		);
	}
	const definition = request.feedId ? storedDefinition(db, request.feedId) : null;
	if (!definition) {
		return refuse(
			404,
			'NOT_FOUND',
			'Diese Datenlieferung gibt es nicht (mehr).',
			`Unknown feed ${request.feedId}`
		);
	}
	if (!feedIsActive(db, definition.id)) {
		return refuse(
			409,
			'CONFLICT',
			'Diese Lieferung ist stillgelegt. Bitte sie erst wieder aktivieren.',
			`Feed ${definition.id} is inactive`
		);
	}
	if (request.mode !== 'import' && request.mode !== 'validate') {
		return refuse(400, 'BAD_REQUEST', 'Unbekannte Aktion.', 'mode must be import or validate');
	}
	if (request.contentType?.split(';')[0]?.trim() !== 'application/octet-stream') {
		return refuse(
			415,
			'UNSUPPORTED_MEDIA_TYPE',
			'Die Datei wurde nicht als Datei gesendet.',
			'Send the file as application/octet-stream'
		);
	}
	const limit = uploadLimitBytes();
	const tooBig = () => {
		const failure = tooLarge(limit);
		return refuse(413, 'PAYLOAD_TOO_LARGE', failure.error.message, failure.message);
	};
	if (Number(request.contentLength) > limit) return tooBig();
	if (!request.body) {
		return refuse(400, 'BAD_REQUEST', 'Die Datei ist leer.', 'Request has no body');
	}

	const dir = mkdtempSync(join(tmpdir(), 'klar-upload-'));
	const path = join(dir, randomUUID());
	try {
		if (!(await spool(request.body, path, limit))) return tooBig();
		const fileName = decodeFileName(request.fileName);
		const mode = request.mode;
		// The run has the database to itself for writing; reads go on while it pauses.
		const report = await writeLock.exclusive(() =>
			runFeedCooperatively(
				db.$client.name,
				definition,
				{ path, fileName },
				{ mode, origin: 'upload', userId: principal.id, maxBytes: limit, clock }
			)
		);
		return { status: 200, body: report };
	} catch (error) {
		if (error instanceof FeedFailure) {
			return refuse(400, error.error.code, error.error.message, error.message);
		}
		throw error;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * Writes the body to `path` while counting it; false once it passes `limit`. The rest of a body
 * that is too large is read and dropped before the answer goes out: a client that sends without
 * a Content-Length is still sending, and cancelling the stream (or leaving it unread) would
 * reset the connection instead of delivering the German 413. Past the server's overall body
 * limit (BODY_SIZE_LIMIT) the stream ends with an error, and the answer goes out then.
 */
async function spool(
	body: WebReadableStream<Uint8Array>,
	path: string,
	limit: number
): Promise<boolean> {
	const file = await open(path, 'w');
	const reader = body.getReader();
	let bytes = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return true;
			bytes += value.length;
			if (bytes > limit) break;
			await file.write(value);
		}
		for (;;) {
			const { done } = await reader.read();
			if (done) return false;
		}
	} catch (error) {
		if (bytes > limit) return false;
		throw error;
	} finally {
		reader.releaseLock();
		await file.close();
	}
}

/** The client sends the name URI-encoded; it is shown, never used as a path. */
function decodeFileName(raw: string | null): string {
	if (!raw) return 'Upload';
	let name: string;
	try {
		name = decodeURIComponent(raw);
	} catch {
		name = raw;
	}
	// eslint-disable-next-line no-control-regex
	return name.replace(/[\u0000-\u001f\\/]/g, '_').slice(0, 200) || 'Upload';
}
