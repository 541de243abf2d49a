import {
	OPEN_DATA_INDEX_URL,
	OpenDataIndexV1,
	OpenDataSeriesV1,
	openDataFileUrl,
	type OpenDataEntry,
	type OpenDataIndex,
	type OpenDataKpi,
	type OpenDataSeries
} from '#shared/open-data';
import { holdsToken, searchTokens, searchVariants } from '$lib/kpis/search';
import { OPEN_DATA_CACHE } from './offline';

/**
 * The open-data portal in the browser: it reads the public files the server publishes (no
 * login, no IndexedDB). The service worker keeps the last answer, so a page opened once opens
 * again without a network.
 */
export class OpenDataUnavailableError extends Error {}

const OFFLINE_MESSAGE =
	'Die offenen Daten sind gerade nicht erreichbar. Ohne Netz zeigt diese Seite sie, sobald sie einmal mit Netz geöffnet wurde.';

async function readJson(url: string, fetchFn: typeof fetch): Promise<unknown> {
	let response: Response;
	try {
		response = await fetchFn(url, { headers: { Accept: 'application/json' } });
	} catch {
		throw new OpenDataUnavailableError(OFFLINE_MESSAGE);
	}
	if (response.status === 404) return null;
	if (!response.ok) throw new OpenDataUnavailableError(OFFLINE_MESSAGE);
	await keepForOffline(url, response);
	return response.json();
}

/**
 * On the very first visit the service worker installs while the page loads and does not yet
 * see its requests; the page then keeps the answer in the worker's cache itself, so the page
 * opens offline after that first visit too. Later the worker keeps it (network first).
 */
async function keepForOffline(url: string, response: Response): Promise<void> {
	if (typeof caches === 'undefined' || navigator.serviceWorker?.controller) return;
	try {
		const cache = await caches.open(OPEN_DATA_CACHE);
		await cache.put(url, response.clone());
	} catch {
		// Storage full or denied: the page still works online.
	}
}

export async function loadOpenDataIndex(fetchFn: typeof fetch = fetch): Promise<OpenDataIndex> {
	const body = await readJson(OPEN_DATA_INDEX_URL, fetchFn);
	if (body === null) throw new OpenDataUnavailableError(OFFLINE_MESSAGE);
	return OpenDataIndexV1.parse(body);
}

/** The released series of one public KPI, or null when there is no such open dataset. */
export async function loadOpenDataSeries(
	kpiId: string,
	fetchFn: typeof fetch = fetch
): Promise<OpenDataSeries | null> {
	const body = await readJson(openDataFileUrl(kpiId, 'json'), fetchFn);
	return body === null ? null : OpenDataSeriesV1.parse(body);
}

function searchableTexts(kpi: OpenDataKpi): string[] {
	return [kpi.title, kpi.description, kpi.method, kpi.area.title, kpi.source.name, ...kpi.tags]
		.filter(Boolean)
		.flatMap(searchVariants);
}

/**
 * The datasets whose title, texts, area, source or tags hold every word of the query (as part
 * of a word; case and umlauts do not matter: "ae" finds "ä", "a" finds "ä"), in catalogue
 * order. An empty query keeps them all.
 */
export function searchOpenData(entries: OpenDataEntry[], query: string): OpenDataEntry[] {
	const tokens = searchTokens(query);
	if (tokens.length === 0) return entries;
	return entries.filter((entry) => {
		const texts = searchableTexts(entry.kpi);
		return tokens.every((token) => holdsToken(texts, token));
	});
}
