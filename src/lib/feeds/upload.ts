/**
 * Sending a department's file to `POST /api/feeds/upload`. A plain HTTP endpoint rather than
 * tRPC, so the browser streams the file as the body instead of encoding it into JSON.
 */
import { FeedRunReportV1, type FeedRunReport } from '#shared/feeds';
import { formatBytes } from './feed-view';

export type UploadMode = 'import' | 'validate';

export type UploadOutcome =
	| { kind: 'report'; report: FeedRunReport }
	| { kind: 'error'; message: string; code: string; status: number | null };

/** What the page says while the file is on its way. */
export const SENDING_WORDS: Record<UploadMode, string> = {
	validate: 'Wird geprüft …',
	import: 'Wird importiert …'
};

/** Refuses a file the server would refuse anyway, before sending megabytes for nothing. */
export function uploadRefusal(file: { size: number } | null, limitBytes: number): string | null {
	if (!file) return 'Bitte eine Datei auswählen.';
	if (file.size === 0) return 'Die Datei ist leer. Bitte eine Datei mit Daten auswählen.';
	if (file.size > limitBytes) {
		return `Die Datei ist ${formatBytes(file.size)} groß. Es können höchstens ${formatBytes(limitBytes)} hochgeladen werden.`;
	}
	return null;
}

export function uploadUrl(feedId: string, mode: UploadMode): string {
	return `/api/feeds/upload?feed=${encodeURIComponent(feedId)}&mode=${mode}`;
}

/** Said when the server gave no message of its own (e.g. a proxy answered). */
const STATUS_MESSAGES: Record<number, string> = {
	401: 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich neu an.',
	403: 'Sie haben keine Berechtigung, Datenlieferungen hochzuladen.',
	404: 'Diese Datenlieferung gibt es nicht (mehr). Bitte die Seite neu laden.',
	413: 'Die Datei ist zu groß für das Hochladen.',
	415: 'Der Server hat die Datei in dieser Form nicht angenommen.'
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the server's answer: a run report (also a failed one), or a German error message. */
export function uploadOutcome(status: number, body: unknown): UploadOutcome {
	if (status === 200) {
		const parsed = FeedRunReportV1.safeParse(body);
		if (parsed.success) return { kind: 'report', report: parsed.data };
		return {
			kind: 'error',
			message: 'Der Server hat mit einem unerwarteten Bericht geantwortet.',
			code: 'bad_report',
			status
		};
	}
	const message = isRecord(body) && typeof body.message === 'string' ? body.message : '';
	const code = isRecord(body) && typeof body.code === 'string' ? body.code : `http_${status}`;
	return {
		kind: 'error',
		message:
			message ||
			STATUS_MESSAGES[status] ||
			`Der Server konnte die Datei nicht verarbeiten (Fehler ${status}). Bitte später erneut versuchen.`,
		code,
		status
	};
}

/** Sends the file and reads the answer; `fetchFn` is the browser's fetch (a fake in tests). */
export async function uploadFeedFile(
	fetchFn: typeof fetch,
	feedId: string,
	mode: UploadMode,
	file: Blob & { name: string }
): Promise<UploadOutcome> {
	let response: Response;
	try {
		response = await fetchFn(uploadUrl(feedId, mode), {
			method: 'POST',
			body: file,
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/octet-stream',
				'X-Klar-File-Name': encodeURIComponent(file.name)
			}
		});
	} catch {
		return {
			kind: 'error',
			message: 'Keine Verbindung zum Server. Die Datei wurde nicht gesendet.',
			code: 'network',
			status: null
		};
	}
	let body: unknown = null;
	try {
		body = await response.json();
	} catch {
		// An answer without JSON (e.g. from a proxy): the status alone decides the message.
	}
	return uploadOutcome(response.status, body);
}
