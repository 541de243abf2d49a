import { and, eq, gt } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import type { KlarDatabase } from '../db/connection';
import { sessions, users } from '../db/schema';
import { Principal, Role } from '../../src/lib/shared/permissions';
import { AreaId } from '../../src/lib/shared/areas';
import { z } from 'zod';

export const SESSION_COOKIE = 'klar_session';

/** Sliding inactivity timeout and absolute lifetime; configurable through the environment. */
export function sessionLimits() {
	return {
		idleMs: Number(process.env.KLAR_SESSION_IDLE_MINUTES || 60 * 24 * 7) * 60_000,
		absoluteMs: Number(process.env.KLAR_SESSION_MAX_DAYS || 30) * 86_400_000
	};
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Starts a session and returns the token for the cookie (256 random bits, stored only hashed). */
export function createSession(db: KlarDatabase, userId: string, now = new Date()): string {
	const token = randomBytes(32).toString('base64url');
	const { idleMs, absoluteMs } = sessionLimits();
	const expiresAt = new Date(Math.min(now.getTime() + idleMs, now.getTime() + absoluteMs));
	db.insert(sessions)
		.values({
			tokenHash: hashToken(token),
			userId,
			createdAt: now.toISOString(),
			lastSeenAt: now.toISOString(),
			expiresAt: expiresAt.toISOString()
		})
		.run();
	return token;
}

export function endSession(db: KlarDatabase, token: string): void {
	db.delete(sessions)
		.where(eq(sessions.tokenHash, hashToken(token)))
		.run();
}

const areaList = z.array(AreaId);

/** The columns a principal is made of; selected by name, never whole user rows. */
export const principalColumns = {
	id: users.id,
	username: users.username,
	displayName: users.displayName,
	role: users.role,
	areas: users.areas,
	disabled: users.disabled
};

export function toPrincipal(row: {
	id: string;
	username: string;
	displayName: string;
	role: string;
	areas: string;
}): Principal | null {
	const role = Role.safeParse(row.role);
	const areas = areaList.safeParse(JSON.parse(row.areas));
	if (!role.success || !areas.success) return null;
	return {
		id: row.id,
		username: row.username,
		displayName: row.displayName,
		role: role.data,
		areas: areas.data
	};
}

/** The user behind a session token, or null when the session is unknown, expired or disabled. */
export function principalForToken(
	db: KlarDatabase,
	token: string,
	now = new Date()
): Principal | null {
	const tokenHash = hashToken(token);
	const row = db
		.select({ ...principalColumns, createdAt: sessions.createdAt })
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now.toISOString())))
		.get();
	if (!row || row.disabled) return null;
	const { idleMs, absoluteMs } = sessionLimits();
	const absoluteEnd = new Date(row.createdAt).getTime() + absoluteMs;
	const expiresAt = new Date(Math.min(now.getTime() + idleMs, absoluteEnd)).toISOString();
	db.update(sessions)
		.set({ lastSeenAt: now.toISOString(), expiresAt })
		.where(eq(sessions.tokenHash, tokenHash))
		.run();
	return toPrincipal(row);
}
