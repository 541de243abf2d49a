/**
 * Where to go after the login: a path of this app only, never another origin (open redirect).
 * Browsers read a backslash as a slash, so "/\evil.example/x" is "//evil.example/x" to them;
 * anything that would leave the origin, and the login page itself, leads home instead.
 */
export function safeReturnPath(next: string | null): string {
	// eslint-disable-next-line no-control-regex -- a control character has no place in a path
	if (!next || !next.startsWith('/') || /[\\\u0000-\u001f]/.test(next)) return '/';
	const base = 'https://klar.invalid';
	let url: URL;
	try {
		url = new URL(next, base);
	} catch {
		return '/';
	}
	if (url.origin !== base || url.pathname === '/login') return '/';
	return `${url.pathname}${url.search}${url.hash}`;
}
