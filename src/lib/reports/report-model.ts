import type { Area, KpiDefinition } from '#shared/catalogue';
import type { Cadence, KpiSnapshot, KpiStatus } from '#shared/kpi';
import { REPORT_LIMITS, type ReportContent, type ReportItem } from '#shared/reports';
import { STATUS_WORDS } from '#shared/status';
import { formatNumber, formatValue } from '#shared/format';
import { formatPeriod, toIsoDate } from '#shared/periods';
import { describeChange, shownStatus, valueParts } from '$lib/kpis/presentation';
import { memberSuppressed, minCountOf, readingsOf, suppressedParts } from '$lib/kpis/suppression';

/** A new report: a title to change, today as the meeting date, no KPIs yet. */
export function newReportContent(today: Date): ReportContent {
	return { title: 'Sitzungsbericht', meetingDate: toIsoDate(today), items: [] };
}

/** Moves the item at `index` one place up (−1) or down (+1); at an end nothing moves. */
export function moveItem(items: readonly ReportItem[], index: number, step: -1 | 1): ReportItem[] {
	const target = index + step;
	if (index < 0 || index >= items.length || target < 0 || target >= items.length) {
		return [...items];
	}
	const moved = [...items];
	[moved[index], moved[target]] = [moved[target]!, moved[index]!];
	return moved;
}

export function removeItem(items: readonly ReportItem[], index: number): ReportItem[] {
	return items.filter((_, i) => i !== index);
}

export function updateItem(
	items: readonly ReportItem[],
	index: number,
	change: Partial<Omit<ReportItem, 'kpiId'>>
): ReportItem[] {
	return items.map((item, i) => (i === index ? { ...item, ...change } : item));
}

/**
 * Appends KPIs at the end in the given order. A KPI already in the report stays where it is, and
 * nothing is added beyond the limit; `skipped` says how many did not fit.
 */
export function addKpis(
	items: readonly ReportItem[],
	kpiIds: readonly string[]
): { items: ReportItem[]; added: number; skipped: number } {
	const present = new Set(items.map((item) => item.kpiId));
	const next = [...items];
	let added = 0;
	let skipped = 0;
	for (const kpiId of kpiIds) {
		if (present.has(kpiId)) continue;
		present.add(kpiId);
		if (next.length >= REPORT_LIMITS.kpis) {
			skipped++;
			continue;
		}
		next.push({ kpiId, note: '', pageBreakBefore: false });
		added++;
	}
	return { items: next, added, skipped };
}

/** The KPIs of an area the author can see, in the catalogue's order: "add the whole area". */
export function kpiIdsOfArea(catalogue: readonly KpiDefinition[], areaId: string): string[] {
	return catalogue
		.filter((definition) => definition.areaId === areaId)
		.sort((a, b) => a.sortOrder - b.sortOrder)
		.map((definition) => definition.id);
}

/** The KPIs still to pick, grouped by area in the catalogue's order (for the picker). */
export function pickableKpis(
	areas: readonly Area[],
	catalogue: readonly KpiDefinition[],
	items: readonly ReportItem[]
): { area: Area; kpis: KpiDefinition[] }[] {
	const chosen = new Set(items.map((item) => item.kpiId));
	return [...areas]
		.sort((a, b) => a.sortOrder - b.sortOrder)
		.map((area) => ({
			area,
			kpis: catalogue
				.filter((d) => d.areaId === area.id && !chosen.has(d.id))
				.sort((a, b) => a.sortOrder - b.sortOrder)
		}))
		.filter((group) => group.kpis.length > 0);
}

/** How many periods a block shows in its chart and table: about a year, a page at most. */
export const PRINT_PERIODS: Record<Cadence, number> = {
	daily: 14,
	weekly: 12,
	monthly: 12,
	quarterly: 8,
	yearly: 6
};

/** One row of a block's table: a period or a breakdown member, with its value as text. */
export interface ReportRow {
	key: string;
	label: string;
	value: number | null;
	/** With its unit, for the chart. */
	text: string;
	/** For the table, whose column head names the unit (see `tableUnit`). */
	cell: string;
	suppressed: boolean;
}

/** A KPI's block in the report, everything as it is shown (withheld figures as on screen). */
export interface ReportBlock {
	/** Position in the report, from 1, counting only what this reader sees. */
	number: number;
	kpiId: string;
	definition: KpiDefinition;
	areaTitle: string;
	note: string;
	pageBreakBefore: boolean;
	/** False while the KPI has no values yet. */
	hasValue: boolean;
	valueSuppressed: boolean;
	value: { number: string; unit: string };
	change: string;
	status: KpiStatus;
	statusWords: string;
	/** "Stand" of the value: its period. */
	asOf: string;
	chart: 'line' | 'bars' | 'none';
	/** Line chart: the last periods; bars: the breakdown's members. */
	rows: ReportRow[];
	rowsTitle: string;
	/**
	 * The unit named once in the table's column head, so values fit a phone beside their
	 * periods; empty for amounts, whose "Mio. €" belongs to each number.
	 */
	tableUnit: string;
	/** The footnote's threshold where a figure of the block is withheld, else null. */
	suppressedMinCount: number | null;
	source: string;
	owner: string;
}

