import { BILDUNG_KPI } from '#server/db/demo/ids/bildung';
import type { FeedDefinitionInput } from '#shared/feeds';
import type { GeneratedObservation } from '#server/db/demo/rows';
import { csvLine, germanNumber } from './format';

/**
 * "Merkmal" of the state statistics office's table → KPI, with the school year a report year
 * stands for: leavers count for the year the school year ends, transitions for the one it
 * begins (both as the catalogue defines them), and the base the share is of.
 */
const MERKMALE = [
	{
		merkmal: 'Abgänge ohne Berufsreife',
		kpiId: BILDUNG_KPI.leaversWithoutQualification,
		schoolYearOf: (year: number) => schoolYear(year - 1),
		base: 1040
	},
	{
		merkmal: 'Übergänge auf das Gymnasium',
		kpiId: BILDUNG_KPI.transitionGymnasium,
		schoolYearOf: (year: number) => schoolYear(year),
		base: 870
	}
] as const;

const schoolYear = (start: number) => `${start}/${String((start + 1) % 100).padStart(2, '0')}`;

export const SCHOOL_KPIS: string[] = MERKMALE.map((m) => m.kpiId);

export const SCHOOL_DESCRIPTOR_FILE = 'schulstatistik.datapackage.json';
export const SCHOOL_CSV_FILE = 'schulstatistik.csv';
const RESOURCE = 'abgaenge-uebergaenge';
const SHARE = 'Anteil in %';

export const SCHOOL_FEED: FeedDefinitionInput = {
	id: 'schulstatistik',
	title: 'Schulstatistik des Statistischen Landesamts',
	description:
		'Jährliche Schulstatistik der allgemeinbildenden Schulen der Stadt: Anteil der Abgänge ohne Berufsreife und Übergangsquote auf das Gymnasium. Das Landesamt liefert ein Frictionless Data Package (datapackage.json mit Table Schema und CSV).',
	owner: {
		department: 'Referat Schulen und Bildung',
		contact: 'Bildungsmonitoring',
		email: 'bildungsmonitoring@stadt.example'
	},
	source: { format: 'datapackage', descriptor: SCHOOL_DESCRIPTOR_FILE, resource: RESOURCE },
	mapping: {
		period: { column: 'Berichtsjahr', format: 'YYYY' },
		values: [
			{
				column: SHARE,
				kpi: {
					column: 'Merkmal',
					lookup: Object.fromEntries(MERKMALE.map((m) => [m.merkmal, m.kpiId]))
				}
			}
		]
	},
	cadence: 'yearly',
	// The office publishes a school year's figures in the following spring.
	graceDays: 120
};

/** The Data Package descriptor: the CSV's dialect and the Table Schema it must meet. */
export function schoolDescriptor(created: Date): Record<string, unknown> {
	return {
		profile: 'tabular-data-package',
		name: 'schulstatistik-allgemeinbildende-schulen',
		title: 'Schulstatistik: Abgänge und Übergänge an allgemeinbildenden Schulen',
		description:
			'Kreisfreie Stadt, Schuljahre der letzten zehn Jahre. Anteile in Prozent, auf eine Nachkommastelle gerundet; „-“ = nichts vorhanden, „.“ = Zahlenwert unbekannt oder geheim zu halten.',
		created: created.toISOString(),
		licenses: [
			{
				name: 'dl-de-by-2.0',
				title: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
				path: 'https://www.govdata.de/dl-de/by-2-0'
			}
		],
		sources: [{ title: 'Statistisches Landesamt, Schulstatistik' }],
		resources: [
			{
				name: RESOURCE,
				path: SCHOOL_CSV_FILE,
				profile: 'tabular-data-resource',
				format: 'csv',
				mediatype: 'text/csv',
				encoding: 'utf-8',
				dialect: { delimiter: ';', quoteChar: '"', header: true },
				schema: {
					fields: [
						{ name: 'Berichtsjahr', type: 'year', title: 'Berichtsjahr' },
						{ name: 'Schuljahr', type: 'string', title: 'Schuljahr' },
						{ name: 'Gebiet', type: 'string' },
						{
							name: 'Merkmal',
							type: 'string',
							constraints: { required: true, enum: MERKMALE.map((m) => m.merkmal) }
						},
						{ name: 'Anzahl', type: 'integer', title: 'Schülerinnen und Schüler' },
						{
							name: SHARE,
							type: 'number',
							decimalChar: ',',
							title: 'Anteil an allen Abgängen bzw. Übergängen in Prozent'
						}
					],
					missingValues: ['', '-', '.'],
					primaryKey: ['Berichtsjahr', 'Merkmal']
				}
			}
		]
	};
}

/**
 * The office's CSV: one line per report year and Merkmal, semicolon-separated in UTF-8 with
 * decimal commas, as the descriptor declares. Other rows are ignored.
 */
export function schoolExport(rows: readonly GeneratedObservation[]): Buffer {
	const lines = rows
		.flatMap((r) => {
			const merkmal = MERKMALE.find((m) => m.kpiId === r.kpiId);
			if (!merkmal) return [];
			if (r.dimensionKey) throw new Error(`schools: unexpected dimension ${r.dimensionKey}`);
			const year = Number(r.period);
			return [{ year, order: MERKMALE.indexOf(merkmal), merkmal, value: r.value }];
		})
		.sort((a, b) => a.year - b.year || a.order - b.order)
		.map(({ year, merkmal, value }) =>
			csvLine([
				year,
				merkmal.schoolYearOf(year),
				'kreisfreie Stadt',
				merkmal.merkmal,
				Math.round((merkmal.base * value) / 100),
				germanNumber(value, 1, '')
			])
		);
	const header = csvLine(['Berichtsjahr', 'Schuljahr', 'Gebiet', 'Merkmal', 'Anzahl', SHARE]);
	return Buffer.from([header, ...lines].map((l) => `${l}\n`).join(''), 'utf8');
}
