import { germanIssue } from './german-issues';
import { z } from 'zod';
import { safeText } from './text';
import { Cadence } from './kpi';

/**
 * Departmental data feeds: a feed is declared, not coded, so a department can deliver a new
 * export without a developer. The definition
 * says how a department's export file is read (format and dialect), which rows count (filters),
 * and how columns become observations (KPI, period, dimensions, value). The CLI, the admin
 * upload page and the demo set-up all run a definition through the same import runner.
 */

/** The address segment of a new feed's screen: `/verwaltung/lieferungen/neu`. */
export const NEW_FEED_SEGMENT = 'neu';

export const FeedId = z
	.string()
	.regex(/^[a-z0-9][a-z0-9_.-]{1,63}$/, 'Kennung: Kleinbuchstaben, Ziffern, Punkt, Strich')
	.refine(
		(id) => id !== NEW_FEED_SEGMENT,
		'Die Kennung „neu“ ist für neue Lieferungen reserviert.'
	);

export const FeedEncoding = z.enum(['utf-8', 'windows-1252', 'iso-8859-1'], {
	error: 'Bitte eine Zeichenkodierung angeben: utf-8, windows-1252 oder iso-8859-1.'
});
export type FeedEncoding = z.infer<typeof FeedEncoding>;

/**
 * How a period is written in the file. `YYYY-Www` is an ISO week (`2026-W05`), `KW ww/YYYY`
 * the German way of writing one (`KW 05/2026`). A date is turned into the period of the KPI's
 * cadence that contains it, so a "Stichtag" 31.12.2025 fills the year 2025 of a yearly KPI.
 */
export const PeriodFormat = z.enum(
	['YYYY', 'YYYY-MM', 'MM.YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY', 'YYYY-Www', 'KW ww/YYYY', 'YYYY-Qq'],
	{
		error:
			'Bitte ein Zeitformat angeben: YYYY, YYYY-MM, MM.YYYY, YYYY-MM-DD, DD.MM.YYYY, YYYY-Www, KW ww/YYYY oder YYYY-Qq.'
	}
);
export type PeriodFormat = z.infer<typeof PeriodFormat>;

const Column = z.string().min(1);

/**
 * A classifying variable ("Merkmal") of a GENESIS flat file, by its code (`KREISE`, `GES`,
 * `MONAT`): the file names it in one of its `N_variable_code` columns, a different N per table
 * and sometimes per row, so a definition names the variable, never the column number.
 */
const VariableCode = z
	.string()
	.regex(
		/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/,
		'Ein Merkmal wird mit seinem Code angegeben, z. B. „KREISE“ (Buchstaben, Ziffern, _ . -).'
	);

/** The columns every GENESIS flat file (ffcsv) has, besides its variables' blocks. */
export const GENESIS_COLUMNS = [
	'statistics_code',
	'statistics_label',
	'time_code',
	'time_label',
	'time',
	'value',
	'value_unit',
	'value_variable_code',
	'value_variable_label',
	'value_q'
] as const;

const columnOrVariable = <T extends { column?: string; variable?: string }>(ref: T) =>
	(ref.column === undefined) !== (ref.variable === undefined);
const COLUMN_OR_VARIABLE =
	'Bitte entweder „column“ (eine Spalte der Datei) oder „variable“ (ein Merkmal einer GENESIS-Datei) angeben.';

