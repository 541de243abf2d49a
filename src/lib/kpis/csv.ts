import { excelDate, toExcelCsv, type CsvCell } from '#shared/csv-cells';
import type { KpiSnapshot, SeriesPoint, SuppressionMarks } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { formatPeriod, periodEnd, periodStart, toIsoDate } from '#shared/periods';
import { searchVariants } from './search';
import { SUPPRESSED_MARK, suppressionFootnote } from './suppression';

export { toExcelCsv, type CsvCell };

function dayOf(date: Date | null): string {
	return excelDate(date ? toIsoDate(date) : null);
}

/**
 * A withheld figure is written as "•" (as official statistics print it) and the file ends with
 * the footnote that says why, after an empty line, so the table above stays rectangular.
 */
function withFootnote(rows: CsvCell[][], marks: SuppressionMarks | undefined, used: boolean) {
	return used && marks ? [...rows, [], [suppressionFootnote(marks.minCount)]] : rows;
}

/** The series of one KPI, oldest first, rounded to the KPI's decimals as the app shows it. */
export function seriesCsv(
	definition: KpiDefinition,
	points: SeriesPoint[],
	suppressed?: SuppressionMarks
): string {
	const hidden = new Set(suppressed?.periods ?? []);
	const sorted = [...points].sort((a, b) => {
		const start = (p: SeriesPoint) => periodStart(p.period)?.getTime() ?? -Infinity;
		return start(a) - start(b);
	});
	const rows: CsvCell[][] = [
		['Kennzahl', 'Zeitraum', 'Beginn', 'Ende', 'Wert', 'Einheit'],
		...sorted.map((p) => [
			definition.title,
			formatPeriod(p.period),
			dayOf(periodStart(p.period)),
			dayOf(periodEnd(p.period)),
			hidden.has(p.period) ? SUPPRESSED_MARK : p.value,
			definition.unit
		])
	];
	const used = sorted.some((p) => hidden.has(p.period));
	return toExcelCsv(withFootnote(rows, suppressed, used), { decimals: definition.decimals });
}

/** The breakdown of a snapshot in the order the server sent it. */
export function breakdownCsv(
	definition: KpiDefinition,
	snapshot: KpiSnapshot,
	dimensionTitle: string
): string {
	const hidden = new Set(snapshot.suppressed?.members ?? []);
	const rows: CsvCell[][] = [
		['Kennzahl', dimensionTitle, 'Stand', 'Wert', 'Einheit'],
		...snapshot.breakdown.map((row) => {
			const asOf = excelDate(row.asOf ?? snapshot.asOf);
			const value = hidden.has(row.key) ? SUPPRESSED_MARK : row.value;
			return [definition.title, row.label, asOf, value, definition.unit];
		})
	];
	const used = snapshot.breakdown.some((row) => hidden.has(row.key));
	return toExcelCsv(withFootnote(rows, snapshot.suppressed, used), {
		decimals: definition.decimals
	});
}

/** `klar_bev.einwohner_verlauf_2026-11-22.csv`; `part` is reduced to safe file-name characters. */
export function csvFileName(
	definition: KpiDefinition,
	part: 'verlauf' | string,
	today: Date
): string {
	const safePart =
		searchVariants(part)[0]!
			.replace(/[^a-z0-9_.-]+/g, '-')
			.replace(/^-+|-+$/g, '') || 'daten';
	return `klar_${definition.id}_${safePart}_${toIsoDate(today)}.csv`;
}
