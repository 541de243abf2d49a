import type { SeriesPoint } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';

export interface Band {
	from: number;
	to: number;
	status: 'green' | 'amber' | 'red';
}

/** The threshold bands as value ranges for drawing, clipped to [min, max] of the axis. */
export function thresholdBands(definition: KpiDefinition, min: number, max: number): Band[] {
	const t = definition.thresholds;
	if (!t || min >= max) return [];
	const raw: Band[] =
		definition.direction === 'higher_is_better'
			? [
					{ from: -Infinity, to: t.red, status: 'red' },
					{ from: t.red, to: t.amber, status: 'amber' },
					{ from: t.amber, to: Infinity, status: 'green' }
				]
			: [
					{ from: -Infinity, to: t.amber, status: 'green' },
					{ from: t.amber, to: t.red, status: 'amber' },
					{ from: t.red, to: Infinity, status: 'red' }
				];
	return raw
		.map((b) => ({ ...b, from: Math.max(b.from, min), to: Math.min(b.to, max) }))
		.filter((b) => b.to > b.from);
}

/** Axis range that shows the series, the target and the nearest thresholds with some air. */
export function axisRange(
	definition: KpiDefinition,
	series: SeriesPoint[]
): { min: number; max: number } {
	const values = series.map((p) => p.value).filter((v): v is number => v !== null);
	const marks = [
		definition.target,
		definition.thresholds?.amber,
		definition.thresholds?.red
	].filter((v): v is number => typeof v === 'number');
	const all = [...values, ...marks];
	if (all.length === 0) return { min: 0, max: 1 };
	let min = Math.min(...all);
	let max = Math.max(...all);
	const pad = (max - min) * 0.08 || Math.abs(max) * 0.1 || 1;
	min -= pad;
	max += pad;
	if (Math.min(...values) >= 0 && min < 0) min = 0;
	return { min, max };
}

export const BAND_COLOURS: Record<Band['status'], string> = {
	green: 'rgba(27, 110, 47, 0.10)',
	amber: 'rgba(242, 169, 0, 0.18)',
	red: 'rgba(164, 22, 26, 0.12)'
};
