import { count, eq, gt, max, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '#server/db/connection';
import { areas as areaTable, auditLog, sessions, users } from '#server/db/schema';
import type { Principal, Role } from '#shared/permissions';
import {
	NewUserV1,
	ResetPasswordInputV1,
	SetAccessInputV1,
	type AccountResult,
	type UserListItem
} from '#shared/accounts';
import { fieldErrorsOf } from '#shared/field-errors';
import { appendAudit } from '#server/audit';
import { writeLock } from '#server/db/write-lock';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password';
import { endUserSessions, principalColumns, toPrincipal } from './sessions';

/** Checks a username and password; an unknown user, a wrong password and a disabled account look the same. */
export async function authenticate(
	db: DbOrTx,
	username: string,
	password: string
): Promise<Principal | null> {
	const row = db
		.select({ ...principalColumns, passwordHash: users.passwordHash })
		.from(users)
		.where(eq(users.username, username.trim().toLowerCase()))
		.get();
	if (!row) {
		await burnPasswordCheck(password);
		return null;
	}
	const ok = await verifyPassword(password, row.passwordHash);
	if (!ok || row.disabled) return null;
	return toPrincipal(row);
}

/**
 * The admin's list: every account (or the one named) with its last login and live sessions,
 * never a hash.
 */
export function listUsers(db: DbOrTx, now: Date, only?: string): UserListItem[] {
	const lastLogins = db
		.select({ userId: auditLog.entityId, at: max(auditLog.at).as('at') })
		.from(auditLog)
		.where(eq(auditLog.action, 'auth.login'))
		.groupBy(auditLog.entityId)
		.as('last_logins');
	const liveSessions = db
		.select({ userId: sessions.userId, n: count().as('n') })
		.from(sessions)
		.where(gt(sessions.expiresAt, now.toISOString()))
		.groupBy(sessions.userId)
		.as('live_sessions');
	return db
		.select({
			...principalColumns,
			createdAt: users.createdAt,
			lastLoginAt: lastLogins.at,
			activeSessions: sql<number>`coalesce(${liveSessions.n}, 0)`
		})
		.from(users)
		.leftJoin(lastLogins, eq(lastLogins.userId, users.id))
		.leftJoin(liveSessions, eq(liveSessions.userId, users.id))
		.where(only === undefined ? undefined : eq(users.id, only))
		.orderBy(users.displayName)
		.all()
		.flatMap((row) => {
			const principal = toPrincipal(row);
			if (!principal) return [];
			return [
				{
					...principal,
					disabled: row.disabled,
					createdAt: row.createdAt,
					lastLoginAt: row.lastLoginAt ?? null,
					activeSessions: Number(row.activeSessions)
				}
			];
		});
}

function userItem(db: DbOrTx, userId: string, now: Date): UserListItem {
	const [item] = listUsers(db, now, userId);
	if (!item) throw new Error(`Unknown user ${userId}`);
	return item;
}

const UNKNOWN_USER = { _form: 'Diese Person gibt es nicht (mehr).' };

/** The message for areas the catalogue does not have, or null when all exist. */
function unknownAreasError(db: DbOrTx, wanted: readonly string[]): string | null {
	if (wanted.length === 0) return null;
	const known = new Set(
		db
			.select({ id: areaTable.id })
			.from(areaTable)
			.all()
			.map((row) => row.id)
	);
	const unknown = wanted.filter((area) => !known.has(area));
	return unknown.length === 0
		? null
		: `Diesen Bereich gibt es nicht: ${unknown.map((area) => `„${area}“`).join(', ')}.`;
}

function exists(db: DbOrTx, userId: string): boolean {
	return !!db.select({ id: users.id }).from(users).where(eq(users.id, userId)).get();
}

/** A new account. The password is hashed before the transaction; scrypt takes ~100 ms. */
export async function createUser(
	db: DbOrTx,
	/** Who creates it; null for the command line (`npm run admin -- create`). */
	actor: Pick<Principal, 'id'> | null,
	input: unknown,
	now: Date
): Promise<AccountResult<{ user: UserListItem }>> {
	const parsed = NewUserV1.safeParse(input);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const draft = parsed.data;
	const areaError = unknownAreasError(db, draft.areas);
	if (areaError) return { ok: false, fieldErrors: { areas: areaError } };
	const passwordHash = await hashPassword(draft.password);
	await writeLock.idle();
	const id = randomUUID();
	const created = db.transaction((tx) => {
		const taken = tx
			.select({ id: users.id })
			.from(users)
			.where(eq(users.username, draft.username))
			.get();
		if (taken) return false;
		tx.insert(users)
			.values({
				id,
				username: draft.username,
				displayName: draft.displayName,
				passwordHash,
				role: draft.role,
				areas: JSON.stringify(draft.areas),
				createdAt: now.toISOString(),
				updatedAt: now.toISOString()
			})
			.run();
		appendAudit(
			tx,
			{
				userId: actor?.id ?? null,
				action: 'user.create',
				entity: 'user',
				entityId: id,
				newValue: {
					username: draft.username,
					displayName: draft.displayName,
					role: draft.role,
					areas: draft.areas
				}
			},
			now
		);
		return true;
	});
	if (!created) {
		return { ok: false, fieldErrors: { username: 'Dieser Benutzername ist schon vergeben.' } };
	}
	return { ok: true, user: userItem(db, id, now) };
}

/**
 * Changes what a user may do. Sessions stay, but every request reads the user afresh, and the
 * read-scope fingerprint in the user's sync cursors no longer matches, so devices re-sync with
 * only what the new role may read.
 */
export function setUserAccess(
	db: DbOrTx,
	actorId: string | null,
	userId: string,
	access: { role: Role; areas: string[] },
	now: Date
): void {
	db.transaction((tx) => {
		const old = tx
			.select({ role: users.role, areas: users.areas })
			.from(users)
			.where(eq(users.id, userId))
			.get();
		if (!old) throw new Error(`Unknown user ${userId}`);
		tx.update(users)
			.set({
				role: access.role,
				areas: JSON.stringify(access.areas),
				updatedAt: now.toISOString()
			})
			.where(eq(users.id, userId))
			.run();
		appendAudit(
			tx,
			{
				userId: actorId,
				action: 'user.access',
				entity: 'user',
				entityId: userId,
				oldValue: { role: old.role, areas: JSON.parse(old.areas) },
				newValue: access
			},
			now
		);
	});
}

export function changeUserAccess(
	db: DbOrTx,
	actor: Principal,
	input: unknown,
	now: Date
): AccountResult<{ user: UserListItem }> {
	const parsed = SetAccessInputV1.safeParse(input);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const { userId, role, areas } = parsed.data;
	if (!exists(db, userId)) return { ok: false, fieldErrors: UNKNOWN_USER };
	const areaError = unknownAreasError(db, areas);
	if (areaError) return { ok: false, fieldErrors: { areas: areaError } };
	if (userId === actor.id && role !== 'admin') {
		// Nobody is left to give the right back if the last admin takes it away from themself.
		return {
			ok: false,
			fieldErrors: { role: 'Die eigene Rolle Zentralcontrolling können Sie nicht abgeben.' }
		};
	}
	setUserAccess(db, actor.id, userId, { role, areas }, now);
	return { ok: true, user: userItem(db, userId, now) };
}

/** Disabling ends every session of the account at once; enabling starts none. */
export function setUserDisabled(
	db: DbOrTx,
	actor: Principal,
	userId: string,
	disabled: boolean,
	now: Date
): AccountResult<{ user: UserListItem; endedSessions: number }> {
	if (!exists(db, userId)) return { ok: false, fieldErrors: UNKNOWN_USER };
	if (userId === actor.id && disabled) {
		return {
			ok: false,
			fieldErrors: { _form: 'Ihr eigenes Konto können Sie nicht deaktivieren.' }
		};
	}
	const endedSessions = db.transaction((tx) => {
		tx.update(users)
			.set({ disabled, updatedAt: now.toISOString() })
			.where(eq(users.id, userId))
			.run();
		const ended = disabled ? endUserSessions(tx, userId) : 0;
		appendAudit(
			tx,
			{
				userId: actor.id,
				action: disabled ? 'user.disable' : 'user.enable',
				entity: 'user',
				entityId: userId,
				...(disabled ? { newValue: { endedSessions: ended } } : {})
			},
			now
		);
		return ended;
	});
	return { ok: true, user: userItem(db, userId, now), endedSessions };
}

/** A new password set by an admin ends the account's sessions: whoever had it is out. */
export async function resetUserPassword(
	db: DbOrTx,
	actor: Principal,
	input: unknown,
	now: Date
): Promise<AccountResult<{ user: UserListItem; endedSessions: number }>> {
	const parsed = ResetPasswordInputV1.safeParse(input);
	if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
	const { userId, password } = parsed.data;
	if (!exists(db, userId)) return { ok: false, fieldErrors: UNKNOWN_USER };
	const passwordHash = await hashPassword(password);
	await writeLock.idle();
	const endedSessions = db.transaction((tx) => {
		tx.update(users)
			.set({ passwordHash, updatedAt: now.toISOString() })
			.where(eq(users.id, userId))
			.run();
		const ended = endUserSessions(tx, userId);
		appendAudit(
			tx,
			{
				userId: actor.id,
				action: 'user.password_reset',
				entity: 'user',
				entityId: userId,
				// Never the password or its hash: only that it changed and what that ended.
				newValue: { endedSessions: ended }
			},
			now
		);
		return ended;
	});
	return { ok: true, user: userItem(db, userId, now), endedSessions };
}

/** Logs the account out everywhere (a lost phone, a colleague who left). */
export function endSessionsOf(
	db: DbOrTx,
	actor: Principal,
	userId: string,
	now: Date
): AccountResult<{ user: UserListItem; ended: number }> {
	if (!exists(db, userId)) return { ok: false, fieldErrors: UNKNOWN_USER };
	const ended = db.transaction((tx) => {
		const n = endUserSessions(tx, userId);
		appendAudit(
			tx,
			{
				userId: actor.id,
				action: 'user.sessions_end',
				entity: 'user',
				entityId: userId,
				newValue: { ended: n }
			},
			now
		);
		return n;
	});
	return { ok: true, user: userItem(db, userId, now), ended };
}
