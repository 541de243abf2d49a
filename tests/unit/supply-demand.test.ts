import { describe, expect, test } from 'vitest';
import type { BreakdownRow } from '#shared/kpi';
import {
	describeShortage,
	rowsByMember,
	type SupplyDemandRow
} from '../../src/lib/kpis/supply-demand';

const LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1'].map((id) => ({ id, label: id }));

const rows = (values: Record<string, number | null>): BreakdownRow[] =>
	Object.entries(values).map(([key, value]) => ({ key, label: key, value, asOf: '2026-11-01' }));

describe('rowsByMember', () => {
	test('places beside the waiting list, A1 to C1 in order whatever the input order', () => {
		const { rows: levels } = rowsByMember(
			rows({ B1: 40, A1: 120, C1: 10, A2: 80, B2: 20 }),
			rows({ A1: 150, A2: 60, B1: 50, B2: 20, C1: 0 }),
			LEVELS
		);
		expect(levels.map((r) => r.member)).toEqual(['A1', 'A2', 'B1', 'B2', 'C1']);
		expect(levels[0]).toEqual({
			member: 'A1',
			label: 'A1',
			supply: 120,
			demand: 150,
			coveragePercent: 80
		});
		expect(levels[3]!.coveragePercent).toBe(100);
	});

	test('nobody demand: no coverage figure rather than infinity', () => {
		const { rows: levels } = rowsByMember(rows({ C1: 10 }), rows({ C1: 0 }), LEVELS);
		expect(levels[0]).toMatchObject({ supply: 10, demand: 0, coveragePercent: null });
	});

	test('members in only one of the two breakdowns, and unknown members after the listed ones', () => {
		const { rows: levels } = rowsByMember(
			[...rows({ A1: 100 }), { key: 'alpha', label: 'Alphabetisierung', value: 30, asOf: null }],
			[
				...rows({ B1: 25 }),
				{ key: 'jugend', label: 'Jugendintegrationskurs', value: 5, asOf: null }
			],
			LEVELS
		);
		expect(levels.map((r) => [r.member, r.label, r.supply, r.demand, r.coveragePercent])).toEqual([
			['A1', 'A1', 100, null, null],
			['B1', 'B1', null, 25, null],
			['alpha', 'Alphabetisierung', 30, null, null],
			['jugend', 'Jugendintegrationskurs', null, 5, null]
		]);
	});

	test('the total adds up the levels that have figures', () => {
		const { total } = rowsByMember(
			rows({ A1: 120, A2: 80, B1: null }),
			rows({ A1: 150, A2: 50 }),
			LEVELS
		);
		expect(total).toEqual({
			member: 'total',
			label: 'Gesamt',
			supply: 200,
			demand: 200,
			coveragePercent: 100
		});
	});

	test('empty breakdowns', () => {
		const { rows: levels, total } = rowsByMember([], [], LEVELS);
		expect(levels).toEqual([]);
		expect(total).toMatchObject({ supply: null, demand: null, coveragePercent: null });
	});
});

describe('describeShortage', () => {
	const level = (label: string, supply: number | null, demand: number | null): SupplyDemandRow => ({
		member: label,
		label,
		supply,
		demand,
		coveragePercent: null
	});

	test('names the levels where more people wait than there are places', () => {
		expect(
			describeShortage([level('A1', 100, 150), level('A2', 80, 60), level('B1', 40, 50)])
		).toBe('Bedarf größer als das Angebot bei A1 und B1.');
		expect(describeShortage([level('A1', 1, 2)])).toBe('Bedarf größer als das Angebot bei A1.');
		expect(describeShortage([level('A1', 1, 2), level('A2', 1, 2), level('B1', 1, 2)])).toBe(
			'Bedarf größer als das Angebot bei A1, A2 und B1.'
		);
	});

	test('exactly as many places as people waiting is enough', () => {
		expect(describeShortage([level('A1', 50, 50), level('B2', 20, 0)])).toBe(
			'Das Angebot deckt den Bedarf überall.'
		);
	});

	test('does not claim full coverage when a level lacks figures', () => {
		expect(describeShortage([level('A1', 50, 40), level('B1', null, 30)])).toBe(
			'Das Angebot deckt den Bedarf überall, wo Angaben vorliegen.'
		);
		expect(describeShortage([level('A1', null, 30)])).toBe(
			'Zu Angebot und Bedarf liegen keine Angaben vor.'
		);
		expect(describeShortage([])).toBe('Zu Angebot und Bedarf liegen keine Angaben vor.');
	});

	test('works on the rows of rowsByMember, the total row does not count as a member', () => {
		const { rows: levels, total } = rowsByMember(
			rows({ A1: 10, B1: 100 }),
			rows({ A1: 30, B1: 5 }),
			LEVELS
		);
		expect(describeShortage([...levels, total])).toBe('Bedarf größer als das Angebot bei A1.');
	});
});
