import { z } from 'zod';
import { AreaId } from './areas';
import type { Visibility } from './kpi';

/** The roles of KLAR's users. Citizens read open data without a login and have no role. */
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
	/** Whether the role reads the whole catalogue with retired KPIs (`/verwaltung/kennzahlen`). */
	readCatalogue: boolean;
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
		readDataQuality: true,
		readCatalogue: true
	},
	executive: {
		readEverywhere: ['internal', 'council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: true,
		readCatalogue: true
	},
	councillor: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: [],
		writeForms: 'none',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: false,
		readCatalogue: false
	},
	editor: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas',
		reviewEntries: 'none',
		administer: false,
		readDataQuality: false,
		readCatalogue: false
	},
	lead: {
		readEverywhere: ['council', 'public'],
		readInOwnAreas: ['internal'],
		writeForms: 'own-areas',
		reviewEntries: 'own-areas',
		administer: false,
		readDataQuality: false,
		readCatalogue: false
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

/** The catalogue administration: central controlling keeps it, the executives read along. */
export function canReadCatalogue(principal: Pick<Principal, 'role'>): boolean {
	return ROLE_RULES[principal.role]?.readCatalogue === true;
}

export function canAdminister(principal: Pick<Principal, 'role'>): boolean {
	return ROLE_RULES[principal.role]?.administer === true;
}

/** The data-quality page: central controlling, and the executives who read along. */
export function canReadDataQuality(principal: Pick<Principal, 'role'>): boolean {
	return ROLE_RULES[principal.role]?.readDataQuality === true;
}

/**
 * Committee reports (Sitzungsberichte): the executives, department leads and central controlling
 * put them together. A report lives on the author's device and holds KPI ids and notes, never
 * figures; whoever opens one sees only the KPIs their own device was sent.
 */
const REPORT_AUTHORS: readonly Role[] = ['executive', 'lead', 'admin'];

export function canWriteReports(principal: Pick<Principal, 'role'>): boolean {
	return REPORT_AUTHORS.includes(principal.role);
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

/**
 * Small counts (statistical confidentiality): exactly those who read the area's internal
 * figures (admins, executives, the area's editors and leads) see them. Councillors, staff of
 * other areas and the public (no principal) get the disclosed view with small counts withheld.
 */
export function seesSmallCounts(
	principal: Pick<Principal, 'role' | 'areas'> | null,
	areaId: AreaId
): boolean {
	return principal !== null && canRead(principal, { areaId, visibility: 'internal' });
}

/** What a tRPC procedure demands of its caller before it runs (its own checks come on top). */
export type ProcedureRule =
	/** Anyone, also without a session (login, "who am I"). */
	| 'anyone'
	/** Any signed-in person; what they get is filtered inside (sync pull and push). */
	| 'signedIn'
	| 'administer'
	| 'readDataQuality'
	| 'readCatalogue'
	/** Roles that review entries somewhere; the area and four-eyes checks follow inside. */
	| 'reviewEntries';

const ADMIN_ONLY =
	'Sie haben keine Berechtigung für die Verwaltung. Sie ist dem Zentralcontrolling vorbehalten.';
const LEADS_ONLY =
	'Nur die Fachbereichsleitung dieses Bereichs kann Einträge freigeben oder ablehnen.';
const CATALOGUE_ADMIN_ONLY =
	'Den Kennzahlenkatalog pflegt das Zentralcontrolling. Sie haben dafür keine Berechtigung.';
const FEEDS_ADMIN_ONLY =
	'Datenlieferungen verwaltet das Zentralcontrolling. Sie haben dafür keine Berechtigung.';

const FEEDBACK_ADMIN_ONLY =
	'Rückmeldungen zur Barrierefreiheit bearbeitet das Zentralcontrolling. Sie haben dafür keine Berechtigung.';

interface ProcedureAccess {
	rule: ProcedureRule;
	/** The German reason a refused caller reads; a general one when absent. */
	refusal?: string;
}

/**
 * Every tRPC procedure and its rule. The server's base procedure looks the called path up here
 * and refuses one that is missing, so a new procedure is closed until it is entered.
 */
export const PROCEDURE_ACCESS: Record<string, ProcedureAccess> = {
	'auth.login': { rule: 'anyone' },
	'auth.me': { rule: 'anyone' },
	'auth.logout': { rule: 'signedIn' },
	// Open data: public KPIs with small counts withheld, for citizens without a login.
	'openData.kpis': { rule: 'anyone' },
	// Who runs this KLAR (name, homepage, contact): public by nature.
	'city.info': { rule: 'anyone' },
	// Accessibility feedback: anyone, logged in or not (rate-limited per address inside).
	'feedback.send': { rule: 'anyone' },
	'feedback.list': { rule: 'administer', refusal: FEEDBACK_ADMIN_ONLY },
	'feedback.setState': { rule: 'administer', refusal: FEEDBACK_ADMIN_ONLY },
	'sync.pull': { rule: 'signedIn' },
	'sync.push': { rule: 'signedIn' },
	// Filtered inside like a pull: only KPIs the caller reads, withheld as their snapshot is.
	'kpis.history': { rule: 'signedIn' },
	'entries.release': { rule: 'reviewEntries', refusal: LEADS_ONLY },
	'entries.reject': { rule: 'reviewEntries', refusal: LEADS_ONLY },
	'reference.districts': { rule: 'administer', refusal: ADMIN_ONLY },
	'reference.facilities': { rule: 'administer', refusal: ADMIN_ONLY },
	'reference.providers': { rule: 'administer', refusal: ADMIN_ONLY },
	'reference.saveDistrict': { rule: 'administer', refusal: ADMIN_ONLY },
	'reference.saveFacility': { rule: 'administer', refusal: ADMIN_ONLY },
	'reference.saveProvider': { rule: 'administer', refusal: ADMIN_ONLY },
	'audit.list': { rule: 'administer', refusal: ADMIN_ONLY },
	'feeds.list': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.runs': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.definition': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.preview': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.save': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.versions': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.setActive': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.remove': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'feeds.takeBack': { rule: 'administer', refusal: FEEDS_ADMIN_ONLY },
	'quality.overview': {
		rule: 'readDataQuality',
		refusal: 'Die Datenqualität sehen das Zentralcontrolling und die Verwaltungsspitze.'
	},
	'catalogue.overview': {
		rule: 'readCatalogue',
		refusal: 'Den Kennzahlenkatalog sehen das Zentralcontrolling und die Verwaltungsspitze.'
	},
	'catalogue.export': { rule: 'readCatalogue', refusal: CATALOGUE_ADMIN_ONLY },
	'catalogue.saveKpi': { rule: 'administer', refusal: CATALOGUE_ADMIN_ONLY },
	'catalogue.setActive': { rule: 'administer', refusal: CATALOGUE_ADMIN_ONLY },
	'catalogue.saveArea': { rule: 'administer', refusal: CATALOGUE_ADMIN_ONLY },
	'catalogue.emptyKpi': { rule: 'administer', refusal: CATALOGUE_ADMIN_ONLY },
	'users.list': { rule: 'administer', refusal: ADMIN_ONLY },
	'users.create': { rule: 'administer', refusal: ADMIN_ONLY },
	'users.setAccess': { rule: 'administer', refusal: ADMIN_ONLY },
	'users.setDisabled': { rule: 'administer', refusal: ADMIN_ONLY },
	'users.resetPassword': { rule: 'administer', refusal: ADMIN_ONLY },
	'users.endSessions': { rule: 'administer', refusal: ADMIN_ONLY }
};

/** Whether a caller (null: no session) passes a procedure rule. */
export function passesRule(
	principal: Pick<Principal, 'role'> | null,
	rule: ProcedureRule
): boolean {
	if (rule === 'anyone') return true;
	if (!principal) return false;
	const rules = ROLE_RULES[principal.role];
	if (!rules) return false;
	switch (rule) {
		case 'signedIn':
			return true;
		case 'administer':
			return rules.administer;
		case 'readDataQuality':
			return rules.readDataQuality;
		case 'readCatalogue':
			return rules.readCatalogue;
		case 'reviewEntries':
			return rules.reviewEntries !== 'none';
	}
}
