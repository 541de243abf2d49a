import { eq, inArray } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { districts, facilities, observations, snapshots } from '../db/schema';
import { recordChange } from '../sync/change-log';
import {
	aggregate,
	buildSnapshot,
	combineSeries,
	difference,
	membersOf,
	ratioPercent,
	type Accumulation,
	type Aggregate
} from '../../src/lib/kpis/aggregate';
import { STATIC_DIMENSION_LABELS } from '../../src/lib/kpis/registry';
import type { BreakdownRow, KpiSnapshot } from '../../src/lib/shared/kpi';
import { loadDefinitions, type StoredDefinition } from './catalogue';

type Formula = { kind: Accumulation } | { kind: 'ratio' | 'difference'; a: string; b: string };

const isAccumulation = (spec: string): spec is Accumulation =>
	spec === 'flow' || spec === 'stock' || spec === 'ytd';

/** `flow`, `stock`, `ytd`, `ratio:<a>/<b>` (percent) or `difference:<a>-<b>`. */
export function parseAggregation(spec: string): Formula {
	if (isAccumulation(spec)) return { kind: spec };
	const ratio = /^ratio:([\w.-]+)\/([\w.-]+)$/.exec(spec);
	if (ratio) return { kind: 'ratio', a: ratio[1]!, b: ratio[2]! };
	const diff = /^difference:([\w.-]+)-([\w.-]+)$/.exec(spec);
	if (diff) return { kind: 'difference', a: diff[1]!, b: diff[2]! };
	throw new Error(`Unknown aggregation "${spec}"`);
}

function dimensionLabels(db: KlarDatabase): Map<string, Map<string, string>> {
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
	for (const [dimension, members] of Object.entries(STATIC_DIMENSION_LABELS)) {
		labels.set(dimension, new Map(Object.entries(members)));
	}
	return labels;
}

/**
 * Recomputes the snapshots of the given KPIs (and of every KPI derived from them) and writes
 * those whose content changed, each with a change-log entry. Returns the ids that changed.
 * An unchanged result writes nothing, so re-importing the same data creates no sync traffic.
 */
export function rebuildSnapshots(
	db: KlarDatabase,
	kpiIds: string[] | 'all',
	today = new Date()
): string[] {
	const definitions = loadDefinitions(db);
	const byId = new Map(definitions.map((d) => [d.id, d]));
	const formulas = new Map(definitions.map((d) => [d.id, parseAggregation(d.aggregation)]));
	const wanted = new Set(kpiIds === 'all' ? definitions.map((d) => d.id) : kpiIds);
	for (const d of definitions) {
		const f = formulas.get(d.id)!;
		if ('a' in f && (wanted.has(f.a) || wanted.has(f.b))) wanted.add(d.id);
	}
	const labels = dimensionLabels(db);
	const aggregates = new Map<string, Aggregate>();
	const baseAggregate = (id: string): Aggregate => {
		let result = aggregates.get(id);
		if (!result) {
			const f = formulas.get(id);
			if (!f || 'a' in f) throw new Error(`KPI ${id} is not a base KPI`);
			const rows = db
				.select({
					period: observations.period,
					dimensionKey: observations.dimensionKey,
					value: observations.value
				})
				.from(observations)
				.where(eq(observations.kpiId, id))
				.all();
			result = aggregate(rows, f.kind);
			aggregates.set(id, result);
		}
		return result;
	};

	const changed: string[] = [];
	const computedAt = new Date().toISOString();
	db.transaction((tx) => {
		for (const id of wanted) {
			const definition = byId.get(id);
			if (!definition) continue;
			const snapshot = computeSnapshot(
				definition,
				formulas.get(id)!,
				baseAggregate,
				labels,
				today,
				computedAt
			);
			const stored = tx
				.select({ payload: snapshots.payload })
				.from(snapshots)
				.where(eq(snapshots.kpiId, id))
				.get();
			if (stored && sameContent(JSON.parse(stored.payload), snapshot)) continue;
			const payload = JSON.stringify(snapshot);
			tx.insert(snapshots)
				.values({ kpiId: id, payload, computedAt })
				.onConflictDoUpdate({ target: snapshots.kpiId, set: { payload, computedAt } })
				.run();
			recordChange(tx as unknown as KlarDatabase, {
				entity: 'snapshot.v2',
				id,
				op: 'put',
				areaId: definition.areaId,
				visibility: definition.visibility
			});
			changed.push(id);
		}
	});
	return changed;
}

function sameContent(a: KpiSnapshot, b: KpiSnapshot): boolean {
	return JSON.stringify({ ...a, computedAt: '' }) === JSON.stringify({ ...b, computedAt: '' });
}

function computeSnapshot(
	definition: StoredDefinition,
	formula: Formula,
	baseAggregate: (id: string) => Aggregate,
	labels: Map<string, Map<string, string>>,
	today: Date,
	computedAt: string
): KpiSnapshot {
	const dimension = definition.dimensions[0] ?? null;
	const label = (key: string) => {
		const member = dimension ? membersOf(key)[dimension] : undefined;
		return member === undefined ? key : (labels.get(dimension!)?.get(member) ?? member);
	};
	const memberOf = (key: string) => (dimension ? membersOf(key)[dimension] : undefined) ?? key;
	let series;
	let rows: BreakdownRow[];
	if (!('a' in formula)) {
		const agg = baseAggregate(definition.id);
		series = agg.series;
		rows = [...agg.latestByMember].map(([key, latest]) => ({
			key: memberOf(key),
			label: label(key),
			value: latest.value,
			asOf: latest.period
		}));
	} else {
		const a = baseAggregate(formula.a);
		const b = baseAggregate(formula.b);
		const combine = formula.kind === 'ratio' ? ratioPercent : difference;
		series = combineSeries(a.series, b.series, combine);
		rows = [...a.latestByMember].map(([key, latestA]) => {
			const latestB = b.latestByMember.get(key);
			const value =
				latestA.value === null || latestB?.value == null
					? null
					: combine(latestA.value, latestB.value);
			return {
				key: memberOf(key),
				label: label(key),
				value,
				reference: latestB?.value ?? null,
				asOf: latestA.period
			};
		});
	}
	rows.sort((x, y) => x.label.localeCompare(y.label, 'de'));
	return buildSnapshot(
		definition,
		series,
		{ dimension, rows: dimension ? rows : [] },
		today,
		computedAt
	);
}

export function loadSnapshots(db: KlarDatabase, ids: string[]): Map<string, KpiSnapshot> {
	if (ids.length === 0) return new Map();
	return new Map(
		db
			.select({ kpiId: snapshots.kpiId, payload: snapshots.payload })
			.from(snapshots)
			.where(inArray(snapshots.kpiId, ids))
			.all()
			.map((r) => [r.kpiId, JSON.parse(r.payload) as KpiSnapshot])
	);
}
