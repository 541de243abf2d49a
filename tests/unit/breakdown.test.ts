import { describe, expect, test } from 'vitest';
import type { BreakdownRow } from '#shared/kpi';
import { nextSort, sortBreakdown } from '../../src/lib/kpis/breakdown';

const row = (label: string, value: number | null, key = label): BreakdownRow => ({
	key,
	label,
	value,
	asOf: null
});

const districts = [
	row('Oggersheim', 23000),
	row('Ruchheim', null),
	row('Ortsbezirk 10', 5000),
	row('Ästhetik-Viertel', 5000),
	row('Ortsbezirk 2', 8000),
	row('Mitte', -20)
];

const labels = (rows: BreakdownRow[]) => rows.map((r) => r.label);

describe('sortBreakdown', () => {
	test('labels in German order: umlauts with their base letter, numbers by value', () => {
		expect(labels(sortBreakdown(districts, { by: 'label', direction: 'asc' }))).toEqual([
			'Ästhetik-Viertel',
			'Mitte',
			'Oggersheim',
			'Ortsbezirk 2',
			'Ortsbezirk 10',
			'Ruchheim'
		]);
		expect(labels(sortBreakdown(districts, { by: 'label', direction: 'desc' }))).toEqual([
			'Ruchheim',
			'Ortsbezirk 10',
			'Ortsbezirk 2',
			'Oggersheim',
			'Mitte',
			'Ästhetik-Viertel'
		]);
	});

	test('values either way, rows without a value always last', () => {
		expect(labels(sortBreakdown(districts, { by: 'value', direction: 'desc' }))).toEqual([
			'Oggersheim',
			'Ortsbezirk 2',
			'Ortsbezirk 10',
			'Ästhetik-Viertel',
			'Mitte',
			'Ruchheim'
		]);
		expect(labels(sortBreakdown(districts, { by: 'value', direction: 'asc' }))).toEqual([
			'Mitte',
			'Ortsbezirk 10',
			'Ästhetik-Viertel',
			'Ortsbezirk 2',
			'Oggersheim',
			'Ruchheim'
		]);
	});

	test('stable: equal values keep their order in both directions', () => {
		const ties = [row('b', 1), row('a', null), row('c', 1), row('d', null), row('e', 1)];
		expect(labels(sortBreakdown(ties, { by: 'value', direction: 'desc' }))).toEqual([
			'b',
			'c',
			'e',
			'a',
			'd'
		]);
		expect(labels(sortBreakdown(ties, { by: 'value', direction: 'asc' }))).toEqual([
			'b',
			'c',
			'e',
			'a',
			'd'
		]);
		const sameLabel = [row('X', 1, 'x1'), row('X', 2, 'x2')];
		expect(sortBreakdown(sameLabel, { by: 'label', direction: 'desc' }).map((r) => r.key)).toEqual([
			'x1',
			'x2'
		]);
	});

	test('leaves the input alone', () => {
		const input = [...districts];
		sortBreakdown(input, { by: 'value', direction: 'desc' });
		expect(input).toEqual(districts);
	});

	test('empty and single rows', () => {
		expect(sortBreakdown([], { by: 'label', direction: 'asc' })).toEqual([]);
		expect(sortBreakdown([row('a', null)], { by: 'value', direction: 'asc' })).toEqual([
			row('a', null)
		]);
	});
});

describe('nextSort', () => {
	test('clicking the sorted column flips its direction', () => {
		expect(nextSort({ by: 'value', direction: 'desc' }, 'value')).toEqual({
			by: 'value',
			direction: 'asc'
		});
		expect(nextSort({ by: 'value', direction: 'asc' }, 'value')).toEqual({
			by: 'value',
			direction: 'desc'
		});
		expect(nextSort({ by: 'label', direction: 'asc' }, 'label')).toEqual({
			by: 'label',
			direction: 'desc'
		});
	});

	test('another column starts largest first for values, A to Z for labels', () => {
		expect(nextSort({ by: 'label', direction: 'desc' }, 'value')).toEqual({
			by: 'value',
			direction: 'desc'
		});
		expect(nextSort({ by: 'value', direction: 'desc' }, 'label')).toEqual({
			by: 'label',
			direction: 'asc'
		});
	});
});
