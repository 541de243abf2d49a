/**
 * The data-quality page ("Datenqualität"): overdue KPIs by owner and rejected rows per week,
 * in the order and words the page shows them. Pure: the page passes in the server's overview.
 */
import type { OwnerOverdue, RejectedWeek } from '#shared/data-quality';
import { formatDate, formatNumber } from '#shared/format';
import { formatPeriod } from '#shared/periods';

/** `1 Tag überfällig`, `12 Tage überfällig`. */
export function daysLateText(days: number): string {
	return `${formatNumber(days)} ${days === 1 ? 'Tag' : 'Tage'} überfällig`;
}

/** How late a KPI is; one that never had a value has no due day to count from. */
export function latenessText(kpi: { dueOn: string | null; daysLate: number }): string {
	return kpi.dueOn ? daysLateText(kpi.daysLate) : 'noch nie geliefert';
}

export function dueText(dueOn: string | null): string {
	return dueOn ? `fällig seit ${formatDate(dueOn)}` : 'noch nie geliefert';
}

export function latestPeriodText(latestPeriod: string | null): string {
	return latestPeriod ? formatPeriod(latestPeriod) : 'kein Wert vorhanden';
}

/**
 * The most overdue first: owners by their latest KPI, KPIs within an owner by days late,
 * ties by title, so the list reads the same on every load.
 */
export function sortOverdueOwners(owners: OwnerOverdue[]): OwnerOverdue[] {
	const byLateness = <T extends { daysLate: number; title: string }>(a: T, b: T) =>
		b.daysLate - a.daysLate || a.title.localeCompare(b.title, 'de');
	const sorted = owners
		.filter((owner) => owner.kpis.length > 0)
		.map((owner) => ({ ...owner, kpis: [...owner.kpis].sort(byLateness) }));
	const worst = (owner: OwnerOverdue) => owner.kpis[0]?.daysLate ?? 0;
	return sorted.sort(
		(a, b) =>
			worst(b) - worst(a) ||
			a.department.localeCompare(b.department, 'de') ||
			a.contact.localeCompare(b.contact, 'de')
	);
}

/** `3 Kennzahlen bei 2 Verantwortlichen überfällig` (dative: the same word for one). */
export function overdueSummary(owners: OwnerOverdue[]): string {
	const kpis = owners.reduce((sum, owner) => sum + owner.kpis.length, 0);
	const withKpis = owners.filter((owner) => owner.kpis.length > 0).length;
	if (kpis === 0) return 'Keine Kennzahl ist überfällig.';
	return `${formatNumber(kpis)} ${kpis === 1 ? 'Kennzahl' : 'Kennzahlen'} bei ${formatNumber(withKpis)} Verantwortlichen überfällig.`;
}

export interface WeekBar extends RejectedWeek {
	/** `KW 47/2026` for the table and the chart's description. */
	label: string;
	/** `47/2026`: in the table's column "KW", narrow enough for a phone. */
	weekLabel: string;
	/** `47`: under a bar, where a phone has room for two digits. */
	shortLabel: string;
	/** Height of the bar in percent of the chart's scale. */
	percent: number;
}

export interface WeekChart {
	bars: WeekBar[];
	/** Top of the scale: the largest week (the bars carry their numbers, so no axis). */
	scaleMax: number;
	total: number;
	/** Weeks with at least one failed run (marked ✕ under the chart). */
	failedWeeks: number;
	/** One sentence for the chart's text alternative. */
	description: string;
}

/** Rejected rows per ISO week as bars, the largest week full height (weeks without runs: 0). */
export function rejectedWeekChart(weeks: RejectedWeek[]): WeekChart {
	const scaleMax = Math.max(1, ...weeks.map((week) => week.rowsRejected));
	const total = weeks.reduce((sum, week) => sum + week.rowsRejected, 0);
	const bars = weeks.map((week) => ({
		...week,
		label: formatPeriod(week.week),
		weekLabel: `${week.week.slice(6)}/${week.week.slice(0, 4)}`,
		shortLabel: week.week.slice(6),
		percent: (week.rowsRejected / scaleMax) * 100
	}));
	const first = bars[0];
	const last = bars.at(-1);
	const span = first && last ? `von ${first.label} bis ${last.label}` : '';
	const worst = bars.reduce<WeekBar | null>(
		(top, bar) => (bar.rowsRejected > (top?.rowsRejected ?? 0) ? bar : top),
		null
	);
	const failed = bars.filter((bar) => bar.failedRuns > 0);
	const description =
		(total === 0
			? `Abgelehnte Zeilen je Kalenderwoche ${span}: keine.`
			: `Abgelehnte Zeilen je Kalenderwoche ${span}: zusammen ${formatNumber(total)}, am meisten in ${worst!.label} (${formatNumber(worst!.rowsRejected)}).`) +
		(failed.length > 0
			? ` Fehlgeschlagene Läufe in ${failed.map((bar) => bar.label).join(', ')}.`
			: '');
	return { bars, scaleMax, total, failedWeeks: failed.length, description };
}
