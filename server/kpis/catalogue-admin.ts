import { germanIssue } from '#shared/german-issues';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { cellBases, feedRuns, observations, previewObservations } from '#server/db/schema';
import { appendAudit } from '#server/audit';
import {
	AreaV1,
	CATALOGUE_FORMAT,
	CatalogueFileV1,
	CatalogueKpiV1,
	catalogueProblems,
	isDerived,
	unknownFieldProblems,
	type Area,
	type CatalogueFile,
	type CatalogueKpi,
	type CatalogueProblem
} from '#shared/catalogue';
import type { FieldErrors } from '#shared/field-errors';
import type { Principal } from '#shared/permissions';
import {
	loadAreas,
	loadDefinition,
	loadDefinitions,
	loadDimensions,
	storeArea,
	storeDefinition,
	storeDimension,
	type StoredDefinition
} from './catalogue';
import { rebuildSnapshots } from './snapshots';

/**
 * Changes to the catalogue, by people (the admin pages) and by files (`npm run catalogue`):
 * every change is checked against the whole catalogue first, written in one transaction with
 * its audit record and change-log entries, and the snapshots it affects are rebuilt. A refused
 * change writes nothing and answers with German messages beside the fields.
 */

export type CatalogueAnswer<T> = { ok: true; item: T } | { ok: false; fieldErrors: FieldErrors };

/** The catalogue as stored: areas in their order, KPIs area by area in their order. */
export function currentCatalogue(db: DbOrTx): CatalogueFile {
	const areas = loadAreas(db);
	const rank = new Map(areas.map((area, i) => [area.id, i]));
	const kpis = loadDefinitions(db).sort(
		(a, b) =>
			(rank.get(a.areaId) ?? areas.length) - (rank.get(b.areaId) ?? areas.length) ||
			a.sortOrder - b.sortOrder ||
			a.id.localeCompare(b.id)
	);
	return { format: CATALOGUE_FORMAT, version: 1, areas, dimensions: loadDimensions(db), kpis };
}

/** The catalogue file of this installation: what `npm run catalogue -- export` writes. */
export const exportCatalogue = currentCatalogue;

/** Field → first German message, from zod issues or catalogue problems under `prefix`. */
function fieldErrorsOf(
	problems: readonly CatalogueProblem[],
	prefix: (string | number)[]
): FieldErrors {
	const errors: FieldErrors = {};
	for (const problem of problems) {
		if (prefix.some((part, i) => problem.path[i] !== part)) continue;
		const field = problem.path.slice(prefix.length).join('.') || '_form';
		errors[field] ??= problem.message;
	}
	return errors;
}

const issuesAsProblems = (issues: readonly { path: PropertyKey[]; message: string }[]) =>
	issues.map((i) => ({
		path: i.path.map((p) => (typeof p === 'number' ? p : String(p))),
		message: i.message
	}));

/** The KPIs whose formula or view names `id` (its dependants). */
function dependantsOf(kpis: readonly CatalogueKpi[], id: string): CatalogueKpi[] {
	return kpis.filter(
		(k) =>
			k.id !== id &&
			((isDerived(k.formula) && k.formula.inputs.includes(id)) ||
				(k.view.kind === 'plan_actual' && k.view.plan === id) ||
				(k.view.kind === 'supply_demand' && k.view.supply === id) ||
				(k.comparison.kind === 'plan_pro_rata' && k.comparison.plan === id))
	);
}

