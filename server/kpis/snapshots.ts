import { eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import {
	districts,
	facilities,
	meta,
	observations,
	previewObservations,
	snapshots
} from '#server/db/schema';
import { recordChange } from '#server/sync/change-log';
import { cityToday } from '#server/clock';
import { aggregate, buildSnapshot, derivedAggregate, membersOf, type Aggregate } from './aggregate';
import type { BreakdownRow, KpiSnapshot } from '#shared/kpi';
import { discloseSnapshot, hidesSomething } from './disclosure';
import {
	loadDefinitions,
	loadDefinitionsByIds,
	loadDimensions,
	type StoredDefinition
} from './catalogue';
import { isDerived, type KpiFormula } from '#shared/catalogue';

function dimensionLabels(db: DbOrTx): Map<string, Map<string, string>> {
	const labels = new Map<string, Map<string, string>>();
	labels.set(
		'facility',
		new Map(
			db
				.select({ id: facilities.id, name: facilities.name })
				.from(facilities)
				.all()
				.map((f) => [f.id, f.name])
		)
	);
	labels.set(
		'district',
		new Map(
			db
				.select({ id: districts.id, name: districts.name })
				.from(districts)
				.all()
				.map((d) => [d.id, d.name])
		)
	);
	for (const dimension of loadDimensions(db)) {
		if (dimension.source === 'list') {
			labels.set(dimension.id, new Map(dimension.members.map((m) => [m.id, m.label])));
		}
	}
	return labels;
}

/**
 * Recomputes the snapshots of the given KPIs (and of every KPI derived from them) and writes
 * those whose content changed, each with a change-log entry. Returns the ids that changed.
 * An unchanged result writes nothing, so re-importing the same data creates no sync traffic.
 */
export function rebuildSnapshots(db: DbOrTx, kpiIds: string[] | 'all', now: Date): string[] {
	const today = cityToday(now);
	// Retired KPIs keep their last snapshot on the server; phones no longer get it.
	const definitions = loadDefinitions(db).filter((d) => d.active);
	const byId = new Map(definitions.map((d) => [d.id, d]));
	const formulas = new Map(definitions.map((d) => [d.id, d.formula]));
	const wanted = new Set(kpiIds === 'all' ? definitions.map((d) => d.id) : kpiIds);
	// Every KPI derived from a wanted one, however many formulas lie between.
	for (let grew = true; grew;) {
		grew = false;
		for (const d of definitions) {
			if (
				!wanted.has(d.id) &&
				isDerived(d.formula) &&
				d.formula.inputs.some((i) => wanted.has(i))
			) {
				wanted.add(d.id);
				grew = true;
			}
		}
	}
	const labels = dimensionLabels(db);
	const observationRows = (id: string) =>
		db
			.select({
				period: observations.period,
				dimensionKey: observations.dimensionKey,
				value: observations.value
			})
			.from(observations)
			.where(eq(observations.kpiId, id))
			.all();
	const previews = loadPreviews(db);
	const released = evaluator(byId, observationRows);
	// Internal readers see entries that await release: the released rows with the preview on top.
	// A KPI without preview cells is the same for them, so its released aggregate serves both.
	const withPreview = evaluator(byId, (id) => overlay(observationRows(id), previews.get(id)));
	// A KPI none of whose base inputs awaits release is the same for them.
	const preview = (id: string) =>
		baseInputsOf(id, formulas).some((input) => previews.has(input))
			? withPreview(id)
			: released(id);

	const changed: string[] = [];
	const computedAt = now.toISOString();
	const releasedSnapshots = new Map<string, KpiSnapshot>();
	const releasedSnapshot = (id: string) => {
		let snapshot = releasedSnapshots.get(id);
		const definition = byId.get(id);
		if (!snapshot && definition) {
			snapshot = computeSnapshot(definition, released, labels, today, computedAt);
			releasedSnapshots.set(id, snapshot);
		}
		return snapshot;
	};
	// Derived KPIs inherit what their inputs hide, so inputs outside `wanted` are disclosed too.
	const disclosedView = discloser((id) => byId.get(id), releasedSnapshot);
	db.transaction((tx) => {
		for (const id of wanted) {
			const definition = byId.get(id);
			if (!definition) continue;
			const snapshot = releasedSnapshot(id)!;
			const disclosed = disclosedView(id);
			const inputs = baseInputsOf(id, formulas);
			const provisionalPeriods = [
				...new Set(
					inputs.flatMap((input) => [...(previews.get(input)?.keys() ?? [])].map(periodOfCell))
				)
			].sort();
			const internal = provisionalPeriods.length
				? {
						...computeSnapshot(definition, preview, labels, today, computedAt),
						provisionalPeriods
					}
				: null;
			const stored = tx
				.select({
					payload: snapshots.payload,
					internalPayload: snapshots.internalPayload,
					disclosedPayload: snapshots.disclosedPayload
				})
				.from(snapshots)
				.where(eq(snapshots.kpiId, id))
				.get();
			const releasedChanged = !stored || !sameContent(JSON.parse(stored.payload), snapshot);
			const internalChanged = stored
				? !sameOptional(stored.internalPayload, internal)
				: internal !== null;
			const disclosedChanged = stored
				? !sameOptional(stored.disclosedPayload, disclosed)
				: disclosed !== null;
			if (!releasedChanged && !internalChanged && !disclosedChanged) continue;
			// A view whose content did not change stays byte for byte what its readers hold (a new
			// computedAt would make it differ without a change they are told about).
			const payload = releasedChanged || !stored ? JSON.stringify(snapshot) : stored.payload;
			const internalPayload = internal ? JSON.stringify(internal) : null;
			const disclosedPayload =
				disclosedChanged || !stored
					? disclosed && JSON.stringify(disclosed)
					: stored.disclosedPayload;
			tx.insert(snapshots)
				.values({ kpiId: id, payload, internalPayload, disclosedPayload, computedAt })
				.onConflictDoUpdate({
					target: snapshots.kpiId,
					set: { payload, internalPayload, disclosedPayload, computedAt }
				})
				.run();
			changed.push(id);
			// Two audiences hold different views. Those who see small counts hold `internal` or
			// `released`; they are exactly the readers of the area's internal figures, which the
			// change log's `internal` scope reaches. Everyone else holds `disclosed` or `released`.
			const othersBefore = stored
				? (JSON.parse(stored.disclosedPayload ?? stored.payload) as KpiSnapshot)
				: null;
			const othersChanged = !othersBefore || !sameContent(othersBefore, disclosed ?? snapshot);
			const insidersBefore = stored
				? (JSON.parse(stored.internalPayload ?? stored.payload) as KpiSnapshot)
				: null;
			const insidersChanged = !insidersBefore || !sameContent(insidersBefore, internal ?? snapshot);
			if (!othersChanged && !insidersChanged) continue;
			recordChange(
				tx,
				{
					entity: 'snapshot.v2',
					id,
					op: 'put',
					areaId: definition.areaId,
					visibility: othersChanged ? definition.visibility : 'internal'
				},
				now
			);
		}
	});
	return changed;
}

/**
 * The disclosed view of each KPI from its released snapshot, or null where its rule hides
 * nothing. A derived KPI is disclosed after its inputs, whose marks it inherits. `storedOf`
 * returns a disclosed view computed earlier (trusted as is).
 */
function discloser(
	definitionOf: (id: string) => StoredDefinition | undefined,
	releasedOf: (id: string) => KpiSnapshot | undefined,
	storedOf: (id: string) => KpiSnapshot | null | undefined = () => undefined
): (id: string) => KpiSnapshot | null {
	const cache = new Map<string, KpiSnapshot | null>();
	const disclosedOf = (id: string): KpiSnapshot | null => {
		if (cache.has(id)) return cache.get(id)!;
		cache.set(id, null); // a cycle in the catalogue must not recurse forever
		let result: KpiSnapshot | null = storedOf(id) ?? null;
		const definition = definitionOf(id);
		const snapshot = releasedOf(id);
		if (!result && definition && snapshot) {
			const formula = definition.formula;
			const disclosed = discloseSnapshot(
				snapshot,
				isDerived(formula)
					? { kind: 'derived', inputs: formula.inputs.map((i) => disclosedOf(i)?.suppressed) }
					: {
							kind: 'count',
							minCount: definition.disclosureMinCount,
							accumulation: formula.kind
						}
			);
			result = hidesSomething(disclosed) ? disclosed : null;
		}
		cache.set(id, result);
		return result;
	};
	return disclosedOf;
}

/** The inputs of a derived KPI (none for a base KPI). */
function inputsOf(definition: StoredDefinition): string[] {
	return isDerived(definition.formula) ? definition.formula.inputs : [];
}

/** The base KPIs a KPI's values come from: itself, or its formula's inputs, recursively. */
function baseInputsOf(
	id: string,
	formulas: Map<string, KpiFormula>,
	seen = new Set<string>()
): string[] {
	const formula = formulas.get(id);
	if (!formula || !isDerived(formula)) return [id];
	if (seen.has(id)) return [];
	seen.add(id);
	return [...new Set(formula.inputs.flatMap((input) => baseInputsOf(input, formulas, seen)))];
}

/** The meta key `ensureDisclosedSnapshots` sets once every snapshot has its disclosed view. */
const DISCLOSED_VIEWS_COMPLETE = 'disclosed_views_complete';

/**
 * Whether an empty disclosed payload means "nothing hidden". Before the backfill it may also
 * mean "not computed yet" (a database from before the column).
 */
function disclosedViewsComplete(db: DbOrTx): boolean {
	return !!db
		.select({ value: meta.value })
		.from(meta)
		.where(eq(meta.key, DISCLOSED_VIEWS_COMPLETE))
		.get();
}

/**
 * The views for readers who do not see small counts. Once the backfill has run, an empty
 * disclosed payload means the rule hides nothing and the released view serves. Before it (a
 * database from before the column), the missing views are computed here from the released
 * payloads, so the raw payload never stands in for them.
 */
export function disclosedViews(
	db: DbOrTx,
	stored: Map<string, StoredSnapshot>,
	ids: string[]
): Map<string, KpiSnapshot> {
	const result = new Map<string, KpiSnapshot>();
	const missing: string[] = [];
	const complete = ids.length > 0 && disclosedViewsComplete(db);
	for (const id of ids) {
		const snapshot = stored.get(id);
		if (!snapshot) continue;
		if (snapshot.disclosed) result.set(id, snapshot.disclosed);
		else if (complete) result.set(id, snapshot.released);
		else missing.push(id);
	}
	if (missing.length === 0) return result;
	const definitions = new Map<string, StoredDefinition>();
	const snapshotsById = new Map(stored);
	let wanted = missing;
	// Definitions and stored snapshots of the missing KPIs and, transitively, their inputs.
	while (wanted.length) {
		for (const d of loadDefinitionsByIds(db, wanted)) definitions.set(d.id, d);
		const inputs = wanted
			.flatMap((id) => (definitions.has(id) ? inputsOf(definitions.get(id)!) : []))
			.filter((id) => !definitions.has(id));
		for (const [id, s] of loadSnapshots(
			db,
			inputs.filter((id) => !snapshotsById.has(id))
		)) {
			snapshotsById.set(id, s);
		}
		wanted = [...new Set(inputs)];
	}
	const disclosedOf = discloser(
		(id) => definitions.get(id),
		(id) => snapshotsById.get(id)?.released,
		(id) => snapshotsById.get(id)?.disclosed
	);
	for (const id of missing) {
		result.set(id, disclosedOf(id) ?? snapshotsById.get(id)!.released);
	}
	return result;
}

/**
 * Stores the disclosed view of every snapshot that has none although its rule hides something
 * (a database from before the column), with a change-log entry, so devices that hold raw small
 * counts from before get the disclosed view at their next sync. Then it notes that the views
 * are complete: `rebuildSnapshots` keeps them so from here on, and neither this (at every
 * server start) nor each pull has to compute them again. Idempotent; returns the ids.
 */
export function ensureDisclosedSnapshots(db: DbOrTx, now: Date): string[] {
	return db.transaction((tx) => {
		const t = tx;
		if (disclosedViewsComplete(t)) return [];
		const missing = t
			.select({ kpiId: snapshots.kpiId })
			.from(snapshots)
			.where(isNull(snapshots.disclosedPayload))
			.all()
			.map((r) => r.kpiId);
		const stored = loadSnapshots(t, missing);
		const definitions = new Map(loadDefinitionsByIds(t, missing).map((d) => [d.id, d]));
		const views = disclosedViews(t, stored, missing);
		const written: string[] = [];
		for (const id of missing) {
			const view = views.get(id);
			const definition = definitions.get(id);
			if (!view || !definition || !hidesSomething(view)) continue;
			t.update(snapshots)
				.set({ disclosedPayload: JSON.stringify(view) })
				.where(eq(snapshots.kpiId, id))
				.run();
			recordChange(
				t,
				{
					entity: 'snapshot.v2',
					id,
					op: 'put',
					areaId: definition.areaId,
					visibility: definition.visibility
				},
				now
			);
			written.push(id);
		}
		// Only now: disclosedViews above must still compute what is missing.
		t.insert(meta).values({ key: DISCLOSED_VIEWS_COMPLETE, value: now.toISOString() }).run();
		return written;
	});
}

type Row = { period: string; dimensionKey: string; value: number | null };
type Preview = Map<string, { value: number | null; removed: boolean }>;

const cellId = (period: string, dimensionKey: string) => `${period}\u0000${dimensionKey}`;
const periodOfCell = (id: string) => id.slice(0, id.indexOf('\u0000'));

/** Preview cells by KPI, keyed by period and dimension. */
function loadPreviews(db: DbOrTx): Map<string, Preview> {
	const byKpi = new Map<string, Preview>();
	for (const row of db.select().from(previewObservations).all()) {
		let cells = byKpi.get(row.kpiId);
		if (!cells) byKpi.set(row.kpiId, (cells = new Map()));
		cells.set(cellId(row.period, row.dimensionKey), { value: row.value, removed: row.removed });
	}
	return byKpi;
}

/** The released rows with the preview's cells replaced, added or removed. */
export function overlay(rows: Row[], preview: Preview | undefined): Row[] {
	if (!preview?.size) return rows;
	const result: Row[] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		const id = cellId(row.period, row.dimensionKey);
		const cell = preview.get(id);
		seen.add(id);
		if (!cell) result.push(row);
		else if (!cell.removed) result.push({ ...row, value: cell.value });
	}
	for (const [id, cell] of preview) {
		if (seen.has(id) || cell.removed) continue;
		const split = id.indexOf('\u0000');
		result.push({
			period: id.slice(0, split),
			dimensionKey: id.slice(split + 1),
			value: cell.value
		});
	}
	return result;
}

