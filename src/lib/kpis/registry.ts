import type { AreaId } from '../shared/areas';
import { ORIGIN_GROUPS } from './asyl';

/** Static labels of dimension members that are not reference lists in the database. */
export const STATIC_DIMENSION_LABELS: Record<string, Record<string, string>> = {
	origin: ORIGIN_GROUPS
};

export const DIMENSION_TITLES: Record<string, string> = {
	facility: 'Einrichtung',
	district: 'Ortsbezirk',
	origin: 'Herkunft'
};

/** Areas that have KPIs in this build, in the order the home screen shows them. */
export const AREAS_WITH_KPIS: AreaId[] = ['asyl'];
