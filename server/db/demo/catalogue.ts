import { readFileSync } from 'node:fs';
import { CatalogueFileV1, type CatalogueFile } from '#shared/catalogue';

/**
 * The demo city's catalogue: seven areas, their dimensions and 50 KPIs, as a catalogue file
 * (catalogue.json) like any city's. The seed applies it through the same code as
 * `npm run catalogue -- apply`; adding a KPI to the demo means adding it there.
 */
export const DEMO_CATALOGUE_FILE = new URL('./catalogue.json', import.meta.url);

export function demoCatalogue(): CatalogueFile {
	return CatalogueFileV1.parse(JSON.parse(readFileSync(DEMO_CATALOGUE_FILE, 'utf8')));
}
