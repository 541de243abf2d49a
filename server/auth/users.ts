import { eq } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { users } from '../db/schema';
import type { Principal, Role } from '../../src/lib/shared/permissions';
import type { AreaId } from '../../src/lib/shared/areas';
import { appendAudit } from '../audit';
import { burnPasswordCheck, verifyPassword } from './password';
import { principalColumns, toPrincipal } from './sessions';

/** Checks a username and password; an unknown user and a wrong password look the same. */
export async function authenticate(
	db: KlarDatabase,
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
 * Changes what a user may do. Sessions stay, but every request reads the user afresh, and the
 * read-scope fingerprint in the user's sync cursors no longer matches, so devices re-sync.
 */
export function setUserAccess(
	db: KlarDatabase,
	actorId: string | null,
	userId: string,
	access: { role: Role; areas: AreaId[] }
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
				updatedAt: new Date().toISOString()
			})
			.where(eq(users.id, userId))
			.run();
		appendAudit(tx as unknown as KlarDatabase, {
			userId: actorId,
			action: 'user.access',
			entity: 'user',
			entityId: userId,
			oldValue: { role: old.role, areas: JSON.parse(old.areas) },
			newValue: access
		});
	});
}
