import { z } from 'zod';
import type { AreaId } from '#shared/areas';
import { addDays } from 'date-fns';
import { cadenceOfPeriod, parseIsoDate, periodStart, toIsoDate } from '#shared/periods';
import { hasUnsafeCharacters, UNSAFE_TEXT_MESSAGE } from '#shared/text';

/**
 * The building blocks of form declarations: field descriptions for the phone form and the zod
 * pieces that carry the German messages. Pure, shared by the browser, the outbox and the server.
 */
export type FieldKind =
	'integer' | 'decimal' | 'date' | 'week' | 'period' | 'select' | 'text' | 'textarea' | 'checkbox';

/**
 * Reference lists synced to the device; `kpis` are the KPIs the user may enter values for;
 * `dimension:<id>` the members of a catalogue dimension with a fixed list (origin groups …).
 */
export type OptionSource =
	'facilities' | 'districts' | 'providers' | 'kpis' | `dimension:${string}`;

export const dimensionOptions = (dimension: string): OptionSource => `dimension:${dimension}`;

/** The dimension of a `dimension:<id>` option source, else null. */
export function optionDimension(options: FormField['options']): string | null {
	return typeof options === 'string' && options.startsWith('dimension:')
		? options.slice('dimension:'.length)
		: null;
}

export interface FormField {
	name: string;
	label: string;
	hint?: string;
	unit?: string;
	kind: FieldKind;
	/** A select's options: a synced reference list or fixed values (value → label). */
	options?: OptionSource | Record<string, string>;
	/** Fields that only apply in some cases, e.g. the reason of an override. */
	showWhen?: (values: Record<string, unknown>) => boolean;
	/** Whether leaving it empty is fine (shown as "optional"). */
	optional?: boolean;
	/**
	 * Filled from a reference list when another field picks an item of it: the capacity of the
	 * facility chosen. The person may still change it.
	 */
	prefill?: { from: string; list: 'facilities'; property: 'capacity' };
}

/** Names of referenced things for one-line summaries ("Haus am Park, 21.11.2026: …"). */
export interface ReferenceNames {
	facility(id: string): string;
	district(id: string): string;
	provider(id: string): string;
	kpi(id: string): string;
	/** A member's label from its dimension's list in the catalogue. */
	member(dimension: string, id: string): string;
}

export interface FormDeclaration<S extends z.ZodType = z.ZodType> {
	id: string;
	/** URL segment of the form under /erfassen. */
	slug: string;
	/** The area the entries belong to; null: the chosen KPI decides (generic value form). */
	areaId: AreaId | null;
	title: string;
	description: string;
	fields: FormField[];
	/**
	 * The schema as of a calendar day (ISO date): dates are refused before `EARLIEST_DAY` and
	 * after that day (with a day's tolerance). The phone passes its own day, the server the
	 * city's day on its clock; neither reads a clock in here.
	 */
	schema: (today: string) => S;
	/**
	 * What a record is about (facility and day, light and report day …). Two records of a form
	 * with the same key would contradict each other, so the second one is refused and the first
	 * one corrected instead; null when any number of records may exist (course offers).
	 */
	key: (payload: z.infer<S>) => string | null;
	/** One line that names an entry in lists. */
	summary: (payload: z.infer<S>, names: ReferenceNames) => string;
	/** Values a new entry starts with on the phone's day `today` (the day as Stichtag). */
	defaults?: (today: string) => Record<string, string>;
	/**
	 * Fields that keep their value for the next entry after a save: a round of entries for the
	 * same day goes facility by facility.
	 */
	keepAfterSave?: readonly string[];
}

/** Tolerate a phone clock a few hours ahead of the server. */
const MAX_DAYS_AHEAD = 1;

/**
 * No entry is about a day before this one: KLAR's history starts in this century, and a date
 * like 0001-01-01 or 1970-W01 is a typing or client error that would stretch every series.
 */
export const EARLIEST_DAY = '2000-01-01';

/** The latest day an entry made on `today` (ISO date) may be about. */
export function latestAllowedDay(today: string): string {
	const day = parseIsoDate(today);
	if (!day) throw new Error(`Not an ISO date: ${today}`);
	return toIsoDate(addDays(day, MAX_DAYS_AHEAD));
}

/** Whether a period starting on `startDay` (ISO date) begins before the plausible range. */
export const tooEarly = (startDay: string) => startDay < EARLIEST_DAY;

/**
 * A form schema built once per calendar day: the date rules depend on the day, the rest does
 * not, and a form is validated on every keystroke.
 */
export function perDay<S>(build: (today: string) => S): (today: string) => S {
	let day: string | null = null;
	let schema: S;
	return (today) => {
		if (today !== day) {
			schema = build(today);
			day = today;
		}
		return schema;
	};
}

const required = (message: string) => z.string({ error: message }).min(1, message);

export const choice = (message: string) => required(message);

/** An ISO date between `EARLIEST_DAY` and `today` (plus the tolerance). */
export const isoDate = (what: string, today: string) =>
	z
		.string({ error: `Bitte ${what} angeben.` })
		.min(1, `Bitte ${what} angeben.`)
		.refine((value) => parseIsoDate(value) !== null, `Bitte ${what} als gültiges Datum angeben.`)
		.refine(
			(value) => parseIsoDate(value) === null || value <= latestAllowedDay(today),
			'Das Datum darf nicht in der Zukunft liegen.'
		)
		.refine(
			(value) => parseIsoDate(value) === null || !tooEarly(value),
			'Das Datum liegt unplausibel weit zurück (vor dem Jahr 2000).'
		);

/** ISO week `2026-W47`; not in the future as of `today`, not before `EARLIEST_DAY`. */
export const isoWeek = (today: string) =>
	z
		.string({ error: 'Bitte eine Kalenderwoche angeben.' })
		.min(1, 'Bitte eine Kalenderwoche angeben.')
		.refine(
			(value) => cadenceOfPeriod(value) === 'weekly' && periodStart(value) !== null,
			'Bitte eine gültige Kalenderwoche angeben (z. B. 2026-W47).'
		)
		.refine((value) => {
			const start = periodStart(value);
			return start === null || toIsoDate(start) <= latestAllowedDay(today);
		}, 'Die Kalenderwoche darf nicht in der Zukunft liegen.')
		.refine((value) => {
			const start = periodStart(value);
			return start === null || !tooEarly(toIsoDate(start));
		}, 'Die Kalenderwoche liegt unplausibel weit zurück (vor dem Jahr 2000).');

export const count = (what: string, max = 100_000) =>
	z
		.number({ error: `Bitte ${what} als ganze Zahl angeben.` })
		.int(`Bitte ${what} als ganze Zahl angeben.`)
		.min(0, `Der Wert für ${what} kann nicht negativ sein.`)
		.max(max, `Der Wert für ${what} ist unplausibel hoch.`);

export const text = (what: string, max: number) =>
	z
		.string({ error: `Bitte ${what} angeben.` })
		.refine((value) => !hasUnsafeCharacters(value), UNSAFE_TEXT_MESSAGE)
		.trim()
		.min(1, `Bitte ${what} angeben.`)
		.max(max, `Bitte ${what} mit höchstens ${max} Zeichen angeben.`);

/** `2026-11-21` → `21.11.2026` for summaries. */
export const germanDate = (iso: string) => iso.split('-').reverse().join('.');

/** Options of a fixed list as a zod enum with one German message. */
export function oneOf<T extends Record<string, string>>(values: T, message: string) {
	return z.enum(Object.keys(values) as [keyof T & string, ...(keyof T & string)[]], {
		error: message
	});
}
