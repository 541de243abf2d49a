import { currentEngine } from '$lib/sync/client';
import { requestOutboxSync } from '$lib/sync/background-sync';
import type { DeviceSession, KlarDatabase } from '$lib/sync/db';
import { enqueueEntry, newEntryId } from '$lib/sync/outbox';
import type { EntryV1 } from '#shared/protocol';
import {
	kpiValueForm,
	kpiValueProblems,
	type FormDeclaration,
	type KpiValueEntry,
	type ReferenceNames
} from '#shared/forms/index';
import { toFormValues, toPayload, type FormValues } from '#shared/forms/input';
import { type KpiDefinition } from '#shared/catalogue';
import { clashingRecord } from './entries-view';
import { deviceNow, deviceToday } from '$lib/app/device-clock';
import { fieldErrorsOf } from '#shared/field-errors';

/** What a save needs besides the values: facts the page knows from the synced lists. */
export interface SaveContext {
	/** Facts beside the values that decide which fields apply (a KPI with districts). */
	context: Record<string, unknown>;
	/** The KPI chosen in the value form. */
	chosenKpi: KpiDefinition | undefined;
	/** The versions synced to the device, to refuse a second record about the same thing. */
	entries: readonly EntryV1[];
	names: ReferenceNames;
}

const DUPLICATE =
	'Dafür gibt es schon einen Eintrag. Bitte diesen korrigieren statt einen zweiten anzulegen.';

/**
 * One form being filled on the phone: its values and messages, the draft kept while typing,
 * the correction of a record or of a refused entry, and the save into the outbox. The page
 * binds the inputs; everything that happens with them is here.
 */
export class EntryEditor {
	values = $state<FormValues>({});
	errors = $state<Record<string, string>>({});
	busy = $state(false);
	confirmation = $state('');
	draftNote = $state('');
	/** Set while a record is corrected: the entry becomes its next version. */
	recordId = $state<string | undefined>(undefined);
	/** The record a refused save clashed with, to link to. */
	clashRecord = $state<string | null>(null);

	private dirty = false;
	private draftId: string | null = null;
	private replacesOutboxId: string | undefined;
	private draftTimer: ReturnType<typeof setTimeout> | undefined;
	private lastPrefillSource = '';

	constructor(
		private readonly db: KlarDatabase,
		readonly form: FormDeclaration,
		private readonly person: DeviceSession
	) {
		this.values = this.initialValues();
	}

	/** A new entry's values: empty, with the form's defaults for the phone's day. */
	private initialValues(): FormValues {
		const values: FormValues = {};
		for (const field of this.form.fields)
			values[field.name] = field.kind === 'checkbox' ? false : '';
		return { ...values, ...this.form.defaults?.(deviceToday()) };
	}

	/**
	 * Opens what the URL names: a draft (`entwurf`), a correction of a record (`korrigieren`) or a
	 * refused entry to fix (`zurueckgewiesen`); otherwise a new entry.
	 */
	async open(url: URL): Promise<void> {
		const { db, form, person } = this;
		this.values = this.initialValues();
		this.errors = {};
		this.draftId = null;
		this.recordId = undefined;
		this.replacesOutboxId = undefined;
		const draft = url.searchParams.get('entwurf');
		const correct = url.searchParams.get('korrigieren');
		const refused = url.searchParams.get('zurueckgewiesen');
		if (draft) {
			const stored = await db.drafts.get(draft);
			if (stored && stored.userId === person.id) {
				this.values = { ...this.values, ...stored.values };
				this.draftId = stored.id;
				this.recordId = stored.recordId;
				this.replacesOutboxId = stored.replacesOutboxId;
			}
		} else if (correct) {
			const versions = await db.entries.where('recordId').equals(correct).toArray();
			const latest = versions.sort((a, b) => b.version - a.version)[0];
			if (latest && latest.formId === form.id) {
				this.values = toFormValues(form, latest.payload);
				this.recordId = latest.recordId;
			}
		} else if (refused) {
			const stored = await db.outbox.get(refused);
			if (stored && stored.authorId === person.id && stored.formId === form.id) {
				this.values = toFormValues(form, (stored.payload ?? {}) as Record<string, unknown>);
				this.recordId = stored.recordId;
				this.replacesOutboxId = stored.id;
				this.errors = stored.rejection?.fieldErrors ?? {};
			}
		}
		this.dirty = false;
		this.lastPrefillSource = '';
	}

