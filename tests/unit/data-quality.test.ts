import { describe, expect, it } from 'vitest';
import {
	feedDueOn,
	feedHealth,
	overdueByOwner,
	rejectedByWeek,
	type KpiLateness
} from '#shared/data-quality';

const kpi = (over: Partial<KpiLateness>): KpiLateness => ({
	kpiId: 'k',
	title: 'K',
	areaId: 'gesundheit',
	cadence: 'weekly',
	graceDays: 3,
	latestPeriod: '2026-W43',
	owner: { department: 'Gesundheitsamt', contact: 'Labor' },
	...over
});

describe('feed health', () => {
	it('is due one cadence after its last success, plus grace', () => {
		expect(feedDueOn('2026-11-05', 'monthly', 10)).toBe('2026-12-15');
		expect(feedDueOn('2026-11-21', 'daily', 1)).toBe('2026-11-23');
		expect(feedDueOn(null, 'daily', 1)).toBeNull();
	});

	it('fails with its last run, is overdue after its due day, never before a success', () => {
		expect(feedHealth('failed', '2026-12-10', '2026-11-22')).toBe('failing');
		expect(feedHealth('succeeded', '2026-11-21', '2026-11-22')).toBe('overdue');
		expect(feedHealth('succeeded', '2026-11-22', '2026-11-22')).toBe('ok');
		expect(feedHealth(null, null, '2026-11-22')).toBe('never');
	});
});

describe('overdue KPIs by owner', () => {
	it('lists only late KPIs, the latest first, with due day and days late', () => {
		const groups = overdueByOwner(
			[
				kpi({ kpiId: 'abwasser', latestPeriod: '2026-W43' }),
				kpi({ kpiId: 'inzidenz', cadence: 'daily', latestPeriod: '2026-11-21', graceDays: 1 }),
				kpi({
					kpiId: 'wohngeld',
					cadence: 'monthly',
					latestPeriod: '2026-07',
					graceDays: 20,
					areaId: 'soziales',
					owner: { department: 'Sozialamt', contact: 'Wohngeldstelle', email: 'wg@example.org' }
				}),
				kpi({ kpiId: 'nie', latestPeriod: null })
			],
			'2026-11-22'
		);
		expect(groups).toEqual([
			{
				department: 'Sozialamt',
				contact: 'Wohngeldstelle',
				email: 'wg@example.org',
				kpis: [
					{
						kpiId: 'wohngeld',
						title: 'K',
						areaId: 'soziales',
						latestPeriod: '2026-07',
						dueOn: '2026-09-20',
						daysLate: 63
					}
				]
			},
			{
				department: 'Gesundheitsamt',
				contact: 'Labor',
				email: null,
				kpis: [
					// W44 ended on 1 November; three days of grace.
					{
						kpiId: 'abwasser',
						title: 'K',
						areaId: 'gesundheit',
						latestPeriod: '2026-W43',
						dueOn: '2026-11-04',
						daysLate: 18
					},
					{
						kpiId: 'nie',
						title: 'K',
						areaId: 'gesundheit',
						latestPeriod: null,
						dueOn: null,
						daysLate: 0
					}
				]
			}
		]);
	});
});

describe('rejected rows by week', () => {
	it('sums the runs of the last twelve ISO weeks, empty ones included', () => {
		const weeks = rejectedByWeek(
			[
				{ startedOn: '2026-11-20', status: 'succeeded', rowsRejected: 2 },
				{ startedOn: '2026-11-16', status: 'failed', rowsRejected: 40 },
				{ startedOn: '2026-08-01', status: 'failed', rowsRejected: 9 } // too old
			],
			'2026-11-22'
		);
		expect(weeks).toHaveLength(12);
		expect(weeks[0]!.week).toBe('2026-W36');
		expect(weeks.at(-1)).toEqual({ week: '2026-W47', runs: 2, failedRuns: 1, rowsRejected: 42 });
		expect(weeks.slice(0, -1).every((w) => w.runs === 0)).toBe(true);
	});
});
