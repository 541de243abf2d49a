import {
	ACCUMULATIONS,
	CatalogueKpiV1,
	catalogueProblems,
	DERIVED_FORMULAS,
	describeFormula,
	FORMULA_ARITY,
	type Area,
	type CatalogueKpi,
	type CatalogueKpiInput,
	type DerivedKind,
	type Dimension,
	thresholdProblem
} from '#shared/catalogue';
import { Direction, Thresholds } from '#shared/kpi';
import type { FieldErrors } from '#shared/field-errors';

/**
 * The KPI form of `/verwaltung/kennzahlen`: what the admin types (all text, as inputs hold it),
 * the definition it becomes, and the German messages beside the fields – from the same schema
 * and catalogue rules the server checks again before it stores anything. Pure.
 */

export type FormulaChoice = keyof typeof ACCUMULATIONS | DerivedKind;

export interface KpiFormValues {
	id: string;
	areaId: string;
	title: string;
	shortTitle: string;
	description: string;
	method: string;
	unit: string;
	numberFormat: string;
	decimals: string;
	direction: string;
	target: string;
	hasThresholds: boolean;
	amber: string;
	red: string;
	cadence: string;
	graceDays: string;
	dimensions: string[];
	sourceKind: string;
	sourceName: string;
	department: string;
	contact: string;
	email: string;
	visibility: string;
	disclosureMinCount: string;
	tags: string;
	sortOrder: string;
	formulaKind: FormulaChoice;
	/** Input KPI ids of a derived formula, in order ('' for a picker not yet chosen). */
	inputs: string[];
	viewKind: string;
	viewTitle: string;
	viewMax: string;
	viewPartner: string;
	viewProjection: boolean;
	comparisonKind: string;
	comparisonPlan: string;
}

export const isDerivedChoice = (kind: FormulaChoice): kind is DerivedKind =>
	kind in DERIVED_FORMULAS;

/** The fields of a new KPI in an area: the most common choices, nothing that must be undone. */
export function emptyKpiForm(areaId = '', sortOrder = 10): KpiFormValues {
	return {
		id: '',
		areaId,
		title: '',
		shortTitle: '',
		description: '',
		method: '',
		unit: '',
		numberFormat: 'integer',
		decimals: '0',
		direction: 'neutral',
		target: '',
		hasThresholds: false,
		amber: '',
		red: '',
		cadence: 'monthly',
		graceDays: '10',
		dimensions: [],
		sourceKind: 'feed',
		sourceName: '',
		department: '',
		contact: '',
		email: '',
		visibility: 'internal',
		disclosureMinCount: '0',
		tags: '',
		sortOrder: String(sortOrder),
		formulaKind: 'stock',
		inputs: [],
		viewKind: 'line',
		viewTitle: '',
		viewMax: '',
		viewPartner: '',
		viewProjection: false,
		comparisonKind: 'previous_period',
		comparisonPlan: ''
	};
}

const GERMAN_NUMBER = new Intl.NumberFormat('de-DE', {
	useGrouping: false,
	maximumFractionDigits: 10
});
const numberText = (value: number | null | undefined) =>
	value === null || value === undefined ? '' : GERMAN_NUMBER.format(value);

/** The form for a stored KPI. */
export function formFromKpi(kpi: CatalogueKpi): KpiFormValues {
	const view = kpi.view;
	return {
		id: kpi.id,
		areaId: kpi.areaId,
		title: kpi.title,
		shortTitle: kpi.shortTitle,
		description: kpi.description,
		method: kpi.method,
		unit: kpi.unit,
		numberFormat: kpi.numberFormat,
		decimals: String(kpi.decimals),
		direction: kpi.direction,
		target: numberText(kpi.target),
		hasThresholds: kpi.thresholds !== null,
		amber: numberText(kpi.thresholds?.amber),
		red: numberText(kpi.thresholds?.red),
		cadence: kpi.cadence,
		graceDays: String(kpi.graceDays),
		dimensions: [...kpi.dimensions],
		sourceKind: kpi.source.kind,
		sourceName: kpi.source.name,
		department: kpi.owner.department,
		contact: kpi.owner.contact,
		email: kpi.owner.email ?? '',
		visibility: kpi.visibility,
		disclosureMinCount: String(kpi.disclosureMinCount),
		tags: kpi.tags.join(', '),
		sortOrder: String(kpi.sortOrder),
		formulaKind: kpi.formula.kind,
		inputs: 'inputs' in kpi.formula ? [...kpi.formula.inputs] : [],
		viewKind: view.kind,
		viewTitle: 'title' in view ? (view.title ?? '') : '',
		viewMax: view.kind === 'gauge' ? numberText(view.max) : '',
		viewPartner:
			view.kind === 'plan_actual' ? view.plan : view.kind === 'supply_demand' ? view.supply : '',
		viewProjection: view.kind === 'supply_demand' && view.projection,
		comparisonKind: kpi.comparison.kind,
		comparisonPlan: kpi.comparison.kind === 'plan_pro_rata' ? kpi.comparison.plan : ''
	};
}

