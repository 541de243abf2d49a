import { describe, expect, test } from 'vitest';
import {
	formatChange,
	formatChangeWithUnit,
	formatDate,
	formatDateTime,
	formatNumber,
	formatPercentChange,
	formatValue
} from '#shared/format';

const NBSP = '\u00a0';
const MINUS = '\u2212';

describe('formatNumber', () => {
	test('German separators: dot for thousands, comma for decimals', () => {
		expect(formatNumber(1234.5, 1)).toBe('1.234,5');
		expect(formatNumber(1234567)).toBe('1.234.567');
		expect(formatNumber(1234.56, 1)).toBe('1.234,6');
		expect(formatNumber(0.5, 2)).toBe('0,50');
		expect(formatNumber(999)).toBe('999');
	});

	test('rounds to the KPI decimals', () => {
		expect(formatNumber(87.46, 1)).toBe('87,5');
		expect(formatNumber(87.5)).toBe('88');
	});

	test('negative values carry a real minus sign, like changes do', () => {
		expect(formatNumber(-3)).toBe(`${MINUS}3`);
		expect(formatNumber(-1234.5, 1)).toBe(`${MINUS}1.234,5`);
	});

	test('a negative value that rounds to zero shows as zero, without a sign', () => {
		expect(formatNumber(-0.4)).toBe('0');
		expect(formatNumber(-0.04, 1)).toBe('0,0');
	});

	test('a dash when there is no value', () => {
		expect(formatNumber(null)).toBe('–');
		expect(formatNumber(null, 2)).toBe('–');
	});
});

describe('formatValue', () => {
	test('unit after a no-break space, so it never wraps onto its own line', () => {
		expect(formatValue(87.5, { decimals: 1, unit: '%' })).toBe(`87,5${NBSP}%`);
		expect(formatValue(1234, { decimals: 0, unit: 'Personen' })).toBe(`1.234${NBSP}Personen`);
		expect(formatValue(-3, { decimals: 0, unit: 'Plätze' })).toBe(`${MINUS}3${NBSP}Plätze`);
	});

	test('no unit, no trailing space', () => {
		expect(formatValue(1234, { decimals: 0, unit: '' })).toBe('1.234');
	});

	test('a dash without unit when there is no value', () => {
		expect(formatValue(null, { decimals: 1, unit: '%' })).toBe('–');
	});
});

describe('formatChange and formatPercentChange', () => {
	test('always signed, with a real minus sign', () => {
		expect(formatChange(12)).toBe('+12');
		expect(formatChange(-3)).toBe(`${MINUS}3`);
		expect(formatChange(-3.5, 1)).toBe(`${MINUS}3,5`);
		expect(formatChange(-1234.5, 1)).toBe(`${MINUS}1.234,5`);
		expect(formatChange(1234)).toBe('+1.234');
	});

	test('no sign on zero, also when a small change rounds to zero', () => {
		expect(formatChange(0)).toBe('0');
		expect(formatChange(-0.04, 1)).toBe('0,0');
		expect(formatChange(0.04, 1)).toBe('0,0');
	});

	test('percent change with one decimal and a no-break space', () => {
		expect(formatPercentChange(-12.345)).toBe(`${MINUS}12,3${NBSP}%`);
		expect(formatPercentChange(5)).toBe(`+5,0${NBSP}%`);
	});

	test('nothing when there is no change', () => {
		expect(formatChange(null)).toBe('–');
		expect(formatPercentChange(null)).toBe('');
	});
});

describe('formatDate and formatDateTime', () => {
	test('an ISO date is the same calendar day in any time zone', () => {
		expect(formatDate('2026-11-21')).toBe('21.11.2026');
		expect(formatDate('2026-01-05')).toBe('05.01.2026');
	});

	test('a local timestamp with time', () => {
		expect(formatDate('2026-11-21T14:05:00')).toBe('21.11.2026');
		expect(formatDateTime('2026-11-21T14:05:00')).toBe('21.11.2026, 14:05');
	});

	test('a dash for missing or unreadable input', () => {
		expect(formatDate(null)).toBe('–');
		expect(formatDate('kaputt')).toBe('–');
		expect(formatDateTime(null)).toBe('–');
		expect(formatDateTime('kaputt')).toBe('–');
	});
});

describe('budget amounts', () => {
	const euro = { decimals: 0, unit: '€', numberFormat: 'currency' as const };
	test('read in millions and billions on a phone, small amounts in full', () => {
		expect(formatValue(312_412_006, euro)).toBe('312,4\u00a0Mio.\u00a0€');
		expect(formatValue(-14_050_000, euro)).toBe('−14,1\u00a0Mio.\u00a0€');
		expect(formatValue(1_250_000_000, euro)).toBe('1,3\u00a0Mrd.\u00a0€');
		expect(formatValue(2_350, euro)).toBe('2.350\u00a0€');
	});
	test('changes keep their sign', () => {
		expect(formatChangeWithUnit(3_200_000, euro)).toBe('+3,2\u00a0Mio.\u00a0€');
		expect(formatChangeWithUnit(-450, euro)).toBe('−450\u00a0€');
		expect(formatChangeWithUnit(12, { decimals: 0, unit: 'Personen' })).toBe('+12\u00a0Personen');
	});
});
