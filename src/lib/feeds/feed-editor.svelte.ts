import { api, userMessageOf } from '$lib/sync/trpc-transport';
import {
	SAMPLE_LIMIT_BYTES,
	type FeedDefinitionVersion,
	type FeedListItem,
	type FeedPreview
} from '#shared/feeds';
import { definitionJson, takeBackText } from './feed-view';

/** A sample file as the preview sends it. */
export interface Sample {
	fileName: string;
	bytes: number;
	base64: string;
}

/** Bytes as base64, in slices so that a large file does not overflow the argument list. */
export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(binary);
}

/** What a data officer starts from: the fields every definition has, to be filled in. */
export const DEFINITION_TEMPLATE = definitionJson({
	id: 'neue-lieferung',
	title: 'Titel der Lieferung',
	description: '',
	owner: { department: 'Fachbereich', contact: 'Ansprechperson' },
	source: {
		format: 'csv',
		dialect: { delimiter: ';', encoding: 'utf-8', decimal: ',', thousands: '.', header: true }
	},
	mapping: {
		period: { column: 'Stichtag', format: 'DD.MM.YYYY' },
		values: [{ column: 'Wert', kpi: { fixed: 'bereich.kennzahl' } }]
	},
	cadence: 'monthly',
	graceDays: 10
});

/**
 * The state of the definition screen of a feed: the JSON text, the sample, the preview, and
 * saving — which the screen offers only after a preview of exactly this text and sample passed
 * (the server checks again when saving).
 */
export class FeedEditor {
	text = $state('');
	sample = $state<Sample | null>(null);
	preview = $state<FeedPreview | null>(null);
	/** The text and sample the preview was made for. */
	private previewed = $state<{ text: string; sample: Sample } | null>(null);
	busy = $state(false);
	/** A German message: the sample is refused, or the server could not be reached. */
	error = $state('');
	/** German problems of the last save. */
	saveProblems = $state<string[]>([]);

	constructor(
		readonly intent: 'create' | 'edit',
		readonly feedId: string | null
	) {}

	/** The preview is of the current text and sample, and the sample passed. */
	get ready(): boolean {
		return (
			this.previewed !== null &&
			this.previewed.text === this.text &&
			this.previewed.sample === this.sample &&
			this.preview?.ok === true &&
			this.preview.report.status === 'succeeded'
		);
	}

	/** The preview no longer shows the current text or sample. */
	get stale(): boolean {
		return (
			this.previewed !== null &&
			(this.previewed.text !== this.text || this.previewed.sample !== this.sample)
		);
	}

	async chooseSample(file: File | undefined): Promise<void> {
		this.error = '';
		this.sample = null;
		if (!file) return;
		if (file.size > SAMPLE_LIMIT_BYTES) {
			this.error =
				'Die Beispieldatei ist größer als 1 MB. Für die Vorschau genügt ein Ausschnitt mit den ersten Zeilen.';
			return;
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		this.sample = { fileName: file.name, bytes: bytes.length, base64: toBase64(bytes) };
	}

	async runPreview(): Promise<void> {
		const sample = this.sample;
		if (!sample) {
			this.error = 'Bitte eine Beispieldatei wählen: Die Vorschau zeigt, was aus ihr würde.';
			return;
		}
		const text = this.text;
		await this.request(async () => {
			this.preview = await api.feeds.preview.mutate({
				definition: text,
				sample: { fileName: sample.fileName, base64: sample.base64 }
			});
			this.previewed = { text, sample };
		});
	}

	/** Saves; the stored feed's id and version, or null with `saveProblems` set. */
	async save(): Promise<{ feedId: string; version: number; created: boolean } | null> {
		const sample = this.sample;
		if (!this.ready || !sample) return null;
		let saved: { feedId: string; version: number; created: boolean } | null = null;
		await this.request(async () => {
			const answer = await api.feeds.save.mutate({
				definition: this.text,
				sample: { fileName: sample.fileName, base64: sample.base64 },
				intent: this.intent,
				feedId: this.feedId ?? undefined
			});
			if (answer.ok) saved = answer;
			else this.saveProblems = answer.problems;
		});
		return saved;
	}

	private async request(task: () => Promise<void>): Promise<void> {
		this.busy = true;
		this.error = '';
		this.saveProblems = [];
		try {
			await task();
		} catch (error) {
			this.error = userMessageOf(error);
		} finally {
			this.busy = false;
		}
	}
}

/** What the screen of an existing feed shows besides the editor. */
export interface StoredFeed {
	item: FeedListItem;
	versions: FeedDefinitionVersion[];
}

/** The feed's list entry, its definition as text and its versions; null for an unknown feed. */
export async function loadStoredFeed(
	feedId: string
): Promise<{ stored: StoredFeed; text: string } | null> {
	const list = await api.feeds.list.query();
	const item = list.feeds.find((f) => f.id === feedId);
	if (!item) return null;
	const [definition, versions] = await Promise.all([
		api.feeds.definition.query({ feedId }),
		api.feeds.versions.query({ feedId })
	]);
	return { stored: { item, versions }, text: definitionJson(definition) };
}

/** Retires a feed or takes it up again; a German refusal, or null. */
export async function setFeedActive(feedId: string, active: boolean): Promise<string | null> {
	try {
		await api.feeds.setActive.mutate({ feedId, active });
		return null;
	} catch (error) {
		return userMessageOf(error);
	}
}

/** Deletes a feed without standing runs; a German refusal, or null. */
export async function removeFeed(feedId: string, confirmation: string): Promise<string | null> {
	try {
		const answer = await api.feeds.remove.mutate({ feedId, confirmation });
		return answer.ok ? null : answer.message;
	} catch (error) {
		return userMessageOf(error);
	}
}

/** Takes a run back; the sentence of what happened, or a German refusal. */
export async function takeBackRun(
	runId: string
): Promise<{ ok: true; message: string } | { ok: false; message: string }> {
	try {
		const answer = await api.feeds.takeBack.mutate({ runId });
		return answer.ok ? { ok: true, message: takeBackText(answer.report) } : answer;
	} catch (error) {
		return { ok: false, message: userMessageOf(error) };
	}
}
