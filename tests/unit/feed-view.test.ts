import { describe, expect, test } from 'vitest';
import {
	cadenceWord,
	errorColumn,
	errorLine,
	errorText,
	feedHealthText,
	feedHealthView,
	firstErrors,
	formatBytes,
	nextDueText,
	originWord,
	reportHeadline,
	runCounts,
	runNote,
	runStatusView
} from '../../src/lib/feeds/feed-view';
import {
	SENDING_WORDS,
	uploadFeedFile,
	uploadOutcome,
	uploadRefusal,
	uploadUrl
} from '../../src/lib/feeds/upload';
import type { FeedRunReport } from '#shared/feeds';

function report(extra: Partial<FeedRunReport> = {}): FeedRunReport {
	return {
		runId: 'run-1',
		feedId: 'gesundheitsamt-inzidenz',
		mode: 'import',
		status: 'succeeded',
		startedAt: '2026-11-21T08:00:00.000Z',
		finishedAt: '2026-11-21T08:00:01.000Z',
		fileName: 'inzidenz.json',
		fileBytes: 2048,
		rowsRead: 3,
		rowsAccepted: 3,
		rowsUnchanged: 1,
		rowsRejected: 0,
		rowsSkipped: 0,
		valuesMissing: 0,
		valuesSuppressed: 0,
		observationsCreated: 2,
		observationsUpdated: 0,
		observationsRemoved: 0,
		kpisChanged: ['gesundheit.inzidenz'],
		errors: [],
		summary: '3 Zeilen gelesen, 3 übernommen.',
		...extra
	};
}

describe('feed health in words', () => {
	test('every health has a symbol and a word, never only a colour', () => {
		expect(feedHealthText({ health: 'ok', nextDueOn: '2026-11-30' })).toBe('✓ in Ordnung');
		expect(feedHealthText({ health: 'failing', nextDueOn: '2026-11-30' })).toBe(
			'✕ letzte Lieferung fehlgeschlagen'
		);
		expect(feedHealthText({ health: 'never', nextDueOn: null })).toBe('– noch keine Lieferung');
	});

	test('an overdue feed says by when it was expected, in German date format', () => {
		const view = feedHealthView({ health: 'overdue', nextDueOn: '2026-11-12' });
		expect(view).toMatchObject({ symbol: '◷', word: 'überfällig', tone: 'amber' });
		expect(feedHealthText({ health: 'overdue', nextDueOn: '2026-11-12' })).toBe(
			'◷ überfällig (erwartet bis 12.11.2026)'
		);
	});

	test('cadence, origin and next due date read in German', () => {
		expect(cadenceWord('quarterly')).toBe('vierteljährlich');
		expect(cadenceWord('daily')).toBe('täglich');
		expect(originWord('cli')).toBe('Kommandozeile');
		expect(originWord('upload')).toBe('Hochladen');
		expect(originWord('demo')).toBe('Demo');
		expect(nextDueText({ nextDueOn: '2027-01-05' })).toBe('05.01.2027');
		expect(nextDueText({ nextDueOn: null })).toBe('nach der ersten erfolgreichen Lieferung');
	});
});