export const CsvDialect = z
	.object({
		/** One character, or `auto` to detect `;`, `,`, tab or `|` from the first lines. */
		delimiter: z.union([z.literal('auto'), z.string().length(1)]).default('auto'),
		quote: z.string().length(1).default('"'),
		encoding: FeedEncoding.default('utf-8'),
		/** The decimal separator of numbers: `,` in German exports. */
		decimal: z.enum([',', '.']).default('.'),
		/** The thousands separator of numbers, or '' for none (a space also matches U+00A0). */
		thousands: z.enum(['', '.', ',', ' ', "'"]).default(''),
		/** Whether the first line after the skipped ones names the columns. */
		header: z.boolean().default(true),
		/** Column names for a file without a header row, in file order. */
		columns: z.array(Column).optional(),
		/** Lines before the header (or the data) to skip: titles, notes, empty lines. */
		skipLines: z.number().int().min(0).max(1000).default(0)
	})
	.refine((d) => d.header || (d.columns?.length ?? 0) > 0, {
		message: 'Ohne Kopfzeile müssen die Spaltennamen angegeben sein (dialect.columns).',
		path: ['columns']
	})
	.refine((d) => d.delimiter === 'auto' || d.delimiter !== d.decimal, {
		message: 'Trennzeichen und Dezimalzeichen dürfen nicht gleich sein.',
		path: ['delimiter']
	})
	.refine((d) => d.thousands === '' || d.thousands !== d.decimal, {
		message: 'Tausender- und Dezimaltrennzeichen dürfen nicht gleich sein.',
		path: ['thousands']
	});
export type CsvDialect = z.infer<typeof CsvDialect>;

/** A KPI fixed for the whole feed, or read from a column through a lookup table. */
export const KpiMapping = z.union([
	z.object({ fixed: z.string().min(1) }).strict(),
	z.object({ column: Column, lookup: z.record(z.string(), z.string().min(1)) }).strict()
]);
export type KpiMapping = z.infer<typeof KpiMapping>;

export const DimensionMapping = z
	.object({
		column: Column.optional(),
		/** GENESIS flat files: the variable whose attribute code is the member (e.g. `KREISE`). */
		variable: VariableCode.optional(),
		/** File value → member id (e.g. "Südstadt" → "suedstadt"); without it the value is the id. */
		lookup: z.record(z.string(), z.string().min(1)).optional(),
		/** File values that stand for the total over this dimension, e.g. "Gesamtstadt". */
		total: z.array(z.string()).default([])
	})
	.strict()
	.refine(columnOrVariable, COLUMN_OR_VARIABLE);
export type DimensionMapping = z.infer<typeof DimensionMapping>;

export const ValueMapping = z
	.object({
		column: Column,
		kpi: KpiMapping,
		/** Multiplies the file's number, e.g. 1000 for "Tsd. €". */
		scale: z.number().positive().default(1)
	})
	.strict();
export type ValueMapping = z.infer<typeof ValueMapping>;

export const RowFilter = z
	.object({
		column: Column.optional(),
		variable: VariableCode.optional(),
		equals: z.string().optional(),
		oneOf: z.array(z.string()).min(1).optional()
	})
	.strict()
	.refine(columnOrVariable, COLUMN_OR_VARIABLE)
	.refine((f) => (f.equals === undefined) !== (f.oneOf === undefined), {
		message: 'Bitte entweder „equals“ (ein Wert) oder „oneOf“ (eine Liste von Werten) angeben.'
	});
export type RowFilter = z.infer<typeof RowFilter>;

/**
 * Where the period is read. CSV and JSON: a column and its format. A Data Package may leave
 * out the format: its Table Schema says how the column is written. A GENESIS file needs no
 * period at all (it is read from `time` by `time_code`); `variable` names the variable that
 * splits the year into months (`MONAT`) or quarters (`QUARTG`).
 */
export const PeriodMapping = z
	.object({
		column: Column.optional(),
		format: PeriodFormat.optional(),
		variable: VariableCode.optional()
	})
	.strict();
export type PeriodMapping = z.infer<typeof PeriodMapping>;

export const FeedMapping = z
	.object({
		period: PeriodMapping.optional(),
		/** Dimension name (as in the KPI's `dimensions`) → the column that holds its member. */
		dimensions: z.record(z.string().min(1), DimensionMapping).default({}),
		/** One or more values per row: a long file has one, a wide one (plan, actual) several. */
		values: z.array(ValueMapping).min(1),
		/** A row is imported only when every filter matches; other rows are counted as skipped. */
		filters: z.array(RowFilter).default([])
	})
	.strict();
export type FeedMapping = z.infer<typeof FeedMapping>;

/**
 * Cell contents that are not numbers. Missing (`-`, empty): nothing is imported for the cell.
 * Suppressed by the source for confidentiality (`.`, `x`): stored as a value withheld (null).
 */
