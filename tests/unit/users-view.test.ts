import { describe, expect, test } from 'vitest';
import { demoCatalogue } from '#server/db/demo/catalogue';

const AREAS = demoCatalogue().areas;
import type { UserListItem } from '#shared/accounts';
import {
	accessChanged,
	accessDraft,
	accessSummary,
	accountState,
	actionMessage,
	areasLabel,
	countLabel,
	disableQuestion,
	EMPTY_NEW_USER,
	filterUsers,
	firstErrorField,
	lastLoginLabel,
	newUserDraft,
	orderedAreas,
	passwordError,
	ROLE_HINTS,
	ROLE_ORDER,
	roleNeedsAreas,
	roleTitle,
	sessionsLabel,
	sortUsers
} from '../../src/lib/users/users-view';

function user(extra: Partial<UserListItem> = {}): UserListItem {
	return {
		id: 'u-1',
		username: 'erfassung',
		displayName: 'Erika Erfasser',
		role: 'editor',
		areas: ['asyl'],
		disabled: false,
		createdAt: '2026-01-05T08:00:00.000Z',
		lastLoginAt: null,
		activeSessions: 0,
		...extra
	};
}

describe('role and area words', () => {
	test('every role has its title and a hint, in the picker order', () => {
		expect(ROLE_ORDER.map(roleTitle)).toEqual([
			'Sachbearbeitung',
			'Fachbereichsleitung',
			'Verwaltungsspitze',
			'Stadtrat',
			'Zentralcontrolling'
		]);
		for (const role of ROLE_ORDER) expect(ROLE_HINTS[role].length).toBeGreaterThan(20);
	});

	test('only editors and leads are given areas', () => {
		expect(ROLE_ORDER.filter(roleNeedsAreas)).toEqual(['editor', 'lead']);
	});

	test('areas read in catalogue order, joined the German way', () => {
		expect(areasLabel({ role: 'lead', areas: ['infrastruktur', 'asyl', 'bildung'] }, AREAS)).toBe(
			'Asyl & Unterbringung, Bildung und Infrastruktur'
		);
		expect(areasLabel({ role: 'executive', areas: [] }, AREAS)).toBe('alle Bereiche');
		expect(areasLabel({ role: 'editor', areas: [] }, AREAS)).toBe('kein Bereich');
		expect(orderedAreas(['soziales', 'finanzen', 'soziales'], AREAS)).toEqual([
			'finanzen',
			'soziales'
		]);
		// An area the catalogue lost stays visible, after the known ones, so it can be unticked.
		expect(orderedAreas(['alt', 'asyl'], AREAS)).toEqual(['asyl', 'alt']);
		expect(areasLabel({ role: 'editor', areas: ['alt'] }, AREAS)).toBe('alt');
	});

	test('a summary names the role and where it applies', () => {
		expect(accessSummary({ role: 'editor', areas: ['bildung'] }, AREAS)).toBe(
			'Sachbearbeitung für Bildung'
		);
		expect(accessSummary({ role: 'councillor', areas: [] }, AREAS)).toBe(
			'Stadtrat (alle Bereiche)'
		);
	});
});

describe('what the list shows of an account', () => {
	test('sessions and last login in words', () => {
		expect(sessionsLabel(0)).toBe('keine aktive Sitzung');
		expect(sessionsLabel(1)).toBe('1 aktive Sitzung');
		expect(sessionsLabel(3)).toBe('3 aktive Sitzungen');
		expect(lastLoginLabel(null)).toBe('noch nie angemeldet');
		expect(lastLoginLabel('2026-11-21T13:05:00.000Z')).toMatch(
			/^zuletzt angemeldet 21\.11\.2026, \d{2}:05$/
		);
	});

	test('a disabled account says so in a word and a symbol, not by colour', () => {
		expect(accountState(user({ disabled: true }))).toEqual({ word: 'gesperrt', symbol: '⊘' });
		expect(accountState(user())).toEqual({ word: 'aktiv', symbol: '✓' });
	});

	test('accounts by name as German readers sort, disabled ones in their place', () => {
		const users = [
			user({ id: 'z', displayName: 'Zora Zimmer' }),
			user({ id: 'o', displayName: 'Ömer Özdemir' }),
			user({ id: 'a', displayName: 'Anna Adler', disabled: true }),
			user({ id: 'b', displayName: 'Bernd Bauer' })
		];
		expect(sortUsers(users).map((u) => u.id)).toEqual(['a', 'b', 'o', 'z']);
	});

	test('the search finds by name without umlauts, user name, role, area and state', () => {
		const users = [
			user({ id: 'm', displayName: 'Jörg Müller', username: 'jmueller' }),
			user({
				id: 'r',
				displayName: 'Rita Rat',
				username: 'rat',
				role: 'councillor',
				areas: []
			}),
			user({
				id: 'l',
				displayName: 'Lea Licht',
				username: 'licht',
				areas: ['infrastruktur'],
				disabled: true
			})
		];
		const ids = (query: string) => filterUsers(users, query, AREAS).map((u) => u.id);
		expect(ids('')).toEqual(['m', 'r', 'l']);
		expect(ids('muller')).toEqual(['m']);
		expect(ids('JMUELLER')).toEqual(['m']);
		expect(ids('stadtrat')).toEqual(['r']);
		expect(ids('infrastruktur')).toEqual(['l']);
		expect(ids('gesperrt')).toEqual(['l']);
		expect(ids('sachbearbeitung asyl')).toEqual(['m']);
		expect(ids('niemand')).toEqual([]);
	});

	test('the count says how many of how many are shown', () => {
		expect(countLabel(14, 14)).toBe('14 Personen');
		expect(countLabel(1, 14)).toBe('1 von 14 Personen');
		expect(countLabel(1, 1)).toBe('1 Person');
	});
});

