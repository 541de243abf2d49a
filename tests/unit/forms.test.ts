import { addDays } from 'date-fns';
import { describe, expect, test } from 'vitest';
import { FORMS, fieldErrors, occupancyForm, OccupancyEntryV1 } from '../../src/lib/shared/forms';
import { toIsoDate } from '../../src/lib/shared/periods';

const valid = { facilityId: 'gu-hohenecker', date: '2026-11-20', occupied: 84, capacity: 90 };

/** The German message per field, or null when the entry is valid. */
function errorsOf(payload: unknown): Record<string, string> | null {
	const result = OccupancyEntryV1.safeParse(payload);
	return result.success ? null : fieldErrors(result.error);
}

describe('OccupancyEntryV1', () => {
	test('accepts a plausible entry unchanged', () => {
		expect(OccupancyEntryV1.parse(valid)).toEqual(valid);
		expect(errorsOf({ ...valid, occupied: 90 })).toBeNull();
		expect(errorsOf({ ...valid, occupied: 0, capacity: 0 })).toBeNull();
	});

	test('rejects more occupied places than capacity, on the occupied field', () => {
		expect(errorsOf({ ...valid, occupied: 91 })).toEqual({
			occupied: 'Die Belegung darf die Kapazität nicht übersteigen.'
		});
	});

	test('rejects negative counts with a message per field', () => {
		expect(errorsOf({ ...valid, occupied: -1 })).toEqual({
			occupied: 'Der Wert für die belegten Plätze kann nicht negativ sein.'
		});
		expect(errorsOf({ ...valid, capacity: -2 })).toMatchObject({
			capacity: 'Der Wert für die Kapazität kann nicht negativ sein.'
		});
	});

	test('rejects fractions and numbers sent as text', () => {
		expect(errorsOf({ ...valid, occupied: 84.5 })).toEqual({
			occupied: 'Bitte die belegten Plätze als ganze Zahl angeben.'
		});
		expect(errorsOf({ ...valid, capacity: '90' })).toEqual({
			capacity: 'Bitte die Kapazität als ganze Zahl angeben.'
		});
		expect(errorsOf({ ...valid, occupied: Number.NaN })).toHaveProperty('occupied');
	});

	test('rejects implausibly high counts', () => {
		expect(errorsOf({ ...valid, occupied: 100_001, capacity: 100_001 })).toEqual({
			occupied: 'Der Wert für die belegten Plätze ist unplausibel hoch.',
			capacity: 'Der Wert für die Kapazität ist unplausibel hoch.'
		});
	});

	test('rejects a date in the future, but tolerates a phone clock up to a day ahead', () => {
		const inTwoDays = toIsoDate(addDays(new Date(), 2));
		expect(errorsOf({ ...valid, date: inTwoDays })).toEqual({
			date: 'Das Datum darf nicht in der Zukunft liegen.'
		});
		expect(errorsOf({ ...valid, date: '2099-01-01' })).toEqual({
			date: 'Das Datum darf nicht in der Zukunft liegen.'
		});
		expect(errorsOf({ ...valid, date: toIsoDate(addDays(new Date(), 1)) })).toBeNull();
		expect(errorsOf({ ...valid, date: toIsoDate(new Date()) })).toBeNull();
	});

	test('rejects dates that do not exist or are not ISO dates', () => {
		for (const date of ['2026-02-30', '20.11.2026', '2026-11-20T10:00:00Z', '']) {
			expect(errorsOf({ ...valid, date })).toEqual({ date: 'Bitte ein gültiges Datum angeben.' });
		}
		expect(errorsOf({ ...valid, date: undefined })).toEqual({ date: 'Bitte ein Datum angeben.' });
	});

	test('rejects a missing or empty facility', () => {
		const withoutFacility: Partial<typeof valid> = { ...valid };
		delete withoutFacility.facilityId;
		expect(errorsOf(withoutFacility)).toEqual({ facilityId: 'Bitte eine Einrichtung wählen.' });
		expect(errorsOf({ ...valid, facilityId: '' })).toEqual({
			facilityId: 'Bitte eine Einrichtung wählen.'
		});
	});

	test('reports every faulty field at once', () => {
		expect(errorsOf({ facilityId: '', occupied: -1, capacity: 1.5 })).toEqual({
			facilityId: 'Bitte eine Einrichtung wählen.',
			date: 'Bitte ein Datum angeben.',
			occupied: 'Der Wert für die belegten Plätze kann nicht negativ sein.',
			capacity: 'Bitte die Kapazität als ganze Zahl angeben.'
		});
	});
});

describe('fieldErrors', () => {
	test('keeps the first message per field', () => {
		// Negative occupancy above a negative capacity fails twice on "occupied".
		const result = OccupancyEntryV1.safeParse({ ...valid, occupied: -1, capacity: -2 });
		expect(result.success).toBe(false);
		const occupiedIssues = result.error!.issues.filter((i) => i.path[0] === 'occupied');
		expect(occupiedIssues.length).toBeGreaterThan(1);
		expect(fieldErrors(result.error!).occupied).toBe(occupiedIssues[0]!.message);
	});

	test('issues without a path land on _form', () => {
		const result = OccupancyEntryV1.safeParse('kein Objekt');
		expect(result.success).toBe(false);
		expect(Object.keys(fieldErrors(result.error!))).toEqual(['_form']);
	});
});

describe('occupancyForm', () => {
	test('is registered under its versioned id for the asyl area', () => {
		expect(FORMS['asyl.belegung.v1']).toBe(occupancyForm);
		expect(occupancyForm.areaId).toBe('asyl');
		expect(occupancyForm.fields.map((f) => f.name)).toEqual(Object.keys(valid));
	});

	test('summarises an entry in German with the facility name and date', () => {
		const name = (id: string) => (id === 'gu-hohenecker' ? 'GU Hohenecker Straße' : id);
		expect(occupancyForm.summary(valid, name)).toBe(
			'GU Hohenecker Straße, 20.11.2026: 84 von 90 Plätzen'
		);
	});
});
