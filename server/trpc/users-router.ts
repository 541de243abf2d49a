import { EndSessionsInputV1, SetDisabledInputV1 } from '#shared/accounts';
import {
	changeUserAccess,
	createUser,
	endSessionsOf,
	listUsers,
	resetUserPassword,
	setUserDisabled
} from '#server/auth/users';
import { z } from 'zod';
import { authedProcedure, router } from './init';

// The wire checks only types, so that a wrong value reaches the German validation in
// server/auth/users.ts and comes back as a message beside its field.
const NewUserWire = z.object({
	username: z.string().max(200),
	displayName: z.string().max(500),
	password: z.string().max(1000),
	role: z.string().max(40),
	areas: z.array(z.string().max(40)).max(20)
});
const AccessWire = z.object({
	userId: z.string().max(100),
	role: z.string().max(40),
	areas: z.array(z.string().max(40)).max(20)
});
const PasswordWire = z.object({ userId: z.string().max(100), password: z.string().max(1000) });

/** User accounts: central controlling only, by the permission table. */
export const usersRouter = router({
	list: authedProcedure.query(({ ctx }) => listUsers(ctx.db, ctx.now())),
	create: authedProcedure
		.input(NewUserWire)
		.mutation(({ ctx, input }) => createUser(ctx.db, ctx.principal, input, ctx.now())),
	setAccess: authedProcedure
		.input(AccessWire)
		.mutation(({ ctx, input }) => changeUserAccess(ctx.db, ctx.principal, input, ctx.now())),
	setDisabled: authedProcedure
		.input(SetDisabledInputV1)
		.mutation(({ ctx, input }) =>
			setUserDisabled(ctx.db, ctx.principal, input.userId, input.disabled, ctx.now())
		),
	resetPassword: authedProcedure
		.input(PasswordWire)
		.mutation(({ ctx, input }) => resetUserPassword(ctx.db, ctx.principal, input, ctx.now())),
	endSessions: authedProcedure
		.input(EndSessionsInputV1)
		.mutation(({ ctx, input }) => endSessionsOf(ctx.db, ctx.principal, input.userId, ctx.now()))
});
