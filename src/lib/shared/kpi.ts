import { z } from 'zod';
import { AreaId } from './areas';

export const Cadence = z.enum(['daily', 'weekly', 'monthly', 'quarterly', 'yearly'], {
	error: 'Bitte einen Rhythmus angeben: daily, weekly, monthly, quarterly oder yearly.'
});
export type Cadence = z.infer<typeof Cadence>;

export const Direction = z.enum(['higher_is_better', 'lower_is_better', 'neutral'], {
	error: 'Bitte die Richtung angeben: higher_is_better, lower_is_better oder neutral.'
});
export type Direction = z.infer<typeof Direction>;

/** Who may read a KPI: `internal` staff only, released to the `council`, or `public` open data. */
export const Visibility = z.enum(['internal', 'council', 'public'], {
	error: 'Bitte die Sichtbarkeit angeben: internal, council oder public.'
});
export type Visibility = z.infer<typeof Visibility>;

export const KpiStatus = z.enum(['green', 'amber', 'red', 'none']);
export type KpiStatus = z.infer<typeof KpiStatus>;

export const NumberFormat = z.enum(['integer', 'decimal', 'percent', 'currency'], {
	error: 'Bitte das Zahlenformat angeben: integer, decimal, percent oder currency.'
});
export type NumberFormat = z.infer<typeof NumberFormat>;

/**
 * Threshold bands. With `lower_is_better`, a value at or above `amber` is amber and at or above
 * `red` is red; with `higher_is_better` the bands run the other way (at or below).
 */
export const Thresholds = z
	.object(
		{
			amber: z.number({ error: 'Bitte die Warnschwelle als Zahl angeben.' }),
			red: z.number({ error: 'Bitte die kritische Schwelle als Zahl angeben.' })
		},
		{ error: 'Bitte die Schwellen als { "amber": Zahl, "red": Zahl } angeben.' }
	)
	.describe('threshold bands');
export type Thresholds = z.infer<typeof Thresholds>;

/** Where a KPI's values come from: a department's feed, a form, or a formula over other KPIs. */
export const KpiSourceKind = z.enum(['feed', 'form', 'derived'], {
	error: 'Bitte feed, form oder derived angeben.'
});
export type KpiSourceKind = z.infer<typeof KpiSourceKind>;

export const KpiSource = z.object({
	kind: KpiSourceKind,
	name: z.string()
});

export const KpiOwner = z.object({
	department: z.string(),
	contact: z.string(),
	email: z.string().email().optional()
});

export const SeriesPoint = z.object({ period: z.string(), value: z.number().nullable() });
export type SeriesPoint = z.infer<typeof SeriesPoint>;

/**
 * A series of consecutive periods of the KPI's cadence: the first period and one value per
 * period (null where there is none). About seven times smaller than period/value pairs, which
 * matters for phones on a train and for the server that parses and sends them.
 */
export const CompactSeriesV1 = z.object({
	start: z.string().nullable(),
	values: z.array(z.number().nullable())
});
export type CompactSeries = z.infer<typeof CompactSeriesV1>;

export const BreakdownRow = z.object({
	key: z.string(),
	label: z.string(),
	value: z.number().nullable(),
	/** Optional second figure, e.g. the capacity beside the occupancy of a facility. */
	reference: z.number().nullable().optional(),
	asOf: z.string().nullable()
});
export type BreakdownRow = z.infer<typeof BreakdownRow>;

/**
 * Which figures of a snapshot were withheld for statistical confidentiality (small counts and
 * the figures they could be worked out from); those figures are null in the snapshot.
 */
export const SuppressionMarksV1 = z.object({
	/** The current value (and with it the change and the status). */
	value: z.boolean(),
	previousValue: z.boolean(),
	/** Series periods whose value is withheld. */
	periods: z.array(z.string()),
	/** Breakdown rows (keys) whose value is withheld. */
	members: z.array(z.string()),
	/** Breakdown rows whose `reference` is withheld. */
	references: z.array(z.string()).optional(),
	/** The KPI's threshold: counts below it are withheld ("weniger als 3 Fälle"). */
	minCount: z.number().int().min(0)
});
export type SuppressionMarks = z.infer<typeof SuppressionMarksV1>;

/** What a screen needs of one KPI; computed on the server, stored and synced by the phone. */
export const KpiSnapshotV2 = z.object({
	kpiId: z.string(),
	areaId: AreaId,
	period: z.string().nullable(),
	value: z.number().nullable(),
	previousPeriod: z.string().nullable(),
	previousValue: z.number().nullable(),
	change: z.number().nullable(),
	changePercent: z.number().nullable(),
	status: KpiStatus,
	series: CompactSeriesV1,
	breakdownDimension: z.string().nullable(),
	breakdown: z.array(BreakdownRow),
	/** Last day covered by the current value (ISO date). */
	asOf: z.string().nullable(),
	overdue: z.boolean(),
	nextExpectedUpdate: z.string().nullable(),
	computedAt: z.string(),
	/**
	 * Periods whose value includes entries that await release ("vorläufig"); only in the
	 * snapshot that internal readers of the area get.
	 */
	provisionalPeriods: z.array(z.string()).optional(),
	/**
	 * Present only in the view of readers who may not see small counts, when something was
	 * withheld. Optional so that snapshot.v2 keeps its shape: an older client drops the field
	 * and shows the withheld (null) figures as a dash.
	 */
	suppressed: SuppressionMarksV1.optional(),
	/**
	 * What `previousValue`, the change and – against the plan – the status compare with, when it
	 * is not the previous period: the same period a year before, or the plan pro rata (the year's
	 * plan times the share of the year passed). Optional, like `suppressed`.
	 */
	comparison: z
		.discriminatedUnion('kind', [
			z.object({ kind: z.literal('previous_year') }),
			z.object({ kind: z.literal('plan_pro_rata'), shareOfYear: z.number().nullable() })
		])
		.optional()
});
export type KpiSnapshot = z.infer<typeof KpiSnapshotV2>;

/** A reference-list entry for the accommodation forms. */
export const FacilityV1 = z.object({
	id: z.string(),
	name: z.string(),
	district: z.string(),
	capacity: z.number().int().min(0),
	active: z.boolean()
});
export type Facility = z.infer<typeof FacilityV1>;

/** A district of the city, for pickers and labels. */
export const DistrictV1 = z.object({
	id: z.string(),
	name: z.string(),
	sortOrder: z.number().int(),
	active: z.boolean()
});
export type District = z.infer<typeof DistrictV1>;

/** A language-course provider, for the course-offer form. */
export const ProviderV1 = z.object({
	id: z.string(),
	name: z.string(),
	districtId: z.string(),
	district: z.string(),
	active: z.boolean()
});
export type Provider = z.infer<typeof ProviderV1>;