	/**
	 * Fields the form fills from a reference list (the capacity of the chosen facility), when the
	 * item they follow changes – but not over a value a draft or correction brought along.
	 */
	prefill(lists: { facilities: readonly { id: string; capacity: number }[] }): void {
		for (const field of this.form.fields) {
			if (!field.prefill) continue;
			const picked = this.values[field.prefill.from];
			if (typeof picked !== 'string' || !picked || picked === this.lastPrefillSource) continue;
			const first = this.lastPrefillSource === '';
			this.lastPrefillSource = picked;
			const item = lists[field.prefill.list].find((i) => i.id === picked);
			if (item && !(first && this.values[field.name])) {
				this.values[field.name] = String(item[field.prefill.property]);
			}
		}
	}

	/** An input changed: the draft on the device follows shortly (a dead battery loses nothing). */
	changed(): void {
		this.dirty = true;
		this.draftNote = '';
		clearTimeout(this.draftTimer);
		this.draftTimer = setTimeout(() => void this.keepDraft(false), 800);
	}

	async keepDraft(explicit: boolean): Promise<void> {
		if (!this.dirty && !explicit) return;
		this.draftId ??= newEntryId();
		await this.db.drafts.put({
			id: this.draftId,
			userId: this.person.id,
			formId: this.form.id,
			values: $state.snapshot(this.values),
			...(this.recordId ? { recordId: this.recordId } : {}),
			...(this.replacesOutboxId ? { replacesOutboxId: this.replacesOutboxId } : {}),
			updatedAt: deviceNow()
		});
		this.draftNote = explicit
			? 'Als Entwurf auf diesem Gerät gespeichert. Sie finden ihn unter „Meine Einträge“.'
			: 'Entwurf auf dem Gerät gesichert.';
	}

	/**
	 * Checks the values with the form's schema (and, for the value form, against the chosen KPI),
	 * refuses a second record about the same thing, and puts the entry into the outbox. The
	 * first faulty field gets the focus.
	 */
	async save({ context, chosenKpi, entries, names }: SaveContext): Promise<void> {
		const { form } = this;
		this.confirmation = '';
		this.clashRecord = null;
		const parsed = form.schema(deviceToday()).safeParse(toPayload(form, this.values, context));
		let problems = parsed.success ? {} : fieldErrorsOf(parsed.error);
		if (parsed.success && form.id === kpiValueForm.id) {
			problems = kpiValueProblems(
				parsed.data as KpiValueEntry,
				chosenKpi,
				this.person.writableAreas
			);
		}
		if (!parsed.success || Object.keys(problems).length) {
			this.errors = problems;
			document.getElementById(Object.keys(problems)[0] ?? '')?.focus();
			return;
		}
		const payload = parsed.data as Record<string, unknown>;
		this.clashRecord = clashingRecord(entries, form, payload, this.recordId);
		if (this.clashRecord) {
			this.errors = { _form: DUPLICATE };
			return;
		}
		this.errors = {};
		this.busy = true;
		clearTimeout(this.draftTimer);
		try {
			await enqueueEntry(this.db, form, payload, this.person.id, {
				recordId: this.recordId,
				draftId: this.draftId ?? undefined,
				replacesOutboxId: this.replacesOutboxId
			});
			const summary = form.summary(payload as never, names);
			this.confirmation = `${this.recordId ? 'Korrektur gespeichert' : 'Gespeichert'}: ${summary}. ${
				navigator.onLine
					? 'Der Eintrag wird gesendet und wartet dann auf die Freigabe.'
					: 'Der Eintrag wird gesendet, sobald eine Verbindung besteht.'
			}`;
			const kept = Object.fromEntries(
				(form.keepAfterSave ?? []).flatMap((name) => {
					const value = this.values[name];
					return value ? [[name, value]] : [];
				})
			);
			this.values = { ...this.initialValues(), ...kept };
			this.lastPrefillSource = '';
			this.draftId = null;
			this.recordId = undefined;
			this.replacesOutboxId = undefined;
			this.dirty = false;
			this.draftNote = '';
			void currentEngine()?.sync('submit');
			void requestOutboxSync();
		} catch (error) {
			this.errors = {
				_form:
					error instanceof DOMException && error.name === 'QuotaExceededError'
						? 'Der Speicher des Geräts ist voll. Bitte Speicher freigeben und erneut versuchen.'
						: 'Der Eintrag konnte auf dem Gerät nicht gespeichert werden.'
			};
		} finally {
			this.busy = false;
		}
	}
}
