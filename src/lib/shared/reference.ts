import { z } from 'zod';
import { fieldErrorsOf, type FieldErrors } from './field-errors';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from './text';

/**
 * The reference lists admins maintain (districts, accommodation facilities, course providers):
 * the shapes sent to the server, the validation with German messages, and the pure helpers the
 * server and the admin pages share.
 */
export type ReferenceKind = 'district' | 'facility' | 'provider';

export const REFERENCE_KINDS: readonly ReferenceKind[] = ['district', 'facility', 'provider'];

/** Singular and plural words for messages and headings. */
export const REFERENCE_WORDS: Record<ReferenceKind, { one: string; many: string; newOne: string }> =
	{
		district: { one: 'Stadtteil', many: 'Stadtteile', newOne: 'Neuer Stadtteil' },
		facility: { one: 'Einrichtung', many: 'Einrichtungen', newOne: 'Neue Einrichtung' },
		provider: { one: 'Kursträger', many: 'Kursträger', newOne: 'Neuer Kursträger' }
	};

/** The `entity` an audit record of the list names. */
export const REFERENCE_AUDIT_ENTITY: Record<
	ReferenceKind,
	'district' | 'facility' | 'course_provider'
> = { district: 'district', facility: 'facility', provider: 'course_provider' };

export const MAX_CAPACITY = 5000;

// What the browser sends: only the types are checked here, so that a wrong value reaches the
// German validation below and comes back as a message beside its field.
const WireId = z.string().min(1).max(100);
const WireName = z.string().max(1000);

export const DistrictDraft = z.object({
	id: WireId.optional(),
	name: WireName,
	active: z.boolean()
});
export type DistrictDraft = z.infer<typeof DistrictDraft>;

export const FacilityDraft = DistrictDraft.extend({
	districtId: z.string().max(100),
	/** null: the field was empty or held no number. */
	capacity: z.number().nullable()
});
export type FacilityDraft = z.infer<typeof FacilityDraft>;

export const ProviderDraft = DistrictDraft.extend({
	districtId: z.string().max(100)
});
export type ProviderDraft = z.infer<typeof ProviderDraft>;

export type ReferenceDraft = DistrictDraft | FacilityDraft | ProviderDraft;

export const ReferenceName = z
	.string({ error: 'Bitte einen Namen angeben.' })
	.overwrite((name) => name.replace(/\s+/g, ' ').trim())
	.refine((name) => !hasUnsafeCharacters(name), UNSAFE_TEXT_MESSAGE)
	.min(1, 'Bitte einen Namen angeben.')
	.min(2, 'Der Name muss mindestens 2 Zeichen lang sein.')
	.max(80, 'Der Name darf höchstens 80 Zeichen lang sein.');

export const Capacity = z
	.number({ error: 'Bitte die Kapazität als ganze Zahl angeben.' })
	.int('Die Kapazität muss eine ganze Zahl sein.')
	.min(0, 'Die Kapazität darf nicht negativ sein.')
	.max(MAX_CAPACITY, 'Die Kapazität darf höchstens 5.000 Plätze betragen.');

const DistrictChoice = z
	.string({ error: 'Bitte einen Stadtteil wählen.' })
	.min(1, 'Bitte einen Stadtteil wählen.');

export const DistrictInput = DistrictDraft.extend({ name: ReferenceName });
export type DistrictInput = z.infer<typeof DistrictInput>;

export const FacilityInput = FacilityDraft.extend({
	name: ReferenceName,
	districtId: DistrictChoice,
	capacity: Capacity
});
export type FacilityInput = z.infer<typeof FacilityInput>;

export const ProviderInput = ProviderDraft.extend({
	name: ReferenceName,
	districtId: DistrictChoice
});
export type ProviderInput = z.infer<typeof ProviderInput>;

export const REFERENCE_INPUT = {
	district: DistrictInput,
	facility: FacilityInput,
	provider: ProviderInput
} as const;

/** Rows of the lists as the admin pages show them (inactive ones included). */
export interface DistrictRow {
	id: string;
	name: string;
	sortOrder: number;
	active: boolean;
	updatedAt: string;
}

