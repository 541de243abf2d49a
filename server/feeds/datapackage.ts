import { z } from 'zod';
import {
	definitionProblems,
	germanIssue,
	problemText,
	type DefinitionProblem,
	type FeedEncoding
} from '#shared/feeds';
import type { NumberStyle } from './dialect';
import { numberReader } from './dialect';
import { definitionError } from './mapping';
import {
	datePattern,
	datePeriodReader,
	formatReader,
	isDate,
	type DatePattern,
	type PeriodReader
} from './periods';

/**
 * The part of a Frictionless Data Package (v1, https://specs.frictionlessdata.io, and v2,
 * https://datapackage.org) a feed uses: one tabular CSV or TSV resource with its dialect,
 * encoding and Table Schema. Descriptors carry much more (licences, sources, keys); what KLAR
 * does not need is let through, what it would read differently from the publisher's intent is
 * refused.
 */

/** v2 also allows `{ "value": "-99", "label": "verweigert" }`; the value is what counts. */
const MissingValues = z.array(
	z.union([z.string(), z.looseObject({ value: z.string(), label: z.string().optional() })])
);
const missingTexts = (values: z.infer<typeof MissingValues>) =>
	values.map((v) => (typeof v === 'string' ? v : v.value));

const Field = z.looseObject({
	name: z.string().min(1),
	/** v1 reads a missing type as `string`, v2 as `any`: neither is checked. */
	type: z.string().optional(),
	format: z.string().optional(),
	decimalChar: z.string().length(1).optional(),
	groupChar: z.string().optional(),
	bareNumber: z.boolean().optional(),
	missingValues: MissingValues.optional(),
	constraints: z.looseObject({ required: z.boolean().optional() }).optional()
});
type Field = z.infer<typeof Field>;

const TableSchema = z.looseObject({
	fields: z.array(Field).min(1),
	missingValues: MissingValues.optional()
});

/** v1 "CSV Dialect" and v2 "Table Dialect". */
const Dialect = z.looseObject({
	delimiter: z.string().length(1).optional(),
	quoteChar: z.string().length(1).optional(),
	doubleQuote: z.boolean().optional(),
	header: z.boolean().optional(),
	headerRows: z.array(z.number().int()).optional(),
	headerJoin: z.string().optional(),
	skipInitialSpace: z.boolean().optional(),
	lineTerminator: z.string().optional(),
	commentChar: z.string().length(1).optional(),
	nullSequence: z.string().optional(),
	caseSensitiveHeader: z.boolean().optional(),
	csvddfVersion: z.union([z.number(), z.string()]).optional(),
	$schema: z.string().optional()
});
type Dialect = z.infer<typeof Dialect>;
const DIALECT_KEYS = new Set(Object.keys(Dialect.shape));

/** Dialect properties of the spec that the reader cannot honour, with the German reason. */
const REFUSED_DIALECT: Record<string, string> = {
	escapeChar:
		'Ein Fluchtzeichen (escapeChar) liest KLAR nicht; Anführungszeichen in Feldern bitte verdoppeln (doubleQuote).',
	commentRows:
		'Kommentarzeilen nach Nummer (commentRows) liest KLAR nicht; bitte commentChar verwenden.'
};

const Resource = z.looseObject({
	name: z.string().optional(),
	path: z.union([z.string(), z.array(z.string())]).optional(),
	format: z.string().optional(),
	mediatype: z.string().optional(),
	encoding: z.string().optional(),
	dialect: z.union([Dialect, z.string()]).optional(),
	schema: z.union([TableSchema, z.string()], {
		error: 'Bitte das Table Schema als Objekt oder als Pfad zu einer JSON-Datei angeben.'
	})
});

const Descriptor = z.looseObject({
	resources: z.array(z.looseObject({ name: z.string().optional() })).min(1)
});

const ENCODINGS: Record<string, FeedEncoding> = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	// ASCII is a subset of UTF-8.
	ascii: 'utf-8',
	'us-ascii': 'utf-8',
	'windows-1252': 'windows-1252',
	cp1252: 'windows-1252',
	'iso-8859-1': 'iso-8859-1',
	latin1: 'iso-8859-1'
};

const DESCRIPTOR: (string | number)[] = ['source', 'descriptor'];

