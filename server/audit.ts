import type { DbOrTx } from '#server/db/connection';
import { auditLog } from '#server/db/schema';

export interface AuditEvent {
	userId: string | null;
	action: string;
	entity: string;
	entityId: string;
	oldValue?: unknown;
	newValue?: unknown;
}

/** Appends to the audit log; call inside the transaction of the change it records. */
export function appendAudit(db: DbOrTx, event: AuditEvent, at: Date): void {
	db.insert(auditLog)
		.values({
			at: at.toISOString(),
			userId: event.userId,
			action: event.action,
			entity: event.entity,
			entityId: event.entityId,
			oldValue: event.oldValue === undefined ? null : JSON.stringify(event.oldValue),
			newValue: event.newValue === undefined ? null : JSON.stringify(event.newValue)
		})
		.run();
}
