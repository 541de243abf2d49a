import type { Cadence } from '#shared/kpi';
import type { FeedDefinition, FeedRunError, KpiMapping, RowFilter } from '#shared/feeds';
import { numberReader, type NumberStyle } from './dialect';
import { formatReader, type PeriodReader, type PeriodReading } from './periods';

/** What the mapping needs to know of a KPI. */
export interface MappedKpi {
	id: string;
	title: string;
	cadence: Cadence;
	dimensions: readonly string[];
	/** Computed from other KPIs: a value written to it would never be read. */
	derived: boolean;
	/** A retired KPI takes no new values. */
	active: boolean;
}

/** The catalogue and reference lists a definition is checked against. */
export interface MappingContext {
	kpis: ReadonlyMap<string, MappedKpi>;
	/** Known members of reference-list dimensions (district, facility): others are refused. */
	members: ReadonlyMap<string, ReadonlySet<string>>;
}

/** A problem with the whole run (wrong definition, wrong file); nothing is imported. */
export class FeedFailure extends Error {
	constructor(
		readonly error: FeedRunError,
		developerMessage: string
	) {
		super(developerMessage);
	}
}

/**
 * One value of a row: a number, `null` when the source withholds it (suppressed), `undefined`
 * when the source marks it missing (a value stored for that cell is removed).
 */
export type Emit = (
	kpiId: string,
	period: string,
	dimensionKey: string,
	value: number | null | undefined
) => void;

/** Per row: 'ok' (values emitted, possibly none), 'skipped' by a filter, or the row's error. */
export type RowOutcome = 'ok' | 'skipped' | FeedRunError;

export interface CompiledMapping {
	/** Column names the mapping reads. */
	columns: string[];
	/** Binds the mapping to the columns of the file; call once the header is known. */
	bind(
		header: readonly string[]
	): (line: number, cells: readonly unknown[], emit: Emit) => RowOutcome;
	/** Cells marked missing and suppressed so far. */
	counts: { missing: number; suppressed: number };
}

/** What the mapping learns from the source about its columns. */
export interface SourceConventions {
	numberStyle(column: string): NumberStyle;
	/** Texts the source itself declares "no value" in a column (a Table Schema's missingValues). */
	missingValues?(column: string): readonly string[];
	/** How the period is read when the definition names no format (a Table Schema, GENESIS). */
	periodReader?: PeriodReader;
}

/**
 * The cell a GENESIS file's reader fills with the attribute code of a variable, wherever the
 * row has it; messages name it so.
 */
export const variableColumn = (code: string) => `Merkmal ${code}`;
/** The cell a GENESIS file's reader fills with the row's period (from `time` and `time_code`). */
export const PERIOD_COLUMN = 'Zeitraum';

/** The column a mapping entry reads: a file column, or the cell of a GENESIS variable. */
export const columnOf = (ref: { column?: string; variable?: string }) =>
	ref.column ?? variableColumn(ref.variable ?? '');

/** KPI ids a definition can write. */
export function kpiIdsOf(definition: FeedDefinition): string[] {
	const ids = definition.mapping.values.flatMap(({ kpi }) =>
		'fixed' in kpi ? [kpi.fixed] : Object.values(kpi.lookup)
	);
	return [...new Set(ids)].sort();
}

/**
 * Checks the definition against the catalogue (every KPI it names exists, its dimensions are
 * mapped) and compiles it into a row function. Pure apart from the counters it keeps.
 */
