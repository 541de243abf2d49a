/**
 * Words, checks and summaries for the admin page of user accounts. Pure: the page passes in
 * what the server sent and what the admin typed.
 */
import type { Area } from '#shared/catalogue';
import { ROLE_TITLES, Role } from '#shared/permissions';
import {
	MIN_PASSWORD_LENGTH,
	NewPassword,
	NewUserV1,
	roleIsScoped,
	UserAccessV1,
	type NewUser,
	type UserAccess,
	type UserListItem
} from '#shared/accounts';
import { fieldErrorsOf, type FieldErrors } from '#shared/field-errors';
import { formatDateTime, formatList, formatNumber } from '#shared/format';

/** The order in which the role picker offers the roles: most common first. */
export const ROLE_ORDER: readonly Role[] = ['editor', 'lead', 'executive', 'councillor', 'admin'];

/** What a role may do, in one sentence, under the role picker. */
export const ROLE_HINTS: Record<Role, string> = {
	editor:
		'Erfasst Daten und sieht die internen Kennzahlen der gewählten Bereiche, sonst nur die für den Stadtrat freigegebenen.',
	lead: 'Wie Sachbearbeitung, gibt zusätzlich Einträge anderer in den gewählten Bereichen frei (Vier-Augen-Prinzip).',
	executive: 'Liest alle Kennzahlen aller Bereiche, auch die internen. Erfasst keine Daten.',
	councillor: 'Liest die für den Stadtrat und die Öffentlichkeit freigegebenen Kennzahlen.',
	admin:
		'Pflegt Katalog, Listen, Lieferungen und Benutzerkonten und liest das Protokoll. Darf alles sehen.'
};

export function roleTitle(role: Role): string {
	return ROLE_TITLES[role] ?? role;
}

/** Whether the access form shows the area checkboxes for this role. */
export function roleNeedsAreas(role: Role): boolean {
	return roleIsScoped(role);
}

/**
 * Areas in the catalogue's order, without duplicates: what the server gets and compares. An area
 * the catalogue no longer has stays, after the known ones, so an admin sees and can untick it.
 */
export function orderedAreas(areas: readonly string[], catalogue: readonly Area[]): string[] {
	const known = [...catalogue].sort((a, b) => a.sortOrder - b.sortOrder).map((area) => area.id);
	const unknown = [...new Set(areas.filter((area) => !known.includes(area)))].sort();
	return [...known.filter((area) => areas.includes(area)), ...unknown];
}

/** `Asyl & Unterbringung und Bildung`, or `alle Bereiche` for roles that are not scoped. */
export function areasLabel(
	access: { role: Role; areas: readonly string[] },
	catalogue: readonly Area[]
): string {
	if (!roleIsScoped(access.role)) return 'alle Bereiche';
	const areas = orderedAreas(access.areas, catalogue);
	const title = (id: string) => catalogue.find((area) => area.id === id)?.title ?? id;
	return areas.length ? formatList(areas.map(title)) : 'kein Bereich';
}

/** `Sachbearbeitung für Bildung`, `Verwaltungsspitze (alle Bereiche)`. */
export function accessSummary(
	access: { role: Role; areas: readonly string[] },
	catalogue: readonly Area[]
): string {
	return roleIsScoped(access.role)
		? `${roleTitle(access.role)} für ${areasLabel(access, catalogue)}`
		: `${roleTitle(access.role)} (alle Bereiche)`;
}

export function sessionsLabel(count: number): string {
	if (count === 0) return 'keine aktive Sitzung';
	return `${formatNumber(count)} aktive ${count === 1 ? 'Sitzung' : 'Sitzungen'}`;
}

export function lastLoginLabel(lastLoginAt: string | null): string {
	return lastLoginAt ? `zuletzt angemeldet ${formatDateTime(lastLoginAt)}` : 'noch nie angemeldet';
}

/** The account's state in a word and a symbol: never told by colour alone. */
export function accountState(user: Pick<UserListItem, 'disabled'>): {
	word: string;
	symbol: string;
} {
	return user.disabled ? { word: 'gesperrt', symbol: '⊘' } : { word: 'aktiv', symbol: '✓' };
}

const COLLATOR = new Intl.Collator('de-DE', { sensitivity: 'base' });

/**
 * By name as a German reader sorts (Ä with A). Disabled accounts keep their place: a card
 * that jumped away after "Sperren" would leave the admin looking at someone else.
 */
export function sortUsers(users: readonly UserListItem[]): UserListItem[] {
	return [...users].sort(
		(a, b) =>
			COLLATOR.compare(a.displayName, b.displayName) || COLLATOR.compare(a.username, b.username)
	);
}

const fold = (text: string) =>
	text
		.toLocaleLowerCase('de-DE')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');

/**
 * The accounts whose name, user name, role, areas or state contain every word of the query.
 * Accents are ignored ("muller" finds "Müller"): admins type on phones without umlaut keys.
 */
export function filterUsers(
	users: readonly UserListItem[],
	query: string,
	catalogue: readonly Area[]
): UserListItem[] {
	const words = fold(query).split(/\s+/).filter(Boolean);
	if (words.length === 0) return [...users];
	return users.filter((user) => {
		const text = fold(
			[
				user.displayName,
				user.username,
				roleTitle(user.role),
				areasLabel(user, catalogue),
				accountState(user).word
			].join(' ')
		);
		return words.every((word) => text.includes(word));
	});
}

