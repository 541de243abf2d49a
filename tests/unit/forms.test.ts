import { describe, expect, test } from 'vitest';
import {
	ArrivalsEntryV1,
	arrivalsForm,
	CourseOfferEntryV1,
	courseOfferForm,
	FORM_LIST,
	FORMS,
	formBySlug,
	kpisForValueForm,
	kpiValueForm,
	KpiValueEntryV1,
	kpiValueProblems,
	occupancyForm,
	OccupancyEntryV1,
	StreetLightFaultEntryV1,
	streetLightFaultForm,
	type ReferenceNames
} from '#shared/forms/index';
import { parseGermanNumber, toFormValues, toPayload } from '#shared/forms/input';
import { type KpiDefinition } from '#shared/catalogue';
import { fieldErrorsOf } from '#shared/field-errors';

/** The day the forms are validated on: the rules about the future and the past depend on it. */
const TODAY = '2026-11-22';

const names: ReferenceNames = {
	facility: (id) => (id === 'gu-hohenecker' ? 'GU Hohenecker Straße' : id),
	district: (id) => (id === 'betzenberg' ? 'Betzenberg' : id),
	provider: (id) => (id === 'vhs' ? 'Volkshochschule' : id),
	kpi: (id) => (id === 'fin.ergebnis_prognose' ? 'Prognose Jahresergebnis' : id),
	member: (dimension, id) => (dimension === 'origin' && id === 'syr' ? 'Syrien' : id)
};

const valid = { facilityId: 'gu-hohenecker', date: '2026-11-20', occupied: 84, capacity: 90 };

/** The German message per field, or null when the entry is valid. */
function errorsOf(payload: unknown): Record<string, string> | null {
	const result = OccupancyEntryV1(TODAY).safeParse(payload);
	return result.success ? null : fieldErrorsOf(result.error);
}

describe('OccupancyEntryV1', () => {
	test('accepts a plausible entry unchanged', () => {
		expect(OccupancyEntryV1(TODAY).parse(valid)).toEqual(valid);
		expect(errorsOf({ ...valid, occupied: 90 })).toBeNull();
		expect(errorsOf({ ...valid, occupied: 0, capacity: 0 })).toBeNull();
	});

	test('refuses more occupied places than capacity unless the override is ticked and explained', () => {
		expect(errorsOf({ ...valid, occupied: 91 })).toEqual({
			occupied:
				'Die Belegung übersteigt die Kapazität. Bitte prüfen – oder „Überbelegung bestätigen“ ankreuzen und begründen.'
		});
		expect(errorsOf({ ...valid, occupied: 91, overCapacity: true })).toEqual({
			overCapacityReason: 'Bitte die Überbelegung begründen (mindestens 5 Zeichen).'
		});
		expect(
			errorsOf({ ...valid, occupied: 91, overCapacity: true, overCapacityReason: '  ok  ' })
		).toEqual({ overCapacityReason: 'Bitte die Überbelegung begründen (mindestens 5 Zeichen).' });
		expect(
			errorsOf({
				...valid,
				occupied: 96,
				overCapacity: true,
				overCapacityReason: 'Sechs Notbetten nach Brand in der GU Nord'
			})
		).toBeNull();
		// The override without the need is harmless: nothing to justify.
		expect(errorsOf({ ...valid, overCapacity: true })).toBeNull();
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
		const inTwoDays = '2026-11-24';
		expect(errorsOf({ ...valid, date: inTwoDays })).toEqual({
			date: 'Das Datum darf nicht in der Zukunft liegen.'
		});
		expect(errorsOf({ ...valid, date: '2099-01-01' })).toEqual({
			date: 'Das Datum darf nicht in der Zukunft liegen.'
		});
		expect(errorsOf({ ...valid, date: '2026-11-23' })).toBeNull();
		expect(errorsOf({ ...valid, date: TODAY })).toBeNull();
		// The same date a day later is fine: the schema follows the day it is given.
		expect(OccupancyEntryV1('2026-11-23').safeParse({ ...valid, date: inTwoDays }).success).toBe(
			true
		);
	});

	test('rejects a date before the year 2000 (a typing or client error, not history)', () => {
		for (const date of ['0001-01-01', '1970-01-01', '1999-12-31']) {
			expect(errorsOf({ ...valid, date })).toEqual({
				date: 'Das Datum liegt unplausibel weit zurück (vor dem Jahr 2000).'
			});
		}
		expect(errorsOf({ ...valid, date: '2000-01-01' })).toBeNull();
	});

	test('rejects dates that do not exist or are not ISO dates', () => {
		for (const date of ['2026-02-30', '20.11.2026', '2026-11-20T10:00:00Z', '']) {
			expect(errorsOf({ ...valid, date })).toEqual({
				date: date
					? 'Bitte den Stichtag als gültiges Datum angeben.'
					: 'Bitte den Stichtag angeben.'
			});
		}
		expect(errorsOf({ ...valid, date: undefined })).toEqual({
			date: 'Bitte den Stichtag angeben.'
		});
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
			date: 'Bitte den Stichtag angeben.',
			occupied: 'Der Wert für die belegten Plätze kann nicht negativ sein.',
			capacity: 'Bitte die Kapazität als ganze Zahl angeben.'
		});
	});
});