/**
 * Evaluates KPIs on demand (each once): a base KPI aggregates the rows a source gives, a derived
 * KPI combines its inputs' evaluations (recursively, so a derived KPI may build on another).
 */
function evaluator(
	definitions: Map<string, StoredDefinition>,
	rowsOf: (id: string) => Row[]
): (id: string) => Aggregate {
	const cache = new Map<string, Aggregate>();
	const evaluate = (id: string, trail: readonly string[] = []): Aggregate => {
		let result = cache.get(id);
		if (result) return result;
		const definition = definitions.get(id);
		if (!definition) throw new Error(`KPI ${id} is not in the catalogue`);
		const formula = definition.formula;
		if (!isDerived(formula)) {
			result = aggregate(rowsOf(id), formula.kind);
		} else {
			if (trail.includes(id))
				throw new Error(`Formula cycle through ${[...trail, id].join(' -> ')}`);
			const inputs = formula.inputs.map((input) => ({
				aggregate: evaluate(input, [...trail, id]),
				cadence: definitions.get(input)!.cadence
			}));
			result = derivedAggregate(formula.kind, inputs, definition.cadence);
		}
		cache.set(id, result);
		return result;
	};
	return (id) => evaluate(id);
}

function sameOptional(stored: string | null, next: KpiSnapshot | null): boolean {
	if (stored === null || next === null) return stored === null && next === null;
	return sameContent(JSON.parse(stored), next);
}

