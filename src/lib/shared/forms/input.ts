import type { FormDeclaration, FormField } from './fields';

/**
 * What the phone's inputs hold (strings, a checkbox's boolean) turned into the payload the form's
 * schema checks. Numbers are read the German way: `1.234` is one thousand two hundred and
 * thirty-four, `3,5` is three and a half. Text that is no number stays text, so the schema
 * answers with its German message instead of a silent NaN.
 */
export type FormValues = Record<string, string | boolean>;

const GROUPED_INTEGER = /^-?\d{1,3}(\.\d{3})+$/;
const PLAIN_INTEGER = /^-?\d+$/;
const GERMAN_DECIMAL = /^-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$/;
const DOT_DECIMAL = /^-?\d+\.\d+$/;

export function parseGermanNumber(raw: string, kind: 'integer' | 'decimal'): number | string {
	const value = raw.trim().replace(/\s/g, '');
	if (value === '') return '';
	if (PLAIN_INTEGER.test(value)) return Number(value);
	if (GROUPED_INTEGER.test(value)) return Number(value.replace(/\./g, ''));
	if (kind === 'decimal') {
		if (GERMAN_DECIMAL.test(value)) return Number(value.replace(/\./g, '').replace(',', '.'));
		// A phone keyboard may only offer a dot: "3.5" with one to two decimals is not a grouping.
		if (DOT_DECIMAL.test(value)) return Number(value);
	}
	return raw;
}

/** The fields that apply to these values (an override's reason only when the override is ticked). */
export function visibleFields(form: FormDeclaration, values: Record<string, unknown>): FormField[] {
	// In declaration order: a hidden field counts as empty for the fields that depend on it.
	const seen: Record<string, unknown> = { ...values };
	return form.fields.filter((field) => {
		const visible = !field.showWhen || field.showWhen(seen);
		if (!visible) seen[field.name] = undefined;
		return visible;
	});
}

export function toPayload(
	form: FormDeclaration,
	values: FormValues,
	context: Record<string, unknown> = {}
): Record<string, unknown> {
	const numeric: Record<string, unknown> = { ...context };
	for (const field of form.fields) {
		const raw = values[field.name];
		numeric[field.name] =
			(field.kind === 'integer' || field.kind === 'decimal') && typeof raw === 'string'
				? parseGermanNumber(raw, field.kind)
				: raw;
	}
	const payload: Record<string, unknown> = {};
	for (const field of visibleFields(form, numeric)) {
		const value = numeric[field.name];
		if (field.kind === 'checkbox') {
			payload[field.name] = value === true;
		} else if (value === undefined || value === '') {
			// Absent rather than empty: the schema says what is missing, optional fields stay absent.
			if (!field.optional)
				payload[field.name] = field.kind === 'integer' || field.kind === 'decimal' ? undefined : '';
		} else {
			payload[field.name] = typeof value === 'string' ? value.trim() : value;
		}
	}
	return payload;
}

/** The inputs' values for a stored payload, e.g. to correct an entry or continue a draft. */
export function toFormValues(form: FormDeclaration, payload: Record<string, unknown>): FormValues {
	const values: FormValues = {};
	for (const field of form.fields) {
		const value = payload[field.name];
		if (field.kind === 'checkbox') values[field.name] = value === true;
		else if (typeof value === 'number') {
			values[field.name] =
				field.kind === 'decimal' ? String(value).replace('.', ',') : String(value);
		} else values[field.name] = typeof value === 'string' ? value : '';
	}
	return values;
}