describe('fieldErrors', () => {
	test('keeps the first message per field', () => {
		// An empty date fails twice: missing, and not a valid date.
		const result = OccupancyEntryV1(TODAY).safeParse({ ...valid, date: '' });
		expect(result.success).toBe(false);
		const dateIssues = result.error!.issues.filter((i) => i.path[0] === 'date');
		expect(dateIssues.length).toBeGreaterThan(1);
		expect(fieldErrorsOf(result.error!).date).toBe(dateIssues[0]!.message);
	});

	test('issues without a path land on _form', () => {
		const result = OccupancyEntryV1(TODAY).safeParse('kein Objekt');
		expect(result.success).toBe(false);
		expect(Object.keys(fieldErrorsOf(result.error!))).toEqual(['_form']);
	});
});

describe('occupancyForm', () => {
	test('is registered under its versioned id for the asyl area', () => {
		expect(FORMS['asyl.belegung.v1']).toBe(occupancyForm);
		expect(occupancyForm.areaId).toBe('asyl');
		expect(occupancyForm.fields.map((f) => f.name)).toEqual([
			...Object.keys(valid),
			'overCapacity',
			'overCapacityReason'
		]);
	});

	test('summarises an entry in German with the facility name and date', () => {
		expect(occupancyForm.summary(valid, names)).toBe(
			'GU Hohenecker Straße, 20.11.2026: 84 von 90 Plätzen'
		);
	});
});

const check =
	(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }) =>
	(payload: unknown): Record<string, string> | null => {
		const result = schema.safeParse(payload) as ReturnType<
			ReturnType<typeof OccupancyEntryV1>['safeParse']
		>;
		return result.success ? null : fieldErrorsOf(result.error);
	};

describe('weekly arrivals', () => {
	const arrivals = { week: '2026-W46', originGroup: 'syr', persons: 14, minors: 5 };
	const errors = check(ArrivalsEntryV1(TODAY));

	test('accepts a week, a known origin group and counts', () => {
		expect(errors(arrivals)).toBeNull();
		expect(errors({ ...arrivals, minors: 14 })).toBeNull();
		expect(arrivalsForm.key(ArrivalsEntryV1(TODAY).parse(arrivals))).toBe('2026-W46|syr');
		expect(arrivalsForm.summary(ArrivalsEntryV1(TODAY).parse(arrivals), names)).toBe(
			'KW 46/2026, Syrien: 14 Personen, davon 5 minderjährig'
		);
	});

	test('minors at most the persons', () => {
		expect(errors({ ...arrivals, minors: 15 })).toEqual({
			minors: 'Es können nicht mehr Minderjährige als Personen insgesamt zugegangen sein.'
		});
	});

	test('a real ISO week, not in the future', () => {
		expect(errors({ ...arrivals, week: '2026-W54' })).toEqual({
			week: 'Bitte eine gültige Kalenderwoche angeben (z. B. 2026-W47).'
		});
		expect(errors({ ...arrivals, week: '2026-11' })).toHaveProperty('week');
		expect(errors({ ...arrivals, week: '2099-W01' })).toEqual({
			week: 'Die Kalenderwoche darf nicht in der Zukunft liegen.'
		});
		// The week that contains tomorrow is still fine (a phone a day ahead); the next one not.
		expect(errors({ ...arrivals, week: '2026-W48' })).toBeNull();
		expect(errors({ ...arrivals, week: '2026-W49' })).toHaveProperty('week');
		expect(errors({ ...arrivals, week: '1970-W01' })).toEqual({
			week: 'Die Kalenderwoche liegt unplausibel weit zurück (vor dem Jahr 2000).'
		});
	});

	test('an origin group must be chosen; the server checks it against the catalogue list', () => {
		expect(errors({ ...arrivals, originGroup: '' })).toEqual({
			originGroup: 'Bitte eine Herkunftsgruppe wählen.'
		});
		expect(arrivalsForm.fields.find((f) => f.name === 'originGroup')?.options).toBe(
			'dimension:origin'
		);
	});
});

