import { z } from 'zod';
import { appendAudit } from '#server/audit';
import { writeLock } from '#server/db/write-lock';
import { authenticate } from '#server/auth/users';
import {
	createSession,
	endSession,
	purgeExpiredSessions,
	sessionInfo
} from '#server/auth/sessions';
import { beginLoginAttempt, recordSuccess } from '#server/auth/throttle';
import { writableAreas } from '#shared/permissions';
import { MAX_PASSWORD_LENGTH } from '#shared/accounts';
import { authedProcedure, klarError, publicProcedure, router, type Context } from './init';

const LoginInput = z.object({
	username: z.string().trim().min(1).max(64),
	// Longer than any password an admin can set, so a long wrong one still gets the usual answer.
	password: z
		.string()
		.min(1)
		.max(MAX_PASSWORD_LENGTH * 2)
});

const WRONG_CREDENTIALS = 'Benutzername oder Passwort ist falsch.';

function minutesUntil(until: Date, now: Date): number {
	return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}

/** The signed-in person as the device stores it, with the limits it wipes itself by. */
function whoAmI(ctx: Context, token: string | null) {
	const principal = ctx.principal!;
	return {
		...principal,
		writableAreas: writableAreas(principal),
		session: token ? sessionInfo(ctx.db, token) : null
	};
}

export const authRouter = router({
	login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
		const now = ctx.now();
		const username = input.username.toLowerCase();
		const { lockedUntil: lockedTill } = beginLoginAttempt(ctx.db, username, ctx.clientAddress, now);
		if (lockedTill) {
			appendAudit(
				ctx.db,
				{
					userId: null,
					action: 'auth.login_blocked',
					entity: 'user',
					entityId: username,
					newValue: { address: ctx.clientAddress, lockedUntil: lockedTill.toISOString() }
				},
				now
			);
			const minutes = minutesUntil(lockedTill, now);
			throw klarError(
				'TOO_MANY_REQUESTS',
				`Too many failed logins for this account or address; locked until ${lockedTill.toISOString()}`,
				`Zu viele fehlgeschlagene Anmeldungen. Bitte versuchen Sie es in ${minutes === 1 ? 'einer Minute' : `${minutes} Minuten`} erneut.`
			);
		}
		const principal = await authenticate(ctx.db, username, input.password);
		// The password check took a while: write only once no feed upload holds the database.
		await writeLock.idle();
		if (!principal) {
			// The failure was counted when the attempt began.
			appendAudit(
				ctx.db,
				{
					userId: null,
					action: 'auth.login_failed',
					entity: 'user',
					entityId: username,
					newValue: { address: ctx.clientAddress }
				},
				now
			);
			throw klarError('UNAUTHORIZED', 'Invalid username or password', WRONG_CREDENTIALS);
		}
		recordSuccess(ctx.db, username, ctx.clientAddress);
		purgeExpiredSessions(ctx.db, now);
		// A new token at every login: a token planted before the login (session fixation) dies.
		if (ctx.sessionToken) endSession(ctx.db, ctx.sessionToken);
		const token = createSession(ctx.db, principal.id, now);
		ctx.setSessionCookie(token);
		appendAudit(
			ctx.db,
			{
				userId: principal.id,
				action: 'auth.login',
				entity: 'user',
				entityId: principal.id,
				newValue: { address: ctx.clientAddress }
			},
			now
		);
		return whoAmI({ ...ctx, principal }, token);
	}),

	logout: authedProcedure.mutation(({ ctx }) => {
		const now = ctx.now();
		if (ctx.sessionToken) endSession(ctx.db, ctx.sessionToken);
		ctx.setSessionCookie(null);
		appendAudit(
			ctx.db,
			{
				userId: ctx.principal.id,
				action: 'auth.logout',
				entity: 'user',
				entityId: ctx.principal.id
			},
			now
		);
		return { ok: true as const };
	}),

	me: publicProcedure.query(({ ctx }) => (ctx.principal ? whoAmI(ctx, ctx.sessionToken) : null))
});
