import { json, type Handle, type ServerInit } from '@sveltejs/kit';
import { getDatabase } from '#server/db/connection';
import { ensureDisclosedSnapshots } from '#server/kpis/snapshots';
import { principalForToken, sessionCookieName } from '#server/auth/sessions';
import { guardRequest } from '#server/http/request-guard';
import { systemClock } from '#server/clock';
import { writeLock } from '#server/db/write-lock';

// Open the database and apply migrations before the first request; a database with a foreign
// migration history stops the server here instead of failing later. A database from before
// small-count suppression gets its withheld views now, so phones that synced raw small counts
// receive the withheld ones at their next pull.
export const init: ServerInit = () => {
	ensureDisclosedSnapshots(getDatabase(), systemClock());
};

/**
 * Every request: refuse cross-site or simple-typed mutations, then read the session once. Routes
 * get the principal from `locals` and check their own permission on top.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const api = event.url.pathname.startsWith('/api/');
	const refusal = guardRequest(event.request, event.url);
	if (refusal) return json(refusal.body, { status: refusal.status, headers: NO_STORE });
	const https = event.url.protocol === 'https:';
	const token = event.cookies.get(sessionCookieName(https)) ?? null;
	event.locals.https = https;
	event.locals.sessionToken = token;
	// Only the API reads the session: the shell and its assets are the same for everyone, and a
	// page load should not slide the session's expiry on its own.
	event.locals.principal =
		token && api ? principalForToken(getDatabase(), token, systemClock(), !writeLock.busy) : null;
	const response = await resolve(event);
	// Also set by serve.js for every /api/ path; here it holds whatever a route sets.
	if (api) response.headers.set('Cache-Control', 'no-store');
	return response;
};

const NO_STORE = { 'Cache-Control': 'no-store' };