/** `3 von 14 Personen`, or `14 Personen` when nothing is filtered out. */
export function countLabel(shown: number, total: number): string {
	const people = (n: number) => `${formatNumber(n)} ${n === 1 ? 'Person' : 'Personen'}`;
	return shown === total ? people(total) : `${formatNumber(shown)} von ${people(total)}`;
}

/** What the admin typed into the "Neue Person" form. */
export interface NewUserInputs {
	username: string;
	displayName: string;
	password: string;
	role: Role | '';
	areas: string[];
}

export const EMPTY_NEW_USER: NewUserInputs = {
	username: '',
	displayName: '',
	password: '',
	role: '',
	areas: []
};

/** Areas only travel with roles that use them: a switch to "Stadtrat" drops ticked areas. */
function accessOf(role: Role, areas: readonly string[]): UserAccess {
	return { role, areas: roleIsScoped(role) ? [...new Set(areas)].sort() : [] };
}

const ROLE_MISSING = 'Bitte eine Rolle wählen.';

/** The new account to send, or the messages per field (the server checks the same schema). */
export function newUserDraft(
	inputs: NewUserInputs
): { ok: true; draft: NewUser } | { ok: false; fieldErrors: FieldErrors } {
	const role = Role.safeParse(inputs.role);
	const parsed = NewUserV1.safeParse({
		username: inputs.username,
		displayName: inputs.displayName,
		password: inputs.password,
		...(role.success ? accessOf(role.data, inputs.areas) : { role: 'editor', areas: [] })
	});
	const fieldErrors: FieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
	if (!role.success) {
		// The placeholder role above only lets the other fields be checked; its area message
		// would be about a role nobody chose.
		delete fieldErrors.areas;
		fieldErrors.role = ROLE_MISSING;
	}
	if (parsed.success && role.success) return { ok: true, draft: parsed.data };
	return { ok: false, fieldErrors };
}

/** Role and areas to send for an existing account, or the messages per field. */
export function accessDraft(
	role: Role,
	areas: readonly string[]
): { ok: true; draft: UserAccess } | { ok: false; fieldErrors: FieldErrors } {
	const parsed = UserAccessV1.safeParse(accessOf(role, areas));
	return parsed.success
		? { ok: true, draft: parsed.data }
		: { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
}

/** Whether a draft would change what the account may do. */
export function accessChanged(user: Pick<UserListItem, 'role' | 'areas'>, draft: UserAccess) {
	return (
		user.role !== draft.role ||
		[...new Set(user.areas)].sort().join(',') !== [...new Set(draft.areas)].sort().join(',')
	);
}

/** The message for a new password, or null when it will do. */
export function passwordError(password: string): string | null {
	const parsed = NewPassword.safeParse(password);
	return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'Ungültiges Passwort.');
}

export const PASSWORD_HINT = `Mindestens ${MIN_PASSWORD_LENGTH} Zeichen, gern ein Satz aus mehreren Wörtern. Geben Sie es der Person auf sicherem Weg weiter.`;

/** The order in which the first wrong field gets the focus. */
export const NEW_USER_FIELDS = ['username', 'displayName', 'role', 'areas', 'password'] as const;

/** The first field of a form that has a message, in the order the fields are shown. */
export function firstErrorField(
	errors: FieldErrors,
	order: readonly string[] = NEW_USER_FIELDS
): string | null {
	return order.find((field) => errors[field]) ?? null;
}

const ended = (count: number) =>
	count === 0
		? 'Es war keine Sitzung aktiv.'
		: `${formatNumber(count)} ${count === 1 ? 'Sitzung' : 'Sitzungen'} beendet.`;

/** The line announced after an action, naming the person and what happened. */
export type UserAction =
	| { kind: 'created'; user: UserListItem }
	| { kind: 'access'; user: UserListItem }
	| { kind: 'disabled'; user: UserListItem; endedSessions: number }
	| { kind: 'enabled'; user: UserListItem }
	| { kind: 'password'; user: UserListItem; endedSessions: number }
	| { kind: 'sessions'; user: UserListItem; ended: number };

export function actionMessage(action: UserAction, catalogue: readonly Area[]): string {
	const name = `„${action.user.displayName}“`;
	switch (action.kind) {
		case 'created':
			return `Benutzerkonto ${name} angelegt: ${accessSummary(action.user, catalogue)}.`;
		case 'access':
			return `Rechte von ${name} geändert: ${accessSummary(action.user, catalogue)}.`;
		case 'disabled':
			return `${name} gesperrt. ${ended(action.endedSessions)}`;
		case 'enabled':
			return `${name} entsperrt. Die Person kann sich wieder anmelden.`;
		case 'password':
			return `Passwort von ${name} neu gesetzt. ${ended(action.endedSessions)}`;
		case 'sessions':
			return `Sitzungen von ${name}: ${ended(action.ended)}`;
	}
}

/** The question before an account is disabled or enabled again. */
export function disableQuestion(user: Pick<UserListItem, 'displayName' | 'disabled'>): string {
	return user.disabled
		? `„${user.displayName}“ wieder entsperren? Die Person kann sich danach mit ihrem bisherigen Passwort anmelden.`
		: `„${user.displayName}“ sperren? Alle Sitzungen enden sofort, und die Person kann sich nicht mehr anmelden. Ihre Einträge bleiben erhalten.`;
}

/** What the page answers to an action on an account: the account as it is now, or messages. */
export type UserAnswer = { ok: true; user: UserListItem } | { ok: false; fieldErrors: FieldErrors };
