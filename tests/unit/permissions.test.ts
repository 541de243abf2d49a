import { describe, expect, test } from 'vitest';
import type { AreaId } from '#shared/areas';
import type { Visibility } from '#shared/kpi';
import {
	canRead,
	canWriteArea,
	readScopeFingerprint,
	Role,
	writableAreas,
	type Principal
} from '#shared/permissions';

/** Every principal below is scoped to `asyl`; "own" is an asyl item, "other" a finanzen item. */
const principal = (role: Role): Pick<Principal, 'role' | 'areas'> => ({ role, areas: ['asyl'] });
const OWN: AreaId = 'asyl';
const OTHER: AreaId = 'finanzen';

/**
 * The read matrix of the product design (README, "Security model"), written out by hand: per role, which
 * visibility/area combinations it reads. A change to ROLE_RULES must change this table too.
 */
const EXPECTED_READ: Record<Role, string> = {
	//          internal/own  internal/other  council/own  council/other  public/own  public/other
	admin: '      yes          yes             yes          yes            yes         yes',
	executive: '  yes          yes             yes          yes            yes         yes',
	councillor: ' no           no              yes          yes            yes         yes',
	editor: '     yes          no              yes          yes            yes         yes',
	lead: '       yes          no              yes          yes            yes         yes'
};

const EXPECTED_WRITE: Record<Role, string> = {
	//          own  other
	admin: '      no   no',
	executive: '  no   no',
	councillor: ' no   no',
	editor: '     yes  no',
	lead: '       yes  no'
};

const VISIBILITIES: Visibility[] = ['internal', 'council', 'public'];
const yesNo = (value: boolean) => (value ? 'yes' : 'no');
const words = (row: string) => row.trim().split(/\s+/);

describe('canRead', () => {
	test('every role covers the same list in the expected table', () => {
		expect(Object.keys(EXPECTED_READ).sort()).toEqual([...Role.options].sort());
	});

	test.each(Role.options)('%s reads exactly what the matrix says', (role) => {
		const actual = VISIBILITIES.flatMap((visibility) =>
			[OWN, OTHER].map((areaId) => yesNo(canRead(principal(role), { areaId, visibility })))
		);
		expect(actual).toEqual(words(EXPECTED_READ[role]));
	});

	test('an editor without areas reads no internal data at all', () => {
		const unscoped = { role: 'editor' as const, areas: [] };
		expect(canRead(unscoped, { areaId: 'asyl', visibility: 'internal' })).toBe(false);
		expect(canRead(unscoped, { areaId: 'asyl', visibility: 'council' })).toBe(true);
	});

	test('an unknown role read from a damaged row gets nothing', () => {
		const broken = { role: 'superuser' as Role, areas: ['asyl' as AreaId] };
		for (const visibility of VISIBILITIES) {
			expect(canRead(broken, { areaId: 'asyl', visibility })).toBe(false);
		}
		expect(canWriteArea(broken, 'asyl')).toBe(false);
		expect(writableAreas(broken)).toEqual([]);
	});
});

describe('canWriteArea and writableAreas', () => {
	test.each(Role.options)('%s writes exactly where the matrix says', (role) => {
		const actual = [OWN, OTHER].map((areaId) => yesNo(canWriteArea(principal(role), areaId)));
		expect(actual).toEqual(words(EXPECTED_WRITE[role]));
	});

	test('writable areas are the own areas of writing roles only', () => {
		expect(writableAreas({ role: 'editor', areas: ['asyl', 'soziales'] })).toEqual([
			'asyl',
			'soziales'
		]);
		expect(writableAreas({ role: 'lead', areas: ['bildung'] })).toEqual(['bildung']);
		expect(writableAreas({ role: 'admin', areas: ['asyl'] })).toEqual([]);
		expect(writableAreas({ role: 'executive', areas: [] })).toEqual([]);
	});

	test('writableAreas hands out a copy, not the principal’s own list', () => {
		const editor = { role: 'editor' as const, areas: ['asyl' as AreaId] };
		writableAreas(editor).push('finanzen');
		expect(editor.areas).toEqual(['asyl']);
	});
});

describe('readScopeFingerprint', () => {
	test('does not depend on the order of areas', () => {
		expect(readScopeFingerprint({ role: 'editor', areas: ['soziales', 'asyl'] })).toBe(
			readScopeFingerprint({ role: 'editor', areas: ['asyl', 'soziales'] })
		);
	});

	test('changes when an area is added or removed', () => {
		const before = readScopeFingerprint({ role: 'editor', areas: ['asyl'] });
		expect(readScopeFingerprint({ role: 'editor', areas: ['asyl', 'soziales'] })).not.toBe(before);
		expect(readScopeFingerprint({ role: 'editor', areas: [] })).not.toBe(before);
		expect(readScopeFingerprint({ role: 'editor', areas: ['soziales'] })).not.toBe(before);
	});

	test('changes when the role changes', () => {
		const fingerprints = Role.options.map((role) =>
			readScopeFingerprint({ role, areas: ['asyl'] })
		);
		expect(new Set(fingerprints).size).toBe(Role.options.length);
	});

	test('does not alter the principal’s areas', () => {
		const areas: AreaId[] = ['soziales', 'asyl'];
		readScopeFingerprint({ role: 'lead', areas });
		expect(areas).toEqual(['soziales', 'asyl']);
	});
});
