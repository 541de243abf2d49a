import { describe, expect, test } from 'vitest';
import { hasUnsafeCharacters, safeText, UNSAFE_TEXT_MESSAGE } from '#shared/text';
import { DistrictInput } from '#shared/reference';
import { NewUserV1 } from '#shared/accounts';
import { FeedDefinitionV1 } from '#shared/feeds';
import { OccupancyEntryV1 } from '#shared/forms/index';

describe('free text refuses control and bidi-override characters', () => {
	test('what a person types passes: umlauts, ß, dashes, quotes, emoji', () => {
		for (const text of [
			'Bännjerrück/Karl-Pfaff-S.',
			'Straße „Am Park“ – Süd',
			'Café ☕',
			"O'Neill"
		]) {
			expect(hasUnsafeCharacters(text)).toBe(false);
		}
	});

	test('bidi overrides, embeddings and isolates are refused', () => {
		for (const mark of [
			'\u202A',
			'\u202B',
			'\u202C',
			'\u202D',
			'\u202E',
			'\u2066',
			'\u2067',
			'\u2068',
			'\u2069'
		]) {
			expect(
				hasUnsafeCharacters(`Heim ${mark}gnp.exe Süd`),
				mark.codePointAt(0)!.toString(16)
			).toBe(true);
		}
	});

	test('NUL and other control characters are refused; line breaks only in multi-line fields', () => {
		expect(hasUnsafeCharacters('a\u0000b')).toBe(true);
		expect(hasUnsafeCharacters('a\u0007b', true)).toBe(true);
		expect(hasUnsafeCharacters('a\u0085b', true)).toBe(true);
		expect(hasUnsafeCharacters('Zeile 1\nZeile 2')).toBe(true);
		expect(hasUnsafeCharacters('Zeile 1\r\nZeile 2\tmit Tab', true)).toBe(false);
	});

	test('schemas answer in German', () => {
		const result = safeText().safeParse('x\u202Ey');
		expect(result.success).toBe(false);
		expect(result.error?.issues[0]?.message).toBe(UNSAFE_TEXT_MESSAGE);
	});

	test('every kind of free-text field uses the rule', () => {
		const district = DistrictInput.safeParse({
			name: 'Heim \u202Egnp.exe\u202C Süd',
			active: true
		});
		expect(district.error?.issues.map((i) => i.message)).toEqual([UNSAFE_TEXT_MESSAGE]);
		const user = NewUserV1.safeParse({
			username: 'neu',
			displayName: 'Anna\u0000 Admin',
			password: 'ein langes Passwort',
			role: 'executive',
			areas: []
		});
		expect(user.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
			['displayName', UNSAFE_TEXT_MESSAGE]
		]);
		const occupancy = OccupancyEntryV1('2026-11-22').safeParse({
			facilityId: 'gu-hohenecker',
			date: '2026-11-20',
			occupied: 91,
			capacity: 90,
			overCapacity: true,
			overCapacityReason: 'Notbetten \u202Eim Flur'
		});
		expect(occupancy.error?.issues.map((i) => i.message)).toEqual([UNSAFE_TEXT_MESSAGE]);
		const feed = FeedDefinitionV1.safeParse({
			id: 'x',
			title: 'Lieferung\u2066',
			owner: { department: 'Amt', contact: 'Stelle' },
			source: { format: 'json', records: 'array' },
			mapping: {
				period: { column: 'p', format: 'YYYY' },
				values: [{ column: 'v', kpi: { fixed: 'k' } }]
			},
			cadence: 'yearly'
		});
		expect(feed.error?.issues.map((i) => i.message)).toContain(UNSAFE_TEXT_MESSAGE);
	});
});