/** A number as typed on a German keyboard ("1.234,5" or "1234.5"); NaN for anything else. */
export function parseGermanNumber(text: string): number {
	const trimmed = text.trim().replace(/\s/g, '');
	if (trimmed === '') return Number.NaN;
	const normalised = trimmed.includes(',')
		? trimmed.replace(/\./g, '').replace(',', '.')
		: /^-?\d{1,3}(\.\d{3})+$/.test(trimmed)
			? trimmed.replace(/\./g, '')
			: trimmed;
	return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : Number.NaN;
}

/** Text → number for zod: an empty field is `undefined` (the schema says what it needs). */
const numberOrText = (text: string): number | string | undefined => {
	if (text.trim() === '') return undefined;
	const value = parseGermanNumber(text);
	return Number.isNaN(value) ? text : value;
};

/** How many input pickers a formula shows. */
export function inputCount(kind: FormulaChoice, chosen: number): number {
	if (!isDerivedChoice(kind)) return 0;
	const [min, max] = FORMULA_ARITY[kind];
	return Math.min(max, Math.max(min, chosen));
}

/** The definition the form describes, as the server receives it (checked there again). */
export function kpiFromForm(values: KpiFormValues): CatalogueKpiInput {
	const derived = isDerivedChoice(values.formulaKind);
	const inputs = values.inputs.slice(0, inputCount(values.formulaKind, values.inputs.length));
	const viewTitle = values.viewTitle.trim() ? { title: values.viewTitle.trim() } : {};
	const view = (() => {
		switch (values.viewKind) {
			case 'gauge':
				return {
					kind: 'gauge',
					...viewTitle,
					...(values.viewMax.trim() ? { max: numberOrText(values.viewMax) } : {})
				};
			case 'plan_actual':
				return { kind: 'plan_actual', plan: values.viewPartner, ...viewTitle };
			case 'supply_demand':
				return {
					kind: 'supply_demand',
					supply: values.viewPartner,
					...viewTitle,
					projection: values.viewProjection
				};
			default:
				return { kind: values.viewKind };
		}
	})();
	return {
		id: values.id.trim(),
		areaId: values.areaId,
		title: values.title,
		shortTitle: values.shortTitle,
		description: values.description,
		method: values.method,
		unit: values.unit.trim(),
		numberFormat: values.numberFormat as CatalogueKpiInput['numberFormat'],
		decimals: numberOrText(values.decimals) as number,
		direction: values.direction as CatalogueKpiInput['direction'],
		target: values.target.trim() === '' ? null : (numberOrText(values.target) as number),
		thresholds: values.hasThresholds
			? {
					amber: numberOrText(values.amber) as number,
					red: numberOrText(values.red) as number
				}
			: null,
		cadence: values.cadence as CatalogueKpiInput['cadence'],
		graceDays: numberOrText(values.graceDays) as number,
		dimensions: values.dimensions,
		source: { kind: (derived ? 'derived' : values.sourceKind) as 'feed', name: values.sourceName },
		owner: {
			department: values.department,
			contact: values.contact,
			...(values.email.trim() ? { email: values.email.trim() } : {})
		},
		visibility: values.visibility as CatalogueKpiInput['visibility'],
		disclosureMinCount: numberOrText(values.disclosureMinCount) as number,
		tags: values.tags
			.split(',')
			.map((tag) => tag.trim())
			.filter(Boolean),
		sortOrder: numberOrText(values.sortOrder) as number,
		formula: (derived
			? { kind: values.formulaKind, inputs }
			: { kind: values.formulaKind }) as CatalogueKpiInput['formula'],
		view: view as CatalogueKpiInput['view'],
		comparison: (values.comparisonKind === 'plan_pro_rata'
			? { kind: 'plan_pro_rata', plan: values.comparisonPlan }
			: { kind: values.comparisonKind }) as CatalogueKpiInput['comparison']
	};
}

/**
 * The form's field for a problem's path in the definition: `thresholds.red` → `red`,
 * `formula.inputs.1` → `inputs.1`, `owner.email` → `email`.
 */
export function formFieldOf(path: readonly (string | number)[]): string {
	const [head, second, third] = path.map(String);
	switch (head) {
		case 'thresholds':
			return second === 'amber' || second === 'red' ? second : 'amber';
		case 'source':
			return second === 'name' ? 'sourceName' : 'sourceKind';
		case 'owner':
			return second === 'email' ? 'email' : second === 'contact' ? 'contact' : 'department';
		case 'formula':
			return second === 'inputs' && third !== undefined ? `inputs.${third}` : 'formulaKind';
		case 'view':
			if (second === 'plan' || second === 'supply') return 'viewPartner';
			if (second === 'title') return 'viewTitle';
			if (second === 'max') return 'viewMax';
			if (second === 'projection') return 'viewProjection';
			return 'viewKind';
		case 'comparison':
			return second === 'plan' ? 'comparisonPlan' : 'comparisonKind';
		case 'dimensions':
		case 'tags':
			return head;
		default:
			return head ?? '_form';
	}
}

