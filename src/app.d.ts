// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Principal } from '$lib/shared/permissions';

declare global {
	namespace App {
		interface Locals {
			/** The user of the request's session, read once in hooks.server.ts; null without one. */
			principal: Principal | null;
			/** The raw session token from the cookie, to end the session at logout. */
			sessionToken: string | null;
			/** Whether the app is reached over https (decides the cookie's name and Secure). */
			https: boolean;
		}
	}
}

export {};