export interface TabularResource {
	format: 'csv' | 'tsv';
	delimiter: string;
	/** '' when the file has no quoting (TSV as IANA registers it). */
	quote: string;
	header: boolean;
	/** Whitespace after a delimiter is dropped (`skipInitialSpace`). */
	trimStart: boolean;
	/** Lines that start with it are comments (`commentChar`). */
	commentChar: string | undefined;
	encoding: FeedEncoding;
	fields: Field[];
	/** The number style of a numeric field (defaults: "." and no grouping, as the spec says). */
	numberStyle(column: string): NumberStyle;
	/** Texts that mean "no value" in a column: the field's list, else the schema's. */
	missingValues(column: string): readonly string[];
	/** How a date column is read as a period, or the German reason it cannot be. */
	periodReader(column: string): PeriodReader | { error: string };
	/** Checks one row's cells against the Table Schema; returns the German reason or null. */
	check(
		header: readonly string[]
	): (cells: readonly unknown[]) => { column: string; message: string } | null;
}

/**
 * The resource a definition imports: the one named by `source.resource`, or the only one.
 * Its position is where its schema and dialect are inlined.
 */
export function selectResource(
	descriptor: unknown,
	name: string | undefined
): { index: number; resource: Record<string, unknown> } | { problems: DefinitionProblem[] } {
	const parsed = Descriptor.safeParse(descriptor, { error: germanIssue });
	if (!parsed.success) return { problems: definitionProblems(parsed.error.issues, DESCRIPTOR) };
	const { resources } = parsed.data;
	const names = resources.map((r, i) => (r.name ? `„${r.name}“` : `Nr. ${i + 1} ohne Namen`));
	if (name === undefined) {
		if (resources.length === 1) return { index: 0, resource: resources[0]! };
		return {
			problems: [
				{
					path: ['source', 'resource'],
					message: `Das Data Package hat ${resources.length} Ressourcen (${names.join(', ')}); bitte mit „resource“ eine davon nennen.`
				}
			]
		};
	}
	const index = resources.findIndex((r) => r.name === name);
	if (index < 0) {
		return {
			problems: [
				{
					path: ['source', 'resource'],
					message: `Das Data Package hat keine Ressource „${name}“. Vorhanden: ${names.join(', ')}.`
				}
			]
		};
	}
	return { index, resource: resources[index]! };
}