function sameContent(a: KpiSnapshot, b: KpiSnapshot): boolean {
	return JSON.stringify({ ...a, computedAt: '' }) === JSON.stringify({ ...b, computedAt: '' });
}

function computeSnapshot(
	definition: StoredDefinition,
	evaluate: (id: string) => Aggregate,
	labels: Map<string, Map<string, string>>,
	today: Date,
	computedAt: string,
	seriesLength?: number
): KpiSnapshot {
	const dimension = definition.dimensions[0] ?? null;
	const label = (key: string) => {
		const member = dimension ? membersOf(key)[dimension] : undefined;
		return member === undefined ? key : (labels.get(dimension!)?.get(member) ?? member);
	};
	const memberOf = (key: string) => (dimension ? membersOf(key)[dimension] : undefined) ?? key;
	const { series, latestByMember } = evaluate(definition.id);
	const rows: BreakdownRow[] = [...latestByMember].map(([key, latest]) => ({
		key: memberOf(key),
		label: label(key),
		value: latest.value,
		...(latest.reference !== undefined ? { reference: latest.reference } : {}),
		asOf: latest.period
	}));
	rows.sort((x, y) => x.label.localeCompare(y.label, 'de'));
	const basis = definition.comparison;
	return buildSnapshot(
		definition,
		series,
		{ dimension, rows: dimension ? rows : [] },
		today,
		computedAt,
		{
			basis,
			planSeries: basis.kind === 'plan_pro_rata' ? evaluate(basis.plan).series : undefined
		},
		seriesLength
	);
}

