import { api, userMessageOf } from '$lib/sync/trpc-transport';
import type { Area, CatalogueKpi, Dimension } from '#shared/catalogue';
import type { FieldErrors } from '#shared/field-errors';
import type { CatalogueRow } from './catalogue-view';
import {
	emptyKpiForm,
	formErrorsOf,
	formFromKpi,
	generatedMethod,
	isDerivedChoice,
	kpiFormErrors,
	kpiFromForm,
	type KpiFormValues
} from './kpi-form';
import { nextSortOrder } from './catalogue-view';

export interface CatalogueData {
	areas: Area[];
	dimensions: Dimension[];
	kpis: CatalogueRow[];
}

/** The whole catalogue from the server, with each KPI's latest value date. */
export async function loadCatalogue(): Promise<CatalogueData> {
	const answer = await api.catalogue.overview.query();
	return { areas: answer.areas, dimensions: answer.dimensions, kpis: answer.kpis };
}

/**
 * One KPI on `/verwaltung/kennzahlen/[id]`: the form's values, the messages beside the fields,
 * and the actions (save, retire or reactivate, empty the values). A failed call is a message,
 * never a throw. The method text of a derived KPI follows the formula until the admin edits it.
 */
export class KpiEditor {
	values = $state<KpiFormValues>(emptyKpiForm());
	errors = $state<FieldErrors>({});
	busy = $state(false);
	/** The KPI as stored; null while a new one is being created. */
	stored = $state<CatalogueRow | null>(null);
	/** Whether the form was sent once: from then on the messages follow each keystroke. */
	private tried = $state(false);
	/** The method text the formula generated last, to tell an admin's own text from it. */
	private lastGenerated = '';

	constructor(
		readonly mode: 'create' | 'update',
		private readonly catalogue: () => CatalogueData | null
	) {}

	/** Fills the form from the catalogue (the stored KPI, or a new one in `areaId`). */
	open(id: string | null, areaId = ''): boolean {
		const data = this.catalogue();
		if (!data) return false;
		if (this.mode === 'update') {
			const row = data.kpis.find((k) => k.id === id);
			if (!row) return false;
			this.stored = row;
			this.values = formFromKpi(row);
		} else {
			const area = areaId || data.areas[0]?.id || '';
			this.values = emptyKpiForm(area, nextSortOrder(data.kpis, area));
		}
		this.lastGenerated = generatedMethod(this.values, data.kpis);
		this.errors = {};
		this.tried = false;
		return true;
	}

	get derived(): boolean {
		return isDerivedChoice(this.values.formulaKind);
	}

	/** The method text the formula suggests now ('' for a base KPI). */
	get suggestedMethod(): string {
		return generatedMethod(this.values, this.catalogue()?.kpis ?? []);
	}

	/**
	 * After a change of formula or inputs: the method follows the generated text while the admin
	 * has not written one of their own (empty, or still the text generated before).
	 */
	followFormula(): void {
		const suggestion = this.suggestedMethod;
		if (this.values.method.trim() === '' || this.values.method === this.lastGenerated) {
			this.values.method = suggestion;
		}
		this.lastGenerated = suggestion;
		this.check();
	}

	/** The messages as the form stands (shown once the admin has tried to save). */
	check(): void {
		if (!this.tried) return;
		const data = this.catalogue();
		this.errors = data ? kpiFormErrors(this.values, data, this.mode) : {};
	}

	/** Checks the whole definition, sends it, and answers with the stored KPI or null. */
	async save(): Promise<CatalogueKpi | null> {
		this.tried = true;
		this.check();
		if (Object.keys(this.errors).length) return null;
		this.busy = true;
		try {
			const answer = await api.catalogue.saveKpi.mutate({
				mode: this.mode,
				kpi: kpiFromForm(this.values)
			});
			if (!answer.ok) {
				this.errors = formErrorsOf(answer.fieldErrors);
				return null;
			}
			return answer.item;
		} catch (error) {
			this.errors = { _form: userMessageOf(error) };
			return null;
		} finally {
			this.busy = false;
		}
	}

	/** Retires or reactivates; the answer's message, or null when it went through. */
	async setActive(active: boolean): Promise<string | null> {
		if (!this.stored) return null;
		this.busy = true;
		try {
			const answer = await api.catalogue.setActive.mutate({ id: this.stored.id, active });
			if (!answer.ok) return answer.fieldErrors._form ?? Object.values(answer.fieldErrors)[0]!;
			this.stored = { ...this.stored, active: answer.item.active };
			return null;
		} catch (error) {
			return userMessageOf(error);
		} finally {
			this.busy = false;
		}
	}

	/** Removes the KPI's stored values after the admin typed its id; the count or the messages. */
	async empty(
		confirmation: string,
		runId: string
	): Promise<{ ok: true; removed: number } | { ok: false; errors: FieldErrors }> {
		if (!this.stored) return { ok: false, errors: { _form: 'Diese Kennzahl gibt es nicht.' } };
		this.busy = true;
		try {
			const answer = await api.catalogue.emptyKpi.mutate({
				kpiId: this.stored.id,
				confirmation,
				runId: runId.trim() || null
			});
			return answer.ok
				? { ok: true, removed: answer.item.removed }
				: { ok: false, errors: answer.fieldErrors };
		} catch (error) {
			return { ok: false, errors: { _form: userMessageOf(error) } };
		} finally {
			this.busy = false;
		}
	}
}
