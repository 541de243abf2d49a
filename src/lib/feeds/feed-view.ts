/**
 * Words for departmental data feeds and their runs on the admin page "Datenlieferungen" and
 * the data-quality page. Pure: the pages pass in what the server sent.
 */
import type {
	FeedHealth,
	FeedListItem,
	FeedOverlap,
	FeedPreviewValue,
	FeedRunError,
	FeedRunRecord,
	FeedRunReport,
	TakeBackReport
} from '#shared/feeds';
import { formatDate, formatNumber } from '#shared/format';
import { formatPeriod } from '#shared/periods';
import { CADENCE_WORDS } from '$lib/kpis/presentation';

/** How a status looks: a symbol and words (never colour alone) and a tone for the colour. */
export interface StatusView {
	symbol: string;
	word: string;
	/** Extra words after the status, e.g. since when a feed is overdue. */
	detail: string;
	tone: 'green' | 'amber' | 'red' | 'none';
}

const HEALTH: Record<FeedHealth, Omit<StatusView, 'detail'>> = {
	ok: { symbol: '✓', word: 'in Ordnung', tone: 'green' },
	failing: { symbol: '✕', word: 'letzte Lieferung fehlgeschlagen', tone: 'red' },
	overdue: { symbol: '◷', word: 'überfällig', tone: 'amber' },
	never: { symbol: '–', word: 'noch keine Lieferung', tone: 'none' },
	inactive: { symbol: '○', word: 'stillgelegt', tone: 'none' }
};

/**
 * The health of a feed in words: `◷ überfällig (erwartet bis 12.11.2026)`. The clock is a
 * geometric shape rather than the ⏰ emoji, which shows as an empty box without an emoji font.
 */
export function feedHealthView(feed: Pick<FeedListItem, 'health' | 'nextDueOn'>): StatusView {
	const view = HEALTH[feed.health];
	const detail =
		feed.health === 'overdue' && feed.nextDueOn ? `erwartet bis ${formatDate(feed.nextDueOn)}` : '';
	return { ...view, detail };
}

/** The whole health as one line of text, as a screen reader reads it. */
export function feedHealthText(feed: Pick<FeedListItem, 'health' | 'nextDueOn'>): string {
	const view = feedHealthView(feed);
	return `${view.symbol} ${view.word}${view.detail ? ` (${view.detail})` : ''}`;
}

export function cadenceWord(cadence: FeedListItem['cadence']): string {
	return CADENCE_WORDS[cadence];
}

const FORMAT_WORDS: Record<FeedListItem['format'], string> = {
	csv: 'CSV',
	json: 'JSON',
	datapackage: 'Frictionless Data Package (CSV oder TSV mit Table Schema)',
	'genesis-ffcsv': 'GENESIS Flat-File-CSV (Destatis, Regionalstatistik; auch gezippt)'
};

export function formatWord(format: FeedListItem['format']): string {
	return FORMAT_WORDS[format];
}

const ORIGIN_WORDS: Record<FeedRunRecord['origin'], string> = {
	cli: 'Kommandozeile',
	upload: 'Hochladen',
	demo: 'Demo'
};

export function originWord(origin: FeedRunRecord['origin']): string {
	return ORIGIN_WORDS[origin];
}

/** When the next delivery is expected, in words. */
export function nextDueText(feed: Pick<FeedListItem, 'nextDueOn'>): string {
	return feed.nextDueOn ? formatDate(feed.nextDueOn) : 'nach der ersten erfolgreichen Lieferung';
}

/**
 * The status of one run in the list of runs. A run that succeeded may still have left out a
 * few rows (up to the feed's `maxRejectedRows`): that is said, not hidden behind a tick.
 */
