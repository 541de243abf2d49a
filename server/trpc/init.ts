import { initTRPC, TRPCError } from '@trpc/server';
import type { DbOrTx } from '#server/db/connection';
import type { Clock } from '#server/clock';
import { writeLock } from '#server/db/write-lock';
import { passesRule, PROCEDURE_ACCESS, type Principal } from '#shared/permissions';

export interface Context {
	db: DbOrTx;
	/** The server's clock: every procedure takes the time from here, never from the machine. */
	now: Clock;
	principal: Principal | null;
	/** The raw session token from the cookie, if any. */
	sessionToken: string | null;
	/** The client's network address, for the per-address login limit; null when unknown. */
	clientAddress: string | null;
	/** Sets (or with null clears) the session cookie on the response. */
	setSessionCookie: (token: string | null) => void;
}

/** An error with a message in German for the person using the app beside the English one. */
export class UserFacingError extends Error {
	constructor(readonly userMessage: string) {
		super(userMessage);
	}
}

const GERMAN_BY_CODE: Partial<Record<TRPCError['code'], string>> = {
	UNAUTHORIZED: 'Bitte melden Sie sich an.',
	FORBIDDEN: 'Dafür fehlt Ihnen die Berechtigung.',
	BAD_REQUEST: 'Die Anfrage ist fehlerhaft.',
	TOO_MANY_REQUESTS: 'Zu viele Versuche. Bitte warten Sie einen Moment.',
	INTERNAL_SERVER_ERROR: 'Ein Fehler auf dem Server ist aufgetreten. Bitte später erneut versuchen.'
};

export function klarError(
	code: TRPCError['code'],
	developerMessage: string,
	userMessage: string
): TRPCError {
	return new TRPCError({
		code,
		message: developerMessage,
		cause: new UserFacingError(userMessage)
	});
}

/** The German message for the person using the app; the English one stays in the server log. */
export function userMessageFor(error: TRPCError): string {
	return error.cause instanceof UserFacingError
		? error.cause.userMessage
		: (GERMAN_BY_CODE[error.code] ?? 'Ein Fehler ist aufgetreten.');
}

const t = initTRPC.context<Context>().create({
	errorFormatter({ shape, error }) {
		const userMessage = userMessageFor(error);
		// The browser gets the German message only: no English developer text, no dump of the
		// input's validation issues and never a stack trace. The endpoint logs the details.
		return {
			code: shape.code,
			message: userMessage,
			data: {
				code: shape.data.code,
				httpStatus: shape.data.httpStatus,
				path: shape.data.path,
				userMessage
			}
		};
	}
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

const SESSION_NEEDED = 'Ihre Anmeldung ist abgelaufen. Bitte melden Sie sich erneut an.';

/**
 * Every procedure starts here: its path is looked up in the permission table
 * (src/lib/shared/permissions.ts) before its input is parsed. A path missing from the table is
 * refused, so a procedure nobody classified is closed, not open.
 */
export const publicProcedure = t.procedure.use(async ({ ctx, path, type, next }) => {
	const access = PROCEDURE_ACCESS[path];
	if (!access) {
		throw klarError(
			'FORBIDDEN',
			`Procedure ${path} is not in the permission table (deny by default)`,
			'Dafür fehlt Ihnen die Berechtigung.'
		);
	}
	if (access.rule !== 'anyone' && !ctx.principal) {
		throw klarError('UNAUTHORIZED', 'No valid session', SESSION_NEEDED);
	}
	if (!passesRule(ctx.principal, access.rule)) {
		throw klarError(
			'FORBIDDEN',
			`Role ${ctx.principal?.role} fails rule ${access.rule} of ${path}`,
			access.refusal ?? 'Dafür fehlt Ihnen die Berechtigung.'
		);
	}
	// A mutation writes synchronously from here: not while a feed upload holds the database.
	if (type === 'mutation') await writeLock.idle();
	return next();
});

/** Procedures that need a session: the principal is known to be there. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
	if (!ctx.principal) {
		throw klarError('UNAUTHORIZED', 'No valid session', SESSION_NEEDED);
	}
	return next({ ctx: { ...ctx, principal: ctx.principal } });
});
