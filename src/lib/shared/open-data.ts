import { z } from 'zod';
import { Cadence, KpiSourceKind, NumberFormat } from './kpi';
import { OpenDataTheme } from './catalogue';
import { excelDate, toExcelCsv, type CsvCell } from './csv-cells';
import { formatPeriod } from './periods';
import { SUPPRESSED_MARK, suppressionFootnote } from './withheld';

/**
 * Open data for anyone without a login: what the portal page reads and what the city publishes
 * as files. The page lives at /offene-daten and /offene-daten/datensatz/<id>; the files live
 * apart from it under /offene-daten/daten/ and /offene-daten/katalog.*, so no KPI id can shadow
 * a file or a file a page.
 */
export const OPEN_DATA_PAGE = '/offene-daten';
export const OPEN_DATA_INDEX_URL = '/offene-daten/index.json';
export const OPEN_DATA_CATALOGUE_TURTLE_URL = '/offene-daten/katalog.ttl';
export const OPEN_DATA_CATALOGUE_JSONLD_URL = '/offene-daten/katalog.jsonld';
export const OPEN_DATA_FILES_PREFIX = '/offene-daten/daten/';

export type OpenDataFormat = 'csv' | 'json';

export function openDataPageUrl(kpiId: string): string {
	return `${OPEN_DATA_PAGE}/datensatz/${encodeURIComponent(kpiId)}`;
}

export function openDataFileUrl(kpiId: string, format: OpenDataFormat): string {
	return `${OPEN_DATA_FILES_PREFIX}${encodeURIComponent(kpiId)}.${format}`;
}

/** The KPI id and format of a file name under OPEN_DATA_FILES_PREFIX, or null. */
export function parseOpenDataFileName(
	name: string
): { kpiId: string; format: OpenDataFormat } | null {
	const match = /^(.+)\.(csv|json)$/.exec(name);
	if (!match) return null;
	return { kpiId: match[1]!, format: match[2] as OpenDataFormat };
}

/** Licences of the DCAT-AP.de licence vocabulary a city is likely to choose, with their texts. */
const LICENCES: Record<string, { name: string; url: string }> = {
	'dl-by-de/2.0': {
		name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
		url: 'https://www.govdata.de/dl-de/by-2-0'
	},
	'dl-zero-de/2.0': {
		name: 'Datenlizenz Deutschland – Zero – Version 2.0',
		url: 'https://www.govdata.de/dl-de/zero-2-0'
	},
	'cc-by/4.0': {
		name: 'Creative Commons Namensnennung – 4.0 International (CC BY 4.0)',
		url: 'https://creativecommons.org/licenses/by/4.0/'
	},
	'cc-by-sa/4.0': {
		name: 'Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 International (CC BY-SA 4.0)',
		url: 'https://creativecommons.org/licenses/by-sa/4.0/'
	},
	cc0: {
		name: 'Creative Commons CC Zero License (cc-zero)',
		url: 'https://creativecommons.org/publicdomain/zero/1.0/'
	}
};

export const DCAT_AP_DE_LICENCES = 'http://dcat-ap.de/def/licenses/';

export const OpenDataLicenceV1 = z.object({
	/** Id in the DCAT-AP.de licence vocabulary, e.g. `dl-by-de/2.0`. */
	id: z.string(),
	/** `http://dcat-ap.de/def/licenses/<id>`. */
	uri: z.string(),
	name: z.string(),
	/** Where a person reads the licence text. */
	url: z.string(),
	/** The attribution the licence asks for. */
	attribution: z.string()
});
export type OpenDataLicence = z.infer<typeof OpenDataLicenceV1>;

export function openDataLicence(id: string, attribution: string): OpenDataLicence {
	const uri = `${DCAT_AP_DE_LICENCES}${id}`;
	const known = LICENCES[id];
	return { id, uri, name: known?.name ?? id, url: known?.url ?? uri, attribution };
}

export const OpenDataPublisherV1 = z.object({
	name: z.string(),
	homepage: z.string(),
	contactEmail: z.string()
});
export type OpenDataPublisher = z.infer<typeof OpenDataPublisherV1>;