export function compileMapping(
	definition: FeedDefinition,
	context: MappingContext,
	conventions: SourceConventions
): CompiledMapping {
	const { mapping, markers } = definition;
	const periodColumn = mapping.period?.column ?? PERIOD_COLUMN;
	const periodFormat = mapping.period?.format;
	const periodReader = periodFormat ? formatReader(periodFormat) : conventions.periodReader;
	if (!periodReader) {
		throw definitionError(
			'Die Definition sagt nicht, in welchem Format der Zeitraum steht (mapping.period.format).',
			'No period format and none from the source'
		);
	}
	for (const id of kpiIdsOf(definition)) {
		const kpi = context.kpis.get(id);
		if (!kpi) {
			throw definitionError(
				`Die Definition nennt die Kennzahl „${id}“, die es im Katalog nicht gibt.`,
				`Definition names unknown KPI ${id}`
			);
		}
		if (!kpi.active) {
			throw definitionError(
				`Die Kennzahl „${kpi.title}“ (${id}) ist stillgelegt und nimmt keine Werte an. Bitte sie erst wieder aufnehmen (Verwaltung → Kennzahlen).`,
				`KPI ${id} is retired`
			);
		}
		if (kpi.derived) {
			throw definitionError(
				`Die Kennzahl „${kpi.title}“ (${id}) wird aus anderen Kennzahlen berechnet; eine Lieferung kann sie nicht füllen. Bitte ihre Ausgangskennzahlen liefern.`,
				`KPI ${id} is derived and cannot be a feed target`
			);
		}
		const unmapped = kpi.dimensions.filter((d) => !(d in mapping.dimensions));
		if (unmapped.length) {
			throw definitionError(
				`Die Kennzahl „${id}“ ist nach ${unmapped.join(', ')} gegliedert, die Definition ordnet dafür keine Spalte zu.`,
				`KPI ${id} has dimensions ${unmapped.join(', ')} without a mapped column`
			);
		}
	}
	const columns = [
		...new Set([
			periodColumn,
			...Object.values(mapping.dimensions).map(columnOf),
			...mapping.values.flatMap((v) => ('column' in v.kpi ? [v.column, v.kpi.column] : [v.column])),
			...mapping.filters.map(columnOf)
		])
	];
	const suppressedMarkers = new Set(markers.suppressed.map((m) => m.trim().toLowerCase()));
	// The source's own missing values join the definition's, unless the definition calls that
	// text suppressed: it knows which of the publisher's "no value" signs mean "withheld".
	const missingMarkersOf = (column: string) =>
		new Set([
			...markers.missing.map((m) => m.trim()),
			...(conventions.missingValues?.(column) ?? [])
				.map((m) => m.trim())
				.filter((m) => !suppressedMarkers.has(m.toLowerCase()))
		]);
	const counts = { missing: 0, suppressed: 0 };

	return {
		columns,
		counts,
		bind(header) {
			const indexOf = (column: string) => header.indexOf(column);
			const text = (cells: readonly unknown[], index: number) => {
				const cell = cells[index];
				if (typeof cell === 'string') return cell.trim();
				return cell === undefined || cell === null ? '' : String(cell).trim();
			};
			const filters = mapping.filters.map((f) => bindFilter(f, indexOf(columnOf(f))));
			const period = { index: indexOf(periodColumn), column: periodColumn };
			const dimensions = Object.entries(mapping.dimensions)
				.map(([name, d]) => ({
					name,
					column: columnOf(d),
					index: indexOf(columnOf(d)),
					lookup: d.lookup ? new Map(Object.entries(d.lookup)) : null,
					total: new Set(d.total.map((t) => t.trim())),
					known: context.members.get(name) ?? null,
					/** `name=member` per member: rows repeat their members. */
					parts: new Map<string, string>()
				}))
				.sort((a, b) => (a.name < b.name ? -1 : 1));
			const values = mapping.values.map((v) => ({
				column: v.column,
				index: indexOf(v.column),
				scale: v.scale,
				kpi: bindKpi(v.kpi, indexOf, context),
				read: numberReader(conventions.numberStyle(v.column)),
				missingMarkers: missingMarkersOf(v.column)
			}));
			// Files repeat their periods on every row: each is read once per cadence.
			const periodCache = new Map<Cadence, Map<string, PeriodReading>>();
			const members: string[] = [];
			const names: string[] = [];

			return (line, cells, emit) => {
				for (const filter of filters) if (!filter(text(cells, filter.index))) return 'skipped';

				names.length = 0;
				members.length = 0;
				for (const d of dimensions) {
					const raw = text(cells, d.index);
					if (d.total.has(raw)) continue;
					const member = d.lookup ? d.lookup.get(raw) : raw;
					if (member === undefined || member === '' || (d.known && !d.known.has(member))) {
						return rowError(
							line,
							d.column,
							'unknown_member',
							raw === ''
								? `Die Spalte „${d.column}“ ist leer.`
								: member && member !== raw
									? `„${raw}“ in Spalte „${d.column}“ verweist auf „${member}“, das es in der Stammliste nicht gibt.`
									: `„${raw}“ in Spalte „${d.column}“ ist nicht bekannt.`
						);
					}
					names.push(d.name);
					let part = d.parts.get(member);
					if (part === undefined) {
						part = `${d.name}=${member}`;
						if (d.parts.size < 100_000) d.parts.set(member, part);
					}
					members.push(part);
				}
				const dimensionKey = members.length === 1 ? members[0]! : members.join('&');
				const periodText = text(cells, period.index);

				for (const v of values) {
					const kpi = v.kpi(cells, text);
					if (typeof kpi === 'string') {
						return rowError(line, v.column, 'unknown_kpi', kpi);
					}
					if (!sameDimensions(kpi.dimensions, names)) {
						return rowError(
							line,
							v.column,
							'unknown_member',
							kpi.dimensions.length
								? `Für „${kpi.id}“ fehlt die Gliederung nach ${kpi.dimensions.join(', ')}.`
								: `„${kpi.id}“ hat keine Gliederung nach ${names.join(', ')}; die Zeile muss die Gesamtsumme sein.`
						);
					}
					let cache = periodCache.get(kpi.cadence);
					if (!cache) periodCache.set(kpi.cadence, (cache = new Map()));
					let reading = cache.get(periodText);
					if (!reading) {
						reading = periodReader(periodText, kpi.cadence);
						if (cache.size < 10_000) cache.set(periodText, reading);
					}
					if ('error' in reading) return rowError(line, period.column, 'bad_period', reading.error);

					const cell = cells[v.index];
					let value: number | null;
					if (typeof cell === 'number') {
						value = cell;
					} else {
						const raw = text(cells, v.index);
						if (v.missingMarkers.has(raw)) {
							counts.missing++;
							emit(kpi.id, reading.period, dimensionKey, undefined);
							continue;
						}
						if (suppressedMarkers.has(raw.toLowerCase())) {
							counts.suppressed++;
							value = null;
						} else {
							value = v.read(raw);
							if (value === null) {
								return rowError(
									line,
									v.column,
									'not_a_number',
									`„${raw}“ in Spalte „${v.column}“ ist keine Zahl.`
								);
							}
						}
					}
					if (value !== null && v.scale !== 1) value = roundScaled(value * v.scale);
					emit(kpi.id, reading.period, dimensionKey, value);
				}
				return 'ok';
			};
		}
	};
}