export const ValueMarkers = z
	.object({
		missing: z.array(z.string()).default(['-', '']),
		suppressed: z.array(z.string()).default(['.', 'x'])
	})
	.strict();

/**
 * The signs of the GENESIS databases (Zeichenerklärung of Destatis and the Länder):
 * `-` nichts vorhanden, `...` Angabe fällt später an, `x` Tabellenfach gesperrt, weil Aussage
 * nicht sinnvoll – no value exists, so nothing is imported; `.` Zahlenwert unbekannt oder
 * geheimzuhalten, `/` keine Angaben, da Zahlenwert nicht sicher genug – a value exists but the
 * office withholds it, so it is stored as withheld.
 */
export const GENESIS_MARKERS = {
	missing: ['-', '...', 'x', ''],
	suppressed: ['.', '/']
};
const DEFAULT_MARKERS = { missing: ['-', ''], suppressed: ['.', 'x'] };

const JsonSource = z
	.object({
		format: z.literal('json'),
		/** `array`: one JSON array of objects (optionally under `path`); `lines`: JSON Lines. */
		records: z.enum(['array', 'lines']).default('array'),
		/** Property of the top-level object that holds the array, e.g. "daten". */
		path: z.string().min(1).optional()
	})
	.strict();

const CsvSource = z.object({ format: z.literal('csv'), dialect: CsvDialect }).strict();

/**
 * A Frictionless Data Package: the descriptor (inline, or a path relative to the definition
 * file) brings the dialect, encoding, missing values and the Table Schema the file is checked
 * against; the file imported is the data of its CSV or TSV resource (the only one, or the one
 * named). A schema or dialect given as a path is read when the definition is loaded.
 */
const DataPackageSource = z
	.object({
		format: z.literal('datapackage'),
		descriptor: z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
			error: 'Bitte den Deskriptor als Pfad zur datapackage.json oder als Objekt angeben.'
		}),
		resource: z.string().min(1).optional()
	})
	.strict();

/**
 * The flat file CSV (ffcsv) of GENESIS-Online, the Regionaldatenbank Deutschland and the
 * Zensus database: plain or zipped with one `*_flat.csv` inside. A byte-order mark means UTF-8
 * whatever `encoding` says; `decimal` is `,` for files asked for in German, `.` in English.
 */
const GenesisSource = z
	.object({
		format: z.literal('genesis-ffcsv'),
		encoding: FeedEncoding.default('utf-8'),
		decimal: z.enum([',', '.'], { error: 'Bitte „,“ oder „.“ angeben.' }).default(',')
	})
	.strict();

export const FEED_FORMATS = ['csv', 'json', 'datapackage', 'genesis-ffcsv'] as const;

export const FeedSource = z.discriminatedUnion('format', [
	CsvSource,
	JsonSource,
	DataPackageSource,
	GenesisSource
]);
export type FeedSource = z.infer<typeof FeedSource>;

export const FeedOwner = z
	.object({
		department: safeText().min(1),
		contact: safeText().min(1),
		email: z.string().email().optional()
	})
	.strict();

const FeedDefinitionObject = z
	.object({
		id: FeedId,
		title: safeText().min(1),
		description: safeText({ multiline: true }).default(''),
		owner: FeedOwner,
		source: FeedSource,
		mapping: FeedMapping,
		markers: ValueMarkers.default(DEFAULT_MARKERS),
		/** Observations from this feed are final, or provisional until a later delivery. */
		status: z
			.enum(['final', 'provisional'], { error: 'Bitte final oder provisional angeben.' })
			.default('final'),
		/** How often a delivery is expected, and how many days late it may be. */
		cadence: Cadence,
		graceDays: z.number().int().min(0).default(7),
		/** Rejected rows a run tolerates (they are left out); above it nothing is imported. */
		maxRejectedRows: z.number().int().min(0).default(0)
	})
	.strict()
	.superRefine((definition, context) => {
		for (const problem of mappingProblems(definition.source.format, definition.mapping)) {
			context.addIssue({
				code: 'custom',
				path: ['mapping', ...problem.path],
				message: problem.message
			});
		}
	});