export function runStatusView(
	run: Pick<FeedRunReport, 'status' | 'mode' | 'rowsRejected'>
): StatusView {
	const validate = run.mode === 'validate';
	if (run.status === 'failed') {
		return validate
			? { symbol: '✕', word: 'Prüfung mit Fehlern', detail: '', tone: 'red' }
			: { symbol: '✕', word: 'fehlgeschlagen', detail: '', tone: 'red' };
	}
	if (run.rowsRejected > 0) {
		const rejected = `${countOf(run.rowsRejected, 'Zeile', 'Zeilen')} abgelehnt`;
		return {
			symbol: '!',
			word: validate ? 'Prüfung bestanden' : 'erfolgreich',
			detail: rejected,
			tone: 'amber'
		};
	}
	return validate
		? { symbol: '✓', word: 'Prüfung ohne Fehler', detail: '', tone: 'green' }
		: { symbol: '✓', word: 'erfolgreich', detail: '', tone: 'green' };
}

/** The headline of the report shown after an upload. */
export function reportHeadline(
	report: Pick<FeedRunReport, 'status' | 'mode' | 'rowsRejected'>
): StatusView {
	const nothing = report.mode === 'validate' ? ' – nichts importiert' : '';
	if (report.status === 'failed') {
		return report.mode === 'import'
			? { symbol: '✕', word: 'Import abgelehnt – nichts importiert', detail: '', tone: 'red' }
			: { symbol: '✕', word: 'Prüfung mit Fehlern – nichts importiert', detail: '', tone: 'red' };
	}
	if (report.rowsRejected > 0) {
		const rejected = countOf(report.rowsRejected, 'Zeile', 'Zeilen');
		return {
			symbol: '!',
			word:
				report.mode === 'import'
					? `Import erfolgreich, ${rejected} abgelehnt`
					: `Prüfung bestanden, ${rejected} abgelehnt${nothing}`,
			detail: '',
			tone: 'amber'
		};
	}
	return report.mode === 'import'
		? { symbol: '✓', word: 'Import erfolgreich', detail: '', tone: 'green' }
		: { symbol: '✓', word: `Prüfung ohne Fehler${nothing}`, detail: '', tone: 'green' };
}

export interface CountLine {
	label: string;
	value: string;
}

/** The row counts of a run, for a definition list. */
export function runCounts(run: FeedRunReport): CountLine[] {
	const n = (value: number) => formatNumber(value);
	const lines: CountLine[] = [
		{ label: 'Zeilen gelesen', value: n(run.rowsRead) },
		{ label: 'übernommen', value: n(run.rowsAccepted) },
		{ label: 'davon unverändert', value: n(run.rowsUnchanged) },
		{ label: 'abgelehnt', value: n(run.rowsRejected) },
		{ label: 'durch Filter übersprungen', value: n(run.rowsSkipped) }
	];
	if (run.valuesMissing > 0) lines.push({ label: 'Werte fehlend', value: n(run.valuesMissing) });
	if (run.valuesSuppressed > 0)
		lines.push({ label: 'Werte geheim gehalten', value: n(run.valuesSuppressed) });
	if (run.mode === 'import' && run.status === 'succeeded') {
		lines.push(
			{ label: 'Werte neu', value: n(run.observationsCreated) },
			{ label: 'Werte geändert', value: n(run.observationsUpdated) }
		);
		if (run.observationsRemoved > 0)
			lines.push({ label: 'Werte entfernt', value: n(run.observationsRemoved) });
	}
	return lines;
}

/** The short counts of a run for one line: `gelesen 120 · übernommen 118 · abgelehnt 2`. */
export function runCountsLine(run: FeedRunReport): string {
	return runCounts(run)
		.slice(0, 5)
		.map((line) => `${line.label} ${line.value}`)
		.join(' · ');
}

/**
 * The sentence a run in the list adds to its counts: none for a successful run (the counts say
 * it), the summary for a failed one unless it only repeats the first error listed below it.
 */
export function runNote(run: Pick<FeedRunReport, 'status' | 'summary' | 'errors'>): string | null {
	if (run.status === 'succeeded' || !run.summary) return null;
	const first = run.errors[0]?.message;
	return first && run.summary.includes(first) ? null : run.summary;
}

/** Where an error is: `Zeile 12` or, for a problem of the whole file, `Datei`. */
export function errorLine(error: Pick<FeedRunError, 'line'>): string {
	return error.line === null ? 'Datei' : formatNumber(error.line);
}

