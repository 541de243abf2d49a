import { api } from '$lib/sync/trpc-transport';

/** Who runs this KLAR, as `city.info` tells it. */
export interface CityContact {
	name: string;
	homepage: string;
	contactEmail: string;
}

const STORAGE_KEY = 'klar.city-contact';

/**
 * The city's name and contact for the public pages. The last answer is kept in the browser, so
 * the accessibility statement names its contact also offline; it holds nothing personal.
 */
export async function loadCityContact(): Promise<CityContact | null> {
	const kept = readKept();
	if (!navigator.onLine) return kept;
	try {
		const fresh = await api.city.info.query();
		localStorage.setItem(STORAGE_KEY, JSON.stringify(fresh));
		return fresh;
	} catch {
		return kept;
	}
}

function readKept(): CityContact | null {
	try {
		const text = localStorage.getItem(STORAGE_KEY);
		return text ? (JSON.parse(text) as CityContact) : null;
	} catch {
		return null;
	}
}