/** A GENESIS file's markers are its signs unless the definition names others. */
const withFormatDefaults = (input: unknown) => {
	if (!isRecord(input) || input.markers !== undefined || !isRecord(input.source)) return input;
	return input.source.format === 'genesis-ffcsv' ? { ...input, markers: GENESIS_MARKERS } : input;
};

export const FeedDefinitionV1 = z.preprocess(withFormatDefaults, FeedDefinitionObject);
export type FeedDefinition = z.infer<typeof FeedDefinitionObject>;
export type FeedDefinitionInput = z.input<typeof FeedDefinitionObject>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A problem of a definition: where (path inside it) and what, in German. */
export interface DefinitionProblem {
	path: (string | number)[];
	message: string;
}

/**
 * What a mapping may name depends on the source: columns in CSV, JSON and Data Packages; in a
 * GENESIS file its fixed columns and its variables.
 */
function mappingProblems(format: FeedSource['format'], mapping: FeedMapping): DefinitionProblem[] {
	const problems: DefinitionProblem[] = [];
	const genesis = format === 'genesis-ffcsv';
	const refs: { path: (string | number)[]; column?: string; variable?: string }[] = [
		...Object.entries(mapping.dimensions).map(([name, d]) => ({
			path: ['dimensions', name],
			...d
		})),
		...mapping.filters.map((f, i) => ({ path: ['filters', i], ...f })),
		...mapping.values.flatMap((v, i) => [
			{ path: ['values', i], column: v.column },
			...('column' in v.kpi ? [{ path: ['values', i, 'kpi'], column: v.kpi.column }] : [])
		])
	];
	for (const ref of refs) {
		if (ref.variable !== undefined && !genesis) {
			problems.push({
				path: [...ref.path, 'variable'],
				message:
					'„variable“ gibt es nur bei GENESIS-Dateien (source.format „genesis-ffcsv“); bitte „column“ angeben.'
			});
		}
		if (
			ref.column !== undefined &&
			genesis &&
			!(GENESIS_COLUMNS as readonly string[]).includes(ref.column)
		) {
			problems.push({
				path: [...ref.path, 'column'],
				message: `„${ref.column}“ ist keine Spalte einer GENESIS-Datei (${GENESIS_COLUMNS.join(', ')}); ein Merkmal wie KREISE wird mit „variable“ gewählt.`
			});
		}
	}
	if (genesis) {
		mapping.values.forEach((v, i) => {
			if (v.column !== 'value') {
				problems.push({
					path: ['values', i, 'column'],
					message: 'In einer GENESIS-Datei steht der Wert in der Spalte „value“.'
				});
			}
		});
		if (mapping.period?.column !== undefined || mapping.period?.format !== undefined) {
			problems.push({
				path: ['period'],
				message:
					'Eine GENESIS-Datei nennt ihren Zeitraum selbst (time und time_code); „period“ kann nur „variable“ angeben (MONAT oder QUARTG).'
			});
		}
		return problems;
	}
	if (!mapping.period) {
		problems.push({
			path: ['period'],
			message: 'Bitte den Zeitraum angeben: { "column": …, "format": … }.'
		});
		return problems;
	}
	if (mapping.period.variable !== undefined) {
		problems.push({
			path: ['period', 'variable'],
			message: '„variable“ gibt es nur bei GENESIS-Dateien (source.format „genesis-ffcsv“).'
		});
	}
	if (mapping.period.column === undefined) {
		problems.push({
			path: ['period', 'column'],
			message: 'Bitte die Spalte des Zeitraums angeben.'
		});
	}
	// A Data Package's Table Schema says how its date column is written.
	if (mapping.period.format === undefined && format !== 'datapackage') {
		problems.push({
			path: ['period', 'format'],
			message: 'Bitte das Zeitformat der Spalte angeben.'
		});
	}
	return problems;
}

