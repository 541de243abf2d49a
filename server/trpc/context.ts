import type { KlarDatabase } from '../db/connection';
import { principalForToken, SESSION_COOKIE, sessionLimits } from '../auth/sessions';
import type { Context } from './init';

function readCookie(header: string | null, name: string): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const [key, ...rest] = part.trim().split('=');
		if (key === name) return decodeURIComponent(rest.join('='));
	}
	return null;
}

/** Builds the tRPC context of one HTTP request: the session user, and a way to set the cookie. */
export function createRequestContext(db: KlarDatabase, req: Request, resHeaders: Headers): Context {
	const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE);
	const principal = token ? principalForToken(db, token) : null;
	const secure = new URL(req.url).protocol === 'https:';
	return {
		db,
		principal,
		sessionToken: token,
		setSessionCookie(value) {
			const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', ...(secure ? ['Secure'] : [])];
			const maxAge = value === null ? 0 : Math.floor(sessionLimits().absoluteMs / 1000);
			resHeaders.append(
				'Set-Cookie',
				`${SESSION_COOKIE}=${value ?? ''}; Max-Age=${maxAge}; ${attributes.join('; ')}`
			);
		}
	};
}
