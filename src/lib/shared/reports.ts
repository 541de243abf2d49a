import { z } from 'zod';
import { KpiIdV1 } from './catalogue';
import { parseIsoDate } from './periods';
import { safeText } from './text';

/**
 * A committee report (Sitzungsbericht): chosen KPIs in the author's order with a note each, for
 * one meeting. It holds KPI ids and the author's words, never figures: whoever opens it renders
 * the figures from their own synced data, so a report shows nobody more than they may see.
 */

export const REPORT_LIMITS = {
	title: 120,
	note: 1000,
	/** A report for one meeting; more KPIs than this nobody reads in a session. */
	kpis: 40
} as const;

export const ReportTitle = safeText({ error: 'Bitte einen Titel angeben.' })
	.trim()
	.min(1, 'Bitte einen Titel angeben.')
	.max(REPORT_LIMITS.title, `Der Titel darf höchstens ${REPORT_LIMITS.title} Zeichen haben.`);

export const MeetingDate = z
	.string({ error: 'Bitte das Sitzungsdatum angeben.' })
	.refine((value) => parseIsoDate(value) !== null, 'Bitte das Sitzungsdatum als Datum angeben.');

export const ReportNote = safeText({ multiline: true }).max(
	REPORT_LIMITS.note,
	`Eine Notiz darf höchstens ${REPORT_LIMITS.note} Zeichen haben.`
);

/** One KPI of a report: its block in the print view. */
export const ReportItemV1 = z.object({
	kpiId: KpiIdV1,
	note: ReportNote.default(''),
	/** Start this block on a new page ("neue Seite vor diesem Block"). */
	pageBreakBefore: z.boolean().default(false)
});
export type ReportItem = z.infer<typeof ReportItemV1>;

/** What an author decides: title, meeting date and the KPIs in order. */
export const ReportContentV1 = z.object({
	title: ReportTitle,
	meetingDate: MeetingDate,
	items: z
		.array(ReportItemV1)
		.max(REPORT_LIMITS.kpis, `Ein Bericht fasst höchstens ${REPORT_LIMITS.kpis} Kennzahlen.`)
		.refine(
			(items) => new Set(items.map((item) => item.kpiId)).size === items.length,
			'Jede Kennzahl steht nur einmal im Bericht.'
		)
});
export type ReportContent = z.infer<typeof ReportContentV1>;

/** A report as the device keeps it: the content, its author and when it changed. */
export interface Report extends ReportContent {
	id: string;
	userId: string;
	createdAt: string;
	updatedAt: string;
}

/**
 * The shape a share link carries, versioned: a changed shape gets a new `v`, and a link of a
 * version this app does not know is refused with a message, never half read. Short keys keep
 * links short enough for a mail or a chat message.
 */
export const SHARE_LINK_VERSION = 1;
const SharedReportV1 = z
	.object({
		v: z.literal(SHARE_LINK_VERSION),
		title: ReportTitle,
		date: MeetingDate,
		kpis: z
			.array(
				z
					.object({
						id: KpiIdV1,
						note: ReportNote.optional(),
						newPage: z.literal(true).optional()
					})
					.strict()
			)
			.max(REPORT_LIMITS.kpis, `Ein Bericht fasst höchstens ${REPORT_LIMITS.kpis} Kennzahlen.`)
	})
	.strict();

/** The path of a shared report; the report itself follows in the fragment, which no request carries. */
export const SHARED_REPORT_PATH = '/bericht/geteilt';

export const SHARE_LINK_MESSAGES = {
	empty: 'Der Link enthält keinen Bericht. Bitte lassen Sie sich den Link noch einmal schicken.',
	damaged:
		'Der Link ist beschädigt oder unvollständig (vielleicht beim Kopieren abgeschnitten). Bitte lassen Sie sich den Link noch einmal schicken.',
	unknownVersion: (version: string) =>
		`Dieser Link hat ein Format (Version ${version}), das diese Version von KLAR nicht kennt. Bitte laden Sie die App neu oder lassen Sie sich den Link noch einmal schicken.`,
	invalid: (detail: string) =>
		`Der Link enthält keinen gültigen Bericht: ${detail} Bitte lassen Sie sich den Link noch einmal schicken.`
} as const;

export type DecodedShareLink =
	{ ok: true; content: ReportContent } | { ok: false; message: string };

function toBase64Url(text: string): string {
	let binary = '';
	for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
	if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error('not base64url');
	const padded = encoded.replace(/-/g, '+').replace(/_/g, '/');
	const binary = atob(padded + '='.repeat((4 - (padded.length % 4)) % 4));
	const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
	return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The fragment (without `#`) of a share link for the report's content. */
export function encodeShareFragment(content: ReportContent): string {
	const shared: z.input<typeof SharedReportV1> = {
		v: SHARE_LINK_VERSION,
		title: content.title,
		date: content.meetingDate,
		kpis: content.items.map((item) => ({
			id: item.kpiId,
			...(item.note ? { note: item.note } : {}),
			...(item.pageBreakBefore ? { newPage: true as const } : {})
		}))
	};
	return toBase64Url(JSON.stringify(shared));
}

/** The whole share link on the given origin. */
export function shareLink(origin: string, content: ReportContent): string {
	return `${origin}${SHARED_REPORT_PATH}#${encodeShareFragment(content)}`;
}

/**
 * Reads a share link's fragment (with or without `#`). Anything but a report of a known version
 * that passes the same rules as one made on this device is refused with a German message.
 */
export function decodeShareFragment(fragment: string): DecodedShareLink {
	const encoded = fragment.startsWith('#') ? fragment.slice(1) : fragment;
	if (!encoded.trim()) return { ok: false, message: SHARE_LINK_MESSAGES.empty };
	let raw: unknown;
	try {
		raw = JSON.parse(fromBase64Url(encoded.trim()));
	} catch {
		return { ok: false, message: SHARE_LINK_MESSAGES.damaged };
	}
	if (typeof raw !== 'object' || raw === null || !('v' in raw)) {
		return { ok: false, message: SHARE_LINK_MESSAGES.damaged };
	}
	if (raw.v !== SHARE_LINK_VERSION) {
		return { ok: false, message: SHARE_LINK_MESSAGES.unknownVersion(String(raw.v).slice(0, 10)) };
	}
	const parsed = SharedReportV1.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const detail =
			issue?.code === 'unrecognized_keys' || issue?.code === 'invalid_type'
				? 'Er enthält unbekannte oder fehlende Angaben.'
				: (issue?.message ?? 'unbekannter Fehler.');
		return { ok: false, message: SHARE_LINK_MESSAGES.invalid(detail) };
	}
	const content = ReportContentV1.safeParse({
		title: parsed.data.title,
		meetingDate: parsed.data.date,
		items: parsed.data.kpis.map((kpi) => ({
			kpiId: kpi.id,
			note: kpi.note ?? '',
			pageBreakBefore: kpi.newPage ?? false
		}))
	});
	if (!content.success) {
		return {
			ok: false,
			message: SHARE_LINK_MESSAGES.invalid(content.error.issues[0]?.message ?? '')
		};
	}
	return { ok: true, content: content.data };
}
