import { z } from 'zod';
import type { AreaId } from '#shared/areas';
import type { Cadence } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { cadenceOfPeriod, formatPeriod, periodStart, toIsoDate } from '#shared/periods';
import { FORM_TARGETS } from './targets';
import { choice, latestAllowedDay, perDay, tooEarly, type FormDeclaration } from './fields';

/** KPIs that have a form of their own; the generic value form does not offer them. */
export const KPIS_WITH_OWN_FORM: ReadonlySet<string> = new Set(Object.values(FORM_TARGETS));

export const KpiValueEntryV1 = perDay((today: string) =>
	z.object({
		kpiId: choice('Bitte eine Kennzahl wählen.'),
		period: z
			.string({ error: 'Bitte den Zeitraum angeben.' })
			.min(1, 'Bitte den Zeitraum angeben.')
			.refine(
				(value) => cadenceOfPeriod(value) !== null && periodStart(value) !== null,
				'Bitte einen gültigen Zeitraum angeben.'
			)
			.refine((value) => {
				const start = periodStart(value);
				return start === null || toIsoDate(start) <= latestAllowedDay(today);
			}, 'Der Zeitraum darf nicht in der Zukunft beginnen.')
			.refine((value) => {
				const start = periodStart(value);
				return start === null || !tooEarly(toIsoDate(start));
			}, 'Der Zeitraum liegt unplausibel weit zurück (vor dem Jahr 2000).'),
		districtId: z.string().optional(),
		value: z
			.number({ error: 'Bitte den Wert als Zahl angeben.' })
			.refine(Number.isFinite, 'Bitte den Wert als Zahl angeben.')
			.refine((v) => Math.abs(v) < 1e12, 'Der Wert ist unplausibel groß.')
	})
);
export type KpiValueEntry = z.infer<ReturnType<typeof KpiValueEntryV1>>;

/** The KPIs a person may enter values for by hand: form-sourced KPIs of their areas without a form of their own. */
export function kpisForValueForm(
	catalogue: readonly KpiDefinition[],
	writableAreas: readonly AreaId[]
): KpiDefinition[] {
	return catalogue
		.filter(
			(kpi) =>
				kpi.source.kind === 'form' &&
				!KPIS_WITH_OWN_FORM.has(kpi.id) &&
				writableAreas.includes(kpi.areaId) &&
				kpi.dimensions.every((d) => d === 'district')
		)
		.sort((a, b) => a.sortOrder - b.sortOrder);
}

const CADENCE_PERIOD_WORDS: Record<Cadence, string> = {
	daily: 'einen Tag',
	weekly: 'eine Kalenderwoche',
	monthly: 'einen Monat',
	quarterly: 'ein Quartal',
	yearly: 'ein Jahr'
};

/**
 * Rules that depend on the chosen KPI: the period must match its cadence, the district is
 * required when the KPI is broken down by district (and not allowed otherwise), the KPI must be
 * one the person may enter. Field → German message; empty when all is well.
 */
export function kpiValueProblems(
	entry: KpiValueEntry,
	definition: KpiDefinition | undefined,
	writableAreas: readonly AreaId[]
): Record<string, string> {
	if (!definition || !kpisForValueForm([definition], writableAreas).length) {
		return { kpiId: 'Für diese Kennzahl können Sie keine Werte erfassen.' };
	}
	const problems: Record<string, string> = {};
	if (cadenceOfPeriod(entry.period) !== definition.cadence) {
		problems.period = `Diese Kennzahl wird für ${CADENCE_PERIOD_WORDS[definition.cadence]} erfasst – bitte den Zeitraum so wählen.`;
	}
	const byDistrict = definition.dimensions.includes('district');
	if (byDistrict && !entry.districtId) problems.districtId = 'Bitte den Stadtteil wählen.';
	if (!byDistrict && entry.districtId) {
		problems.districtId = 'Diese Kennzahl wird nicht nach Stadtteilen erfasst.';
	}
	if (definition.numberFormat === 'integer' && !Number.isInteger(entry.value)) {
		problems.value = 'Bitte eine ganze Zahl angeben.';
	}
	if (definition.numberFormat === 'percent' && (entry.value < 0 || entry.value > 100)) {
		problems.value = 'Ein Anteil liegt zwischen 0 und 100 %.';
	}
	return problems;
}

export const kpiValueForm: FormDeclaration<ReturnType<typeof KpiValueEntryV1>> = {
	id: 'kpi.wert.v1',
	slug: 'wert',
	areaId: null,
	title: 'Wert für eine Kennzahl',
	description:
		'Einen Wert für eine Kennzahl Ihres Bereichs erfassen, die kein eigenes Formular hat.',
	fields: [
		{ name: 'kpiId', label: 'Kennzahl', kind: 'select', options: 'kpis' },
		{
			name: 'period',
			label: 'Zeitraum',
			kind: 'period',
			hint: 'Passend zum Rhythmus der Kennzahl'
		},
		{
			name: 'districtId',
			label: 'Stadtteil',
			kind: 'select',
			options: 'districts',
			showWhen: (values) => values.__byDistrict === true
		},
		{ name: 'value', label: 'Wert', kind: 'decimal' }
	],
	schema: KpiValueEntryV1,
	key: (entry) => `${entry.kpiId}|${entry.period}|${entry.districtId ?? ''}`,
	summary: (entry, names) =>
		`${names.kpi(entry.kpiId)}, ${formatPeriod(entry.period)}${entry.districtId ? ` (${names.district(entry.districtId)})` : ''}: ${new Intl.NumberFormat('de-DE').format(entry.value)}`
};
