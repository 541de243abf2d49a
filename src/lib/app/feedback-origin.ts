/** The feedback form; `seite` carries the page the feedback is probably about. */
export const FEEDBACK_FORM_PATH = '/barrierefreiheit/rueckmeldung';

const OWN_PAGES = ['/barrierefreiheit'];

/**
 * The page (path and query) a person came from, to prefill "Auf welcher Seite?": the previous
 * page within the app, else the referrer of a full page load, if it is this site and not the
 * statement or the form itself.
 */
export function cameFrom(
	previous: URL | null,
	here: URL,
	referrer: string = typeof document === 'undefined' ? '' : document.referrer
): string {
	let from = previous;
	if (!from && referrer) {
		try {
			from = new URL(referrer);
		} catch {
			from = null;
		}
	}
	if (!from || from.origin !== here.origin) return '';
	if (OWN_PAGES.some((p) => from.pathname === p || from.pathname.startsWith(`${p}/`))) return '';
	return `${from.pathname}${from.search}`;
}

export function feedbackFormLink(origin: string): string {
	return origin ? `${FEEDBACK_FORM_PATH}?seite=${encodeURIComponent(origin)}` : FEEDBACK_FORM_PATH;
}
