import { z } from 'zod';
import { AreaId } from './areas';
import type { Visibility } from './kpi';

/** Roles of DESIGN.md section 1. Citizens read open data without a login and have no role. */
export const Role = z.enum(['admin', 'executive', 'councillor', 'editor', 'lead']);
export type Role = z.infer<typeof Role>;

export const ROLE_TITLES: Record<Role, string> = {
	admin: 'Zentralcontrolling',
	executive: 'Verwaltungsspitze',
	councillor: 'Stadtrat',
	editor: 'Sachbearbeitung',
	lead: 'Fachbereichsleitung'
};

export const Principal = z.object({
	id: z.string(),
	username: z.string(),
	displayName: z.string(),
	role: Role,
	areas: z.array(AreaId)
});
export type Principal = z.infer<typeof Principal>;

interface RoleRules {
	/** Visibilities the role reads in every area. */
	readEverywhere: readonly Visibility[];
	/** Visibilities the role reads only in the areas it is scoped to. */
	readInOwnAreas: readonly Visibility[];
	/** Whether the role enters form data, and where. */
	writeForms: 'own-areas' | 'none';
}

/**
 * The permission rules as data: one row per role, nothing allowed that is not listed here.
 * The server enforces them in every procedure and every sync pull and push.
 */
export const ROLE_RULES: Record<Role, RoleRules> = {
	admin: {
		readEverywhere: ['internal', 'council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none'
	},
	executive: {
		readEverywhere: ['internal', 'council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none'
	},
	councillor: { readEverywhere: ['council', 'public'], readInOwnAreas: [], writeForms: 'none' },
	editor: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas'
	},
	lead: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas'
	}
};

export function canRead(
	principal: Pick<Principal, 'role' | 'areas'>,
	item: { areaId: AreaId; visibility: Visibility }
): boolean {
	const rules = ROLE_RULES[principal.role];
	if (!rules) return false;
	if (rules.readEverywhere.includes(item.visibility)) return true;
	return rules.readInOwnAreas.includes(item.visibility) && principal.areas.includes(item.areaId);
}

export function canWriteArea(
	principal: Pick<Principal, 'role' | 'areas'>,
	areaId: AreaId
): boolean {
	const rules = ROLE_RULES[principal.role];
	return rules?.writeForms === 'own-areas' && principal.areas.includes(areaId);
}

/** Areas in which the principal may enter form data. */
export function writableAreas(principal: Pick<Principal, 'role' | 'areas'>): AreaId[] {
	return ROLE_RULES[principal.role]?.writeForms === 'own-areas' ? [...principal.areas] : [];
}

/**
 * A fingerprint of everything that decides what a principal may read. A sync cursor carries
 * it, so a change of role or areas since the cursor was issued makes the server answer "reset".
 */
export function readScopeFingerprint(principal: Pick<Principal, 'role' | 'areas'>): string {
	return `${principal.role}:${[...principal.areas].sort().join(',')}`;
}
