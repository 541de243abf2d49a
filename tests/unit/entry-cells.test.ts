import { describe, expect, test } from 'vitest';
import { layers, resolveCell, type Contribution } from '#server/entries/cells';
import { FORM_EFFECTS, faultCells, MAX_OPEN_FAULT_DAYS } from '#server/entries/effects';
import { overlay } from '#server/kpis/snapshots';
import { ASYL_KPI } from '#server/db/demo/ids/asyl';
import { BILDUNG_KPI } from '#server/db/demo/ids/bildung';
import { INFRASTRUKTUR_KPI } from '#server/db/demo/ids/infrastruktur';
import {
	arrivalsForm,
	courseOfferForm,
	kpiValueForm,
	occupancyForm,
	streetLightFaultForm,
	type StreetLightFaultEntry
} from '#shared/forms/index';

const contribution = (overrides: Partial<Contribution>): Contribution => ({
	recordId: 'r1',
	version: 1,
	state: 'released',
	value: 10,
	mode: 'set',
	...overrides
});

const NO_BASE = { hadValue: false, value: null };

describe('resolveCell', () => {
	test("a set entry's value is the cell's value, whatever the base held", () => {
		expect(resolveCell({ hadValue: true, value: 99 }, [contribution({ value: 42 })])).toEqual({
			exists: true,
			value: 42
		});
		expect(resolveCell(NO_BASE, [contribution({ value: 0 })])).toEqual({ exists: true, value: 0 });
	});

	test('between two set entries the highest version wins, in any order', () => {
		const older = contribution({ recordId: 'a', version: 1, value: 1 });
		const newer = contribution({ recordId: 'b', version: 3, value: 3 });
		const middle = contribution({ recordId: 'c', version: 2, value: 2 });
		expect(resolveCell(NO_BASE, [newer, older, middle])).toEqual({ exists: true, value: 3 });
		expect(resolveCell(NO_BASE, [older, middle, newer])).toEqual({ exists: true, value: 3 });
	});

	test('a set entry of null keeps the cell, empty', () => {
		expect(resolveCell({ hadValue: true, value: 5 }, [contribution({ value: null })])).toEqual({
			exists: true,
			value: null
		});
	});

	test('set entries win over add entries on the same cell', () => {
		expect(
			resolveCell({ hadValue: true, value: 5 }, [
				contribution({ mode: 'add', value: 1, recordId: 'x', version: 9 }),
				contribution({ mode: 'set', value: 7 })
			])
		).toEqual({ exists: true, value: 7 });
	});

	test('add entries are summed on top of the base value', () => {
		const adds = [
			contribution({ recordId: 'a', mode: 'add', value: 1 }),
			contribution({ recordId: 'b', mode: 'add', value: 1 }),
			contribution({ recordId: 'c', mode: 'add', value: 0 })
		];
		expect(resolveCell({ hadValue: true, value: 5 }, adds)).toEqual({ exists: true, value: 7 });
	});

	test('a base that had no value counts as zero, even if a stale value is attached', () => {
		const adds = [contribution({ mode: 'add', value: 2 })];
		expect(resolveCell(NO_BASE, adds)).toEqual({ exists: true, value: 2 });
		expect(resolveCell({ hadValue: false, value: 50 }, adds)).toEqual({ exists: true, value: 2 });
		// A base row without a number, and an add without one, count as zero too.
		expect(
			resolveCell({ hadValue: true, value: null }, [
				...adds,
				contribution({ mode: 'add', value: null })
			])
		).toEqual({ exists: true, value: 2 });
	});

	test('without entries the base comes back, or the cell does not exist', () => {
		expect(resolveCell({ hadValue: true, value: 12 }, [])).toEqual({ exists: true, value: 12 });
		expect(resolveCell({ hadValue: true, value: null }, [])).toEqual({ exists: true, value: null });
		expect(resolveCell(NO_BASE, [])).toEqual({ exists: false });
	});
});