describe('language-course offer', () => {
	const offer = {
		providerId: 'vhs',
		courseType: 'integration',
		level: 'B1',
		places: 20,
		taken: 18,
		waitingList: 7,
		start: '2026-12-07',
		districtId: 'betzenberg'
	};
	const errors = check(CourseOfferEntryV1(TODAY));

	test('accepts an offer that starts in the coming weeks', () => {
		expect(errors(offer)).toBeNull();
		expect(courseOfferForm.key(CourseOfferEntryV1(TODAY).parse(offer))).toBeNull();
		expect(courseOfferForm.summary(CourseOfferEntryV1(TODAY).parse(offer), names)).toBe(
			'Volkshochschule: Integrationskurs B1 ab 07.12.2026, 18 von 20 Plätzen, 7 auf der Warteliste'
		);
	});

	test('places taken at most the places', () => {
		expect(errors({ ...offer, taken: 21 })).toEqual({
			taken: 'Es können nicht mehr Plätze belegt sein, als der Kurs hat.'
		});
	});

	test('types and levels from their lists; start within reason', () => {
		expect(errors({ ...offer, courseType: 'Yoga', level: '' })).toEqual({
			courseType: 'Bitte die Kursart wählen.',
			level: 'Bitte das Sprachniveau wählen.'
		});
		expect(errors({ ...offer, start: '2040-01-01' })).toEqual({
			start: 'Der Kursbeginn liegt unplausibel weit in der Vergangenheit oder Zukunft.'
		});
		expect(errors({ ...offer, start: '31.12.2026' })).toEqual({
			start: 'Bitte den Kursbeginn als gültiges Datum angeben.'
		});
		expect(errors({ ...offer, providerId: '', districtId: '' })).toEqual({
			providerId: 'Bitte einen Kursträger wählen.',
			districtId: 'Bitte den Stadtteil des Kursorts wählen.'
		});
	});
});

describe('street-light fault', () => {
	const fault = {
		lightNumber: 'l-10423',
		districtId: 'betzenberg',
		reported: '2026-11-02',
		fixed: '2026-11-05',
		cause: 'cable'
	};
	const errors = check(StreetLightFaultEntryV1(TODAY));

	test('accepts an open and a fixed fault; the key ignores the case of the number', () => {
		expect(errors(fault)).toBeNull();
		expect(errors({ ...fault, fixed: '' })).toBeNull();
		const open: Partial<typeof fault> = { ...fault };
		delete open.fixed;
		expect(errors(open)).toBeNull();
		expect(streetLightFaultForm.key(StreetLightFaultEntryV1(TODAY).parse(fault))).toBe(
			'L-10423|2026-11-02'
		);
		expect(streetLightFaultForm.summary(StreetLightFaultEntryV1(TODAY).parse(open), names)).toBe(
			'Leuchte L-10423 (Betzenberg), gemeldet 02.11.2026: offen'
		);
	});

	test('fixed not before reported (the same day is fine)', () => {
		expect(errors({ ...fault, fixed: '2026-11-01' })).toEqual({
			fixed: 'Die Störung kann nicht vor ihrer Meldung behoben worden sein.'
		});
		expect(errors({ ...fault, fixed: '2026-11-02' })).toBeNull();
	});

	test('a light number from the mast plate, a known cause', () => {
		expect(errors({ ...fault, lightNumber: 'die am Spielplatz' })).toEqual({
			lightNumber: 'Bitte die Leuchtennummer vom Mastschild angeben (z. B. L-10423).'
		});
		expect(errors({ ...fault, cause: 'Blitz' })).toEqual({ cause: 'Bitte die Ursache wählen.' });
	});
});

