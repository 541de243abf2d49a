import { and, count, eq, gt, sql } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import type { DbOrTx } from '#server/db/connection';
import { sessions, users } from '#server/db/schema';
import { Principal, Role } from '#shared/permissions';
import { AreaId } from '#shared/areas';
import type { SessionInfo } from '#shared/accounts';
import { z } from 'zod';

/**
 * The session cookie's name. Over https it carries the `__Host-` prefix, which the browser only
 * accepts with Secure, Path=/ and no Domain, so no subdomain or plain-http page can set or
 * shadow it. Browsers refuse a `__Host-` cookie without Secure, so plain http (a laptop demo on
 * localhost) uses the bare name.
 */
export function sessionCookieName(https: boolean): string {
	return https ? '__Host-klar_session' : 'klar_session';
}

/** The Set-Cookie value for a session token, or for clearing it (null). */
export function sessionCookie(token: string | null, https: boolean): string {
	const maxAge = token === null ? 0 : Math.floor(sessionLimits().absoluteMs / 1000);
	const attributes = [
		`Max-Age=${maxAge}`,
		'Path=/',
		'HttpOnly',
		// The app renders in the browser and calls the API from its own pages only, so the
		// cookie never needs to travel on a request started by another site.
		'SameSite=Strict',
		...(https ? ['Secure'] : [])
	];
	return `${sessionCookieName(https)}=${token ?? ''}; ${attributes.join('; ')}`;
}

function numberFromEnv(name: string, fallback: number): number {
	const value = Number(process.env[name]);
	return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Inactivity timeout (sliding) and absolute lifetime. Defaults: 7 days without any request
 * and 30 days after login. Councillors read offline for days between meetings, so a shorter
 * idle timeout would log them out in the train; the device wipes itself on the same limits.
 */
export function sessionLimits() {
	return {
		idleMs: numberFromEnv('KLAR_SESSION_IDLE_MINUTES', 60 * 24 * 7) * 60_000,
		absoluteMs: numberFromEnv('KLAR_SESSION_MAX_DAYS', 30) * 86_400_000
	};
}

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** Starts a session and returns the token for the cookie (256 random bits, stored only hashed). */
export function createSession(db: DbOrTx, userId: string, now: Date): string {
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

export function endSession(db: DbOrTx, token: string): void {
	db.delete(sessions)
		.where(eq(sessions.tokenHash, hashToken(token)))
		.run();
}

/** Ends every session of a user (admin action, disabled account, new password). Returns how many. */
export function endUserSessions(db: DbOrTx, userId: string): number {
	return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

/** Sessions of a user that have not expired. */
export function activeSessionCount(db: DbOrTx, userId: string, now: Date): number {
	return (
		db
			.select({ n: count() })
			.from(sessions)
			.where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now.toISOString())))
			.get()?.n ?? 0
	);
}

/** Removes expired sessions, so the table holds only live ones (run at login). */
export function purgeExpiredSessions(db: DbOrTx, now: Date): void {
	db.delete(sessions)
		.where(sql`${sessions.expiresAt} <= ${now.toISOString()}`)
		.run();
}

/** What the device needs to wipe itself on the same limits as the server (see SessionInfoV1). */
export function sessionInfo(db: DbOrTx, token: string): SessionInfo | null {
	const row = db
		.select({ createdAt: sessions.createdAt })
		.from(sessions)
		.where(eq(sessions.tokenHash, hashToken(token)))
		.get();
	if (!row) return null;
	const { idleMs, absoluteMs } = sessionLimits();
	return {
		endsAt: new Date(new Date(row.createdAt).getTime() + absoluteMs).toISOString(),
		idleMinutes: Math.max(1, Math.round(idleMs / 60_000))
	};
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

/** A session's last use is written at most this often: not on every request of a busy phone. */
export const SESSION_TOUCH_MS = 60_000;

/**
 * The user behind a session token, or null when the session is unknown, expired (idle or past
 * its absolute end) or its user disabled. A live session slides its idle expiry forward, at
 * most once a minute, and not when `mayWrite` is false (a feed upload holds the database: the
 * next request slides it).
 */
export function principalForToken(
	db: DbOrTx,
	token: string,
	now: Date,
	mayWrite = true
): Principal | null {
	const tokenHash = hashToken(token);
	const row = db
		.select({
			...principalColumns,
			createdAt: sessions.createdAt,
			lastSeenAt: sessions.lastSeenAt
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now.toISOString())))
		.get();
	if (!row || row.disabled) return null;
	const { idleMs, absoluteMs } = sessionLimits();
	const absoluteEnd = new Date(row.createdAt).getTime() + absoluteMs;
	// A lifetime shortened by configuration applies to sessions that already exist.
	if (now.getTime() >= absoluteEnd) return null;
	const stale = now.getTime() - new Date(row.lastSeenAt).getTime() >= SESSION_TOUCH_MS;
	if (stale && mayWrite) {
		const expiresAt = new Date(Math.min(now.getTime() + idleMs, absoluteEnd)).toISOString();
		db.update(sessions)
			.set({ lastSeenAt: now.toISOString(), expiresAt })
			.where(eq(sessions.tokenHash, tokenHash))
			.run();
	}
	return toPrincipal(row);
}
