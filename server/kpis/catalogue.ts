import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '#server/db/connection';
import { areas, dimensions, kpiDefinitions } from '#server/db/schema';
import {
	AreaV1,
	CatalogueKpiV1,
	ComparisonBasisV1,
	DimensionV1,
	KpiFormulaV1,
	KpiViewV1,
	type Area,
	type CatalogueKpi,
	type Dimension,
	type KpiDefinition
} from '#shared/catalogue';
import type { Visibility } from '#shared/kpi';
import { appendAudit } from '#server/audit';
import { recordChange, widerVisibility } from '#server/sync/change-log';

/**
 * The stored catalogue: areas, dimensions and KPI definitions, read and written as the shared
 * shapes of `#shared/catalogue`. Writes that change what phones hold go with a change-log entry;
 * `catalogue-admin.ts` checks and audits the changes people make.
 */

type KpiRow = typeof kpiDefinitions.$inferSelect;

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
	formula: kpiDefinitions.formula,
	view: kpiDefinitions.view,
	comparison: kpiDefinitions.comparison,
	active: kpiDefinitions.active
};

/** A KPI as stored: every field of the catalogue, retired ones included (`active: false`). */
export type StoredDefinition = CatalogueKpi;

function fromRow(row: Omit<KpiRow, 'updatedAt'>): StoredDefinition {
	return CatalogueKpiV1.parse({
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
		sortOrder: row.sortOrder,
		active: row.active,
		formula: KpiFormulaV1.parse(JSON.parse(row.formula)),
		view: KpiViewV1.parse(JSON.parse(row.view)),
		comparison: ComparisonBasisV1.parse(JSON.parse(row.comparison))
	});
}

export function toRow(definition: CatalogueKpi, now: Date): typeof kpiDefinitions.$inferInsert {
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
		formula: JSON.stringify(definition.formula),
		view: JSON.stringify(definition.view),
		comparison: JSON.stringify(definition.comparison),
		active: definition.active,
		updatedAt: now.toISOString()
	};
}

/** Every KPI of the catalogue, retired ones included, in catalogue order. */
export function loadDefinitions(db: DbOrTx): StoredDefinition[] {
	return db
		.select(definitionColumns)
		.from(kpiDefinitions)
		.orderBy(asc(kpiDefinitions.sortOrder), asc(kpiDefinitions.id))
		.all()
		.map(fromRow);
}

/** The KPIs that are in use: what phones, snapshots and feeds work with. */
export function activeDefinitions(db: DbOrTx): StoredDefinition[] {
	return loadDefinitions(db).filter((d) => d.active);
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

/** What a phone gets of a definition: everything but the catalogue's bookkeeping. */
export function publicDefinition({
	active: _active,
	...definition
}: StoredDefinition): KpiDefinition {
	return definition;
}

export function loadAreas(db: DbOrTx): Area[] {
	return db
		.select({
			id: areas.id,
			title: areas.title,
			description: areas.description,
			sortOrder: areas.sortOrder,
			openDataTheme: areas.openDataTheme
		})
		.from(areas)
		.orderBy(asc(areas.sortOrder), asc(areas.id))
		.all()
		.map((row) => AreaV1.parse(row));
}

export function loadDimensions(db: DbOrTx): Dimension[] {
	return db
		.select({
			id: dimensions.id,
			title: dimensions.title,
			source: dimensions.source,
			members: dimensions.members
		})
		.from(dimensions)
		.orderBy(asc(dimensions.sortOrder), asc(dimensions.id))
		.all()
		.map((row) => DimensionV1.parse({ ...row, members: JSON.parse(row.members) }));
}

/** Areas are catalogue data everyone may read: the phone names and orders them. */
export const AREA_SCOPE = { visibility: 'public' as const };
/** Dimensions name the members of breakdowns and pickers: public like the areas. */
export const DIMENSION_SCOPE = { areaId: 'catalogue', visibility: 'public' as const };

/**
 * Stores a KPI definition and tells the phones that may see it (before or after) about it and
 * its snapshot. The caller has checked it against the catalogue and audits the change.
 */
export function storeDefinition(
	db: DbOrTx,
	definition: CatalogueKpi,
	before: StoredDefinition | null,
	now: Date
): void {
	const row = toRow(definition, now);
	db.insert(kpiDefinitions)
		.values(row)
		.onConflictDoUpdate({ target: kpiDefinitions.id, set: row })
		.run();
	const scope = {
		areaId: definition.areaId,
		visibility: before
			? widerVisibility(before.visibility, definition.visibility)
			: definition.visibility
	};
	for (const entity of ['kpi.v2', 'snapshot.v2'] as const) {
		recordChange(db, { entity, id: definition.id, op: 'put', ...scope }, now);
	}
	// A KPI that moved to another area leaves the old area's scope too.
	if (before && before.areaId !== definition.areaId) {
		for (const entity of ['kpi.v2', 'snapshot.v2'] as const) {
			recordChange(
				db,
				{
					entity,
					id: definition.id,
					op: 'put',
					areaId: before.areaId,
					visibility: scope.visibility
				},
				now
			);
		}
	}
}

export function storeArea(db: DbOrTx, area: Area, now: Date): void {
	const row = {
		id: area.id,
		title: area.title,
		description: area.description,
		sortOrder: area.sortOrder,
		openDataTheme: area.openDataTheme
	};
	db.insert(areas).values(row).onConflictDoUpdate({ target: areas.id, set: row }).run();
	recordChange(
		db,
		{ entity: 'area.v1', id: area.id, op: 'put', areaId: area.id, ...AREA_SCOPE },
		now
	);
}

export function storeDimension(
	db: DbOrTx,
	dimension: Dimension,
	sortOrder: number,
	now: Date
): void {
	const row = {
		id: dimension.id,
		title: dimension.title,
		source: dimension.source,
		members: JSON.stringify(dimension.members),
		sortOrder,
		updatedAt: now.toISOString()
	};
	db.insert(dimensions).values(row).onConflictDoUpdate({ target: dimensions.id, set: row }).run();
	recordChange(
		db,
		{ entity: 'dimension.v1', id: dimension.id, op: 'put', ...DIMENSION_SCOPE },
		now
	);
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
		const old = loadDefinition(tx, kpiId);
		if (!old) throw new Error(`Unknown KPI ${kpiId}`);
		if (old.visibility === visibility) return;
		storeDefinition(tx, { ...old, visibility }, old, now);
		appendAudit(
			tx,
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