/** Server answers (field paths joined by dots) → the form's fields. */
export function formErrorsOf(errors: FieldErrors): FieldErrors {
	const result: FieldErrors = {};
	for (const [path, message] of Object.entries(errors)) {
		const field = path === '_form' ? '_form' : formFieldOf(path.split('.'));
		result[field] ??= message;
	}
	return result;
}

/**
 * The messages for the form as it stands, against the rest of the catalogue (the KPI replaces
 * its stored version): what the server would refuse, shown before sending.
 */
export function kpiFormErrors(
	values: KpiFormValues,
	catalogue: {
		areas: readonly Area[];
		dimensions: readonly Dimension[];
		kpis: readonly CatalogueKpi[];
	},
	mode: 'create' | 'update'
): FieldErrors {
	const errors: FieldErrors = {};
	const add = (path: readonly (string | number)[], message: string) => {
		errors[formFieldOf(path)] ??= message;
	};
	const input = kpiFromForm(values);
	if (mode === 'create' && catalogue.kpis.some((k) => k.id === input.id)) {
		add(['id'], `Die Kennung „${input.id}“ ist schon vergeben.`);
	}
	if (values.hasThresholds && (values.amber.trim() === '' || values.red.trim() === '')) {
		if (values.amber.trim() === '') add(['thresholds', 'amber'], 'Bitte die Warnschwelle angeben.');
		if (values.red.trim() === '')
			add(['thresholds', 'red'], 'Bitte die kritische Schwelle angeben.');
	}
	const parsed = CatalogueKpiV1.safeParse(input);
	if (!parsed.success) {
		for (const issue of parsed.error.issues) add(issue.path as (string | number)[], issue.message);
		// The rules across fields that need no other KPI, shown together with the schema's.
		const direction = Direction.safeParse(input.direction);
		const thresholds = Thresholds.safeParse(input.thresholds);
		if (direction.success && thresholds.success) {
			const bands = thresholdProblem(direction.data, thresholds.data);
			if (bands) add(['thresholds', 'red'], bands);
		}
		return errors;
	}
	const kpi = {
		...parsed.data,
		active: catalogue.kpis.find((k) => k.id === input.id)?.active ?? true
	};
	const kpis =
		mode === 'update'
			? catalogue.kpis.map((k) => (k.id === kpi.id ? kpi : k))
			: [...catalogue.kpis, kpi];
	const index = kpis.findIndex((k) => k.id === kpi.id);
	for (const problem of catalogueProblems({ ...catalogue, kpis })) {
		const [kind, at, ...rest] = problem.path;
		if (kind === 'kpis' && at === index) add(rest, problem.message);
	}
	return errors;
}

/** The method text a derived formula generates, with the inputs' titles. */
export function generatedMethod(
	values: Pick<KpiFormValues, 'formulaKind' | 'inputs'>,
	kpis: readonly Pick<CatalogueKpi, 'id' | 'title'>[]
): string {
	if (!isDerivedChoice(values.formulaKind)) return '';
	const titleOf = (id: string) => kpis.find((k) => k.id === id)?.title ?? (id || '…');
	const count = inputCount(values.formulaKind, values.inputs.length);
	const inputs = Array.from({ length: count }, (_, i) => values.inputs[i] ?? '');
	return describeFormula({ kind: values.formulaKind, inputs }, titleOf);
}

/**
 * The KPIs a formula may take as inputs: active, of the same cadence (a rate per inhabitants may
 * take a coarser population as its second input) and the same breakdowns, not the KPI itself.
 */
export function inputCandidates(
	values: Pick<KpiFormValues, 'id' | 'cadence' | 'dimensions' | 'formulaKind'>,
	kpis: readonly CatalogueKpi[],
	position: number
): CatalogueKpi[] {
	const ORDER = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];
	const perCapita = values.formulaKind === 'per_1000' || values.formulaKind === 'per_100000';
	const sameDimensions = (k: CatalogueKpi) =>
		k.dimensions.length === values.dimensions.length &&
		k.dimensions.every((d) => values.dimensions.includes(d));
	return kpis.filter(
		(k) =>
			k.active &&
			k.id !== values.id &&
			sameDimensions(k) &&
			(k.cadence === values.cadence ||
				(perCapita && position === 1 && ORDER.indexOf(k.cadence) > ORDER.indexOf(values.cadence)))
	);
}