export interface ResolvedReport {
	blocks: ReportBlock[];
	/** KPIs of the report that this reader's device does not hold (not released to them). */
	withheld: number;
}

export interface ReportData {
	definition: (kpiId: string) => KpiDefinition | undefined;
	snapshot: (kpiId: string) => KpiSnapshot | undefined;
	areaTitle: (areaId: string) => string;
	dimensionTitle: (dimensionId: string) => string;
}

/**
 * The report as this reader sees it. A KPI the reader's device does not hold was not released
 * to them: it is only counted, never named, as even its title may be internal.
 */
export function resolveReport(items: readonly ReportItem[], data: ReportData): ResolvedReport {
	const blocks: ReportBlock[] = [];
	let withheld = 0;
	for (const item of items) {
		const definition = data.definition(item.kpiId);
		if (!definition) {
			withheld++;
			continue;
		}
		blocks.push(blockOf(blocks.length + 1, item, definition, data));
	}
	return { blocks, withheld };
}

function blockOf(
	number: number,
	item: ReportItem,
	definition: KpiDefinition,
	data: ReportData
): ReportBlock {
	const snapshot = data.snapshot(item.kpiId);
	const hidden = suppressedParts(snapshot);
	const chart = chartKind(definition, snapshot);
	const rows =
		chart === 'bars' && snapshot
			? breakdownRows(definition, snapshot)
			: seriesRows(definition, snapshot);
	const rowsHidden = rows.some((row) => row.suppressed);
	const status = snapshot ? shownStatus(snapshot) : 'none';
	return {
		number,
		kpiId: item.kpiId,
		definition,
		areaTitle: data.areaTitle(definition.areaId),
		note: item.note,
		pageBreakBefore: item.pageBreakBefore,
		hasValue: Boolean(snapshot),
		valueSuppressed: hidden.value,
		value: valueParts(definition, snapshot?.value ?? null),
		change: snapshot ? describeChange(definition, snapshot) : 'noch keine Werte',
		status,
		statusWords: STATUS_WORDS[status],
		asOf: snapshot?.period ? formatPeriod(snapshot.period) : '–',
		chart,
		rows,
		tableUnit: tableUnitOf(definition),
		rowsTitle:
			chart === 'bars' && snapshot?.breakdownDimension
				? data.dimensionTitle(snapshot.breakdownDimension)
				: 'Zeitraum',
		suppressedMinCount: hidden.value || rowsHidden ? minCountOf(snapshot) : null,
		source: definition.source.name,
		owner: `${definition.owner.department}, ${definition.owner.contact}`
	};
}

function tableUnitOf(definition: KpiDefinition): string {
	return definition.numberFormat !== 'currency' ? definition.unit : '';
}

function cellOf(definition: KpiDefinition, value: number | null): string {
	return tableUnitOf(definition)
		? formatNumber(value, definition.decimals)
		: formatValue(value, definition);
}

/** Bars where the catalogue shows the breakdown first (or there is no series); else a line. */
function chartKind(
	definition: KpiDefinition,
	snapshot: KpiSnapshot | undefined
): ReportBlock['chart'] {
	if (!snapshot) return 'none';
	const hasBreakdown = snapshot.breakdown.length > 0;
	const hasSeries = snapshot.series.values.some((value) => value !== null);
	if (hasBreakdown && (definition.view.kind === 'breakdown' || !hasSeries)) return 'bars';
	return hasSeries || snapshot.suppressed?.periods.length ? 'line' : 'none';
}

function seriesRows(definition: KpiDefinition, snapshot: KpiSnapshot | undefined): ReportRow[] {
	if (!snapshot) return [];
	return readingsOf(snapshot)
		.slice(-PRINT_PERIODS[definition.cadence])
		.map((reading) => {
			const suppressed = reading.suppressed === true;
			return {
				key: reading.period,
				label: formatPeriod(reading.period),
				value: suppressed ? null : reading.value,
				text: formatValue(suppressed ? null : reading.value, definition),
				cell: cellOf(definition, suppressed ? null : reading.value),
				suppressed
			};
		});
}

/** Largest first, as the KPI page sorts them. */
function breakdownRows(definition: KpiDefinition, snapshot: KpiSnapshot): ReportRow[] {
	return [...snapshot.breakdown]
		.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))
		.map((row) => {
			const suppressed = memberSuppressed(snapshot, row.key);
			return {
				key: row.key,
				label: row.label,
				value: suppressed ? null : row.value,
				text: formatValue(suppressed ? null : row.value, definition),
				cell: cellOf(definition, suppressed ? null : row.value),
				suppressed
			};
		});
}

/** "1 Kennzahl ist für Sie nicht freigegeben." – without naming it. */
export function withheldMessage(count: number): string {
	if (count <= 0) return '';
	return count === 1
		? '1 Kennzahl ist für Sie nicht freigegeben.'
		: `${formatNumber(count)} Kennzahlen sind für Sie nicht freigegeben.`;
}

/** "3 Kennzahlen" for lists of reports. */
export function kpiCountWords(count: number): string {
	return count === 1 ? '1 Kennzahl' : `${formatNumber(count)} Kennzahlen`;
}