describe('a run and its report', () => {
	test('the headline tells import from validation and says when nothing was imported', () => {
		const text = (r: Pick<FeedRunReport, 'status' | 'mode' | 'rowsRejected'>) =>
			`${reportHeadline(r).symbol} ${reportHeadline(r).word}`;
		expect(text({ mode: 'import', status: 'succeeded', rowsRejected: 0 })).toBe(
			'✓ Import erfolgreich'
		);
		expect(text({ mode: 'validate', status: 'succeeded', rowsRejected: 0 })).toBe(
			'✓ Prüfung ohne Fehler – nichts importiert'
		);
		expect(text({ mode: 'import', status: 'failed', rowsRejected: 9 })).toBe(
			'✕ Import abgelehnt – nichts importiert'
		);
		expect(text({ mode: 'validate', status: 'failed', rowsRejected: 0 })).toBe(
			'✕ Prüfung mit Fehlern – nichts importiert'
		);
	});

	test('rows left out within the tolerance are said, not hidden behind a tick', () => {
		expect(reportHeadline({ mode: 'import', status: 'succeeded', rowsRejected: 2 })).toMatchObject({
			symbol: '!',
			word: 'Import erfolgreich, 2 Zeilen abgelehnt',
			tone: 'amber'
		});
		expect(reportHeadline({ mode: 'validate', status: 'succeeded', rowsRejected: 1 }).word).toBe(
			'Prüfung bestanden, 1 Zeile abgelehnt – nichts importiert'
		);
		expect(runStatusView({ mode: 'import', status: 'succeeded', rowsRejected: 2 })).toMatchObject({
			symbol: '!',
			word: 'erfolgreich',
			detail: '2 Zeilen abgelehnt'
		});
		expect(runStatusView({ mode: 'import', status: 'succeeded', rowsRejected: 0 }).symbol).toBe(
			'✓'
		);
		expect(runStatusView({ mode: 'import', status: 'failed', rowsRejected: 0 }).word).toBe(
			'fehlgeschlagen'
		);
	});

	test('counts list rows read, accepted, unchanged, rejected and skipped; stored values only after an import', () => {
		expect(runCounts(report({ rowsRead: 12345 }))).toEqual([
			{ label: 'Zeilen gelesen', value: '12.345' },
			{ label: 'übernommen', value: '3' },
			{ label: 'davon unverändert', value: '1' },
			{ label: 'abgelehnt', value: '0' },
			{ label: 'durch Filter übersprungen', value: '0' },
			{ label: 'Werte neu', value: '2' },
			{ label: 'Werte geändert', value: '0' }
		]);
		expect(runCounts(report({ observationsRemoved: 3 })).at(-1)).toEqual({
			label: 'Werte entfernt',
			value: '3'
		});
		const validated = runCounts(
			report({ mode: 'validate', runId: null, valuesMissing: 4, valuesSuppressed: 1 })
		);
		expect(validated.map((line) => line.label)).toEqual([
			'Zeilen gelesen',
			'übernommen',
			'davon unverändert',
			'abgelehnt',
			'durch Filter übersprungen',
			'Werte fehlend',
			'Werte geheim gehalten'
		]);
	});

	test('errors name their line and column, or the whole file', () => {
		const rowError = {
			line: 1204,
			column: 'inzidenz_7t',
			message: '„viel“ ist keine Zahl.',
			code: 'not_a_number' as const
		};
		const fileError = {
			line: null,
			column: null,
			message: 'Die Datei ist kein gültiges JSON.',
			code: 'malformed' as const
		};
		expect(errorLine(rowError)).toBe('1.204');
		expect(errorColumn(rowError)).toBe('inzidenz_7t');
		expect(errorText(rowError)).toBe('Zeile 1.204, Spalte „inzidenz_7t“: „viel“ ist keine Zahl.');
		expect(errorLine(fileError)).toBe('Datei');
		expect(errorColumn(fileError)).toBe('–');
		expect(errorText(fileError)).toBe('ganze Datei: Die Datei ist kein gültiges JSON.');
		// The runner's messages often name the column already: it is not said twice.
		expect(
			errorText({ ...rowError, message: '„k. A.“ in Spalte „inzidenz_7t“ ist keine Zahl.' })
		).toBe('Zeile 1.204: „k. A.“ in Spalte „inzidenz_7t“ ist keine Zahl.');
	});

	test('the list of runs shows the first errors and how many more there are', () => {
		const errors = Array.from({ length: 5 }, (_, i) => ({
			line: i + 2,
			column: 'wert',
			message: 'keine Zahl',
			code: 'not_a_number' as const
		}));
		const { shown, more } = firstErrors({ errors });
		expect(shown.map((e) => e.line)).toEqual([2, 3, 4]);
		expect(more).toBe(2);
		expect(firstErrors({ errors: errors.slice(0, 1) })).toEqual({ shown: [errors[0]], more: 0 });
	});

	test('a run in the list says why it failed, once', () => {
		const encoding = {
			line: 2,
			column: null,
			message: 'Die Datei ist offenbar nicht in UTF-8 kodiert.',
			code: 'encoding' as const
		};
		expect(runNote(report())).toBeNull();
		expect(
			runNote(
				report({
					status: 'failed',
					errors: [encoding],
					summary: 'Nichts importiert: Die Datei ist offenbar nicht in UTF-8 kodiert.'
				})
			)
		).toBeNull();
		expect(
			runNote(
				report({
					status: 'failed',
					errors: [{ ...encoding, message: 'keine Zahl' }],
					summary: '6 Zeilen abgelehnt, erlaubt sind 5: nichts importiert.'
				})
			)
		).toBe('6 Zeilen abgelehnt, erlaubt sind 5: nichts importiert.');
	});

	test('file sizes read as people know them', () => {
		expect(formatBytes(830)).toBe('830\u00a0Byte');
		expect(formatBytes(12_700)).toBe('12,4\u00a0KB');
		expect(formatBytes(50 * 1024 * 1024)).toBe('50\u00a0MB');
	});
});

