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
	/** Whether the role releases or rejects other people's entries (four eyes), and where. */
	reviewEntries: 'own-areas' | 'none';
	/** Whether the role maintains reference lists and feeds, uploads deliveries, reads the audit log. */
	administer: boolean;
	/** Whether the role reads the data-quality page (overdue KPIs, failing feeds). */
	readDataQuality: boolean;
}

/**
 * The permission rules as data: one row per role, nothing allowed that is not listed here.
 * The server enforces them in every procedure and every sync pull and push.
 */
export const ROLE_RULES: Record<Role, RoleRules> = {
	admin: {
		readEverywhere: ['internal', 'council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none',
		reviewEntries: 'none',
		administer: true,
		readDataQuality: true
	},
	executive: {
		readEverywhere: ['internal', 'council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: true
	},
	councillor: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: false
	},
	editor: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: false
	},
	lead: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas',
		reviewEntries: 'own-areas',
		administer: false,
		readDataQuality: false
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

/** Release or reject entries of the area (the four-eyes check on the author is separate). */
export function canReview(principal: Pick<Principal, 'role' | 'areas'>, areaId: AreaId): boolean {
	const rules = ROLE_RULES[principal.role];
	return rules?.reviewEntries === 'own-areas' && principal.areas.includes(areaId);
}

/** See the entries of an area (its editors and leads: "Meine Einträge", history, release list). */
export function canReadEntries(
	principal: Pick<Principal, 'role' | 'areas'>,
	areaId: AreaId
): boolean {
	return canWriteArea(principal, areaId) || canReview(principal, areaId);
}

/** Values that await release: only for those who read the area's internal figures. */
export function canReadProvisional(
	principal: Pick<Principal, 'role' | 'areas'>,
	areaId: AreaId
): boolean {
	return canRead(principal, { areaId, visibility: 'internal' });
}

export function canAdminister(principal: Pick<Principal, 'role'>): boolean {
	return ROLE_RULES[principal.role]?.administer === true;
}

/** The data-quality page: central controlling, and the executives who read along. */
export function canReadDataQuality(principal: Pick<Principal, 'role'>): boolean {
	return ROLE_RULES[principal.role]?.readDataQuality === true;
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