export interface FacilityRow {
	id: string;
	name: string;
	districtId: string;
	/** The district's name. */
	district: string;
	capacity: number;
	active: boolean;
	updatedAt: string;
}

export interface ProviderRow {
	id: string;
	name: string;
	districtId: string;
	district: string;
	active: boolean;
	updatedAt: string;
}

export type ReferenceRow = DistrictRow | FacilityRow | ProviderRow;

/**
 * The answer to a save. A refused save is an ordinary answer, not a thrown error, because the
 * page shows each message beside its field; `_form` holds a message about the whole entry.
 */
export type SaveResult<Row> =
	| { ok: true; outcome: 'created' | 'updated' | 'unchanged'; item: Row }
	| { ok: false; fieldErrors: FieldErrors };

/** What the inputs of an admin form hold. */
export interface ReferenceInputs {
	name: string;
	districtId: string;
	capacity: string;
	active: boolean;
}

/**
 * A capacity typed on a phone: `240`, ` 1.200 ` (German thousands). Anything else that is a
 * number (`-1`, `12,5`) stays a number so the message says what is wrong with it; text is null.
 */
export function capacityFromText(text: string): number | null {
	let value = text.replace(/\s/g, '');
	if (/^\d{1,3}(\.\d{3})+$/.test(value)) value = value.replaceAll('.', '');
	value = value.replace(',', '.');
	if (!/^[+-]?\d+(\.\d+)?$/.test(value)) return null;
	return Number(value);
}

export function draftFromInputs(
	kind: ReferenceKind,
	inputs: ReferenceInputs,
	id?: string
): ReferenceDraft {
	const base = { ...(id ? { id } : {}), name: inputs.name, active: inputs.active };
	if (kind === 'district') return base;
	if (kind === 'provider') return { ...base, districtId: inputs.districtId };
	return { ...base, districtId: inputs.districtId, capacity: capacityFromText(inputs.capacity) };
}

/** The messages the form shows before sending; the server checks the same and more. */
export function validateDraft(kind: ReferenceKind, draft: ReferenceDraft): FieldErrors | null {
	const parsed = REFERENCE_INPUT[kind].safeParse(draft);
	return parsed.success ? null : fieldErrorsOf(parsed.error);
}

const TRANSLITERATION: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** `GU Hohenecker Straße` → `gu-hohenecker-strasse`: the id of a new entry. */
export function slugOf(name: string): string {
	const ascii = name
		.toLowerCase()
		.replace(/[äöüß]/g, (c) => TRANSLITERATION[c]!)
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '');
	const slug = ascii
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+/, '')
		.slice(0, 60)
		.replace(/-+$/, '');
	return slug || 'eintrag';
}

/** The slug, or the slug with `-2`, `-3` … when an entry already has it. */
export function uniqueSlug(name: string, taken: (id: string) => boolean): string {
	const base = slugOf(name);
	if (!taken(base)) return base;
	for (let n = 2; ; n++) {
		const candidate = `${base}-${n}`;
		if (!taken(candidate)) return candidate;
	}
}

/** Names that differ only in case or spacing are the same name. */
export function nameKey(name: string): string {
	return name.replace(/\s+/g, ' ').trim().toLocaleLowerCase('de-DE');
}

/** The line the page announces after a save. */
export function savedMessage(
	kind: ReferenceKind,
	outcome: 'created' | 'updated' | 'unchanged',
	item: { name: string; active: boolean },
	wasActive?: boolean
): string {
	const what = `${REFERENCE_WORDS[kind].one} „${item.name}“`;
	if (outcome === 'unchanged') return `Keine Änderung: ${what} ist unverändert.`;
	if (outcome === 'created') return `Gespeichert: ${what} angelegt.`;
	if (wasActive === true && !item.active) return `Gespeichert: ${what} deaktiviert.`;
	if (wasActive === false && item.active) return `Gespeichert: ${what} wieder aktiviert.`;
	return `Gespeichert: ${what} geändert.`;
}
