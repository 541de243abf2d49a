import type { DbOrTx } from '#server/db/connection';
import { changeLog } from '#server/db/schema';
import type { EntityName } from '#shared/protocol';
import type { Visibility } from '#shared/kpi';

const WIDTH: Record<Visibility, number> = { internal: 0, council: 1, public: 2 };

/** The wider of two visibilities: a change must reach everyone who saw the entity before or after. */
export function widerVisibility(a: Visibility, b: Visibility): Visibility {
	return WIDTH[a] >= WIDTH[b] ? a : b;
}

/** Appends a change; call inside the transaction that makes the change. */
export function recordChange(
	db: DbOrTx,
	change: {
		entity: EntityName;
		id: string;
		op: 'put' | 'delete';
		areaId: string;
		/** Who may pull it: a KPI visibility, or `entries` for the area's editors and leads. */
		visibility: Visibility | 'entries';
	},
	now: Date
): void {
	db.insert(changeLog)
		.values({
			entity: change.entity,
			entityId: change.id,
			op: change.op,
			areaId: change.areaId,
			visibility: change.visibility,
			changedAt: now.toISOString()
		})
		.run();
}
