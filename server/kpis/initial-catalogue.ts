import type { AreaId } from '../../src/lib/shared/areas';
import type { KpiDefinition } from '../../src/lib/shared/kpi';
import { AREAS_WITH_KPIS } from '../../src/lib/kpis/registry';
import { ASYL_CATALOGUE } from './catalogue/asyl';
import { BEVOELKERUNG_CATALOGUE } from './catalogue/bevoelkerung';
import { BILDUNG_CATALOGUE } from './catalogue/bildung';
import { FINANZEN_CATALOGUE } from './catalogue/finanzen';
import { GESUNDHEIT_CATALOGUE } from './catalogue/gesundheit';
import { INFRASTRUKTUR_CATALOGUE } from './catalogue/infrastruktur';
import { SOZIALES_CATALOGUE } from './catalogue/soziales';

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
export const INITIAL_CATALOGUE: CatalogueEntry[] = AREAS_WITH_KPIS.flatMap((area) => BY_AREA[area]);