/**
 * A KPI's whole history – every period since its first value, not only the snapshot's window
 * that phones keep – from the released values, with small counts withheld for readers who may
 * not see them (`disclosed`), exactly as their snapshot is. Computed on request: the history is
 * loaded when a person asks for it, and the device keeps it once viewed.
 */
export function fullHistory(
	db: DbOrTx,
	kpiId: string,
	disclosed: boolean,
	now: Date
): KpiSnapshot | null {
	return fullHistories(db, [kpiId], disclosed, now).get(kpiId) ?? null;
}

/**
 * The whole histories of several active KPIs at once (open data publishes every public one),
 * sharing one evaluation of the KPIs they are derived from. Unknown or retired ids are left out.
 */
export function fullHistories(
	db: DbOrTx,
	kpiIds: string[],
	disclosed: boolean,
	now: Date
): Map<string, KpiSnapshot> {
	const definitions = loadDefinitions(db).filter((d) => d.active);
	const byId = new Map(definitions.map((d) => [d.id, d]));
	const result = new Map<string, KpiSnapshot>();
	const wanted = kpiIds.filter((id) => byId.has(id));
	if (wanted.length === 0) return result;
	const rows = (id: string) =>
		db
			.select({
				period: observations.period,
				dimensionKey: observations.dimensionKey,
				value: observations.value
			})
			.from(observations)
			.where(eq(observations.kpiId, id))
			.all();
	const released = evaluator(byId, rows);
	const labels = dimensionLabels(db);
	const today = cityToday(now);
	const computedAt = now.toISOString();
	const cache = new Map<string, KpiSnapshot>();
	const whole = (id: string) => {
		const definition = byId.get(id);
		if (!definition) return undefined;
		let snapshot = cache.get(id);
		if (!snapshot) {
			snapshot = computeSnapshot(definition, released, labels, today, computedAt, Infinity);
			cache.set(id, snapshot);
		}
		return snapshot;
	};
	// Withheld like the snapshot: small counts and the steps and inputs that would reveal them.
	const withheld = disclosed ? discloser((id) => byId.get(id), whole) : null;
	for (const id of wanted) result.set(id, withheld?.(id) ?? whole(id)!);
	return result;
}

export interface StoredSnapshot {
	/** What the released observations give. */
	released: KpiSnapshot;
	/** With values that await release, for the area's internal readers; null when none await. */
	internal: KpiSnapshot | null;
	/** With small counts withheld; null when none is stored (nothing hidden, or not yet computed). */
	disclosed: KpiSnapshot | null;
}

/** Stored snapshots with their three views. */
export function loadSnapshots(db: DbOrTx, ids: string[]): Map<string, StoredSnapshot> {
	if (ids.length === 0) return new Map();
	return new Map(
		db
			.select({
				kpiId: snapshots.kpiId,
				payload: snapshots.payload,
				internalPayload: snapshots.internalPayload,
				disclosedPayload: snapshots.disclosedPayload
			})
			.from(snapshots)
			.where(inArray(snapshots.kpiId, ids))
			.all()
			.map((r) => [
				r.kpiId,
				{
					released: JSON.parse(r.payload) as KpiSnapshot,
					internal: r.internalPayload ? (JSON.parse(r.internalPayload) as KpiSnapshot) : null,
					disclosed: r.disclosedPayload ? (JSON.parse(r.disclosedPayload) as KpiSnapshot) : null
				}
			])
	);
}