describe('the form for a new person', () => {
	const valid = {
		username: ' Neu.Erfassung ',
		displayName: '  Nina   Neumann ',
		password: 'lange-passphrase-2026',
		role: 'editor' as const,
		areas: ['bildung' as const]
	};

	test('sends the account as the server checks it (trimmed, lower case)', () => {
		expect(newUserDraft(valid)).toEqual({
			ok: true,
			draft: {
				username: 'neu.erfassung',
				displayName: 'Nina Neumann',
				password: 'lange-passphrase-2026',
				role: 'editor',
				areas: ['bildung']
			}
		});
	});

	test('a password that is too short gets its message beside the field', () => {
		const result = newUserDraft({ ...valid, password: 'kurz' });
		expect(result).toEqual({
			ok: false,
			fieldErrors: { password: 'Das Passwort muss mindestens 12 Zeichen lang sein.' }
		});
		expect(passwordError('kurz')).toBe('Das Passwort muss mindestens 12 Zeichen lang sein.');
		expect(passwordError('zwölf Zeichen')).toBeNull();
	});

	test('an empty form names every field, and asks for a role rather than areas', () => {
		const result = newUserDraft(EMPTY_NEW_USER);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(Object.keys(result.fieldErrors).sort()).toEqual([
			'displayName',
			'password',
			'role',
			'username'
		]);
		expect(result.fieldErrors.role).toBe('Bitte eine Rolle wählen.');
		expect(firstErrorField(result.fieldErrors)).toBe('username');
	});

	test('a scoped role needs an area; other roles drop the ticked ones', () => {
		const missing = newUserDraft({ ...valid, areas: [] });
		expect(missing.ok ? null : missing.fieldErrors).toEqual({
			areas: 'Bitte mindestens einen Bereich wählen: die Rolle gilt nur für ihre Bereiche.'
		});
		const executive = newUserDraft({ ...valid, role: 'executive', areas: ['asyl'] });
		expect(executive.ok && executive.draft.areas).toEqual([]);
	});
});

describe('changing role and areas', () => {
	test('a draft keeps areas only where the role uses them, in catalogue order', () => {
		expect(accessDraft('lead', ['bildung', 'asyl'])).toEqual({
			ok: true,
			draft: { role: 'lead', areas: ['asyl', 'bildung'] }
		});
		expect(accessDraft('admin', ['asyl'])).toEqual({
			ok: true,
			draft: { role: 'admin', areas: [] }
		});
		const none = accessDraft('editor', []);
		expect(none.ok ? null : Object.keys(none.fieldErrors)).toEqual(['areas']);
	});

	test('the same areas in another order are no change', () => {
		const before = user({ role: 'lead', areas: ['bildung', 'asyl'] });
		expect(accessChanged(before, { role: 'lead', areas: ['asyl', 'bildung'] })).toBe(false);
		expect(accessChanged(before, { role: 'lead', areas: ['asyl'] })).toBe(true);
		expect(accessChanged(before, { role: 'editor', areas: ['asyl', 'bildung'] })).toBe(true);
	});
});

describe('messages after an action', () => {
	const nina = user({ displayName: 'Nina Neumann', areas: ['bildung'] });

	test('each names the person and what happened', () => {
		expect(actionMessage({ kind: 'created', user: nina }, AREAS)).toBe(
			'Benutzerkonto „Nina Neumann“ angelegt: Sachbearbeitung für Bildung.'
		);
		expect(
			actionMessage(
				{ kind: 'access', user: { ...nina, role: 'lead', areas: ['asyl', 'bildung'] } },
				AREAS
			)
		).toBe(
			'Rechte von „Nina Neumann“ geändert: Fachbereichsleitung für Asyl & Unterbringung und Bildung.'
		);
		expect(actionMessage({ kind: 'disabled', user: nina, endedSessions: 2 }, AREAS)).toBe(
			'„Nina Neumann“ gesperrt. 2 Sitzungen beendet.'
		);
		expect(actionMessage({ kind: 'enabled', user: nina }, AREAS)).toBe(
			'„Nina Neumann“ entsperrt. Die Person kann sich wieder anmelden.'
		);
		expect(actionMessage({ kind: 'password', user: nina, endedSessions: 0 }, AREAS)).toBe(
			'Passwort von „Nina Neumann“ neu gesetzt. Es war keine Sitzung aktiv.'
		);
		expect(actionMessage({ kind: 'sessions', user: nina, ended: 1 }, AREAS)).toBe(
			'Sitzungen von „Nina Neumann“: 1 Sitzung beendet.'
		);
	});

	test('the question before disabling says what follows', () => {
		expect(disableQuestion(nina)).toMatch(/^„Nina Neumann“ sperren\? Alle Sitzungen enden sofort/);
		expect(disableQuestion({ ...nina, disabled: true })).toMatch(/wieder entsperren\?/);
	});
});
