import { z } from 'zod';
import { Cadence, Direction, KpiSourceKind, NumberFormat, Thresholds, Visibility } from './kpi';
import { safeText } from './text';
import { AreaId } from './areas';

/**
 * The catalogue as data: areas, dimensions and KPIs with how each is computed (formula), shown
 * (view) and compared (comparison basis). Central controlling keeps it in the app or as a
 * catalogue file (`npm run catalogue -- apply`); the demo city is one such file. The shapes and
 * the German rules here are shared by the file, the admin form, the server and the phone.
 */

const SLUG = /^[a-z][a-z0-9_-]{0,39}$/;
/** A KPI id: lowercase letters, digits, `_` and `-`, in parts joined by dots (`asyl.belegung`). */
const KPI_ID = /^[a-z][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$/;
const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$/;

export const AreaIdV1 = AreaId;

/** The address segment of the form for a new KPI, never a KPI's id. */
export const NEW_KPI_SEGMENT = 'neu';

export const KpiIdV1 = z
	.string({ error: 'Bitte eine Kennung angeben.' })
	.min(1, 'Bitte eine Kennung angeben.')
	.min(3, 'Die Kennung ist zu kurz (mindestens 3 Zeichen).')
	.max(64, 'Die Kennung ist zu lang (höchstens 64 Zeichen).')
	.regex(
		KPI_ID,
		'Die Kennung besteht aus Kleinbuchstaben, Ziffern, - und _, in Teilen mit Punkten verbunden (z. B. „ges.rettungseinsaetze“).'
	)
	// `/verwaltung/kennzahlen/neu` is the form for a new KPI.
	.refine(
		(id) => id !== NEW_KPI_SEGMENT,
		'Die Kennung „neu“ ist vergeben; bitte eine andere wählen.'
	);

export const DimensionIdV1 = z
	.string({ error: 'Bitte eine Kennung angeben.' })
	.regex(SLUG, 'Die Kennung besteht aus Kleinbuchstaben, Ziffern, - und _ (z. B. „ortsbezirk“).');

/** EU data themes (publications.europa.eu/resource/authority/data-theme) for open data. */
export const OPEN_DATA_THEMES = {
	AGRI: 'Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel',
	ECON: 'Wirtschaft und Finanzen',
	EDUC: 'Bildung, Kultur und Sport',
	ENER: 'Energie',
	ENVI: 'Umwelt',
	GOVE: 'Regierung und öffentlicher Sektor',
	HEAL: 'Gesundheit',
	INTR: 'Internationale Themen',
	JUST: 'Justiz, Rechtssystem und öffentliche Sicherheit',
	REGI: 'Regionen und Städte',
	SOCI: 'Bevölkerung und Gesellschaft',
	TECH: 'Wissenschaft und Technologie',
	TRAN: 'Verkehr'
} as const;
export const OpenDataTheme = z.enum(
	Object.keys(OPEN_DATA_THEMES) as [keyof typeof OPEN_DATA_THEMES],
	{
		error: 'Bitte ein Thema der EU-Themenliste wählen (z. B. SOCI, HEAL, ECON).'
	}
);

const title = (what: string, max: number) =>
	safeText({ error: `Bitte ${what} angeben.` })
		.trim()
		.min(1, `Bitte ${what} angeben.`)
		.max(max, `${what[0]!.toUpperCase()}${what.slice(1)} darf höchstens ${max} Zeichen haben.`);

const longText = (max: number) =>
	safeText({ multiline: true }).max(max, `Der Text darf höchstens ${max} Zeichen haben.`);

/** An information area ("Bereich"). */
export const AreaV1 = z.object({
	id: AreaIdV1,
	title: title('den Titel', 60),
	description: longText(600).default(''),
	sortOrder: z.number({ error: 'Bitte eine Zahl angeben.' }).int('Bitte eine ganze Zahl angeben.'),
	/** The EU data theme of the area's open data (DCAT-AP `dcat:theme`). */
	openDataTheme: OpenDataTheme.nullable().default(null)
});
export type Area = z.infer<typeof AreaV1>;

/**
 * Where a dimension's members come from: a fixed `list` in the catalogue (origin groups, budget
 * areas), a reference list kept on `/verwaltung/listen` (`districts`, `facilities`), or `open`
 * (any member a delivery names, shown by its id).
 */
export const DimensionSource = z.enum(['list', 'districts', 'facilities', 'open'], {
	error: 'Bitte list, districts, facilities oder open angeben.'
});
export type DimensionSource = z.infer<typeof DimensionSource>;

export const DimensionMemberV1 = z.object({
	id: z
		.string({ error: 'Bitte eine Kennung angeben.' })
		.regex(MEMBER_ID, 'Die Kennung eines Merkmals besteht aus Buchstaben, Ziffern und _ . + -.'),
	label: title('die Bezeichnung', 80)
});

/** A breakdown of KPIs (by district, facility, origin group …) with its members' labels. */
export const DimensionV1 = z
	.object({
		id: DimensionIdV1,
		title: title('den Titel', 60),
		source: DimensionSource,
		/** Only for `list`: the members in the order lists show them. */
		members: z.array(DimensionMemberV1).max(500).default([])
	})
	.superRefine((dimension, context) => {
		if (dimension.source === 'list' && dimension.members.length === 0) {
			context.addIssue({
				code: 'custom',
				path: ['members'],
				message: 'Eine feste Liste braucht mindestens ein Merkmal.'
			});
		}
		if (dimension.source !== 'list' && dimension.members.length > 0) {
			context.addIssue({
				code: 'custom',
				path: ['members'],
				message: 'Merkmale stehen nur bei einer festen Liste (source „list“).'
			});
		}
		const seen = new Set<string>();
		dimension.members.forEach((member, i) => {
			if (seen.has(member.id)) {
				context.addIssue({
					code: 'custom',
					path: ['members', i, 'id'],
					message: `Das Merkmal „${member.id}“ steht doppelt in der Liste.`
				});
			}
			seen.add(member.id);
		});
	});
export type Dimension = z.infer<typeof DimensionV1>;

/** How a KPI's observations add up over a period (base KPIs). */
export const ACCUMULATIONS = {
	flow: 'Summe je Zeitraum (z. B. Zugänge je Woche)',
	stock: 'Bestand (letzter Wert je Merkmal gilt weiter)',
	ytd: 'seit Jahresbeginn aufsummiert (Haushalt)'
} as const;
export type Accumulation = keyof typeof ACCUMULATIONS;

/** The closed list of formulas of derived KPIs. */
export const DERIVED_FORMULAS = {
	sum: 'Summe',
	difference: 'Differenz',
	ratio: 'Verhältnis',
	share: 'Anteil in %',
	per_1000: 'je 1.000',
	per_100000: 'je 100.000',
	change: 'Veränderung zum Vorzeitraum',
	change_percent: 'Veränderung zum Vorzeitraum in %'
} as const;
export type DerivedKind = keyof typeof DERIVED_FORMULAS;

/** How many inputs each derived formula takes: [minimum, maximum]. */
export const FORMULA_ARITY: Record<DerivedKind, [number, number]> = {
	sum: [2, 10],
	difference: [2, 2],
	ratio: [2, 2],
	share: [2, 2],
	per_1000: [2, 2],
	per_100000: [2, 2],
	change: [1, 1],
	change_percent: [1, 1]
};

const inputs = z.array(KpiIdV1, { error: 'Bitte die Ausgangskennzahlen angeben.' });

const derived = <K extends DerivedKind>(kind: K) => z.object({ kind: z.literal(kind), inputs });

/** A base KPI's accumulation, or a derived KPI's formula over input KPIs. */
export const KpiFormulaV1 = z.discriminatedUnion(
	'kind',
	[
		z.object({ kind: z.literal('flow') }),
		z.object({ kind: z.literal('stock') }),
		z.object({ kind: z.literal('ytd') }),
		derived('sum'),
		derived('difference'),
		derived('ratio'),
		derived('share'),
		derived('per_1000'),
		derived('per_100000'),
		derived('change'),
		derived('change_percent')
	],
	{ error: 'Bitte eine Berechnungsart wählen: flow, stock, ytd oder eine Formel.' }
);
export type KpiFormula = z.infer<typeof KpiFormulaV1>;

export type DerivedFormula = Extract<KpiFormula, { inputs: string[] }>;

export const isDerived = (formula: KpiFormula): formula is DerivedFormula => 'inputs' in formula;

/** How a KPI is shown beyond its tile and line chart. */
export const KpiViewV1 = z.discriminatedUnion(
	'kind',
	[
		z.object({ kind: z.literal('line') }),
		z.object({
			kind: z.literal('gauge'),
			title: title('den Titel', 80).optional(),
			/** The end of the scale; without it, a little above the red band or the highest value. */
			max: z.number().positive('Das Skalenende muss größer als 0 sein.').optional()
		}),
		z.object({
			kind: z.literal('plan_actual'),
			/** This KPI is the actual; `plan` is measured against. */
			plan: KpiIdV1,
			title: title('den Titel', 80).optional()
		}),
		z.object({
			kind: z.literal('supply_demand'),
			/** This KPI is the demand (occupied places, waiting list); `supply` the places. */
			supply: KpiIdV1,
			title: title('den Titel', 80).optional(),
			/** Whether to project when the supply runs out at the current trend. */
			projection: z.boolean().default(false)
		}),
		z.object({ kind: z.literal('breakdown') })
	],
	{
		error: 'Bitte eine Darstellung wählen: line, gauge, plan_actual, supply_demand oder breakdown.'
	}
);
export type KpiView = z.infer<typeof KpiViewV1>;

export const VIEW_KINDS = {
	line: 'Linie (Standard)',
	gauge: 'Tacho mit Ampelbändern',
	plan_actual: 'Plan und Ist (Paar)',
	supply_demand: 'Angebot und Bedarf (Paar, mit Vorausschau)',
	breakdown: 'Aufgliederung zuerst'
} as const;

/** What a tile's change and rating compare against. */
export const ComparisonBasisV1 = z.discriminatedUnion(
	'kind',
	[
		z.object({ kind: z.literal('previous_period') }),
		z.object({ kind: z.literal('previous_year') }),
		z.object({ kind: z.literal('plan_pro_rata'), plan: KpiIdV1 })
	],
	{ error: 'Bitte previous_period, previous_year oder plan_pro_rata angeben.' }
);
export type ComparisonBasis = z.infer<typeof ComparisonBasisV1>;

export const COMPARISON_KINDS = {
	previous_period: 'Vorzeitraum',
	previous_year: 'gleicher Zeitraum des Vorjahres',
	plan_pro_rata: 'Plan zeitanteilig'
} as const;

const nonNegativeInt = (what: string) =>
	z
		.number({ error: `Bitte ${what} als ganze Zahl angeben.` })
		.int(`Bitte ${what} als ganze Zahl angeben.`)
		.min(0, `${what[0]!.toUpperCase()}${what.slice(1)} darf nicht negativ sein.`);

/** A KPI as the catalogue holds it: every field of the KPI model, and how it is computed. */
export const CatalogueKpiV1 = z.object({
	id: KpiIdV1,
	areaId: AreaIdV1,
	title: title('den Titel', 120),
	shortTitle: title('den Kurztitel', 40),
	description: longText(1000).default(''),
	method: longText(2000).default(''),
	unit: safeText().max(30, 'Die Einheit darf höchstens 30 Zeichen haben.').default(''),
	numberFormat: NumberFormat,
	decimals: nonNegativeInt('die Nachkommastellen').max(4, 'Höchstens 4 Nachkommastellen.'),
	direction: Direction,
	target: z.number({ error: 'Bitte den Zielwert als Zahl angeben.' }).nullable().default(null),
	thresholds: Thresholds.nullable().default(null),
	cadence: Cadence,
	graceDays: nonNegativeInt('die Karenz in Tagen').max(365, 'Höchstens 365 Tage Karenz.'),
	dimensions: z.array(DimensionIdV1).max(3, 'Höchstens drei Aufgliederungen.').default([]),
	source: z.object(
		{
			kind: KpiSourceKind,
			name: title('die Quelle', 120)
		},
		{ error: 'Bitte die Quelle angeben (kind und name).' }
	),
	owner: z.object(
		{
			department: title('die zuständige Stelle', 120),
			contact: title('die Ansprechperson', 120),
			email: z
				.email({ error: 'Bitte eine gültige E-Mail-Adresse angeben (oder das Feld leer lassen).' })
				.max(200)
				.optional()
		},
		{ error: 'Bitte die Verantwortlichen angeben (department, contact, email).' }
	),
	visibility: Visibility,
	disclosureMinCount: nonNegativeInt('die Mindestfallzahl').max(100, 'Höchstens 100.'),
	tags: z.array(safeText().trim().min(1).max(40)).max(20).default([]),
	sortOrder: z.number({ error: 'Bitte eine Zahl angeben.' }).int('Bitte eine ganze Zahl angeben.'),
	active: z.boolean().default(true),
	formula: KpiFormulaV1,
	view: KpiViewV1.default({ kind: 'line' }),
	comparison: ComparisonBasisV1.default({ kind: 'previous_period' })
});
export type CatalogueKpi = z.infer<typeof CatalogueKpiV1>;

/** A KPI definition as the phone gets it (`kpi.v2`): the catalogue entry without its bookkeeping. */
export const KpiDefinitionV2 = CatalogueKpiV1.omit({ active: true });
export type KpiDefinition = z.infer<typeof KpiDefinitionV2>;
export type CatalogueKpiInput = z.input<typeof CatalogueKpiV1>;

export const CATALOGUE_FORMAT = 'klar-catalogue';

/** A whole catalogue: the export and import file, and how cities share catalogues. */
export const CatalogueFileV1 = z.object({
	format: z.literal(CATALOGUE_FORMAT, {
		error: `Das ist keine KLAR-Katalogdatei (erwartet: "format": "${CATALOGUE_FORMAT}").`
	}),
	version: z.literal(1, {
		error: 'Diese Version der Katalogdatei kennt KLAR nicht (erwartet: 1).'
	}),
	areas: z.array(AreaV1).default([]),
	dimensions: z.array(DimensionV1).default([]),
	kpis: z.array(CatalogueKpiV1).default([])
});
export type CatalogueFile = z.infer<typeof CatalogueFileV1>;

/** A problem with the catalogue: where (the path in the file) and what, in German. */
export interface CatalogueProblem {
	path: (string | number)[];
	message: string;
}

/** Bands in the wrong order for the direction: the German message, else null. */
export function thresholdProblem(
	direction: z.infer<typeof Direction>,
	thresholds: { amber: number; red: number } | null
): string | null {
	if (!thresholds) return null;
	const { amber, red } = thresholds;
	if (direction === 'higher_is_better' ? red <= amber : red >= amber) return null;
	return direction === 'higher_is_better'
		? 'Bei „höher ist besser“ liegt die kritische Schwelle unter der Warnschwelle.'
		: 'Die kritische Schwelle liegt über der Warnschwelle.';
}

const COARSER: Record<z.infer<typeof Cadence>, number> = {
	daily: 0,
	weekly: 1,
	monthly: 2,
	quarterly: 3,
	yearly: 4
};

const sameList = (a: readonly string[], b: readonly string[]) =>
	a.length === b.length && [...a].sort().join('|') === [...b].sort().join('|');

/**
 * The rules across entries that a single entry's schema cannot check: unique ids, areas and
 * dimensions that exist, derived formulas over existing KPIs without cycles, with inputs of the
 * same cadence and dimensions, sources that match the formula, bands in the right order, views
 * and comparisons whose partners fit. Returns every problem, each with its path.
 */
export function catalogueProblems(catalogue: {
	areas: readonly Area[];
	dimensions: readonly Dimension[];
	kpis: readonly CatalogueKpi[];
}): CatalogueProblem[] {
	const problems: CatalogueProblem[] = [];
	const add = (path: (string | number)[], message: string) => problems.push({ path, message });
	const duplicates = (
		kind: 'areas' | 'dimensions' | 'kpis',
		ids: readonly string[],
		word: string
	) => {
		const seen = new Set<string>();
		ids.forEach((id, i) => {
			if (seen.has(id)) add([kind, i, 'id'], `${word} „${id}“ steht doppelt im Katalog.`);
			seen.add(id);
		});
	};
	duplicates(
		'areas',
		catalogue.areas.map((a) => a.id),
		'Der Bereich'
	);
	duplicates(
		'dimensions',
		catalogue.dimensions.map((d) => d.id),
		'Die Aufgliederung'
	);
	duplicates(
		'kpis',
		catalogue.kpis.map((k) => k.id),
		'Die Kennzahl'
	);

	const areas = new Set(catalogue.areas.map((a) => a.id));
	const dimensions = new Set(catalogue.dimensions.map((d) => d.id));
	const kpis = new Map(catalogue.kpis.map((k) => [k.id, k]));

	catalogue.kpis.forEach((kpi, i) => {
		const at = (...path: (string | number)[]) => ['kpis', i, ...path];
		if (!areas.has(kpi.areaId)) add(at('areaId'), `Den Bereich „${kpi.areaId}“ gibt es nicht.`);
		kpi.dimensions.forEach((d, j) => {
			if (!dimensions.has(d)) add(at('dimensions', j), `Die Aufgliederung „${d}“ gibt es nicht.`);
		});
		if (new Set(kpi.dimensions).size !== kpi.dimensions.length) {
			add(at('dimensions'), 'Eine Aufgliederung steht doppelt.');
		}
		const derived = isDerived(kpi.formula);
		if (derived && kpi.source.kind !== 'derived') {
			add(at('source', 'kind'), 'Eine berechnete Kennzahl hat die Quelle „derived“.');
		}
		if (!derived && kpi.source.kind === 'derived') {
			add(
				at('source', 'kind'),
				'Die Quelle „derived“ gibt es nur bei einer Formel; sonst „feed“ oder „form“.'
			);
		}
		const bands = thresholdProblem(kpi.direction, kpi.thresholds);
		if (bands) add(at('thresholds', 'red'), bands);
		const formula = kpi.formula;
		if (isDerived(formula)) {
			const [min, max] = FORMULA_ARITY[formula.kind];
			const count = formula.inputs.length;
			if (count < min || count > max) {
				add(
					at('formula', 'inputs'),
					min === max
						? `Diese Formel braucht genau ${min === 1 ? 'eine Ausgangskennzahl' : `${min} Ausgangskennzahlen`}.`
						: `Diese Formel braucht ${min} bis ${max} Ausgangskennzahlen.`
				);
			}
			const perCapita = formula.kind === 'per_1000' || formula.kind === 'per_100000';
			formula.inputs.forEach((id, j) => {
				const input = kpis.get(id);
				if (id === kpi.id) {
					add(
						at('formula', 'inputs', j),
						'Eine Kennzahl kann nicht aus sich selbst berechnet werden.'
					);
					return;
				}
				if (!input) {
					add(at('formula', 'inputs', j), `Die Kennzahl „${id}“ gibt es nicht.`);
					return;
				}
				// A rate per inhabitants may use a population reported less often (carried forward).
				const cadenceFits =
					input.cadence === kpi.cadence ||
					(perCapita && j === 1 && COARSER[input.cadence] > COARSER[kpi.cadence]);
				if (!cadenceFits) {
					add(
						at('formula', 'inputs', j),
						`„${input.title}“ hat einen anderen Rhythmus (${input.cadence}) als diese Kennzahl (${kpi.cadence}).`
					);
				}
				if (!sameList(input.dimensions, kpi.dimensions)) {
					add(
						at('formula', 'inputs', j),
						`„${input.title}“ ist anders aufgegliedert als diese Kennzahl: beide brauchen dieselben Aufgliederungen.`
					);
				}
			});
		}
		const partner = (id: string, path: (string | number)[], what: string) => {
			const other = kpis.get(id);
			if (!other) {
				add(path, `Die Kennzahl „${id}“ gibt es nicht.`);
				return;
			}
			if (id === kpi.id) add(path, `${what} muss eine andere Kennzahl sein.`);
			else if (other.cadence !== kpi.cadence) {
				add(path, `${what} „${other.title}“ hat einen anderen Rhythmus als diese Kennzahl.`);
			}
		};
		if (kpi.view.kind === 'gauge' && !kpi.thresholds) {
			add(at('view', 'kind'), 'Ein Tacho braucht Schwellen (Warn- und kritische Schwelle).');
		}
		if (kpi.view.kind === 'supply_demand' && kpi.view.projection && kpi.cadence !== 'daily') {
			add(
				at('view', 'projection'),
				'Die Vorausschau „reicht bis“ gibt es nur für tägliche Kennzahlen.'
			);
		}
		if (kpi.view.kind === 'plan_actual') partner(kpi.view.plan, at('view', 'plan'), 'Der Plan');
		if (kpi.view.kind === 'supply_demand')
			partner(kpi.view.supply, at('view', 'supply'), 'Das Angebot');
		if (kpi.comparison.kind === 'plan_pro_rata') {
			partner(kpi.comparison.plan, at('comparison', 'plan'), 'Der Plan');
			if (kpi.formula.kind !== 'ytd') {
				add(
					at('comparison', 'kind'),
					'Mit dem Plan zeitanteilig wird nur eine seit Jahresbeginn aufsummierte Kennzahl (ytd) verglichen.'
				);
			}
		}
	});

	// Cycles through derived formulas: a → b → a.
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (id: string, trail: string[]): void => {
		const kpi = kpis.get(id);
		if (!kpi || !isDerived(kpi.formula) || state.get(id) === 'done') return;
		if (state.get(id) === 'visiting') {
			const index = catalogue.kpis.findIndex((k) => k.id === id);
			const cycle = [...trail.slice(trail.indexOf(id)), id];
			add(
				['kpis', index, 'formula', 'inputs'],
				`Die Formeln bilden einen Kreis: ${cycle.join(' → ')}.`
			);
			return;
		}
		state.set(id, 'visiting');
		// A KPI named as its own input is reported above, not again as a cycle.
		for (const input of kpi.formula.inputs) if (input !== id) visit(input, [...trail, id]);
		state.set(id, 'done');
	};
	for (const kpi of catalogue.kpis) visit(kpi.id, []);
	return problems;
}

/** `„Belegte Plätze“ geteilt durch „Kapazität“, mal 100` – the method of a derived formula. */
export function describeFormula(formula: KpiFormula, titleOf: (id: string) => string): string {
	if (!isDerived(formula)) return ACCUMULATIONS[formula.kind];
	const named = formula.inputs.map((id) => `„${titleOf(id)}“`);
	const [a = '…', b = '…'] = named;
	switch (formula.kind) {
		case 'sum':
			return `Summe aus ${named.join(', ')}.`;
		case 'difference':
			return `${a} minus ${b}.`;
		case 'ratio':
			return `${a} geteilt durch ${b}.`;
		case 'share':
			return `Anteil: ${a} geteilt durch ${b}, mal 100 (in %).`;
		case 'per_1000':
			return `${a} je 1.000: geteilt durch ${b}, mal 1.000.`;
		case 'per_100000':
			return `${a} je 100.000: geteilt durch ${b}, mal 100.000.`;
		case 'change':
			return `Veränderung von ${a} gegenüber dem Vorzeitraum.`;
		case 'change_percent':
			return `Veränderung von ${a} gegenüber dem Vorzeitraum in Prozent.`;
	}
}

/**
 * The value of a derived formula for one period from its inputs' values; null where an input is
 * missing or a division by zero would give Infinity ("kein Wert", never 0).
 */
export function applyFormula(
	kind: DerivedKind,
	values: readonly (number | null)[],
	previous: number | null = null
): number | null {
	if (values.some((v) => v === null)) return null;
	const [a = 0, b = 0] = values as number[];
	const divide = (factor: number) => (b === 0 ? null : (a / b) * factor);
	switch (kind) {
		case 'sum':
			return (values as number[]).reduce((sum, v) => sum + v, 0);
		case 'difference':
			return a - b;
		case 'ratio':
			return divide(1);
		case 'share':
			return divide(100);
		case 'per_1000':
			return divide(1000);
		case 'per_100000':
			return divide(100_000);
		case 'change':
			return previous === null ? null : a - previous;
		case 'change_percent':
			return previous === null || previous === 0
				? null
				: ((a - previous) / Math.abs(previous)) * 100;
	}
}

const FIELDS = {
	file: ['format', 'version', 'areas', 'dimensions', 'kpis'],
	area: Object.keys(AreaV1.shape),
	dimension: ['id', 'title', 'source', 'members'],
	member: ['id', 'label'],
	kpi: Object.keys(CatalogueKpiV1.shape),
	source: ['kind', 'name'],
	owner: ['department', 'contact', 'email'],
	thresholds: ['amber', 'red'],
	formula: ['kind', 'inputs'],
	view: ['kind', 'title', 'max', 'plan', 'supply', 'projection'],
	comparison: ['kind', 'plan']
} as const;

/**
 * Fields a catalogue file names that KLAR does not know: a typo ("shorttitle", "tresholds")
 * would otherwise be dropped without a word, and the KPI stored without what was meant.
 */
export function unknownFieldProblems(input: unknown): CatalogueProblem[] {
	const problems: CatalogueProblem[] = [];
	const isObject = (value: unknown): value is Record<string, unknown> =>
		typeof value === 'object' && value !== null && !Array.isArray(value);
	const check = (value: unknown, known: readonly string[], path: (string | number)[]) => {
		if (!isObject(value)) return;
		for (const key of Object.keys(value)) {
			if (!known.includes(key)) {
				problems.push({
					path: [...path, key],
					message: `Das Feld „${key}“ kennt KLAR hier nicht (erlaubt: ${known.join(', ')}).`
				});
			}
		}
	};
	const each = (value: unknown, visit: (item: unknown, i: number) => void) => {
		if (Array.isArray(value)) value.forEach(visit);
	};
	check(input, FIELDS.file, []);
	if (!isObject(input)) return problems;
	each(input.areas, (area, i) => check(area, FIELDS.area, ['areas', i]));
	each(input.dimensions, (dimension, i) => {
		check(dimension, FIELDS.dimension, ['dimensions', i]);
		if (isObject(dimension)) {
			each(dimension.members, (member, j) =>
				check(member, FIELDS.member, ['dimensions', i, 'members', j])
			);
		}
	});
	each(input.kpis, (kpi, i) => {
		check(kpi, FIELDS.kpi, ['kpis', i]);
		if (!isObject(kpi)) return;
		for (const part of [
			'source',
			'owner',
			'thresholds',
			'formula',
			'view',
			'comparison'
		] as const) {
			check(kpi[part], FIELDS[part], ['kpis', i, part]);
		}
	});
	return problems;
}
