import { describe, expect, test } from 'vitest';
import type { KpiSnapshot, SuppressionMarks } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { compareToPreviousYear, describeComparison } from '#shared/comparisons';
import { compactSeries } from '#shared/series';
import { breakdownCsv, seriesCsv } from '../../src/lib/kpis/csv';
import { supplyDemandTable } from '../../src/lib/kpis/supply-demand';
import { describeChange, shownStatus } from '../../src/lib/kpis/presentation';
import {
	cellText,
	memberSuppressed,
	minCountOf,
	periodSuppressed,
	readingsOf,
	referenceSuppressed,
	SUPPRESSED_MARK,
	suppressedParts,
	suppressionFootnote,
	valueSuppressed
} from '../../src/lib/kpis/suppression';

const lines = (csv: string) => csv.slice(1).split('\r\n');

const waitingList: KpiDefinition = {
	id: 'bil.sprachkurs_warteliste',
	areaId: 'bildung',
	title: 'Warteliste für Sprachkurse',
	shortTitle: 'Warteliste Sprachkurse',
	description: '',
	method: '',
	unit: 'Personen',
	numberFormat: 'integer',
	decimals: 0,
	direction: 'lower_is_better',
	target: 100,
	thresholds: { amber: 200, red: 350 },
	cadence: 'monthly',
	graceDays: 15,
	dimensions: ['level'],
	source: { kind: 'form', name: 'Sprachkursangebot' },
	owner: { department: 'VHS', contact: 'Koordinierung' },
	visibility: 'council',
	disclosureMinCount: 3,
	tags: [],
	sortOrder: 30,
	formula: { kind: 'stock' },
	view: { kind: 'line' },
	comparison: { kind: 'previous_period' }
};

const marks = (m: Partial<SuppressionMarks>): SuppressionMarks => ({
	value: false,
	previousValue: false,
	periods: [],
	members: [],
	minCount: 3,
	...m
});

function snapshot(extra: Partial<KpiSnapshot>): KpiSnapshot {
	return {
		kpiId: waitingList.id,
		areaId: 'bildung',
		period: '2026-11',
		value: 442,
		previousPeriod: '2026-10',
		previousValue: 414,
		change: 28,
		changePercent: 6.8,
		status: 'red',
		series: compactSeries([
			{ period: '2025-11', value: 300 },
			{ period: '2026-10', value: 414 },
			{ period: '2026-11', value: 442 }
		]),
		breakdownDimension: 'level',
		breakdown: [
			{ key: 'A1', label: 'A1', value: 160, asOf: '2026-11' },
			{ key: 'B2', label: 'B2', value: null, asOf: '2026-11' },
			{ key: 'C1', label: 'C1', value: null, asOf: '2026-11' }
		],
		asOf: '2026-11-30',
		overdue: false,
		nextExpectedUpdate: null,
		computedAt: '2026-11-22T00:00:00.000Z',
		...extra
	};
}

describe('the footnote and the marks', () => {
	test('the footnote names the KPI’s threshold', () => {
		expect(suppressionFootnote(3)).toBe(
			'• Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als 3 Fälle).'
		);
		expect(suppressionFootnote(5)).toMatch(/weniger als 5 Fälle\)\.$/);
	});

	test('marks are read per part; a snapshot without marks (internal view, old server) hides nothing', () => {
		const s = snapshot({
			suppressed: marks({ members: ['B2', 'C1'], periods: ['2025-11'], references: ['A1'] })
		});
		expect(suppressedParts(s)).toEqual({ value: false, series: true, breakdown: true });
		expect(memberSuppressed(s, 'C1')).toBe(true);
		expect(memberSuppressed(s, 'A1')).toBe(false);
		expect(referenceSuppressed(s, 'A1')).toBe(true);
		expect(periodSuppressed(s, '2025-11')).toBe(true);
		expect(valueSuppressed(s)).toBe(false);
		const plain = snapshot({});
		expect(suppressedParts(plain)).toEqual({ value: false, series: false, breakdown: false });
		expect(memberSuppressed(plain, 'C1')).toBe(false);
		expect(suppressedParts(undefined)).toEqual({ value: false, series: false, breakdown: false });
		expect(minCountOf(plain)).toBe(3);
		expect(minCountOf(snapshot({ suppressed: marks({ minCount: 5 }) }))).toBe(5);
	});

	test('a withheld cell reads "•", a missing one keeps the dash', () => {
		const format = (v: number | null) => (v === null ? '–' : String(v));
		expect(cellText(null, true, format)).toBe(SUPPRESSED_MARK);
		expect(cellText(null, false, format)).toBe('–');
		expect(cellText(7, false, format)).toBe('7');
	});
});