describe('layers', () => {
	test('the released layer holds only released versions', () => {
		const contributions = [
			contribution({ recordId: 'a', state: 'released', value: 1 }),
			contribution({ recordId: 'b', state: 'pending', value: 2 })
		];
		const { released } = layers(contributions, new Set(['b']));
		expect(released.map((c) => c.recordId)).toEqual(['a']);
	});

	test("the preview swaps a record's released version for its waiting one", () => {
		const v1 = contribution({ recordId: 'a', version: 1, state: 'released', value: 210 });
		const v2 = contribution({ recordId: 'a', version: 2, state: 'pending', value: 212 });
		const other = contribution({ recordId: 'b', version: 1, state: 'released', value: 5 });
		const { released, preview } = layers([v1, v2, other], new Set(['a']));
		expect(released).toEqual([v1, other]);
		expect(preview).toEqual([v2, other]);
		expect(resolveCell(NO_BASE, released)).toEqual({ exists: true, value: 210 });
		expect(resolveCell(NO_BASE, preview)).toEqual({ exists: true, value: 212 });
	});

	test('a correction that writes another cell takes the released value out of the preview', () => {
		// Version 1 (released) wrote this cell; version 2 (pending) moved to another day, so only
		// version 1 contributes here – and the record has a pending version.
		const v1 = contribution({ recordId: 'a', version: 1, state: 'released', value: 210 });
		const { released, preview } = layers([v1], new Set(['a']));
		expect(released).toEqual([v1]);
		expect(preview).toEqual([]);
		expect(resolveCell({ hadValue: true, value: 180 }, preview)).toEqual({
			exists: true,
			value: 180
		});
		expect(resolveCell(NO_BASE, preview)).toEqual({ exists: false });
	});

	test('without anything pending, both layers agree', () => {
		const contributions = [
			contribution({ recordId: 'a', mode: 'add', value: 1 }),
			contribution({ recordId: 'b', mode: 'add', value: 1 })
		];
		const { released, preview } = layers(contributions, new Set());
		expect(preview).toEqual(released);
		expect(released).toHaveLength(2);
	});

	test('a new record waiting for release counts only in the preview', () => {
		const fault = contribution({ recordId: 'new', state: 'pending', mode: 'add', value: 1 });
		const known = contribution({ recordId: 'old', mode: 'add', value: 1 });
		const { released, preview } = layers([fault, known], new Set(['new']));
		expect(resolveCell({ hadValue: true, value: 3 }, released)).toEqual({ exists: true, value: 4 });
		expect(resolveCell({ hadValue: true, value: 3 }, preview)).toEqual({ exists: true, value: 5 });
	});
});

const cellsOf = (formId: string, payload: unknown, today = new Date(2026, 10, 22)) =>
	FORM_EFFECTS[formId]!.cells(payload as never, today);

