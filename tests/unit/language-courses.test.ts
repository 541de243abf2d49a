import { describe, expect, test } from 'vitest';
import type { BreakdownRow } from '#shared/kpi';
import {
	coursesByLevel,
	describeCourseShortage,
	type CourseLevelRow
} from '../../src/lib/kpis/language-courses';

const rows = (values: Record<string, number | null>): BreakdownRow[] =>
	Object.entries(values).map(([key, value]) => ({ key, label: key, value, asOf: '2026-11-01' }));

describe('coursesByLevel', () => {
	test('places beside the waiting list, A1 to C1 in order whatever the input order', () => {
		const { rows: levels } = coursesByLevel(
			rows({ B1: 40, A1: 120, C1: 10, A2: 80, B2: 20 }),
			rows({ A1: 150, A2: 60, B1: 50, B2: 20, C1: 0 })
		);
		expect(levels.map((r) => r.level)).toEqual(['A1', 'A2', 'B1', 'B2', 'C1']);
		expect(levels[0]).toEqual({
			level: 'A1',
			label: 'A1',
			places: 120,
			waiting: 150,
			coveragePercent: 80
		});
		expect(levels[3]!.coveragePercent).toBe(100);
	});

	test('nobody waiting: no coverage figure rather than infinity', () => {
		const { rows: levels } = coursesByLevel(rows({ C1: 10 }), rows({ C1: 0 }));
		expect(levels[0]).toMatchObject({ places: 10, waiting: 0, coveragePercent: null });
	});

	test('levels in only one of the two breakdowns, and unknown levels after the known ones', () => {
		const { rows: levels } = coursesByLevel(
			[...rows({ A1: 100 }), { key: 'alpha', label: 'Alphabetisierung', value: 30, asOf: null }],
			[
				...rows({ B1: 25 }),
				{ key: 'jugend', label: 'Jugendintegrationskurs', value: 5, asOf: null }
			]
		);
		expect(levels.map((r) => [r.level, r.label, r.places, r.waiting, r.coveragePercent])).toEqual([
			['A1', 'A1', 100, null, null],
			['B1', 'B1', null, 25, null],
			['alpha', 'Alphabetisierung', 30, null, null],
			['jugend', 'Jugendintegrationskurs', null, 5, null]
		]);
	});

	test('the total adds up the levels that have figures', () => {
		const { total } = coursesByLevel(
			rows({ A1: 120, A2: 80, B1: null }),
			rows({ A1: 150, A2: 50 })
		);
		expect(total).toEqual({
			level: 'total',
			label: 'Gesamt',
			places: 200,
			waiting: 200,
			coveragePercent: 100
		});
	});

	test('empty breakdowns', () => {
		const { rows: levels, total } = coursesByLevel([], []);
		expect(levels).toEqual([]);
		expect(total).toMatchObject({ places: null, waiting: null, coveragePercent: null });
	});
});

describe('describeCourseShortage', () => {
	const level = (label: string, places: number | null, waiting: number | null): CourseLevelRow => ({
		level: label,
		label,
		places,
		waiting,
		coveragePercent: null
	});

	test('names the levels where more people wait than there are places', () => {
		expect(
			describeCourseShortage([level('A1', 100, 150), level('A2', 80, 60), level('B1', 40, 50)])
		).toBe('Warteliste größer als das Angebot bei A1 und B1.');
		expect(describeCourseShortage([level('A1', 1, 2)])).toBe(
			'Warteliste größer als das Angebot bei A1.'
		);
		expect(describeCourseShortage([level('A1', 1, 2), level('A2', 1, 2), level('B1', 1, 2)])).toBe(
			'Warteliste größer als das Angebot bei A1, A2 und B1.'
		);
	});

	test('exactly as many places as people waiting is enough', () => {
		expect(describeCourseShortage([level('A1', 50, 50), level('B2', 20, 0)])).toBe(
			'Das Angebot deckt die Warteliste auf allen Niveaus.'
		);
	});

	test('does not claim full coverage when a level lacks figures', () => {
		expect(describeCourseShortage([level('A1', 50, 40), level('B1', null, 30)])).toBe(
			'Das Angebot deckt die Warteliste auf allen Niveaus mit vollständigen Angaben.'
		);
		expect(describeCourseShortage([level('A1', null, 30)])).toBe(
			'Zu Angebot und Warteliste liegen keine Angaben vor.'
		);
		expect(describeCourseShortage([])).toBe('Zu Angebot und Warteliste liegen keine Angaben vor.');
	});

	test('works on the rows of coursesByLevel, the total row does not count as a level', () => {
		const { rows: levels, total } = coursesByLevel(
			rows({ A1: 10, B1: 100 }),
			rows({ A1: 30, B1: 5 })
		);
		expect(describeCourseShortage([...levels, total])).toBe(
			'Warteliste größer als das Angebot bei A1.'
		);
	});
});