/** One rejected row (or a problem with the whole file, then `line` is null). */
export const FeedRunError = z.object({
	line: z.number().int().nullable(),
	column: z.string().nullable(),
	/** German, for the people who deliver and upload the file. */
	message: z.string(),
	code: z.enum([
		'encoding',
		'delimiter',
		'columns',
		'not_a_number',
		'bad_period',
		'unknown_kpi',
		'unknown_member',
		'duplicate_key',
		'too_large',
		'malformed',
		'definition'
	])
});
export type FeedRunError = z.infer<typeof FeedRunError>;

export const FeedRunStatus = z.enum(['succeeded', 'failed']);
export type FeedRunStatus = z.infer<typeof FeedRunStatus>;

/** What a run did; shown after an upload and in the feed's list of runs. */
/** The largest sample file a preview accepts: it travels base64-encoded inside a JSON request. */
export const SAMPLE_LIMIT_BYTES = 1024 * 1024;

/** One value of a checked file as it would be stored: what the preview of a definition shows. */
export const FeedPreviewValueV1 = z.object({
	/** The line of the file it comes from. */
	line: z.number().int(),
	kpiId: z.string(),
	period: z.string(),
	/** `district=innenstadt-ost&…`, empty for a total. */
	dimensionKey: z.string(),
	value: z.number().nullable(),
	/** Marked missing by the source: a stored value of that cell would be removed. */
	missing: z.boolean()
});
export type FeedPreviewValue = z.infer<typeof FeedPreviewValueV1>;

export const FeedRunReportV1 = z.object({
	runId: z.string().nullable(),
	feedId: z.string(),
	mode: z.enum(['import', 'validate']),
	status: FeedRunStatus,
	startedAt: z.string(),
	finishedAt: z.string(),
	fileName: z.string(),
	fileBytes: z.number().int(),
	rowsRead: z.number().int(),
	rowsAccepted: z.number().int(),
	/** Accepted rows whose values were all stored already. */
	rowsUnchanged: z.number().int(),
	rowsRejected: z.number().int(),
	/** Rows the filters left out. */
	rowsSkipped: z.number().int(),
	/** Cells marked missing (a stored value is removed) or suppressed (stored as withheld). */
	valuesMissing: z.number().int(),
	valuesSuppressed: z.number().int(),
	observationsCreated: z.number().int(),
	observationsUpdated: z.number().int(),
	/** Stored values of periods the delivery now marks missing: removed. */
	observationsRemoved: z.number().int(),
	kpisChanged: z.array(z.string()),
	/** The first errors, by line. */
	errors: z.array(FeedRunError),
	/** One German sentence: what happened. */
	summary: z.string(),
	/** A check for a preview: the first values as they would be stored. */
	preview: z.array(FeedPreviewValueV1).optional()
});
export type FeedRunReport = z.infer<typeof FeedRunReportV1>;

/** A run as listed with its feed: the report, where the file came from and who sent it. */
export const FeedRunRecordV1 = FeedRunReportV1.extend({
	origin: z.enum(['cli', 'upload', 'demo']),
	userName: z.string().nullable(),
	/** The definition's version the run read with (null for runs before versions were kept). */
	definitionVersion: z.number().int().nullable(),
	/** When a successful run was taken back (its values returned to before it), and by whom. */
	takenBackAt: z.string().nullable(),
	takenBackBy: z.string().nullable()
});
export type FeedRunRecord = z.infer<typeof FeedRunRecordV1>;

/**
 * How a feed is doing: `failing` when its last run failed, `overdue` when no successful
 * delivery came within its cadence and grace days, `never` before its first successful run,
 * `inactive` when it was retired (nothing is expected any more).
 */
export const FeedHealth = z.enum(['ok', 'failing', 'overdue', 'never', 'inactive']);
export type FeedHealth = z.infer<typeof FeedHealth>;

/** Another active feed that writes some of the same KPIs (a warning, not a refusal). */
export const FeedOverlapV1 = z.object({
	feedId: z.string(),
	title: z.string(),
	kpiIds: z.array(z.string())
});
export type FeedOverlap = z.infer<typeof FeedOverlapV1>;