/** The resource a feed reads, or every problem of its description (German, with its path). */
export function readResource(
	descriptor: unknown,
	name: string | undefined
): { resource: TabularResource } | { problems: DefinitionProblem[] } {
	const selected = selectResource(descriptor, name);
	if ('problems' in selected) return selected;
	const at = [...DESCRIPTOR, 'resources', selected.index];
	const parsed = Resource.safeParse(selected.resource, { error: germanIssue });
	if (!parsed.success) return { problems: definitionProblems(parsed.error.issues, at) };
	const resource = parsed.data;
	const problems: DefinitionProblem[] = [];
	const problem = (path: (string | number)[], message: string) =>
		problems.push({ path: [...at, ...path], message });

	const format = tableFormat(resource);
	if (typeof format !== 'string') problem([format.field], format.error);

	const encoding = ENCODINGS[(resource.encoding ?? 'utf-8').toLowerCase()];
	if (!encoding) {
		problem(
			['encoding'],
			`Die Zeichenkodierung „${resource.encoding}“ wird nicht unterstützt (UTF-8, Windows-1252, ISO-8859-1).`
		);
	}

	// Paths are read when the definition is loaded; one left here was never resolved.
	if (typeof resource.schema === 'string') {
		problem(['schema'], unresolved('Das Table Schema', resource.schema));
	}
	if (typeof resource.dialect === 'string') {
		problem(['dialect'], unresolved('Der Dialekt', resource.dialect));
	}
	const dialect = typeof resource.dialect === 'object' ? resource.dialect : {};
	for (const [key, message] of dialectProblems(dialect)) problem(['dialect', key], message);

	const schema = typeof resource.schema === 'object' ? resource.schema : null;
	const fields = schema?.fields ?? [];
	const dates = new Map<string, Extract<DatePattern, { read: unknown }>>();
	fields.forEach((field, i) => {
		if (field.type !== 'date' && field.type !== 'datetime') return;
		const pattern = datePattern(field.type, field.format);
		if ('error' in pattern) problem(['schema', 'fields', i, 'format'], pattern.error);
		else dates.set(field.name, pattern);
	});
	if (problems.length || typeof format !== 'string' || !encoding || !schema) return { problems };

	const tsv = format === 'tsv';
	const schemaMissing = missingTexts(schema.missingValues ?? ['']);
	const extraMissing = dialect.nullSequence === undefined ? [] : [dialect.nullSequence];
	const fieldOf = (column: string) => fields.find((f) => f.name === column);
	const missingOf = (field: Field | undefined) => [
		...(field?.missingValues ? missingTexts(field.missingValues) : schemaMissing),
		...extraMissing
	];
	const styleOf = (field: Field | undefined): NumberStyle => ({
		// An integer has no decimal point: with "." grouping its thousands, "1.204" is 1204.
		decimal: field?.decimalChar === ',' || field?.groupChar === '.' ? ',' : '.',
		thousands: (['.', ',', ' ', "'"] as const).find((c) => c === field?.groupChar) ?? '',
		bare: field?.bareNumber !== false
	});

	return {
		resource: {
			format,
			delimiter: dialect.delimiter ?? (tsv ? '\t' : ','),
			// IANA's text/tab-separated-values has no quoting: a `"` in a TSV cell is text, unless
			// the publisher's dialect names a quote character.
			quote: dialect.quoteChar ?? (tsv ? '' : '"'),
			header: dialect.header ?? (dialect.headerRows ? dialect.headerRows.length > 0 : true),
			trimStart: dialect.skipInitialSpace ?? false,
			commentChar: dialect.commentChar,
			encoding,
			fields,
			numberStyle: (column) => styleOf(fieldOf(column)),
			missingValues: (column) => missingOf(fieldOf(column)),
			periodReader(column) {
				const field = fieldOf(column);
				if (!field) {
					return {
						error: `Das Table Schema beschreibt die Spalte „${column}“ nicht; bitte mapping.period.format angeben.`
					};
				}
				const date = dates.get(column);
				if (date) return datePeriodReader(date, field.format ?? 'default');
				if (field.type === 'year') return formatReader('YYYY');
				if (field.type === 'yearmonth') return formatReader('YYYY-MM');
				return {
					error: `Die Spalte „${column}“ hat im Table Schema den Typ „${field.type ?? 'string'}“, kein Datum; bitte mapping.period.format angeben (z. B. YYYY).`
				};
			},
			check(header) {
				const checks = fields.map((field) => ({
					field,
					index: header.indexOf(field.name),
					missing: new Set(missingOf(field)),
					valid: validatorOf(field, styleOf(field), dates.get(field.name))
				}));
				return (cells) => {
					for (const { field, index, missing, valid } of checks) {
						const raw = cells[index] === undefined ? '' : String(cells[index]).trim();
						if (missing.has(raw)) {
							if (field.constraints?.required) {
								return { column: field.name, message: `Die Spalte „${field.name}“ ist Pflicht.` };
							}
							continue;
						}
						if (!valid(raw)) {
							return {
								column: field.name,
								message: `„${raw}“ in Spalte „${field.name}“ passt nicht zum Typ ${field.type}${field.format ? ` (${field.format})` : ''} des Table Schema.`
							};
						}
					}
					return null;
				};
			}
		}
	};
}

/** `readResource` for a run: a problem left at run time fails it (definitions are checked on loading). */
export function tabularResource(descriptor: unknown, name?: string): TabularResource {
	const read = readResource(descriptor, name);
	if ('resource' in read) return read.resource;
	const text = read.problems.map(problemText).join(' ');
	throw definitionError(text, `Invalid data package descriptor: ${text}`);
}

const unresolved = (what: string, path: string) =>
	`${what} ist als Pfad angegeben („${path}“); die Definition muss aus ihrer Datei geladen werden, damit KLAR ihn liest.`;

