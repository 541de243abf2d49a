import type { KpiSnapshot, KpiStatus } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import {
	formatChange,
	formatChangeWithUnit,
	formatNumber,
	formatPercentChange,
	formatValue
} from '#shared/format';
import { formatPeriod, isOverdue } from '#shared/periods';
import { TREND_WORDS, trendOf } from '#shared/status';

/** "−2 Personen (−0,2 %) ggü. 20.11.2026 – besser": a change in words, with its direction. */
export function describeChange(definition: KpiDefinition, snapshot: KpiSnapshot): string {
	// A change beside a withheld value would give it back.
	if (snapshot.suppressed?.value || snapshot.suppressed?.previousValue) {
		return 'Vergleich unterdrückt (kleine Fallzahl)';
	}
	const againstPlan = snapshot.comparison?.kind === 'plan_pro_rata';
	if (snapshot.change === null || (!snapshot.previousPeriod && !againstPlan)) {
		return againstPlan ? 'kein Planwert zum Vergleich' : 'kein Vergleichswert';
	}
	const unit = definition.unit
		? `\u00a0${definition.unit === '%' ? 'Prozentpunkte' : definition.unit}`
		: '';
	const percent =
		definition.unit !== '%' && snapshot.changePercent !== null
			? ` (${formatPercentChange(snapshot.changePercent)})`
			: '';
	const trend = TREND_WORDS[trendOf(snapshot.change, definition.direction)];
	const amount =
		definition.numberFormat === 'currency'
			? formatChangeWithUnit(snapshot.change, definition)
			: `${formatChange(snapshot.change, definition.decimals)}${unit}`;
	const basis =
		snapshot.comparison?.kind === 'plan_pro_rata'
			? `Plan zeitanteilig${snapshot.comparison.shareOfYear === null ? '' : ` (${formatNumber(snapshot.comparison.shareOfYear, 1)}\u00a0% des Jahres)`}`
			: formatPeriod(snapshot.previousPeriod!);
	return `${amount}${percent} ggü. ${basis} – ${trend}`;
}

/**
 * A value split into its number and its unit, so the number can be large and a long unit
 * ("Bedarfsgemeinschaften", "je 100.000 Einwohner") can be small and wrap on a phone.
 */
export function valueParts(
	definition: KpiDefinition,
	value: number | null
): { number: string; unit: string } {
	const text = formatValue(value, definition);
	if (value === null || !definition.unit) return { number: text, unit: '' };
	// Compact amounts keep their scale word with the number: "312,4 Mio." + "€".
	const unitAt = text.lastIndexOf('\u00a0' + definition.unit);
	return unitAt < 0
		? { number: text, unit: '' }
		: { number: text.slice(0, unitAt), unit: definition.unit };
}

export function describeValue(
	definition: KpiDefinition,
	snapshot: KpiSnapshot | undefined
): string {
	return formatValue(snapshot?.value ?? null, definition);
}

/** Overdue is judged on the device with its own clock, so it is right offline too. */
export function overdueOnDevice(
	definition: KpiDefinition,
	snapshot: KpiSnapshot | undefined,
	today = new Date()
) {
	return isOverdue(snapshot?.period ?? null, definition.graceDays, today);
}

/** The KPIs of a view whose latest value is overdue (a gauge, a pair, the lines of a plan). */
export function overdueKpis<
	K extends { definition: KpiDefinition; snapshot: KpiSnapshot | undefined }
>(kpis: readonly K[], today = new Date()): K[] {
	return kpis.filter((k) => overdueOnDevice(k.definition, k.snapshot, today));
}

export const CADENCE_WORDS: Record<KpiDefinition['cadence'], string> = {
	daily: 'täglich',
	weekly: 'wöchentlich',
	monthly: 'monatlich',
	quarterly: 'vierteljährlich',
	yearly: 'jährlich'
};

export const DIRECTION_WORDS: Record<KpiDefinition['direction'], string> = {
	higher_is_better: 'höher ist besser',
	lower_is_better: 'niedriger ist besser',
	neutral: 'ohne Wertung'
};

export const VISIBILITY_WORDS: Record<KpiDefinition['visibility'], string> = {
	internal: 'intern',
	council: 'für den Stadtrat freigegeben',
	public: 'öffentlich (Open Data)'
};

/** Threshold bands in words, e.g. "Warnbereich ab 88,0 %, kritisch ab 95,0 %". */
export function describeThresholds(definition: KpiDefinition): string {
	const t = definition.thresholds;
	if (!t) return 'keine Schwellenwerte';
	const word = definition.direction === 'higher_is_better' ? 'bis' : 'ab';
	return `Warnbereich ${word} ${formatValue(t.amber, definition)}, kritisch ${word} ${formatValue(t.red, definition)}`;
}

/** Whether the shown value includes entries that await release ("vorläufig"). */
export function isProvisional(
	snapshot: Pick<KpiSnapshot, 'period' | 'provisionalPeriods'>
): boolean {
	return Boolean(snapshot.period && snapshot.provisionalPeriods?.includes(snapshot.period));
}

/** The status to show: none for a withheld value, whose band would tell roughly what it is. */
export function shownStatus(snapshot: Pick<KpiSnapshot, 'status' | 'suppressed'>): KpiStatus {
	return snapshot.suppressed?.value ? 'none' : snapshot.status;
}
