import type { DbOrTx } from '#server/db/connection';
import { citySettings, type CitySettings } from '#server/city-settings';
import {
	activeDefinitions,
	loadAreas,
	loadDimensions,
	publicDefinition
} from '#server/kpis/catalogue';
import { disclosedViews, fullHistories, loadSnapshots } from '#server/kpis/snapshots';
import type { KpiDefinition } from '#shared/catalogue';
import type { KpiSnapshot } from '#shared/kpi';
import { periodEnd, periodStart, toIsoDate } from '#shared/periods';
import { expandSeries } from '#shared/series';
import {
	openDataLicence,
	type OpenDataEntry,
	type OpenDataIndex,
	type OpenDataKpi,
	type OpenDataObservation,
	type OpenDataPublisher,
	type OpenDataSeries
} from '#shared/open-data';

/**
 * A KPI released as open data: `public` and in use. Everything here comes from the released
 * observations with small counts withheld, exactly as any reader without insight into the
 * area's internal figures gets them; values that await release never enter.
 */
export interface OpenDataset {
	definition: KpiDefinition;
	kpi: OpenDataKpi;
	/** The stored withheld snapshot (what the list shows), or null before the first value. */
	snapshot: KpiSnapshot | null;
	/** The whole released history, withheld like the snapshot; null before the first value. */
	history: KpiSnapshot | null;
}

export function publisherOf(settings: CitySettings): OpenDataPublisher {
	return { name: settings.name, homepage: settings.homepage, contactEmail: settings.contactEmail };
}

/**
 * The public, active KPIs in catalogue order; only those named in `only` when given. The whole
 * histories are computed from every observation, so the portal's list, which shows only the
 * latest values, asks without them (`withHistory: false`): it is read by anyone, unthrottled.
 */
export function openDatasets(
	db: DbOrTx,
	now: Date,
	only?: string[],
	{ withHistory = true }: { withHistory?: boolean } = {}
): OpenDataset[] {
	const wanted = only ? new Set(only) : null;
	const definitions = activeDefinitions(db).filter(
		(d) => d.visibility === 'public' && (!wanted || wanted.has(d.id))
	);
	if (definitions.length === 0) return [];
	const ids = definitions.map((d) => d.id);
	const views = disclosedViews(db, loadSnapshots(db, ids), ids);
	const histories = withHistory
		? fullHistories(db, ids, true, now)
		: new Map<string, KpiSnapshot>();
	const areas = new Map(loadAreas(db).map((a) => [a.id, a]));
	return definitions.map((stored) => {
		const definition = publicDefinition(stored);
		const area = areas.get(definition.areaId);
		const snapshot = views.get(definition.id) ?? null;
		return {
			definition,
			snapshot,
			history: snapshot ? (histories.get(definition.id) ?? null) : null,
			kpi: {
				id: definition.id,
				title: definition.title,
				description: definition.description,
				method: definition.method,
				unit: definition.unit,
				numberFormat: definition.numberFormat,
				decimals: definition.decimals,
				cadence: definition.cadence,
				area: { id: definition.areaId, title: area?.title ?? definition.areaId },
				theme: area?.openDataTheme ?? null,
				tags: definition.tags,
				source: definition.source,
				maintainer: definition.owner.department
			}
		};
	});
}

/** The one public KPI with this id, or null for an unknown, retired, internal or council KPI. */
export function openDataset(db: DbOrTx, kpiId: string, now: Date): OpenDataset | null {
	return openDatasets(db, now, [kpiId])[0] ?? null;
}

const isoDay = (date: Date | null) => (date ? toIsoDate(date) : null);

/** Every released observation of a dataset: the totals by period, then the latest by member. */
export function observationsOf(
	dataset: OpenDataset,
	dimensionTitles: Map<string, string>
): OpenDataObservation[] {
	const history = dataset.history;
	if (!history) return [];
	const hiddenPeriods = new Set(history.suppressed?.periods ?? []);
	const hiddenMembers = new Set(history.suppressed?.members ?? []);
	const totals = expandSeries(history.series)
		// A period without a value is a gap, not an observation; a withheld one is reported.
		.filter((p) => p.value !== null || hiddenPeriods.has(p.period))
		.map((p) => ({
			period: p.period,
			start: isoDay(periodStart(p.period)),
			end: isoDay(periodEnd(p.period)),
			dimension: null,
			value: hiddenPeriods.has(p.period) ? null : p.value,
			withheld: hiddenPeriods.has(p.period)
		}));
	const dimension = history.breakdownDimension;
	const members = dimension
		? history.breakdown
				.filter((row) => row.asOf !== null)
				.map((row) => ({
					period: row.asOf!,
					start: isoDay(periodStart(row.asOf!)),
					end: isoDay(periodEnd(row.asOf!)),
					dimension: {
						id: dimension,
						title: dimensionTitles.get(dimension) ?? dimension,
						member: row.key,
						label: row.label
					},
					value: hiddenMembers.has(row.key) ? null : row.value,
					withheld: hiddenMembers.has(row.key)
				}))
		: [];
	return [...totals, ...members];
}

function dimensionTitlesOf(db: DbOrTx): Map<string, string> {
	return new Map(loadDimensions(db).map((d) => [d.id, d.title]));
}

/** The JSON download of one public KPI, or null when it is not open data. */
export function openDataSeries(
	db: DbOrTx,
	kpiId: string,
	now: Date,
	settings: CitySettings = citySettings()
): OpenDataSeries | null {
	const dataset = openDataset(db, kpiId, now);
	if (!dataset) return null;
	return seriesOf(dataset, dimensionTitlesOf(db), settings);
}

export function seriesOf(
	dataset: OpenDataset,
	dimensionTitles: Map<string, string>,
	settings: CitySettings
): OpenDataSeries {
	return {
		format: 'klar-open-data-series',
		version: 1,
		kpi: dataset.kpi,
		publisher: publisherOf(settings),
		licence: openDataLicence(settings.openDataLicence, settings.attribution),
		modified: dataset.snapshot?.computedAt ?? null,
		minCount: dataset.history?.suppressed?.minCount ?? dataset.definition.disclosureMinCount,
		observations: observationsOf(dataset, dimensionTitles)
	};
}

function latestOf(snapshot: KpiSnapshot | null): OpenDataEntry['latest'] {
	if (!snapshot?.period) return null;
	const withheld = snapshot.suppressed?.value === true;
	return {
		period: snapshot.period,
		value: withheld ? null : snapshot.value,
		withheld,
		asOf: snapshot.asOf
	};
}

/** What the portal page reads: every public KPI with its latest released value. */
export function openDataIndex(
	db: DbOrTx,
	now: Date,
	settings: CitySettings = citySettings()
): OpenDataIndex {
	return {
		format: 'klar-open-data-index',
		version: 1,
		publisher: publisherOf(settings),
		licence: openDataLicence(settings.openDataLicence, settings.attribution),
		datasets: openDatasets(db, now, undefined, { withHistory: false }).map((d) => ({
			kpi: d.kpi,
			latest: latestOf(d.snapshot),
			modified: d.snapshot?.computedAt ?? null
		}))
	};
}