export function errorColumn(error: Pick<FeedRunError, 'column'>): string {
	return error.column ?? '–';
}

/** `Zeile 12, Spalte „wert“: …` — one error in one line of text, the column named once. */
export function errorText(error: FeedRunError): string {
	const column =
		error.column && !error.message.includes(`„${error.column}“`) ? `Spalte „${error.column}“` : '';
	const where = [error.line === null ? 'ganze Datei' : `Zeile ${formatNumber(error.line)}`, column]
		.filter(Boolean)
		.join(', ');
	return `${where}: ${error.message}`;
}

const BYTES = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 });

/** `830 Byte`, `12,4 KB`, `3,2 MB` (binary multiples, as file managers show sizes). */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${BYTES.format(bytes)}\u00a0Byte`;
	if (bytes < 1024 * 1024) return `${BYTES.format(bytes / 1024)}\u00a0KB`;
	if (bytes < 1024 * 1024 * 1024) return `${BYTES.format(bytes / 1024 / 1024)}\u00a0MB`;
	return `${BYTES.format(bytes / 1024 / 1024 / 1024)}\u00a0GB`;
}

/** The count of something with its noun in the right number: `1 Zeile`, `3 Zeilen`. */
export function countOf(count: number, one: string, many: string): string {
	return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/** The errors shown in the list of runs: the first few, and how many more the run recorded. */
export function firstErrors(
	run: Pick<FeedRunReport, 'errors'>,
	limit = 3
): { shown: FeedRunError[]; more: number } {
	const shown = run.errors.slice(0, limit);
	return { shown, more: run.errors.length - shown.length };
}

/** Pretty JSON of a feed definition, for its read-only view. */
export function definitionJson(definition: unknown): string {
	return JSON.stringify(definition, null, 2);
}

/** One value of a preview, in words for the table. */
export interface PreviewRow {
	line: number;
	period: string;
	kpi: string;
	dimensions: string;
	value: string;
}

/**
 * The preview's values as the table shows them: the KPI's title where the device knows it,
 * `Stadtbezirk: innenstadt-ost` for the breakdown, and what happens to a missing or withheld
 * value in words.
 */
export function previewRows(
	values: readonly FeedPreviewValue[],
	kpiTitles: Readonly<Record<string, string>>,
	dimensionTitles: Readonly<Record<string, string>>
): PreviewRow[] {
	return values.map((v) => ({
		line: v.line,
		period: formatPeriod(v.period),
		kpi: kpiTitles[v.kpiId] ?? v.kpiId,
		dimensions: v.dimensionKey
			? v.dimensionKey
					.split('&')
					.map((pair) => {
						const [dimension = '', member = ''] = pair.split('=');
						return `${dimensionTitles[dimension] ?? dimension}: ${member}`;
					})
					.join(', ')
			: 'gesamt',
		value: v.missing
			? 'fehlt – ein gespeicherter Wert würde entfernt'
			: v.value === null
				? 'von der Quelle geheim gehalten'
				: formatNumber(v.value)
	}));
}

/** `Auch „Melderegister“ liefert: bev.einwohner, bev.auslaender.` */
export function overlapText(
	overlap: FeedOverlap,
	kpiTitles: Readonly<Record<string, string>> = {}
): string {
	const kpis = overlap.kpiIds.map((id) => `„${kpiTitles[id] ?? id}“`).join(', ');
	return `Auch die aktive Lieferung „${overlap.title}“ schreibt ${kpis}. Die spätere Lieferung überschreibt die frühere.`;
}

/** What taking a run back did, in one sentence. */
export function takeBackText(report: TakeBackReport): string {
	const parts = [
		`${formatNumber(report.removed)} ${report.removed === 1 ? 'Wert' : 'Werte'} entfernt`,
		`${formatNumber(report.restored)} auf den Stand vor dem Lauf zurückgesetzt`
	];
	const kept = report.keptNewer
		? ` ${formatNumber(report.keptNewer)} seither anders geliefert oder erfasst – unverändert gelassen.`
		: '';
	return `Lauf zurückgenommen: ${parts.join(', ')}.${kept}`;
}
