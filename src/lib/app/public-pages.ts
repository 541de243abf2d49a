/**
 * Pages anyone may read without a login: the open data for citizens and the press, and what a
 * public body owes everyone (the accessibility statement, Leichte Sprache). Everything else
 * needs a login.
 */
export const PUBLIC_PAGES = ['/offene-daten', '/barrierefreiheit', '/leichte-sprache'] as const;

export function isPublicPage(pathname: string): boolean {
	return PUBLIC_PAGES.some((base) => pathname === base || pathname.startsWith(`${base}/`));
}