describe('what each form writes', () => {
	test('every form has its effect', () => {
		for (const form of [
			occupancyForm,
			arrivalsForm,
			courseOfferForm,
			streetLightFaultForm,
			kpiValueForm
		]) {
			expect(FORM_EFFECTS[form.id], form.id).toBeDefined();
		}
	});

	test('occupancy: occupied places and capacity of the facility on the day', () => {
		expect(
			cellsOf(occupancyForm.id, {
				facilityId: 'gu-hohenecker',
				date: '2026-11-21',
				occupied: 230,
				capacity: 240
			})
		).toEqual([
			{
				kpiId: ASYL_KPI.occupancy,
				period: '2026-11-21',
				dimensionKey: 'facility=gu-hohenecker',
				value: 230,
				mode: 'set'
			},
			{
				kpiId: ASYL_KPI.capacity,
				period: '2026-11-21',
				dimensionKey: 'facility=gu-hohenecker',
				value: 240,
				mode: 'set'
			}
		]);
		expect(ASYL_KPI.occupancy).toBe('asyl.belegung');
		expect(ASYL_KPI.capacity).toBe('asyl.kapazitaet');
	});

	test('arrivals: persons and minors of the week by origin group', () => {
		expect(
			cellsOf(arrivalsForm.id, { week: '2026-W47', originGroup: 'syr', persons: 11, minors: 4 })
		).toEqual([
			{
				kpiId: 'asyl.zugaenge',
				period: '2026-W47',
				dimensionKey: 'origin=syr',
				value: 11,
				mode: 'set'
			},
			{
				kpiId: 'asyl.zugaenge_minderjaehrig',
				period: '2026-W47',
				dimensionKey: 'origin=syr',
				value: 4,
				mode: 'set'
			}
		]);
	});

	test('a course offer adds its places and waiting list to the month it starts, by level', () => {
		const cells = cellsOf(courseOfferForm.id, {
			providerId: 'vhs',
			courseType: 'integration',
			level: 'B1',
			places: 20,
			taken: 18,
			waitingList: 7,
			start: '2026-12-07',
			districtId: 'innenstadt-ost'
		});
		expect(cells).toEqual([
			{
				kpiId: BILDUNG_KPI.languageCoursePlaces,
				period: '2026-12',
				dimensionKey: 'level=B1',
				value: 20,
				mode: 'add'
			},
			{
				kpiId: BILDUNG_KPI.languageCourseWaitingList,
				period: '2026-12',
				dimensionKey: 'level=B1',
				value: 7,
				mode: 'add'
			}
		]);
		expect(cells.map((c) => c.kpiId)).toEqual([
			'bil.sprachkurs_plaetze',
			'bil.sprachkurs_warteliste'
		]);
	});

	test('a course starting on the last or first day of a month counts in that month', () => {
		const course = {
			providerId: 'vhs',
			courseType: 'job',
			level: 'A2',
			places: 10,
			taken: 0,
			waitingList: 0,
			districtId: 'west'
		};
		expect(cellsOf(courseOfferForm.id, { ...course, start: '2026-12-31' })[0]!.period).toBe(
			'2026-12'
		);
		expect(cellsOf(courseOfferForm.id, { ...course, start: '2027-01-01' })[0]!.period).toBe(
			'2027-01'
		);
	});

	test('a street-light fault writes through faultCells', () => {
		const fault = {
			lightNumber: 'L-10423',
			districtId: 'betzenberg',
			reported: '2026-11-20',
			cause: 'lamp' as const
		};
		const today = new Date(2026, 10, 22);
		expect(cellsOf(streetLightFaultForm.id, fault, today)).toEqual(faultCells(fault, today));
		expect(cellsOf(streetLightFaultForm.id, fault, today)).toHaveLength(3);
	});

	test('a KPI value sets its cell, by district when it has one', () => {
		expect(
			cellsOf(kpiValueForm.id, {
				kpiId: 'soz.wohngeld',
				period: '2026-10',
				districtId: 'betzenberg',
				value: 12.5
			})
		).toEqual([
			{
				kpiId: 'soz.wohngeld',
				period: '2026-10',
				dimensionKey: 'district=betzenberg',
				value: 12.5,
				mode: 'set'
			}
		]);
		expect(
			cellsOf(kpiValueForm.id, { kpiId: 'fin.ergebnis_prognose', period: '2026-Q3', value: -3 })
		).toEqual([
			{
				kpiId: 'fin.ergebnis_prognose',
				period: '2026-Q3',
				dimensionKey: '',
				value: -3,
				mode: 'set'
			}
		]);
	});
});

