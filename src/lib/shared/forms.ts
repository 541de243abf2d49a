import { z } from 'zod';
import type { AreaId } from './areas';
import { parseIsoDate, toIsoDate } from './periods';

/**
 * Forms are declared once: the zod schema validates in the browser form, in the outbox and on
 * the server; labels, hints and units drive the form's fields.
 */
export interface FormField {
	name: string;
	label: string;
	hint?: string;
	unit?: string;
	kind: 'integer' | 'date' | 'select';
	/** Reference list the options of a select come from. */
	options?: 'facilities';
}

export interface FormDeclaration<S extends z.ZodType = z.ZodType> {
	id: string;
	areaId: AreaId;
	title: string;
	description: string;
	fields: FormField[];
	schema: S;
	/** One line that names an entry in lists ("Haus am Park, 21.11.2026: 84 von 90"). */
	summary: (payload: z.infer<S>, lookup: (facilityId: string) => string) => string;
}

const MAX_DAYS_AHEAD = 1; // tolerate a phone clock a few hours ahead of the server

const isoDate = z
	.string({ error: 'Bitte ein Datum angeben.' })
	.refine((value) => parseIsoDate(value) !== null, 'Bitte ein gültiges Datum angeben.')
	.refine((value) => {
		const date = parseIsoDate(value);
		const latest = new Date();
		latest.setDate(latest.getDate() + MAX_DAYS_AHEAD);
		return date === null || value <= toIsoDate(latest);
	}, 'Das Datum darf nicht in der Zukunft liegen.');

const count = (what: string) =>
	z
		.number({ error: `Bitte ${what} als ganze Zahl angeben.` })
		.int(`Bitte ${what} als ganze Zahl angeben.`)
		.min(0, `Der Wert für ${what} kann nicht negativ sein.`)
		.max(100_000, `Der Wert für ${what} ist unplausibel hoch.`);

export const OccupancyEntryV1 = z
	.object({
		facilityId: z
			.string({ error: 'Bitte eine Einrichtung wählen.' })
			.min(1, 'Bitte eine Einrichtung wählen.'),
		date: isoDate,
		occupied: count('die belegten Plätze'),
		capacity: count('die Kapazität')
	})
	.refine((entry) => entry.occupied <= entry.capacity, {
		path: ['occupied'],
		message: 'Die Belegung darf die Kapazität nicht übersteigen.'
	});
export type OccupancyEntry = z.infer<typeof OccupancyEntryV1>;

export const occupancyForm: FormDeclaration<typeof OccupancyEntryV1> = {
	id: 'asyl.belegung.v1',
	areaId: 'asyl',
	title: 'Tägliche Belegung',
	description: 'Belegte Plätze und Kapazität einer Unterkunft zum Stichtag.',
	fields: [
		{ name: 'facilityId', label: 'Einrichtung', kind: 'select', options: 'facilities' },
		{ name: 'date', label: 'Stichtag', kind: 'date' },
		{
			name: 'occupied',
			label: 'Belegte Plätze',
			kind: 'integer',
			unit: 'Plätze',
			hint: 'Anzahl der untergebrachten Personen am Stichtag'
		},
		{
			name: 'capacity',
			label: 'Kapazität',
			kind: 'integer',
			unit: 'Plätze',
			hint: 'Verfügbare Plätze laut Belegungsplan'
		}
	],
	schema: OccupancyEntryV1,
	summary: (entry, facilityName) =>
		`${facilityName(entry.facilityId)}, ${entry.date.split('-').reverse().join('.')}: ${entry.occupied} von ${entry.capacity} Plätzen`
};

export const FORMS = { [occupancyForm.id]: occupancyForm } as Record<string, FormDeclaration>;

/** German messages per field from a failed parse, for inline display. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const field = String(issue.path[0] ?? '_form');
		errors[field] ??= issue.message;
	}
	return errors;
}