/** What is published of a KPI's definition: title, texts, source and who keeps it. */
export const OpenDataKpiV1 = z.object({
	id: z.string(),
	title: z.string(),
	description: z.string(),
	method: z.string(),
	unit: z.string(),
	numberFormat: NumberFormat,
	decimals: z.number().int(),
	cadence: Cadence,
	area: z.object({ id: z.string(), title: z.string() }),
	/** EU data theme of the area (DCAT-AP `dcat:theme`), or null. */
	theme: OpenDataTheme.nullable(),
	tags: z.array(z.string()),
	source: z.object({ kind: KpiSourceKind, name: z.string() }),
	/** The department that keeps the KPI (DCAT-AP.de `dcatde:maintainer`). */
	maintainer: z.string()
});
export type OpenDataKpi = z.infer<typeof OpenDataKpiV1>;

/**
 * One released figure: the total of a period (`dimension` null) or, for a KPI with a
 * breakdown, the latest figure of one member. A withheld figure keeps its row with `value`
 * null and `withheld` true, so nobody mistakes it for a missing one.
 */
export const OpenDataObservationV1 = z.object({
	period: z.string(),
	/** First and last day of the period (ISO dates). */
	start: z.string().nullable(),
	end: z.string().nullable(),
	dimension: z
		.object({ id: z.string(), title: z.string(), member: z.string(), label: z.string() })
		.nullable(),
	value: z.number().nullable(),
	withheld: z.boolean()
});
export type OpenDataObservation = z.infer<typeof OpenDataObservationV1>;

/** The JSON download of one KPI: its metadata and every released observation. */
export const OpenDataSeriesV1 = z.object({
	format: z.literal('klar-open-data-series'),
	version: z.literal(1),
	kpi: OpenDataKpiV1,
	publisher: OpenDataPublisherV1,
	licence: OpenDataLicenceV1,
	/** When the released figures last changed (ISO date-time), or null before the first value. */
	modified: z.string().nullable(),
	/** Counts below this are withheld (statistical confidentiality); 0 when nothing is. */
	minCount: z.number().int(),
	observations: z.array(OpenDataObservationV1)
});
export type OpenDataSeries = z.infer<typeof OpenDataSeriesV1>;

/** One entry of the portal's list: the KPI with its latest released value. */
export const OpenDataEntryV1 = z.object({
	kpi: OpenDataKpiV1,
	latest: z
		.object({
			period: z.string(),
			value: z.number().nullable(),
			withheld: z.boolean(),
			/** Last day the value covers (ISO date). */
			asOf: z.string().nullable()
		})
		.nullable(),
	modified: z.string().nullable()
});
export type OpenDataEntry = z.infer<typeof OpenDataEntryV1>;

/** What the portal page reads: every public KPI, the publisher and the licence. */
export const OpenDataIndexV1 = z.object({
	format: z.literal('klar-open-data-index'),
	version: z.literal(1),
	publisher: OpenDataPublisherV1,
	licence: OpenDataLicenceV1,
	datasets: z.array(OpenDataEntryV1)
});
export type OpenDataIndex = z.infer<typeof OpenDataIndexV1>;

/**
 * The CSV download: one row per released observation, in German Excel's dialect (BOM,
 * semicolons, decimal commas, text that starts like a formula neutralised). A withheld figure
 * is "•" and the file ends with the footnote that says why, after an empty line.
 */
export function openDataCsv(series: OpenDataSeries): string {
	const { kpi } = series;
	const rows: CsvCell[][] = [
		[
			'Kennzahl',
			'Kennung',
			'Zeitraum',
			'Periode',
			'Beginn',
			'Ende',
			'Merkmal',
			'Ausprägung',
			'Wert',
			'Einheit'
		],
		...series.observations.map((o) => [
			kpi.title,
			kpi.id,
			formatPeriod(o.period),
			o.period,
			excelDate(o.start),
			excelDate(o.end),
			o.dimension?.title ?? 'Gesamt',
			o.dimension?.label ?? '',
			o.withheld ? SUPPRESSED_MARK : o.value,
			kpi.unit
		])
	];
	const withheld = series.observations.some((o) => o.withheld);
	const footnote = withheld ? [[], [suppressionFootnote(series.minCount)]] : [];
	return toExcelCsv([...rows, ...footnote], { decimals: kpi.decimals });
}