describe('faultCells', () => {
	const fault = (overrides: Partial<StreetLightFaultEntry> = {}): StreetLightFaultEntry => ({
		lightNumber: 'L-10423',
		districtId: 'betzenberg',
		reported: '2026-11-18',
		cause: 'cable',
		...overrides
	});
	// Late in the day: the time of day must not matter.
	const today = new Date(2026, 10, 22, 23, 30);

	test('an open fault counts one in its district every day from its report through today', () => {
		const cells = faultCells(fault(), today);
		expect(cells.map((c) => [c.period, c.value])).toEqual([
			['2026-11-18', 1],
			['2026-11-19', 1],
			['2026-11-20', 1],
			['2026-11-21', 1],
			['2026-11-22', 1]
		]);
		for (const cell of cells) {
			expect(cell).toMatchObject({
				kpiId: INFRASTRUKTUR_KPI.openFaults,
				dimensionKey: 'district=betzenberg',
				mode: 'add'
			});
		}
		expect(INFRASTRUKTUR_KPI.openFaults).toBe('inf.stoerungen_offen');
	});

	test('an empty "fixed" is an open fault', () => {
		expect(faultCells(fault({ fixed: '' }), today).every((c) => c.value === 1)).toBe(true);
	});

	test('a fixed fault counts until the day before the repair, zero from the repair on', () => {
		const cells = faultCells(fault({ fixed: '2026-11-20' }), today);
		expect(cells.map((c) => [c.period, c.value])).toEqual([
			['2026-11-18', 1],
			['2026-11-19', 1],
			['2026-11-20', 0],
			['2026-11-21', 0],
			['2026-11-22', 0]
		]);
	});

	test('a fault fixed on the day it was reported never counts as open', () => {
		const cells = faultCells(fault({ reported: '2026-11-21', fixed: '2026-11-21' }), today);
		expect(cells.map((c) => [c.period, c.value])).toEqual([
			['2026-11-21', 0],
			['2026-11-22', 0]
		]);
	});

	test('reported today: exactly one cell', () => {
		expect(faultCells(fault({ reported: '2026-11-22' }), today)).toEqual([
			{
				kpiId: INFRASTRUKTUR_KPI.openFaults,
				period: '2026-11-22',
				dimensionKey: 'district=betzenberg',
				value: 1,
				mode: 'add'
			}
		]);
	});

	test(`a fault left open for years writes at most ${MAX_OPEN_FAULT_DAYS} days from its report`, () => {
		const cells = faultCells(fault({ reported: '2024-01-01' }), today);
		expect(MAX_OPEN_FAULT_DAYS).toBe(400);
		expect(cells).toHaveLength(MAX_OPEN_FAULT_DAYS);
		expect(cells[0]!.period).toBe('2024-01-01');
		// 2024 is a leap year: counting 1 January 2024 as the first, day 400 is 3 February 2025.
		expect(cells.at(-1)!.period).toBe('2025-02-03');
		expect(new Set(cells.map((c) => c.period)).size).toBe(MAX_OPEN_FAULT_DAYS);
	});

	test(`the limit counts the report day: ${MAX_OPEN_FAULT_DAYS} days through today, no further`, () => {
		// 2025-10-19 is 399 days before today: 400 cells, the last one today.
		const full = faultCells(fault({ reported: '2025-10-19' }), today);
		expect(full).toHaveLength(400);
		expect(full.at(-1)!.period).toBe('2026-11-22');
		// One day earlier, the cells stop the day before today.
		const capped = faultCells(fault({ reported: '2025-10-18' }), today);
		expect(capped).toHaveLength(400);
		expect(capped.at(-1)!.period).toBe('2026-11-21');
		expect(faultCells(fault({ reported: '2025-10-20' }), today)).toHaveLength(399);
	});

	test('days across the change to winter time are each written once', () => {
		const cells = faultCells(fault({ reported: '2026-10-24' }), new Date(2026, 9, 27));
		expect(cells.map((c) => c.period)).toEqual([
			'2026-10-24',
			'2026-10-25',
			'2026-10-26',
			'2026-10-27'
		]);
	});
});

describe('overlay', () => {
	type Preview = NonNullable<Parameters<typeof overlay>[1]>;
	const cell = (period: string, dimensionKey: string) => `${period}\u0000${dimensionKey}`;
	const rows = [
		{ period: '2026-11-20', dimensionKey: 'facility=gu-hohenecker', value: 200 },
		{ period: '2026-11-20', dimensionKey: 'facility=wh-kotten', value: 80 },
		{ period: '2026-11-21', dimensionKey: 'facility=gu-hohenecker', value: 201 }
	];

	test('without a preview the released rows stay as they are', () => {
		expect(overlay(rows, undefined)).toEqual(rows);
		expect(overlay(rows, new Map())).toEqual(rows);
	});

	test('replaces values, removes cells marked removed, adds new cells', () => {
		const preview: Preview = new Map([
			[cell('2026-11-20', 'facility=gu-hohenecker'), { value: 207, removed: false }],
			[cell('2026-11-21', 'facility=gu-hohenecker'), { value: null, removed: true }],
			[cell('2026-11-22', 'facility=wh-kotten'), { value: 81, removed: false }]
		]);
		expect(overlay(rows, preview)).toEqual([
			{ period: '2026-11-20', dimensionKey: 'facility=gu-hohenecker', value: 207 },
			{ period: '2026-11-20', dimensionKey: 'facility=wh-kotten', value: 80 },
			{ period: '2026-11-22', dimensionKey: 'facility=wh-kotten', value: 81 }
		]);
		// The released rows themselves are not changed.
		expect(rows[0]!.value).toBe(200);
	});

	test('a removed cell that was never released is not added', () => {
		const preview: Preview = new Map([
			[cell('2026-11-23', 'facility=wh-kotten'), { value: null, removed: true }]
		]);
		expect(overlay(rows, preview)).toEqual(rows);
	});

	test('a preview may set a value to empty, and cells without a dimension work', () => {
		const plain = [{ period: '2026-10', dimensionKey: '', value: 3 }];
		expect(
			overlay(plain, new Map([[cell('2026-10', ''), { value: null, removed: false }]]))
		).toEqual([{ period: '2026-10', dimensionKey: '', value: null }]);
		expect(overlay([], new Map([[cell('2026-Q3', ''), { value: 4, removed: false }]]))).toEqual([
			{ period: '2026-Q3', dimensionKey: '', value: 4 }
		]);
	});
});
