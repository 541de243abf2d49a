import { arrivalsForm, occupancyForm } from './asyl';
import { courseOfferForm } from './bildung';
import type { FormDeclaration } from './fields';
import { streetLightFaultForm } from './infrastruktur';
import { kpiValueForm } from './kpi-value';

/**
 * Forms are declared once: the zod schema validates in the browser form, in the outbox and on
 * the server; labels, hints and units drive the form's fields. Adding a form means adding one
 * declaration here (and, on the server, what its entries write: server/entries/effects.ts).
 */
export * from './fields';
export * from './asyl';
export * from './bildung';
export * from './infrastruktur';
export * from './kpi-value';
export * from './targets';

export const FORM_LIST: readonly FormDeclaration[] = [
	occupancyForm,
	arrivalsForm,
	courseOfferForm,
	streetLightFaultForm,
	kpiValueForm
] as FormDeclaration[];

export const FORMS: Record<string, FormDeclaration> = Object.fromEntries(
	FORM_LIST.map((form) => [form.id, form])
);

export function formBySlug(slug: string): FormDeclaration | undefined {
	return FORM_LIST.find((form) => form.slug === slug);
}
