import { ORIGIN_GROUPS } from './asyl';
import { AGE_GROUPS } from './bevoelkerung';
import { COURSE_LEVELS } from './bildung';
import { PRODUKTBEREICHE } from './finanzen';

/** Static labels of dimension members that are not reference lists in the database. */
export const STATIC_DIMENSION_LABELS: Record<string, Record<string, string>> = {
	origin: ORIGIN_GROUPS,
	produktbereich: PRODUKTBEREICHE,
	level: COURSE_LEVELS,
	age_group: AGE_GROUPS
};

export const DIMENSION_TITLES: Record<string, string> = {
	facility: 'Einrichtung',
	district: 'Ortsbezirk',
	origin: 'Herkunft',
	produktbereich: 'Produktbereich',
	level: 'Sprachniveau',
	age_group: 'Altersgruppe'
};
