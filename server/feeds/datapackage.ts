import { z } from 'zod';
import type { FeedEncoding } from '#shared/feeds';
import type { NumberStyle } from './dialect';
import { numberReader } from './dialect';
import { definitionError } from './mapping';

/**
 * The part of a Frictionless Data Package (https://specs.frictionlessdata.io) a feed uses: a
 * tabular CSV resource with its dialect, encoding and Table Schema.
 */
const Field = z.object({
	name: z.string().min(1),
	type: z
		.enum(['string', 'number', 'integer', 'year', 'yearmonth', 'date', 'boolean', 'any'])
		.default('string'),
	format: z.string().optional(),
	decimalChar: z.string().length(1).optional(),
	groupChar: z.string().optional(),
	constraints: z.object({ required: z.boolean().optional() }).optional()
});
type Field = z.infer<typeof Field>;

const Resource = z.object({
	name: z.string().optional(),
	path: z.union([z.string(), z.array(z.string())]).optional(),
	format: z.string().optional(),
	encoding: z.string().optional(),
	dialect: z
		.object({
			delimiter: z.string().length(1).optional(),
			quoteChar: z.string().length(1).optional(),
			header: z.boolean().optional()
		})
		.optional(),
	schema: z.object({
		fields: z.array(Field).min(1),
		missingValues: z.array(z.string()).optional()
	})
});

const Descriptor = z.object({ name: z.string().optional(), resources: z.array(Resource).min(1) });

const ENCODINGS: Record<string, FeedEncoding> = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	'windows-1252': 'windows-1252',
	cp1252: 'windows-1252',
	'iso-8859-1': 'iso-8859-1',
	latin1: 'iso-8859-1'
};

export interface TabularResource {
	delimiter: string;
	quote: string;
	header: boolean;
	encoding: FeedEncoding;
	fields: Field[];
	missingValues: string[];
	/** The number style of a numeric field (defaults: "." and no grouping, as the spec says). */
	numberStyle(column: string): NumberStyle;
	/** Checks one row's cells against the Table Schema; returns the German reason or null. */
	check(
		header: readonly string[]
	): (cells: readonly unknown[]) => { column: string; message: string } | null;
}

export function tabularResource(descriptor: unknown, name?: string): TabularResource {
	const parsed = Descriptor.safeParse(descriptor);
	if (!parsed.success) {
		throw definitionError(
			`Der Data-Package-Deskriptor ist ungültig: ${parsed.error.issues[0]?.path.join('.')} – ${parsed.error.issues[0]?.message}`,
			`Invalid data package descriptor: ${parsed.error.message}`
		);
	}
	const resource = name
		? parsed.data.resources.find((r) => r.name === name)
		: parsed.data.resources[0];
	if (!resource) {
		throw definitionError(
			`Das Data Package hat keine Ressource „${name}“.`,
			`Data package has no resource ${name}`
		);
	}
	if (resource.format && resource.format.toLowerCase() !== 'csv') {
		throw definitionError(
			`Die Ressource hat das Format „${resource.format}“; gelesen wird CSV.`,
			`Resource format ${resource.format} is not csv`
		);
	}
	const encoding = ENCODINGS[(resource.encoding ?? 'utf-8').toLowerCase()];
	if (!encoding) {
		throw definitionError(
			`Die Zeichenkodierung „${resource.encoding}“ wird nicht unterstützt (UTF-8, Windows-1252, ISO-8859-1).`,
			`Unsupported encoding ${resource.encoding}`
		);
	}
	const fields = resource.schema.fields;
	const missingValues = resource.schema.missingValues ?? [''];
	const styleOf = (field: Field | undefined): NumberStyle => ({
		decimal: field?.decimalChar === ',' ? ',' : '.',
		thousands: (['.', ',', ' ', "'"] as const).find((c) => c === field?.groupChar) ?? ''
	});
	return {
		delimiter: resource.dialect?.delimiter ?? ',',
		quote: resource.dialect?.quoteChar ?? '"',
		header: resource.dialect?.header ?? true,
		encoding,
		fields,
		missingValues,
		numberStyle: (column) => styleOf(fields.find((f) => f.name === column)),
		check(header) {
			const missing = new Set(missingValues);
			const checks = fields.map((field) => ({
				field,
				index: header.indexOf(field.name),
				valid: validatorOf(field, styleOf(field))
			}));
			return (cells) => {
				for (const { field, index, valid } of checks) {
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
							message: `„${raw}“ in Spalte „${field.name}“ passt nicht zum Typ ${field.type} des Table Schema.`
						};
					}
				}
				return null;
			};
		}
	};
}

function validatorOf(field: Field, style: NumberStyle): (raw: string) => boolean {
	switch (field.type) {
		case 'number': {
			const read = numberReader(style);
			return (raw) => read(raw) !== null || /^(NaN|INF|-INF)$/.test(raw);
		}
		case 'integer': {
			const read = numberReader({ ...style, decimal: style.decimal });
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
			return (raw) =>
				field.format && field.format !== 'default'
					? raw.length > 0
					: /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw));
		case 'boolean':
			return (raw) => /^(true|false|True|False|TRUE|FALSE|1|0)$/.test(raw);
		default:
			return () => true;
	}
}