export const FeedListItemV1 = z.object({
	id: z.string(),
	title: z.string(),
	description: z.string(),
	ownerDepartment: z.string(),
	ownerContact: z.string(),
	cadence: Cadence,
	graceDays: z.number().int(),
	format: z.enum(FEED_FORMATS),
	/** KPI ids the definition can write (fixed ones and lookup targets). */
	kpiIds: z.array(z.string()),
	health: FeedHealth,
	lastRun: FeedRunRecordV1.nullable(),
	lastSuccessAt: z.string().nullable(),
	/** ISO date by which the next delivery is expected (null before the first success). */
	nextDueOn: z.string().nullable(),
	/** A retired feed takes no uploads. */
	active: z.boolean(),
	/** The version of the stored definition. */
	version: z.number().int(),
	/** Whether a run still stands (then the feed can be retired, not deleted). */
	hasStandingRuns: z.boolean(),
	/** Other active feeds that write some of the same KPIs. */
	overlaps: z.array(FeedOverlapV1)
});
export type FeedListItem = z.infer<typeof FeedListItemV1>;

/** A saved version of a feed's definition, as JSON text for reading. */
export const FeedDefinitionVersionV1 = z.object({
	version: z.number().int(),
	savedAt: z.string(),
	savedBy: z.string().nullable(),
	definition: z.string()
});
export type FeedDefinitionVersion = z.infer<typeof FeedDefinitionVersionV1>;

/** The answer to a preview: German problems with the definition, or the check of the sample. */
export type FeedPreview =
	| { ok: false; problems: string[] }
	| {
			ok: true;
			report: FeedRunReport;
			/** A feed with this id is stored already (saving makes a new version of it). */
			exists: boolean;
			/** …and its definition is exactly this one. */
			unchanged: boolean;
			overlaps: FeedOverlap[];
			/** Titles of the KPIs the definition writes, and of every dimension, by id. */
			kpiTitles: Record<string, string>;
			dimensionTitles: Record<string, string>;
	  };

/** What taking a run back did. */
export const TakeBackReportV1 = z.object({
	/** Values the run had created, now gone. */
	removed: z.number().int(),
	/** Values the run had changed or removed, back as they were before it. */
	restored: z.number().int(),
	/** Values changed since by another run or an entry: left as they are. */
	keptNewer: z.number().int(),
	kpisChanged: z.array(z.string())
});
export type TakeBackReport = z.infer<typeof TakeBackReportV1>;

/** A problem's place as a definition writer reads it: `source.descriptor.resources[0].schema`. */
export function pathText(path: readonly PropertyKey[]): string {
	let text = '';
	for (const part of path) {
		if (typeof part === 'number') text += `[${part}]`;
		else text += text ? `.${String(part)}` : String(part);
	}
	return text;
}

export { germanIssue };

interface ZodLikeIssue {
	code?: string;
	path: PropertyKey[];
	message: string;
	errors?: ZodLikeIssue[][];
}

/**
 * The problems of a failed parse, one per issue. A union that failed in every form reports
 * the form that came closest (fewest problems), at the union's place: `{ "column": "Merkmal" }`
 * says that `lookup` is missing, not that neither form fits. A value of a kind none of the
 * forms takes gets the union's own message.
 */
export function definitionProblems(
	issues: readonly ZodLikeIssue[],
	prefix: (string | number)[] = []
): DefinitionProblem[] {
	return issues.flatMap((issue) => {
		const path = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
		const branches = issue.code === 'invalid_union' ? (issue.errors ?? []) : [];
		// Forms that each want another kind of value (an object or a path): the union says so.
		const kinds = new Set(
			branches.map((b) =>
				b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0
					? b[0]!.message
					: null
			)
		);
		if (branches.length && kinds.size > 1 && !kinds.has(null))
			return [{ path, message: issue.message }];
		if (branches.length) {
			const closest = branches.reduce((a, b) => (b.length < a.length ? b : a));
			return definitionProblems(closest, path);
		}
		return [{ path, message: issue.message }];
	});
}

/** `path: message`, as lists of definition problems show them. */
export const problemText = (problem: DefinitionProblem) =>
	`${pathText(problem.path) || 'Definition'}: ${problem.message}`;
