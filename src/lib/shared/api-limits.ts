/**
 * Limits of the HTTP API that the app's own client keeps and the server enforces before it
 * does any work: a tRPC batch carries at most `MAX_BATCH_CALLS` calls, and calls to `auth.*`
 * travel alone (a batch of logins would multiply guesses per request).
 */
export const MAX_BATCH_CALLS = 10;

/** Procedures that never travel in a batch. */
export const UNBATCHED_PREFIX = 'auth.';