describe('uploading a file', () => {
	test('refuses no file, an empty file and one above the limit before sending', () => {
		const limit = 10 * 1024 * 1024;
		expect(uploadRefusal(null, limit)).toBe('Bitte eine Datei auswählen.');
		expect(uploadRefusal({ size: 0 }, limit)).toMatch(/leer/);
		expect(uploadRefusal({ size: 12 * 1024 * 1024 }, limit)).toBe(
			'Die Datei ist 12\u00a0MB groß. Es können höchstens 10\u00a0MB hochgeladen werden.'
		);
		expect(uploadRefusal({ size: limit }, limit)).toBeNull();
		expect(SENDING_WORDS).toEqual({ validate: 'Wird geprüft …', import: 'Wird importiert …' });
	});

	test('a failed run is a report, not an error', () => {
		const failed = report({ status: 'failed', rowsRejected: 1, errors: [] });
		expect(uploadOutcome(200, failed)).toEqual({ kind: 'report', report: failed });
	});

	test("the server's German message is shown; without one, the status decides", () => {
		expect(
			uploadOutcome(413, {
				message: 'Die Datei ist zu groß.',
				developerMessage: 'x',
				code: 'too_large'
			})
		).toEqual({ kind: 'error', message: 'Die Datei ist zu groß.', code: 'too_large', status: 413 });
		expect(uploadOutcome(403, null)).toMatchObject({
			message: 'Sie haben keine Berechtigung, Datenlieferungen hochzuladen.',
			code: 'http_403'
		});
		expect(uploadOutcome(502, 'Bad Gateway').kind).toBe('error');
		expect(uploadOutcome(200, { nonsense: true })).toMatchObject({
			kind: 'error',
			code: 'bad_report'
		});
	});

	test('sends the raw file with its name and reads the answer', async () => {
		const calls: { url: string; init: RequestInit }[] = [];
		const fakeFetch = (async (url: string, init: RequestInit) => {
			calls.push({ url, init });
			return new Response(JSON.stringify(report({ mode: 'validate', runId: null })), {
				status: 200
			});
		}) as unknown as typeof fetch;
		const file = Object.assign(new Blob(['{"daten":[]}']), { name: 'Inzidenz März.json' });
		const outcome = await uploadFeedFile(fakeFetch, 'gesundheitsamt-inzidenz', 'validate', file);
		expect(outcome.kind).toBe('report');
		expect(calls[0]!.url).toBe(uploadUrl('gesundheitsamt-inzidenz', 'validate'));
		expect(calls[0]!.url).toBe('/api/feeds/upload?feed=gesundheitsamt-inzidenz&mode=validate');
		expect(calls[0]!.init).toMatchObject({
			method: 'POST',
			body: file,
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/octet-stream',
				'X-Klar-File-Name': 'Inzidenz%20M%C3%A4rz.json'
			}
		});
	});

	test('a lost connection says the file was not sent', async () => {
		const offline = (async () => {
			throw new TypeError('Failed to fetch');
		}) as unknown as typeof fetch;
		const file = Object.assign(new Blob(['x']), { name: 'a.csv' });
		expect(await uploadFeedFile(offline, 'x1', 'import', file)).toEqual({
			kind: 'error',
			message: 'Keine Verbindung zum Server. Die Datei wurde nicht gesendet.',
			code: 'network',
			status: null
		});
	});
});
