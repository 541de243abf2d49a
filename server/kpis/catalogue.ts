import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { kpiDefinitions } from '#server/db/schema';
import { KpiDefinitionV1, type KpiDefinition, type Visibility } from '#shared/kpi';
import { appendAudit } from '#server/audit';
import { recordChange, widerVisibility } from '#server/sync/change-log';

type Row = typeof kpiDefinitions.$inferSelect;

const definitionColumns = {
	id: kpiDefinitions.id,
	areaId: kpiDefinitions.areaId,
	title: kpiDefinitions.title,
	shortTitle: kpiDefinitions.shortTitle,
	description: kpiDefinitions.description,
	method: kpiDefinitions.method,
	unit: kpiDefinitions.unit,
	numberFormat: kpiDefinitions.numberFormat,
	decimals: kpiDefinitions.decimals,
	direction: kpiDefinitions.direction,
	target: kpiDefinitions.target,
	thresholdAmber: kpiDefinitions.thresholdAmber,
	thresholdRed: kpiDefinitions.thresholdRed,
	cadence: kpiDefinitions.cadence,
	graceDays: kpiDefinitions.graceDays,
	dimensions: kpiDefinitions.dimensions,
	sourceKind: kpiDefinitions.sourceKind,
	sourceName: kpiDefinitions.sourceName,
	ownerDepartment: kpiDefinitions.ownerDepartment,
	ownerContact: kpiDefinitions.ownerContact,
	ownerEmail: kpiDefinitions.ownerEmail,
	visibility: kpiDefinitions.visibility,
	disclosureMinCount: kpiDefinitions.disclosureMinCount,
	tags: kpiDefinitions.tags,
	sortOrder: kpiDefinitions.sortOrder,
	aggregation: kpiDefinitions.aggregation
};

export type StoredDefinition = KpiDefinition & { aggregation: string };

function fromRow(row: Omit<Row, 'updatedAt'>): StoredDefinition {
	const definition = KpiDefinitionV1.parse({
		id: row.id,
		areaId: row.areaId,
		title: row.title,
		shortTitle: row.shortTitle,
		description: row.description,
		method: row.method,
		unit: row.unit,
		numberFormat: row.numberFormat,
		decimals: row.decimals,
		direction: row.direction,
		target: row.target,
		thresholds:
			row.thresholdAmber === null || row.thresholdRed === null
				? null
				: { amber: row.thresholdAmber, red: row.thresholdRed },
		cadence: row.cadence,
		graceDays: row.graceDays,
		dimensions: JSON.parse(row.dimensions),
		source: { kind: row.sourceKind, name: row.sourceName },
		owner: {
			department: row.ownerDepartment,
			contact: row.ownerContact,
			...(row.ownerEmail ? { email: row.ownerEmail } : {})
		},
		visibility: row.visibility,
		disclosureMinCount: row.disclosureMinCount,
		tags: JSON.parse(row.tags),
		sortOrder: row.sortOrder
	});
	return { ...definition, aggregation: row.aggregation };
}

export function toRow(
	definition: KpiDefinition,
	aggregation: string
): typeof kpiDefinitions.$inferInsert {
	return {
		id: definition.id,
		areaId: definition.areaId,
		title: definition.title,
		shortTitle: definition.shortTitle,
		description: definition.description,
		method: definition.method,
		unit: definition.unit,
		numberFormat: definition.numberFormat,
		decimals: definition.decimals,
		direction: definition.direction,
		target: definition.target,
		thresholdAmber: definition.thresholds?.amber ?? null,
		thresholdRed: definition.thresholds?.red ?? null,
		cadence: definition.cadence,
		graceDays: definition.graceDays,
		dimensions: JSON.stringify(definition.dimensions),
		sourceKind: definition.source.kind,
		sourceName: definition.source.name,
		ownerDepartment: definition.owner.department,
		ownerContact: definition.owner.contact,
		ownerEmail: definition.owner.email ?? null,
		visibility: definition.visibility,
		disclosureMinCount: definition.disclosureMinCount,
		tags: JSON.stringify(definition.tags),
		sortOrder: definition.sortOrder,
		aggregation
	};
}

export function loadDefinitions(db: DbOrTx): StoredDefinition[] {
	return db
		.select(definitionColumns)
		.from(kpiDefinitions)
		.orderBy(asc(kpiDefinitions.sortOrder))
		.all()
		.map(fromRow);
}

/** The definitions of just these KPIs (a pull page names a few of a large catalogue). */
export function loadDefinitionsByIds(db: DbOrTx, ids: string[]): StoredDefinition[] {
	if (ids.length === 0) return [];
	return db
		.select(definitionColumns)
		.from(kpiDefinitions)
		.where(inArray(kpiDefinitions.id, ids))
		.all()
		.map(fromRow);
}

export function loadDefinition(db: DbOrTx, id: string): StoredDefinition | null {
	const row = db
		.select(definitionColumns)
		.from(kpiDefinitions)
		.where(eq(kpiDefinitions.id, id))
		.get();
	return row ? fromRow(row) : null;
}

/** The public part of a stored definition (what the catalogue sync sends). */
export function publicDefinition({
	aggregation: _aggregation,
	...definition
}: StoredDefinition): KpiDefinition {
	return definition;
}

/**
 * Releases a KPI to a wider audience or withdraws it. The change is logged with the wider of the
 * old and new visibility, so devices that lose the KPI get tombstones and new readers get it.
 */
export function setKpiVisibility(
	db: DbOrTx,
	actorId: string | null,
	kpiId: string,
	visibility: Visibility,
	now: Date
): void {
	db.transaction((tx) => {
		const t = tx;
		const old = loadDefinition(t, kpiId);
		if (!old) throw new Error(`Unknown KPI ${kpiId}`);
		if (old.visibility === visibility) return;
		tx.update(kpiDefinitions)
			.set({ visibility, updatedAt: now.toISOString() })
			.where(eq(kpiDefinitions.id, kpiId))
			.run();
		const scope = { areaId: old.areaId, visibility: widerVisibility(old.visibility, visibility) };
		recordChange(t, { entity: 'kpi.v1', id: kpiId, op: 'put', ...scope }, now);
		recordChange(t, { entity: 'snapshot.v2', id: kpiId, op: 'put', ...scope }, now);
		appendAudit(
			t,
			{
				userId: actorId,
				action: 'kpi.visibility',
				entity: 'kpi',
				entityId: kpiId,
				oldValue: old.visibility,
				newValue: visibility
			},
			now
		);
	});
}
