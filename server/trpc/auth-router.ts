import { z } from 'zod';
import { appendAudit } from '../audit';
import { authenticate } from '../auth/users';
import { createSession, endSession } from '../auth/sessions';
import { writableAreas } from '../../src/lib/shared/permissions';
import { authedProcedure, klarError, publicProcedure, router } from './init';

const LoginInput = z.object({
	username: z.string().trim().min(1).max(64),
	password: z.string().min(1).max(256)
});

export const authRouter = router({
	login: publicProcedure.input(LoginInput).mutation(async ({ ctx, input }) => {
		const principal = await authenticate(ctx.db, input.username, input.password);
		if (!principal) {
			appendAudit(ctx.db, {
				userId: null,
				action: 'auth.login_failed',
				entity: 'user',
				entityId: input.username.toLowerCase()
			});
			throw klarError(
				'UNAUTHORIZED',
				'Invalid username or password',
				'Benutzername oder Passwort ist falsch.'
			);
		}
		if (ctx.sessionToken) endSession(ctx.db, ctx.sessionToken);
		const token = createSession(ctx.db, principal.id);
		ctx.setSessionCookie(token);
		appendAudit(ctx.db, {
			userId: principal.id,
			action: 'auth.login',
			entity: 'user',
			entityId: principal.id
		});
		return { ...principal, writableAreas: writableAreas(principal) };
	}),

	logout: authedProcedure.mutation(({ ctx }) => {
		if (ctx.sessionToken) endSession(ctx.db, ctx.sessionToken);
		ctx.setSessionCookie(null);
		appendAudit(ctx.db, {
			userId: ctx.principal.id,
			action: 'auth.logout',
			entity: 'user',
			entityId: ctx.principal.id
		});
		return { ok: true as const };
	}),

	me: publicProcedure.query(({ ctx }) =>
		ctx.principal ? { ...ctx.principal, writableAreas: writableAreas(ctx.principal) } : null
	)
});