function auditKpi(
	db: DbOrTx,
	actorId: string | null,
	action: string,
	before: StoredDefinition | null,
	after: CatalogueKpi,
	now: Date
) {
	appendAudit(
		db,
		{
			userId: actorId,
			action,
			entity: 'kpi',
			entityId: after.id,
			oldValue: before ?? undefined,
			newValue: after
		},
		now
	);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Creates (`mode: 'create'`) or changes a KPI. The id is checked unique and well-formed and never
 * changes after creation; the definition must fit the rest of the catalogue (areas, dimensions,
 * formula inputs, views). Nothing is stored until the whole definition is valid.
 */
export function saveKpi(
	db: DbOrTx,
	actor: Principal,
	mode: 'create' | 'update',
	input: unknown,
	now: Date
): CatalogueAnswer<StoredDefinition> {
	const parsed = CatalogueKpiV1.safeParse(input, { error: germanIssue });
	if (!parsed.success) {
		return { ok: false, fieldErrors: fieldErrorsOf(issuesAsProblems(parsed.error.issues), []) };
	}
	return db.transaction((tx): CatalogueAnswer<StoredDefinition> => {
		const before = loadDefinition(tx, parsed.data.id);
		// Retiring and reactivating go through setKpiActive, which checks what depends on it.
		const kpi = { ...parsed.data, active: before?.active ?? true };
		if (mode === 'create' && before) {
			return { ok: false, fieldErrors: { id: `Die Kennung „${kpi.id}“ ist schon vergeben.` } };
		}
		if (mode === 'update' && !before) {
			return { ok: false, fieldErrors: { id: 'Diese Kennzahl gibt es nicht (mehr).' } };
		}
		const catalogue = currentCatalogue(tx);
		const kpis = before
			? catalogue.kpis.map((k) => (k.id === kpi.id ? kpi : k))
			: [...catalogue.kpis, kpi];
		const index = kpis.findIndex((k) => k.id === kpi.id);
		const problems = catalogueProblems({ ...catalogue, kpis });
		const errors = fieldErrorsOf(problems, ['kpis', index]);
		if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
		if (before && same(before, kpi)) return { ok: true, item: before };
		storeDefinition(tx, kpi, before, now);
		auditKpi(tx, actor.id, before ? 'kpi.update' : 'kpi.create', before, kpi, now);
		rebuildSnapshots(tx, [kpi.id], now);
		return { ok: true, item: kpi };
	});
}

/**
 * Retires a KPI (it leaves the phones as a tombstone; its observations stay) or brings it back.
 * A KPI that active derived KPIs or views build on cannot be retired before them.
 */
export function setKpiActive(
	db: DbOrTx,
	actor: Principal,
	id: string,
	active: boolean,
	now: Date
): CatalogueAnswer<StoredDefinition> {
	return db.transaction((tx): CatalogueAnswer<StoredDefinition> => {
		const before = loadDefinition(tx, id);
		if (!before)
			return { ok: false, fieldErrors: { _form: 'Diese Kennzahl gibt es nicht (mehr).' } };
		if (before.active === active) return { ok: true, item: before };
		const all = loadDefinitions(tx);
		if (!active) {
			const users = dependantsOf(all, id).filter((k) => k.active);
			if (users.length) {
				return {
					ok: false,
					fieldErrors: {
						_form: `Darauf bauen noch auf: ${users.map((k) => `„${k.title}“`).join(', ')}. Bitte diese zuerst ändern oder stilllegen.`
					}
				};
			}
		} else {
			const formula = before.formula;
			const retiredInputs = isDerived(formula)
				? formula.inputs.filter((input) => !all.find((k) => k.id === input)?.active)
				: [];
			if (retiredInputs.length) {
				return {
					ok: false,
					fieldErrors: {
						_form: `Die Ausgangskennzahlen ${retiredInputs.map((i) => `„${i}“`).join(', ')} sind stillgelegt. Bitte diese zuerst wieder aufnehmen.`
					}
				};
			}
		}
		const after = { ...before, active };
		storeDefinition(tx, after, before, now);
		auditKpi(tx, actor.id, active ? 'kpi.reactivate' : 'kpi.retire', before, after, now);
		if (active) rebuildSnapshots(tx, [id], now);
		return { ok: true, item: after };
	});
}

/** Creates or changes an area (title, description, order, open-data theme). */
export function saveArea(
	db: DbOrTx,
	actor: Principal,
	mode: 'create' | 'update',
	input: unknown,
	now: Date
): CatalogueAnswer<Area> {
	const parsed = AreaV1.safeParse(input, { error: germanIssue });
	if (!parsed.success) {
		return { ok: false, fieldErrors: fieldErrorsOf(issuesAsProblems(parsed.error.issues), []) };
	}
	const area = parsed.data;
	return db.transaction((tx): CatalogueAnswer<Area> => {
		const before = loadAreas(tx).find((a) => a.id === area.id) ?? null;
		if (mode === 'create' && before) {
			return { ok: false, fieldErrors: { id: `Die Kennung „${area.id}“ ist schon vergeben.` } };
		}
		if (mode === 'update' && !before) {
			return { ok: false, fieldErrors: { id: 'Diesen Bereich gibt es nicht (mehr).' } };
		}
		if (before && same(before, area)) return { ok: true, item: before };
		storeArea(tx, area, now);
		appendAudit(
			tx,
			{
				userId: actor.id,
				action: before ? 'area.update' : 'area.create',
				entity: 'area',
				entityId: area.id,
				oldValue: before ?? undefined,
				newValue: area
			},
			now
		);
		return { ok: true, item: area };
	});
}

/** What applying a catalogue file does (or would do, with `dryRun`). */
export interface ApplyReport {
	ok: boolean;
	dryRun: boolean;
	problems: CatalogueProblem[];
	created: string[];
	updated: string[];
	unchanged: number;
	/** KPIs of the installation that the file does not name: reported, never deleted. */
	notInFile: string[];
}

/**
 * Applies a catalogue file: validates it completely (every entry, and the catalogue that results
 * with what is stored and not named), then creates or updates by id in one transaction, audits
 * every change and rebuilds the affected snapshots. The same file twice changes nothing, not
 * even the change log. KPIs missing from the file stay as they are and are reported.
 */
export function applyCatalogue(
	db: DbOrTx,
	input: unknown,
	options: {
		dryRun?: boolean;
		userId: string | null;
		now: Date;
		/** False when the caller rebuilds every snapshot afterwards anyway (the demo seed). */
		rebuildSnapshots?: boolean;
	}
): ApplyReport {
	const report: ApplyReport = {
		ok: false,
		dryRun: options.dryRun ?? false,
		problems: [],
		created: [],
		updated: [],
		unchanged: 0,
		notInFile: []
	};
	const parsed = CatalogueFileV1.safeParse(input, { error: germanIssue });
	const unknown = unknownFieldProblems(input);
	if (!parsed.success || unknown.length) {
		report.problems = [
			...unknown,
			...(parsed.success ? [] : issuesAsProblems(parsed.error.issues))
		];
		return report;
	}
	const file = parsed.data;
	return db.transaction((tx): ApplyReport => {
		const stored = currentCatalogue(tx);
		const merge = <T extends { id: string }>(current: readonly T[], incoming: readonly T[]) => {
			const named = new Set(incoming.map((x) => x.id));
			return [...incoming, ...current.filter((x) => !named.has(x.id))];
		};
		const result = {
			areas: merge(stored.areas, file.areas),
			dimensions: merge(stored.dimensions, file.dimensions),
			kpis: merge(stored.kpis, file.kpis)
		};
		// Problems of the file's own entries point into the file; a problem only in what is
		// stored and not named is still a problem of applying the file.
		report.problems = catalogueProblems(result).map((problem) => {
			const [kind, index] = problem.path as ['areas' | 'dimensions' | 'kpis', number];
			const fromFile = index < file[kind].length;
			return fromFile
				? problem
				: {
						...problem,
						message: `Im gespeicherten Katalog (${result[kind][index]?.id}): ${problem.message}`
					};
		});
		const named = new Set(file.kpis.map((k) => k.id));
		report.notInFile = stored.kpis.filter((k) => !named.has(k.id)).map((k) => k.id);
		if (report.problems.length) return report;

		const changedKpis: string[] = [];
		const write = !report.dryRun;
		file.areas.forEach((area) => {
			const before = stored.areas.find((a) => a.id === area.id) ?? null;
			if (before && same(before, area)) return void report.unchanged++;
			(before ? report.updated : report.created).push(`Bereich ${area.id}`);
			if (!write) return;
			storeArea(tx, area, options.now);
			appendAudit(
				tx,
				{
					userId: options.userId,
					action: before ? 'area.update' : 'area.create',
					entity: 'area',
					entityId: area.id,
					oldValue: before ?? undefined,
					newValue: area
				},
				options.now
			);
		});
		file.dimensions.forEach((dimension, i) => {
			const before = stored.dimensions.find((d) => d.id === dimension.id) ?? null;
			if (before && same(before, dimension)) return void report.unchanged++;
			(before ? report.updated : report.created).push(`Aufgliederung ${dimension.id}`);
			if (!write) return;
			storeDimension(tx, dimension, i, options.now);
			appendAudit(
				tx,
				{
					userId: options.userId,
					action: before ? 'dimension.update' : 'dimension.create',
					entity: 'dimension',
					entityId: dimension.id,
					oldValue: before ?? undefined,
					newValue: dimension
				},
				options.now
			);
			// Breakdown labels come from the members: the KPIs that use the dimension follow.
			changedKpis.push(
				...result.kpis.filter((k) => k.dimensions.includes(dimension.id)).map((k) => k.id)
			);
		});
		file.kpis.forEach((kpi) => {
			const before = stored.kpis.find((k) => k.id === kpi.id) ?? null;
			if (before && same(before, kpi)) return void report.unchanged++;
			(before ? report.updated : report.created).push(kpi.id);
			if (!write) return;
			storeDefinition(tx, kpi, before, options.now);
			auditKpi(tx, options.userId, before ? 'kpi.update' : 'kpi.create', before, kpi, options.now);
			changedKpis.push(kpi.id);
		});
		if (write && changedKpis.length && options.rebuildSnapshots !== false) {
			rebuildSnapshots(tx, [...new Set(changedKpis)], options.now);
		}
		report.ok = true;
		return report;
	});
}

/**
 * Empties a KPI: all its stored values, or those a feed run wrote. For an installation whose
 * demo values do not fit the city. The person confirms by typing the KPI's id; audited with
 * the number of values removed. Form entries keep their history.
 */
export function emptyKpi(
	db: DbOrTx,
	actor: Principal,
	input: { kpiId: string; confirmation: string; runId?: string | null },
	now: Date
): CatalogueAnswer<{ removed: number }> {
	if (input.confirmation.trim() !== input.kpiId) {
		return {
			ok: false,
			fieldErrors: {
				confirmation: 'Zur Bestätigung bitte die Kennung der Kennzahl genau abtippen.'
			}
		};
	}
	return db.transaction((tx): CatalogueAnswer<{ removed: number }> => {
		const kpi = loadDefinition(tx, input.kpiId);
		if (!kpi) return { ok: false, fieldErrors: { _form: 'Diese Kennzahl gibt es nicht (mehr).' } };
		if (isDerived(kpi.formula)) {
			return {
				ok: false,
				fieldErrors: {
					_form:
						'Eine berechnete Kennzahl hat keine eigenen Werte; bitte ihre Ausgangskennzahlen leeren.'
				}
			};
		}
		if (input.runId) {
			const run = tx
				.select({ id: feedRuns.id })
				.from(feedRuns)
				.where(eq(feedRuns.id, input.runId))
				.get();
			if (!run) return { ok: false, fieldErrors: { runId: 'Diesen Lauf gibt es nicht.' } };
		}
		const where = input.runId
			? and(eq(observations.kpiId, kpi.id), eq(observations.sourceRef, input.runId))
			: eq(observations.kpiId, kpi.id);
		const removed = tx.delete(observations).where(where).run().changes;
		if (!input.runId) {
			tx.delete(previewObservations).where(eq(previewObservations.kpiId, kpi.id)).run();
			tx.delete(cellBases).where(eq(cellBases.kpiId, kpi.id)).run();
		}
		appendAudit(
			tx,
			{
				userId: actor.id,
				action: 'kpi.empty',
				entity: 'kpi',
				entityId: kpi.id,
				newValue: { removed, ...(input.runId ? { run: input.runId } : {}) }
			},
			now
		);
		rebuildSnapshots(tx, [kpi.id], now);
		return { ok: true, item: { removed } };
	});
}

/** The date of each KPI's latest stored value, for the admin's list. */
export function latestPeriods(db: DbOrTx, ids: string[]): Map<string, string> {
	if (ids.length === 0) return new Map();
	return new Map(
		db
			.select({ kpiId: observations.kpiId, period: sql<string>`max(${observations.period})` })
			.from(observations)
			.where(inArray(observations.kpiId, ids))
			.groupBy(observations.kpiId)
			.all()
			.map((r) => [r.kpiId, r.period])
	);
}

/** What `/verwaltung/kennzahlen` lists: the whole catalogue and each KPI's latest value date. */
export interface CatalogueOverview {
	areas: Area[];
	dimensions: CatalogueFile['dimensions'];
	kpis: (StoredDefinition & { lastPeriod: string | null })[];
}

export function catalogueOverview(db: DbOrTx): CatalogueOverview {
	const catalogue = currentCatalogue(db);
	const latest = latestPeriods(
		db,
		catalogue.kpis.map((k) => k.id)
	);
	return {
		areas: catalogue.areas,
		dimensions: catalogue.dimensions,
		kpis: catalogue.kpis.map((k) => ({ ...k, lastPeriod: latest.get(k.id) ?? null }))
	};
}
