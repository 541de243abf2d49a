import { z } from 'zod';
import type { FieldErrors } from './field-errors';
import { safeText } from './text';

/**
 * Feedback on accessibility (the "Feedback-Mechanismus" a public body owes under EU directive
 * 2016/2102, art. 7): anyone may send it, logged in or not. The device keeps it in its own
 * outbox until the server took it; the client-made id lets a retry land once.
 */

export const FEEDBACK_TEXT_MAX = 2000;
export const FEEDBACK_PAGE_MAX = 300;
export const FEEDBACK_NAME_MAX = 100;
export const FEEDBACK_EMAIL_MAX = 254;
export const FEEDBACK_NOTE_MAX = 1000;

const FeedbackId = z.uuid({ error: 'Die Kennung der Rückmeldung ist ungültig.' });

/** What a person writes; the fields of the form, with the German messages both sides show. */
export const FeedbackDraftV1 = z.object({
	text: safeText({ multiline: true, error: 'Bitte beschreiben Sie das Problem.' })
		.trim()
		.min(1, 'Bitte beschreiben Sie das Problem.')
		.max(
			FEEDBACK_TEXT_MAX,
			`Die Beschreibung darf höchstens ${FEEDBACK_TEXT_MAX.toLocaleString('de-DE')} Zeichen lang sein.`
		),
	page: safeText({ error: 'Bitte die Seite als Text angeben.' })
		.trim()
		.max(
			FEEDBACK_PAGE_MAX,
			`Die Angabe der Seite darf höchstens ${FEEDBACK_PAGE_MAX} Zeichen lang sein.`
		)
		.default(''),
	email: z
		.string({ error: 'Bitte die E-Mail-Adresse als Text angeben.' })
		.trim()
		.max(FEEDBACK_EMAIL_MAX, 'Die E-Mail-Adresse ist zu lang.')
		.refine(
			(email) => email === '' || z.email().safeParse(email).success,
			'Bitte eine gültige E-Mail-Adresse angeben, zum Beispiel name@beispiel.de – oder das Feld leer lassen.'
		)
		.default(''),
	name: safeText({ error: 'Bitte den Namen als Text angeben.' })
		.trim()
		.max(FEEDBACK_NAME_MAX, `Der Name darf höchstens ${FEEDBACK_NAME_MAX} Zeichen lang sein.`)
		.default('')
});
export type FeedbackDraft = z.input<typeof FeedbackDraftV1>;

/** One message as the device sends it: the draft, its id, and when it was written. */
export const FeedbackMessageV1 = FeedbackDraftV1.extend({
	id: FeedbackId,
	writtenAt: z.iso.datetime({ error: 'Der Zeitpunkt ist ungültig.' }),
	/**
	 * Who was logged in on the device when it was written (null: nobody). A message waits on the
	 * device across logins; the server names the session's user only when it is this one, so a
	 * citizen's message sent after a clerk logged in is not the clerk's. It can only take a name
	 * away, never give one.
	 */
	writtenBy: z.string().max(100).nullable().default(null)
});
export type FeedbackMessage = z.output<typeof FeedbackMessageV1>;

/** The server's answer: taken (now or by an earlier try of the same id), or refused per field. */
export type FeedbackSendResult =
	{ ok: true; outcome: 'received' | 'duplicate' } | { ok: false; fieldErrors: FieldErrors };

/** How central controlling works through feedback. Any state may follow any other. */
export const FeedbackState = z.enum(['neu', 'in_bearbeitung', 'erledigt']);
export type FeedbackState = z.infer<typeof FeedbackState>;

export const FEEDBACK_STATE_WORDS: Record<FeedbackState, string> = {
	neu: 'Neu',
	in_bearbeitung: 'In Bearbeitung',
	erledigt: 'Erledigt'
};

export const FeedbackListInputV1 = z.object({
	state: FeedbackState.optional(),
	/** Cursor: only feedback received before this one (its `receivedAt` and id). */
	before: z.object({ receivedAt: z.string().max(40), id: FeedbackId }).optional(),
	limit: z.number().int().min(1).max(100).default(50)
});
export type FeedbackListInput = z.input<typeof FeedbackListInputV1>;

export const FeedbackSetStateInputV1 = z.object({
	id: FeedbackId,
	state: FeedbackState,
	note: safeText({ multiline: true })
		.trim()
		.max(FEEDBACK_NOTE_MAX, `Die Bemerkung darf höchstens ${FEEDBACK_NOTE_MAX} Zeichen lang sein.`)
		.default('')
});
export type FeedbackSetStateInput = z.input<typeof FeedbackSetStateInputV1>;

/** One feedback as the admin list shows it. */
export interface FeedbackItemV1 {
	id: string;
	receivedAt: string;
	writtenAt: string;
	text: string;
	page: string;
	email: string;
	name: string;
	/** Display name of the logged-in sender, from the session; null for a visitor. */
	authorName: string | null;
	state: FeedbackState;
	stateChangedAt: string | null;
	stateChangedByName: string | null;
	note: string;
}