/** 0.1 × 3 is 0.30000000000000004: scaled values are rounded to 10 significant decimals. */
const roundScaled = (value: number) => Math.round(value * 1e10) / 1e10;

function sameDimensions(expected: readonly string[], given: readonly string[]) {
	if (expected.length !== given.length) return false;
	return expected.every((d) => given.includes(d));
}

function bindFilter(filter: RowFilter, index: number) {
	const { equals, oneOf = [] } = filter;
	const accept =
		equals !== undefined
			? (value: string) => value === equals.trim()
			: (
					(set: Set<string>) => (value: string) =>
						set.has(value)
				)(new Set(oneOf.map((v) => v.trim())));
	return Object.assign(accept, { index });
}

function bindKpi(
	mapping: KpiMapping,
	indexOf: (column: string) => number,
	context: MappingContext
): (
	cells: readonly unknown[],
	text: (cells: readonly unknown[], i: number) => string
) => MappedKpi | string {
	if ('fixed' in mapping) {
		const kpi = context.kpis.get(mapping.fixed)!;
		return () => kpi;
	}
	const index = indexOf(mapping.column);
	const lookup = new Map(
		Object.entries(mapping.lookup).map(([key, id]) => [key.trim(), context.kpis.get(id)!])
	);
	return (cells, text) => {
		const raw = text(cells, index);
		return (
			lookup.get(raw) ?? `„${raw}“ in Spalte „${mapping.column}“ ist keiner Kennzahl zugeordnet.`
		);
	};
}

export function rowError(
	line: number,
	column: string | null,
	code: FeedRunError['code'],
	message: string
): FeedRunError {
	return { line, column, code, message };
}

export function definitionError(message: string, developerMessage: string) {
	return new FeedFailure(
		{ line: null, column: null, code: 'definition', message },
		developerMessage
	);
}
