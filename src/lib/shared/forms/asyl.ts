import { z } from 'zod';
import { FORM_DIMENSIONS } from './targets';
import { formatPeriod } from '#shared/periods';
import {
	choice,
	count,
	germanDate,
	isoDate,
	isoWeek,
	dimensionOptions,
	perDay,
	type FormDeclaration
} from './fields';
import { safeText } from '#shared/text';

export const OccupancyEntryV1 = perDay((today: string) =>
	z
		.object({
			facilityId: choice('Bitte eine Einrichtung wählen.'),
			date: isoDate('den Stichtag', today),
			occupied: count('die belegten Plätze'),
			capacity: count('die Kapazität'),
			/** Occupancy above capacity (emergency beds) only when the person says so, with a reason. */
			overCapacity: z.boolean().optional(),
			overCapacityReason: safeText({ multiline: true }).trim().max(500).optional()
		})
		.superRefine((entry, context) => {
			if (entry.occupied <= entry.capacity) return;
			if (!entry.overCapacity) {
				context.addIssue({
					code: 'custom',
					path: ['occupied'],
					message:
						'Die Belegung übersteigt die Kapazität. Bitte prüfen – oder „Überbelegung bestätigen“ ankreuzen und begründen.'
				});
			} else if (!entry.overCapacityReason || entry.overCapacityReason.length < 5) {
				context.addIssue({
					code: 'custom',
					path: ['overCapacityReason'],
					message: 'Bitte die Überbelegung begründen (mindestens 5 Zeichen).'
				});
			}
		})
);
export type OccupancyEntry = z.infer<ReturnType<typeof OccupancyEntryV1>>;

export const occupancyForm: FormDeclaration<ReturnType<typeof OccupancyEntryV1>> = {
	id: 'asyl.belegung.v1',
	slug: 'belegung',
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
			hint: 'Verfügbare Plätze laut Belegungsplan',
			prefill: { from: 'facilityId', list: 'facilities', property: 'capacity' }
		},
		{
			name: 'overCapacity',
			label: 'Überbelegung bestätigen',
			kind: 'checkbox',
			hint: 'Nur wenn mehr Personen untergebracht sind, als Plätze vorhanden sind (z. B. Notbetten).',
			showWhen: (values) => Number(values.occupied) > Number(values.capacity)
		},
		{
			name: 'overCapacityReason',
			label: 'Begründung der Überbelegung',
			kind: 'textarea',
			showWhen: (values) => values.overCapacity === true
		}
	],
	schema: OccupancyEntryV1,
	defaults: (today) => ({ date: today }),
	keepAfterSave: ['date'],
	key: (entry) => `${entry.facilityId}|${entry.date}`,
	summary: (entry, names) =>
		`${names.facility(entry.facilityId)}, ${germanDate(entry.date)}: ${entry.occupied} von ${entry.capacity} Plätzen`
};

export const ArrivalsEntryV1 = perDay((today: string) =>
	z
		.object({
			week: isoWeek(today),
			originGroup: choice('Bitte eine Herkunftsgruppe wählen.'),
			persons: count('die Zugänge', 10_000),
			minors: count('die Minderjährigen', 10_000)
		})
		.refine((entry) => entry.minors <= entry.persons, {
			path: ['minors'],
			message: 'Es können nicht mehr Minderjährige als Personen insgesamt zugegangen sein.'
		})
);
export type ArrivalsEntry = z.infer<ReturnType<typeof ArrivalsEntryV1>>;

export const arrivalsForm: FormDeclaration<ReturnType<typeof ArrivalsEntryV1>> = {
	id: 'asyl.zugaenge.v1',
	slug: 'zugaenge',
	areaId: 'asyl',
	title: 'Wöchentliche Zugänge',
	description: 'Neu zugewiesene Personen einer Kalenderwoche nach Herkunftsgruppe.',
	fields: [
		{ name: 'week', label: 'Kalenderwoche', kind: 'week' },
		{
			name: 'originGroup',
			label: 'Herkunftsgruppe',
			kind: 'select',
			options: dimensionOptions(FORM_DIMENSIONS.origin)
		},
		{
			name: 'persons',
			label: 'Zugänge',
			kind: 'integer',
			unit: 'Personen',
			hint: 'Alle in dieser Woche zugewiesenen Personen der Herkunftsgruppe'
		},
		{ name: 'minors', label: 'davon minderjährig', kind: 'integer', unit: 'Personen' }
	],
	schema: ArrivalsEntryV1,
	key: (entry) => `${entry.week}|${entry.originGroup}`,
	summary: (entry, names) =>
		`${formatPeriod(entry.week)}, ${names.member(FORM_DIMENSIONS.origin, entry.originGroup)}: ${entry.persons} Personen, davon ${entry.minors} minderjährig`
};
