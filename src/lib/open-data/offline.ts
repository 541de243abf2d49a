/**
 * Which open-data requests are files rather than pages, and where their last answers are kept
 * for reading without a network. Shared by the service worker and the portal page, and kept
 * free of imports so the worker's bundle stays small.
 */
export const OPEN_DATA_CACHE = 'klar-open-data';

/** Downloads, the catalogue and the portal's index: never answered with the app's shell. */
export const OPEN_DATA_FILES = [
	/^\/offene-daten\/daten\//,
	/^\/offene-daten\/katalog\./,
	/^\/offene-daten\/index\.json$/
];

/** The JSON files the portal page reads: the index and each dataset's series. */
export function isOpenDataJson(pathname: string): boolean {
	return (
		pathname === '/offene-daten/index.json' || /^\/offene-daten\/daten\/[^/]+\.json$/.test(pathname)
	);
}
