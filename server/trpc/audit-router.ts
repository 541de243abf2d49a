import { and, asc, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '#server/db/connection';
import { auditLog, users } from '#server/db/schema';
import { parseIsoDate } from '#shared/periods';
import { cityDayStart } from '#server/city-time';
import { authedProcedure, klarError, router } from './init';

/** Days in the filter are days in the city, whatever time zone the server runs in. */
const IsoDay = z.string().refine((value) => parseIsoDate(value) !== null, 'Expected YYYY-MM-DD');

export const AuditListInput = z.object({
	userId: z.string().max(100).optional(),
	action: z.string().max(100).optional(),
	entity: z.string().max(100).optional(),
	/** Part of the entity id (observation ids are long: `kpi|period|dimensions`). */
	entityId: z.string().max(200).optional(),
	from: IsoDay.optional(),
	/** Inclusive. */
	to: IsoDay.optional(),
	/** Id cursor: only records older than this one. */
	before: z.number().int().positive().optional(),
	limit: z.number().int().min(1).max(200).default(50)
});
export type AuditListInput = z.input<typeof AuditListInput>;

export interface AuditRecord {
	id: number;
	at: string;
	userId: string | null;
	userName: string | null;
	action: string;
	entity: string;
	entityId: string;
	oldValue: unknown;
	newValue: unknown;
}

function parseValue(text: string | null): unknown {
	if (text === null) return null;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** One page of the audit log, newest first, with what the filter form offers. */
export function listAudit(db: DbOrTx, filter: z.output<typeof AuditListInput>) {
	const where: SQL[] = [];
	if (filter.userId) where.push(eq(auditLog.userId, filter.userId));
	if (filter.action) where.push(eq(auditLog.action, filter.action));
	if (filter.entity) where.push(eq(auditLog.entity, filter.entity));
	if (filter.entityId) where.push(sql`instr(${auditLog.entityId}, ${filter.entityId}) > 0`);
	if (filter.from) where.push(gte(auditLog.at, cityDayStart(filter.from)));
	if (filter.to) where.push(lt(auditLog.at, cityDayStart(filter.to, 1)));
	if (filter.before) where.push(lt(auditLog.id, filter.before));
	const found = db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			userId: auditLog.userId,
			userName: users.displayName,
			action: auditLog.action,
			entity: auditLog.entity,
			entityId: auditLog.entityId,
			oldValue: auditLog.oldValue,
			newValue: auditLog.newValue
		})
		.from(auditLog)
		.leftJoin(users, eq(users.id, auditLog.userId))
		.where(and(...where))
		.orderBy(desc(auditLog.id))
		.limit(filter.limit + 1)
		.all();
	const page = found.slice(0, filter.limit);
	const rows: AuditRecord[] = page.map((row) => ({
		...row,
		oldValue: parseValue(row.oldValue),
		newValue: parseValue(row.newValue)
	}));
	return {
		rows,
		nextBefore: found.length > filter.limit ? page.at(-1)!.id : null,
		users: db
			.select({ id: users.id, displayName: users.displayName })
			.from(users)
			.orderBy(asc(users.displayName))
			.all(),
		actions: db
			.selectDistinct({ action: auditLog.action })
			.from(auditLog)
			.orderBy(asc(auditLog.action))
			.all()
			.map((r) => r.action),
		entities: db
			.selectDistinct({ entity: auditLog.entity })
			.from(auditLog)
			.orderBy(asc(auditLog.entity))
			.all()
			.map((r) => r.entity)
	};
}

/**
 * The audit log is read here (admins only, by the permission table) and nowhere written to but
 * by appendAudit: no update, no delete.
 */
export const auditRouter = router({
	list: authedProcedure.input(AuditListInput).query(({ ctx, input }) => {
		if (input.from && input.to && input.from > input.to) {
			throw klarError(
				'BAD_REQUEST',
				'from is after to',
				'Das Datum „von“ darf nicht nach dem Datum „bis“ liegen.'
			);
		}
		return listAudit(ctx.db, input);
	})
});
