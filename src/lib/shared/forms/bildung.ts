import { z } from 'zod';
import { FORM_DIMENSIONS } from './targets';
import { parseIsoDate } from '#shared/periods';
import {
	choice,
	count,
	dimensionOptions,
	germanDate,
	oneOf,
	perDay,
	type FormDeclaration
} from './fields';

export const COURSE_TYPES = {
	integration: 'Integrationskurs',
	job: 'Berufssprachkurs',
	literacy: 'Alphabetisierungskurs'
} as const;

/** A course may be announced up to two years ahead and have started up to five years ago. */
const startDate = (today: string) =>
	z
		.string({ error: 'Bitte den Kursbeginn angeben.' })
		.min(1, 'Bitte den Kursbeginn angeben.')
		.refine(
			(value) => parseIsoDate(value) !== null,
			'Bitte den Kursbeginn als gültiges Datum angeben.'
		)
		.refine((value) => {
			const date = parseIsoDate(value);
			if (!date) return true;
			const years = date.getFullYear() - Number(today.slice(0, 4));
			return years >= -5 && years <= 2;
		}, 'Der Kursbeginn liegt unplausibel weit in der Vergangenheit oder Zukunft.');

export const CourseOfferEntryV1 = perDay((today: string) =>
	z
		.object({
			providerId: choice('Bitte einen Kursträger wählen.'),
			courseType: oneOf(COURSE_TYPES, 'Bitte die Kursart wählen.'),
			level: choice('Bitte das Sprachniveau wählen.'),
			places: count('die Kursplätze', 500),
			taken: count('die belegten Plätze', 500),
			waitingList: count('die Warteliste', 5_000),
			start: startDate(today),
			districtId: choice('Bitte den Stadtteil des Kursorts wählen.')
		})
		.refine((entry) => entry.taken <= entry.places, {
			path: ['taken'],
			message: 'Es können nicht mehr Plätze belegt sein, als der Kurs hat.'
		})
);
export type CourseOfferEntry = z.infer<ReturnType<typeof CourseOfferEntryV1>>;

export const courseOfferForm: FormDeclaration<ReturnType<typeof CourseOfferEntryV1>> = {
	id: 'bildung.sprachkurs.v1',
	slug: 'sprachkurs',
	areaId: 'bildung',
	title: 'Sprachkursangebot',
	description: 'Ein Kurs eines Trägers mit Plätzen, Belegung und Warteliste.',
	fields: [
		{ name: 'providerId', label: 'Kursträger', kind: 'select', options: 'providers' },
		{ name: 'courseType', label: 'Kursart', kind: 'select', options: COURSE_TYPES },
		{
			name: 'level',
			label: 'Sprachniveau (Ziel)',
			kind: 'select',
			options: dimensionOptions(FORM_DIMENSIONS.courseLevel)
		},
		{ name: 'places', label: 'Kursplätze', kind: 'integer', unit: 'Plätze' },
		{ name: 'taken', label: 'davon belegt', kind: 'integer', unit: 'Plätze' },
		{
			name: 'waitingList',
			label: 'Warteliste',
			kind: 'integer',
			unit: 'Personen',
			hint: 'Personen, die auf einen Platz in diesem Kurs warten'
		},
		{ name: 'start', label: 'Kursbeginn', kind: 'date' },
		{ name: 'districtId', label: 'Stadtteil des Kursorts', kind: 'select', options: 'districts' }
	],
	schema: CourseOfferEntryV1,
	key: () => null,
	summary: (entry, names) =>
		`${names.provider(entry.providerId)}: ${COURSE_TYPES[entry.courseType]} ${names.member(FORM_DIMENSIONS.courseLevel, entry.level)} ab ${germanDate(entry.start)}, ${entry.taken} von ${entry.places} Plätzen, ${entry.waitingList} auf der Warteliste`
};