describe('value for a KPI', () => {
	const definition = (over: Partial<KpiDefinition>): KpiDefinition =>
		({
			id: 'fin.ergebnis_prognose',
			areaId: 'finanzen',
			cadence: 'monthly',
			dimensions: [],
			numberFormat: 'currency',
			source: { kind: 'form', name: 'Hochrechnung' },
			sortOrder: 10,
			...over
		}) as KpiDefinition;
	const entry = { kpiId: 'fin.ergebnis_prognose', period: '2026-10', value: -4_250_000.5 };

	test('offers form-sourced KPIs of the own areas without a form of their own', () => {
		const catalogue = [
			definition({}),
			definition({ id: 'asyl.belegung', areaId: 'asyl' }),
			definition({ id: 'fin.x', source: { kind: 'feed', name: 'SAP' } }),
			definition({ id: 'inf.y', areaId: 'infrastruktur', dimensions: ['district'] }),
			definition({ id: 'inf.z', areaId: 'infrastruktur', dimensions: ['facility'] })
		];
		expect(kpisForValueForm(catalogue, ['finanzen']).map((k) => k.id)).toEqual([
			'fin.ergebnis_prognose'
		]);
		expect(kpisForValueForm(catalogue, ['asyl', 'infrastruktur']).map((k) => k.id)).toEqual([
			'inf.y'
		]);
		expect(kpisForValueForm(catalogue, [])).toEqual([]);
	});

	test('the period must match the cadence; the district only where the KPI has districts', () => {
		const monthly = definition({});
		expect(kpiValueProblems(entry, monthly, ['finanzen'])).toEqual({});
		expect(kpiValueProblems({ ...entry, period: '2026-Q3' }, monthly, ['finanzen'])).toEqual({
			period: 'Diese Kennzahl wird für einen Monat erfasst – bitte den Zeitraum so wählen.'
		});
		expect(kpiValueProblems({ ...entry, districtId: 'betzenberg' }, monthly, ['finanzen'])).toEqual(
			{ districtId: 'Diese Kennzahl wird nicht nach Stadtteilen erfasst.' }
		);
		const byDistrict = definition({ dimensions: ['district'] });
		expect(kpiValueProblems(entry, byDistrict, ['finanzen'])).toEqual({
			districtId: 'Bitte den Stadtteil wählen.'
		});
	});

	test('whole numbers and shares are checked by the KPI’s format; foreign KPIs are refused', () => {
		expect(
			kpiValueProblems({ ...entry, value: 2.5 }, definition({ numberFormat: 'integer' }), [
				'finanzen'
			])
		).toEqual({ value: 'Bitte eine ganze Zahl angeben.' });
		expect(
			kpiValueProblems({ ...entry, value: 140 }, definition({ numberFormat: 'percent' }), [
				'finanzen'
			])
		).toEqual({ value: 'Ein Anteil liegt zwischen 0 und 100 %.' });
		expect(kpiValueProblems(entry, definition({}), ['asyl'])).toEqual({
			kpiId: 'Für diese Kennzahl können Sie keine Werte erfassen.'
		});
		expect(kpiValueProblems(entry, undefined, ['finanzen'])).toHaveProperty('kpiId');
	});

	test('the schema: a valid period not in the future, a finite number', () => {
		const errors = check(KpiValueEntryV1(TODAY));
		expect(errors(entry)).toBeNull();
		expect(errors({ ...entry, period: '2026-13' })).toEqual({
			period: 'Bitte einen gültigen Zeitraum angeben.'
		});
		expect(errors({ ...entry, period: '2099' })).toEqual({
			period: 'Der Zeitraum darf nicht in der Zukunft beginnen.'
		});
		for (const period of ['0000-01', '1999-12', '1999']) {
			expect(errors({ ...entry, period })).toEqual({
				period: 'Der Zeitraum liegt unplausibel weit zurück (vor dem Jahr 2000).'
			});
		}
		expect(errors({ ...entry, value: Number.POSITIVE_INFINITY })).toHaveProperty('value');
		expect(kpiValueForm.summary(entry, names)).toBe(
			'Prognose Jahresergebnis, Oktober 2026: −4.250.000,5'.replace('−', '-')
		);
	});
});

