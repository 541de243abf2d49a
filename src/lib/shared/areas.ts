import { z } from 'zod';

/** The seven information areas ("Bereiche") of the city's figures. */
export const AREA_IDS = [
	'finanzen',
	'asyl',
	'bevoelkerung',
	'bildung',
	'gesundheit',
	'soziales',
	'infrastruktur'
] as const;

export const AreaId = z.enum(AREA_IDS);
export type AreaId = z.infer<typeof AreaId>;

export const AREA_TITLES: Record<AreaId, string> = {
	finanzen: 'Finanzen',
	asyl: 'Asyl & Unterbringung',
	bevoelkerung: 'Bevölkerung',
	bildung: 'Bildung',
	gesundheit: 'Gesundheit',
	soziales: 'Soziales',
	infrastruktur: 'Infrastruktur'
};
