import type { DbOrTx } from '#server/db/connection';
import type { KpiSnapshot } from '#shared/kpi';
import { type KpiDefinition } from '#shared/catalogue';
import { activeDefinitions, publicDefinition } from './catalogue';
import { disclosedViews, loadSnapshots } from './snapshots';

export interface OpenDataKpi {
	definition: KpiDefinition;
	/** The withheld view: small counts replaced, as councillors get it. Null before the first value. */
	snapshot: KpiSnapshot | null;
}

/**
 * The KPIs released as open data, for anyone without a login: only `public` visibility, only
 * KPIs in use (a retired KPI leaves the portal, its files and the catalogue, and so this list),
 * and only the view with small counts withheld (statistical confidentiality).
 */
export function openDataKpis(db: DbOrTx): OpenDataKpi[] {
	const definitions = activeDefinitions(db).filter((d) => d.visibility === 'public');
	const ids = definitions.map((d) => d.id);
	const views = disclosedViews(db, loadSnapshots(db, ids), ids);
	return definitions.map((d) => ({
		definition: publicDefinition(d),
		snapshot: views.get(d.id) ?? null
	}));
}