describe('the form registry', () => {
	test('five forms with unique ids and slugs, each field a key of its schema', () => {
		expect(FORM_LIST.map((f) => f.slug)).toEqual([
			'belegung',
			'zugaenge',
			'sprachkurs',
			'stoerung',
			'wert'
		]);
		expect(new Set(FORM_LIST.map((f) => f.id)).size).toBe(5);
		for (const form of FORM_LIST) {
			expect(FORMS[form.id]).toBe(form);
			expect(formBySlug(form.slug)).toBe(form);
			for (const field of form.fields) {
				expect(field.label.length, `${form.id}.${field.name}`).toBeGreaterThan(0);
				if (field.kind === 'select') expect(field.options, field.name).toBeDefined();
			}
		}
		expect(formBySlug('gibt-es-nicht')).toBeUndefined();
	});
});

describe('phone inputs to payload', () => {
	test('German numbers: thousands dots, decimal commas; anything else stays text', () => {
		expect(parseGermanNumber('1.234', 'integer')).toBe(1234);
		expect(parseGermanNumber(' 84 ', 'integer')).toBe(84);
		expect(parseGermanNumber('3,5', 'decimal')).toBe(3.5);
		expect(parseGermanNumber('1.234.567,89', 'decimal')).toBe(1234567.89);
		expect(parseGermanNumber('-4.250.000', 'decimal')).toBe(-4250000);
		expect(parseGermanNumber('3.5', 'decimal')).toBe(3.5);
		expect(parseGermanNumber('3,5', 'integer')).toBe('3,5');
		expect(parseGermanNumber('zwölf', 'integer')).toBe('zwölf');
		expect(parseGermanNumber('', 'integer')).toBe('');
	});

	test('only the fields that apply reach the payload', () => {
		const values = {
			facilityId: 'gu-hohenecker',
			date: '2026-11-20',
			occupied: '84',
			capacity: '90',
			overCapacity: true,
			overCapacityReason: 'alt'
		};
		expect(toPayload(occupancyForm, values)).toEqual({
			facilityId: 'gu-hohenecker',
			date: '2026-11-20',
			occupied: 84,
			capacity: 90
		});
		expect(toPayload(occupancyForm, { ...values, occupied: '96' })).toEqual({
			facilityId: 'gu-hohenecker',
			date: '2026-11-20',
			occupied: 96,
			capacity: 90,
			overCapacity: true,
			overCapacityReason: 'alt'
		});
	});

	test('empty required numbers are missing (the schema says so), optional fields stay absent', () => {
		const payload = toPayload(streetLightFaultForm, {
			lightNumber: 'L-1',
			districtId: 'betzenberg',
			reported: '2026-11-02',
			fixed: '',
			cause: 'lamp'
		});
		expect(payload).not.toHaveProperty('fixed');
		expect(StreetLightFaultEntryV1(TODAY).safeParse(payload).success).toBe(true);
		const errors = check(OccupancyEntryV1(TODAY))(
			toPayload(occupancyForm, { facilityId: 'x', date: '2026-11-20', occupied: '', capacity: '9' })
		);
		expect(errors).toEqual({ occupied: 'Bitte die belegten Plätze als ganze Zahl angeben.' });
	});

	test('a stored payload fills the inputs again (corrections, drafts)', () => {
		const values = toFormValues(kpiValueForm, { ...entry(), value: -1.5 });
		expect(values).toMatchObject({ kpiId: 'fin.ergebnis_prognose', value: '-1,5' });
		expect(toPayload(kpiValueForm, values)).toMatchObject({ value: -1.5 });
	});
});

function entry() {
	return { kpiId: 'fin.ergebnis_prognose', period: '2026-10', value: 1 };
}
