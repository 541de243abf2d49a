import { z } from 'zod';
import type { AreaId } from '../areas';
import { cadenceOfPeriod, parseIsoDate, periodStart, toIsoDate } from '../periods';

/**
 * The building blocks of form declarations: field descriptions for the phone form and the zod
 * pieces that carry the German messages. Pure, shared by the browser, the outbox and the server.
 */
export type FieldKind =
	'integer' | 'decimal' | 'date' | 'week' | 'period' | 'select' | 'text' | 'textarea' | 'checkbox';

/** Reference lists synced to the device; `kpis` are the KPIs the user may enter values for. */
export type OptionSource = 'facilities' | 'districts' | 'providers' | 'kpis';

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
}

/** Names of referenced things for one-line summaries ("Haus am Park, 21.11.2026: …"). */
export interface ReferenceNames {
	facility(id: string): string;
	district(id: string): string;
	provider(id: string): string;
	kpi(id: string): string;
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
	schema: S;
	/**
	 * What a record is about (facility and day, light and report day …). Two records of a form
	 * with the same key would contradict each other, so the second one is refused and the first
	 * one corrected instead; null when any number of records may exist (course offers).
	 */
	key: (payload: z.infer<S>) => string | null;
	/** One line that names an entry in lists. */
	summary: (payload: z.infer<S>, names: ReferenceNames) => string;
}

/** Tolerate a phone clock a few hours ahead of the server. */
const MAX_DAYS_AHEAD = 1;

export function latestAllowedDay(now = new Date()): string {
	const latest = new Date(now);
	latest.setDate(latest.getDate() + MAX_DAYS_AHEAD);
	return toIsoDate(latest);
}

const required = (message: string) => z.string({ error: message }).min(1, message);

export const choice = (message: string) => required(message);

export const isoDate = (what = 'ein Datum') =>
	z
		.string({ error: `Bitte ${what} angeben.` })
		.min(1, `Bitte ${what} angeben.`)
		.refine((value) => parseIsoDate(value) !== null, `Bitte ${what} als gültiges Datum angeben.`)
		.refine(
			(value) => parseIsoDate(value) === null || value <= latestAllowedDay(),
			'Das Datum darf nicht in der Zukunft liegen.'
		);

/** ISO week `2026-W47`, as a week input gives it; not in the future. */
export const isoWeek = z
	.string({ error: 'Bitte eine Kalenderwoche angeben.' })
	.min(1, 'Bitte eine Kalenderwoche angeben.')
	.refine(
		(value) => cadenceOfPeriod(value) === 'weekly' && periodStart(value) !== null,
		'Bitte eine gültige Kalenderwoche angeben (z. B. 2026-W47).'
	)
	.refine((value) => {
		const start = periodStart(value);
		return start === null || toIsoDate(start) <= latestAllowedDay();
	}, 'Die Kalenderwoche darf nicht in der Zukunft liegen.');

export const count = (what: string, max = 100_000) =>
	z
		.number({ error: `Bitte ${what} als ganze Zahl angeben.` })
		.int(`Bitte ${what} als ganze Zahl angeben.`)
		.min(0, `Der Wert für ${what} kann nicht negativ sein.`)
		.max(max, `Der Wert für ${what} ist unplausibel hoch.`);

export const text = (what: string, max: number) =>
	z
		.string({ error: `Bitte ${what} angeben.` })
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
