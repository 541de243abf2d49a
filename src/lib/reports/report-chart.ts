import type { KpiDefinition } from '#shared/catalogue';
import { formatAxisValue, formatValue } from '#shared/format';
import type { ReportRow } from './report-model';

/**
 * Geometry of the report's small SVG charts. Print needs vector graphics that render without
 * script (a canvas prints as a blurred bitmap, or blank before it has drawn), so the report
 * draws its own paths instead of chart.js.
 */

export const CHART_SIZE = { width: 320, height: 150, left: 52, right: 8, top: 10, bottom: 24 };

export interface LineChartGeometry {
	/** One path per run of values; a gap (no value, withheld) breaks the line. */
	paths: string[];
	dots: { x: number; y: number }[];
	target: { y: number; label: string } | null;
	ticks: { y: number; label: string }[];
	firstLabel: string;
	lastLabel: string;
}

function niceRange(values: number[]): [number, number] {
	let min = Math.min(...values);
	let max = Math.max(...values);
	if (min === max) {
		const pad = Math.abs(min) * 0.1 || 1;
		min -= pad;
		max += pad;
	}
	// Counts and amounts read against zero when they are all on one side of it and near it.
	if (min > 0 && min < (max - min) * 2) min = 0;
	return [min, max];
}

export function lineChartGeometry(
	rows: readonly ReportRow[],
	definition: Pick<KpiDefinition, 'target' | 'decimals' | 'unit' | 'numberFormat'>
): LineChartGeometry | null {
	const values = rows.map((row) => row.value).filter((v): v is number => v !== null);
	if (values.length === 0) return null;
	const { width, height, left, right, top, bottom } = CHART_SIZE;
	const [min, max] = niceRange(
		definition.target === null ? values : [...values, definition.target]
	);
	const plotWidth = width - left - right;
	const plotHeight = height - top - bottom;
	const x = (i: number) =>
		left + (rows.length === 1 ? plotWidth / 2 : (i * plotWidth) / (rows.length - 1));
	const y = (v: number) => top + plotHeight - ((v - min) / (max - min)) * plotHeight;
	const round = (n: number) => Math.round(n * 10) / 10;

	const paths: string[] = [];
	const dots: { x: number; y: number }[] = [];
	let current = '';
	rows.forEach((row, i) => {
		if (row.value === null) {
			if (current) paths.push(current);
			current = '';
			return;
		}
		const point = `${round(x(i))},${round(y(row.value))}`;
		current = current ? `${current} L${point}` : `M${point}`;
		dots.push({ x: round(x(i)), y: round(y(row.value)) });
	});
	if (current) paths.push(current);

	return {
		paths,
		dots,
		target:
			definition.target === null
				? null
				: { y: round(y(definition.target)), label: formatValue(definition.target, definition) },
		ticks: [max, (min + max) / 2, min].map((v) => ({
			y: round(y(v)),
			label: formatAxisValue(v, definition)
		})),
		firstLabel: rows[0]?.label ?? '',
		lastLabel: rows.at(-1)?.label ?? ''
	};
}

export interface BarGeometry {
	key: string;
	label: string;
	text: string;
	y: number;
	/** Width of the bar; 0 for a member without a value or withheld. */
	width: number;
}

export const BAR_SIZE = { width: 320, row: 18, labelWidth: 120, valueWidth: 70 };

export function barChartGeometry(rows: readonly ReportRow[]): {
	bars: BarGeometry[];
	height: number;
} {
	const max = Math.max(0, ...rows.map((row) => Math.abs(row.value ?? 0)));
	const span = BAR_SIZE.width - BAR_SIZE.labelWidth - BAR_SIZE.valueWidth;
	return {
		bars: rows.map((row, i) => ({
			key: row.key,
			label: row.label,
			text: row.suppressed ? '•' : row.text,
			y: i * BAR_SIZE.row,
			width: row.value === null || max === 0 ? 0 : Math.round((Math.abs(row.value) / max) * span)
		})),
		height: rows.length * BAR_SIZE.row
	};
}

/** What a screen reader hears for the chart; the table beside it has every figure. */
export function chartLabel(
	kind: 'line' | 'bars',
	title: string,
	rows: readonly ReportRow[],
	rowsTitle: string
): string {
	if (kind === 'bars') {
		return `Balkendiagramm: ${title} nach ${rowsTitle}, ${rows.length} Werte; Tabelle folgt.`;
	}
	const last = rows.at(-1);
	const range = rows.length ? `${rows[0]!.label} bis ${last!.label}` : '';
	const latest = last
		? `, zuletzt ${last.suppressed ? 'geheim (kleine Fallzahl)' : last.text}`
		: '';
	return `Liniendiagramm: ${title}, ${range}${latest}; Tabelle folgt.`;
}