/** The table format: `format`, else the media type, else the path's extension. */
function tableFormat(
	resource: z.infer<typeof Resource>
): 'csv' | 'tsv' | { field: string; error: string } {
	const format = resource.format?.toLowerCase();
	if (format) {
		if (format === 'csv' || format === 'tsv') return format;
		return {
			field: 'format',
			error: `Die Ressource hat das Format „${resource.format}“; gelesen werden CSV und TSV.`
		};
	}
	const media = resource.mediatype?.toLowerCase().split(';')[0]?.trim();
	if (media) {
		if (media === 'text/csv') return 'csv';
		if (media === 'text/tab-separated-values') return 'tsv';
		return {
			field: 'mediatype',
			error: `Die Ressource hat den Medientyp „${resource.mediatype}“; gelesen werden text/csv und text/tab-separated-values.`
		};
	}
	const path = Array.isArray(resource.path) ? resource.path[0] : resource.path;
	const extension = path?.match(/\.([A-Za-z0-9]+)$/)?.[1]?.toLowerCase();
	if (extension === 'tsv' || extension === 'tab') return 'tsv';
	if (!extension || extension === 'csv' || extension === 'txt') return 'csv';
	return {
		field: 'path',
		error: `Die Datei der Ressource endet auf „.${extension}“; gelesen werden CSV und TSV.`
	};
}

/** What of a dialect the reader cannot honour, by property. */
function dialectProblems(dialect: Dialect): [string, string][] {
	const problems: [string, string][] = [];
	for (const key of Object.keys(dialect)) {
		if (REFUSED_DIALECT[key]) problems.push([key, REFUSED_DIALECT[key]]);
		else if (!DIALECT_KEYS.has(key)) {
			problems.push([
				key,
				`Die Angabe „${key}“ gehört nicht zu einem CSV-Dialekt, den KLAR liest (delimiter, quoteChar, doubleQuote, header, skipInitialSpace, lineTerminator, commentChar, nullSequence).`
			]);
		}
	}
	if (dialect.headerRows && dialect.headerRows.length > 0 && dialect.headerRows.join() !== '1') {
		problems.push([
			'headerRows',
			'Mehrzeilige oder verschobene Kopfzeilen (headerRows) liest KLAR nicht; die Kopfzeile muss die erste Zeile sein ([1]).'
		]);
	}
	if (
		dialect.header !== undefined &&
		dialect.headerRows !== undefined &&
		dialect.header !== dialect.headerRows.length > 0
	) {
		problems.push(['headerRows', 'header und headerRows widersprechen sich.']);
	}
	if (dialect.lineTerminator !== undefined && !['\n', '\r\n'].includes(dialect.lineTerminator)) {
		problems.push([
			'lineTerminator',
			`Das Zeilenende ${JSON.stringify(dialect.lineTerminator)} liest KLAR nicht; gelesen werden "\\n" und "\\r\\n".`
		]);
	}
	if (dialect.delimiter !== undefined && dialect.delimiter === dialect.quoteChar) {
		problems.push(['quoteChar', 'Trennzeichen und Anführungszeichen dürfen nicht gleich sein.']);
	}
	if (
		dialect.commentChar !== undefined &&
		(dialect.commentChar === dialect.delimiter || dialect.commentChar === dialect.quoteChar)
	) {
		problems.push([
			'commentChar',
			'Das Kommentarzeichen darf nicht das Trenn- oder Anführungszeichen sein.'
		]);
	}
	return problems;
}

function validatorOf(
	field: Field,
	style: NumberStyle,
	date: Extract<DatePattern, { read: unknown }> | undefined
): (raw: string) => boolean {
	switch (field.type) {
		case 'number': {
			const read = numberReader(style);
			return (raw) => read(raw) !== null || /^(NaN|INF|-INF)$/i.test(raw);
		}
		case 'integer': {
			const read = numberReader(style);
			return (raw) => {
				const value = read(raw);
				return value !== null && Number.isInteger(value);
			};
		}
		case 'year':
			return (raw) => /^\d{4}$/.test(raw);
		case 'yearmonth':
			return (raw) => /^\d{4}-(0[1-9]|1[0-2])$/.test(raw);
		case 'date':
		case 'datetime':
			return (raw) => date !== undefined && isDate(date, raw);
		case 'boolean':
			return (raw) => /^(true|false|True|False|TRUE|FALSE|1|0)$/.test(raw);
		default:
			return () => true;
	}
}
