import { describe, expect, test } from 'vitest';
import {
	daysLateText,
	dueText,
	latenessText,
	latestPeriodText,
	overdueSummary,
	rejectedWeekChart,
	sortOverdueOwners
} from '../../src/lib/feeds/quality-view';
import type { OwnerOverdue, RejectedWeek } from '#shared/data-quality';

function kpi(kpiId: string, daysLate: number, title = kpiId) {
	return {
		kpiId,
		title,
		areaId: 'soziales' as const,
		latestPeriod: '2026-08',
		dueOn: '2026-10-10',
		daysLate
	};
}

describe('overdue KPIs by owner', () => {
	test('the most overdue owner and KPI come first; owners without KPIs are left out', () => {
		const owners: OwnerOverdue[] = [
			{ department: 'Sozialamt', contact: 'A', email: null, kpis: [kpi('a', 3), kpi('b', 40)] },
			{ department: 'Bauamt', contact: 'B', email: null, kpis: [] },
			{ department: 'Stadtentwässerung', contact: 'C', email: null, kpis: [kpi('c', 12)] },
			{
				department: 'Amt 61',
				contact: 'D',
				email: null,
				kpis: [kpi('d', 40, 'Ä'), kpi('e', 40, 'B')]
			}
		];
		const sorted = sortOverdueOwners(owners);
		expect(sorted.map((o) => o.department)).toEqual(['Amt 61', 'Sozialamt', 'Stadtentwässerung']);
		expect(sorted[0]!.kpis.map((k) => k.title)).toEqual(['Ä', 'B']);
		expect(sorted[1]!.kpis.map((k) => k.kpiId)).toEqual(['b', 'a']);
		// The input is not changed: the page derives the order on every update.
		expect(owners[0]!.kpis.map((k) => k.kpiId)).toEqual(['a', 'b']);
	});

	test('summary, lateness and periods in German words', () => {
		expect(overdueSummary([])).toBe('Keine Kennzahl ist überfällig.');
		expect(
			overdueSummary([
				{ department: 'X', contact: 'x', email: null, kpis: [kpi('a', 1)] },
				{ department: 'Y', contact: 'y', email: null, kpis: [kpi('b', 2), kpi('c', 3)] }
			])
		).toBe('3 Kennzahlen bei 2 Verantwortlichen überfällig.');
		expect(
			overdueSummary([{ department: 'X', contact: 'x', email: null, kpis: [kpi('a', 1)] }])
		).toBe('1 Kennzahl bei 1 Verantwortlichen überfällig.');
		expect(daysLateText(1)).toBe('1 Tag überfällig');
		expect(daysLateText(45)).toBe('45 Tage überfällig');
		expect(dueText('2026-10-10')).toBe('fällig seit 10.10.2026');
		expect(dueText(null)).toBe('noch nie geliefert');
		expect(latenessText({ dueOn: '2026-10-10', daysLate: 3 })).toBe('3 Tage überfällig');
		expect(latenessText({ dueOn: null, daysLate: 0 })).toBe('noch nie geliefert');
		expect(latestPeriodText('2026-Q3')).toBe('3. Quartal 2026');
		expect(latestPeriodText('2026-W07')).toBe('KW 07/2026');
		expect(latestPeriodText(null)).toBe('kein Wert vorhanden');
	});
});

describe('rejected rows per week', () => {
	const week = (w: string, rowsRejected: number, runs = 1, failedRuns = 0): RejectedWeek => ({
		week: w,
		runs,
		failedRuns,
		rowsRejected
	});

	test('bars are scaled to the largest week, labelled by ISO week, described in one sentence', () => {
		const chart = rejectedWeekChart([
			week('2026-W46', 0, 0),
			week('2026-W47', 12, 3, 1),
			week('2026-W48', 4)
		]);
		expect(chart.scaleMax).toBe(12);
		expect(chart.total).toBe(16);
		expect(chart.bars.map((b) => [b.label, b.weekLabel, b.shortLabel, b.percent])).toEqual([
			['KW 46/2026', '46/2026', '46', 0],
			['KW 47/2026', '47/2026', '47', 100],
			['KW 48/2026', '48/2026', '48', (4 / 12) * 100]
		]);
		expect(chart.failedWeeks).toBe(1);
		expect(chart.description).toBe(
			'Abgelehnte Zeilen je Kalenderwoche von KW 46/2026 bis KW 48/2026: zusammen 16, am meisten in KW 47/2026 (12). Fehlgeschlagene Läufe in KW 47/2026.'
		);
	});

	test('weeks without rejections give empty bars and say so', () => {
		const chart = rejectedWeekChart([week('2026-W01', 0), week('2026-W02', 0)]);
		expect(chart.bars.every((b) => b.percent === 0)).toBe(true);
		expect(chart.description).toBe(
			'Abgelehnte Zeilen je Kalenderwoche von KW 01/2026 bis KW 02/2026: keine.'
		);
	});
});
