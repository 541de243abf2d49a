import type { z } from 'zod';

/**
 * German messages of a refused form, one per field; `_form` holds a message about the whole
 * form. A refused save is an ordinary answer, not a thrown error, because the page shows each
 * message beside its field.
 */
export type FieldErrors = Record<string, string>;

/** One message per field, the first the schema reports. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) errors[String(issue.path[0] ?? '_form')] ??= issue.message;
	return errors;
}
