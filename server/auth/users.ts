import { eq } from 'drizzle-orm';
import type { KlarDatabase } from '../db/connection';
import { users } from '../db/schema';
import type { Principal } from '../../src/lib/shared/permissions';
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