describe('no status and no change from a withheld value', () => {
	const hidden = snapshot({
		value: null,
		change: null,
		changePercent: null,
		status: 'none',
		suppressed: marks({ value: true, periods: ['2026-11'] })
	});

	test('the status is none even if a stale status came with it', () => {
		expect(shownStatus({ ...hidden, status: 'red' })).toBe('none');
		expect(shownStatus(snapshot({}))).toBe('red');
	});

	test('the change says it is withheld, for a withheld current or previous value', () => {
		expect(describeChange(waitingList, hidden)).toBe('Vergleich unterdrückt (kleine Fallzahl)');
		const previous = snapshot({
			previousValue: null,
			change: null,
			suppressed: marks({ previousValue: true, periods: ['2026-10'] })
		});
		expect(describeChange(waitingList, previous)).toBe('Vergleich unterdrückt (kleine Fallzahl)');
		expect(describeChange(waitingList, snapshot({}))).toMatch(/^\+28\u00a0Personen/);
	});

	test('the comparison with the previous year stops at a withheld point', () => {
		const yearAgoHidden = snapshot({ suppressed: marks({ periods: ['2025-11'] }) });
		const comparison = compareToPreviousYear(readingsOf(yearAgoHidden));
		expect(comparison.kind).toBe('suppressed');
		expect(describeComparison(comparison, waitingList)).toBe(
			'Vergleich unterdrückt (kleine Fallzahl)'
		);
		expect(compareToPreviousYear(readingsOf(snapshot({}))).kind).toBe('change');
	});
});

describe('CSV downloads', () => {
	test('the breakdown writes "•" for withheld rows and ends with the footnote', () => {
		const s = snapshot({ suppressed: marks({ members: ['B2', 'C1'] }) });
		expect(lines(breakdownCsv(waitingList, s, 'Niveau'))).toEqual([
			'Kennzahl;Niveau;Stand;Wert;Einheit',
			'Warteliste für Sprachkurse;A1;01.11.2026;160;Personen',
			'Warteliste für Sprachkurse;B2;01.11.2026;•;Personen',
			'Warteliste für Sprachkurse;C1;01.11.2026;•;Personen',
			'',
			'• Aus Gründen der statistischen Geheimhaltung nicht ausgewiesen (weniger als 3 Fälle).'
		]);
	});

	test('the series writes "•" for withheld periods; without marks nothing changes', () => {
		const points = [
			{ period: '2026-10', value: 414 },
			{ period: '2026-11', value: null }
		];
		const csv = lines(seriesCsv(waitingList, points, marks({ periods: ['2026-11'] })));
		expect(csv[2]).toBe(
			'Warteliste für Sprachkurse;November 2026;01.11.2026;30.11.2026;•;Personen'
		);
		expect(csv.at(-1)).toMatch(/^• Aus Gründen/);
		const plain = lines(seriesCsv(waitingList, points));
		expect(plain).toHaveLength(3);
		expect(plain[2]).toBe(
			'Warteliste für Sprachkurse;November 2026;01.11.2026;30.11.2026;;Personen'
		);
	});
});

describe('the language-course table', () => {
	const places = snapshot({
		kpiId: 'bil.sprachkurs_plaetze',
		value: 350,
		breakdown: [
			{ key: 'A1', label: 'A1', value: 125, asOf: '2026-11' },
			{ key: 'B2', label: 'B2', value: 60, asOf: '2026-11' },
			{ key: 'C1', label: 'C1', value: 25, asOf: '2026-11' }
		]
	});

	test('withheld levels are marked, and the total is the KPI’s, not the shown levels’ sum', () => {
		const waiting = snapshot({ suppressed: marks({ members: ['B2', 'C1'] }) });
		const table = supplyDemandTable(places, waiting);
		expect(table.rows.map((r) => [r.member, r.demand, r.demandSuppressed])).toEqual([
			['A1', 160, false],
			['B2', null, true],
			['C1', null, true]
		]);
		expect(table.total.demand).toBe(442);
		expect(table.total.supply).toBe(210);
		expect(table.suppressedBelow).toBe(3);
	});

	test('without marks the total is the sum of the levels and there is no footnote', () => {
		const waiting = snapshot({
			breakdown: [
				{ key: 'A1', label: 'A1', value: 160, asOf: '2026-11' },
				{ key: 'C1', label: 'C1', value: 10, asOf: '2026-11' }
			]
		});
		const table = supplyDemandTable(places, waiting);
		expect(table.total.demand).toBe(170);
		expect(table.suppressedBelow).toBeNull();
		expect(table.rows.every((r) => !r.demandSuppressed && !r.supplySuppressed)).toBe(true);
	});
});
