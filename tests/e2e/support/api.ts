import { DEMO_PASSWORD } from '../pages/login-page';
import type { AppServer } from './server';

/**
 * A person's requests to the built server's API outside a browser, with the session cookie of
 * their login: for stories whose set-up an admin does in the app (a rename, a new account).
 */
export async function apiSessionOf(server: AppServer, username: string, password = DEMO_PASSWORD) {
	const login = await fetch(`${server.url}/api/trpc/auth.login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: server.url },
		body: JSON.stringify({ username, password })
	});
	if (!login.ok) throw new Error(`login as ${username} failed: ${login.status}`);
	const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
	return {
		cookie,
		async mutate<T = unknown>(path: string, input: unknown): Promise<T> {
			const response = await fetch(`${server.url}/api/trpc/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: server.url, cookie },
				body: JSON.stringify(input)
			});
			const body = (await response.json()) as { result?: { data: T } };
			if (!response.ok || !body.result) {
				throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
			}
			return body.result.data;
		}
	};
}
