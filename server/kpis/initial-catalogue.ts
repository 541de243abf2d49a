import type { AreaId } from '#shared/areas';
import type { KpiDefinition } from '#shared/kpi';
import { AREA_IDS } from '#shared/areas';
import { ASYL_CATALOGUE } from '#server/kpis/catalogue/asyl';
import { BEVOELKERUNG_CATALOGUE } from '#server/kpis/catalogue/bevoelkerung';
import { BILDUNG_CATALOGUE } from '#server/kpis/catalogue/bildung';
import { FINANZEN_CATALOGUE } from '#server/kpis/catalogue/finanzen';
import { GESUNDHEIT_CATALOGUE } from '#server/kpis/catalogue/gesundheit';
import { INFRASTRUKTUR_CATALOGUE } from '#server/kpis/catalogue/infrastruktur';
import { SOZIALES_CATALOGUE } from '#server/kpis/catalogue/soziales';

/** A catalogue entry and how its snapshots aggregate (see `parseAggregation`). */
export type CatalogueEntry = KpiDefinition & { aggregation: string };

const BY_AREA: Record<AreaId, CatalogueEntry[]> = {
	finanzen: FINANZEN_CATALOGUE,
	asyl: ASYL_CATALOGUE,
	bevoelkerung: BEVOELKERUNG_CATALOGUE,
	bildung: BILDUNG_CATALOGUE,
	gesundheit: GESUNDHEIT_CATALOGUE,
	soziales: SOZIALES_CATALOGUE,
	infrastruktur: INFRASTRUKTUR_CATALOGUE
};

/** The KPI catalogue the city starts with; admins maintain it from there. */
export const INITIAL_CATALOGUE: CatalogueEntry[] = AREA_IDS.flatMap((area) => BY_AREA[area]);
