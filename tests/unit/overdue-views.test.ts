import { describe, expect, test } from 'vitest';
import { overdueKpis } from '$lib/kpis/presentation';
import type { KpiDefinition } from '#shared/catalogue';
import type { KpiSnapshot } from '#shared/kpi';

const kpi = (
	id: string,
	cadence: KpiDefinition['cadence'],
	period: string | null,
	graceDays = 2
) => ({
	definition: { id, cadence, graceDays, shortTitle: id } as KpiDefinition,
	snapshot: (period === null ? undefined : { period }) as KpiSnapshot | undefined
});

describe('which KPIs of a view are late, on the device’s own day', () => {
	const today = new Date('2026-12-07T10:00:00Z');

	test('a daily gauge value of 3½ months ago is late; yesterday’s is not', () => {
		expect(overdueKpis([kpi('warn', 'daily', '2026-08-20')], today)).toHaveLength(1);
		expect(overdueKpis([kpi('warn', 'daily', '2026-12-06')], today)).toEqual([]);
	});

	test('of a pair, only the late one is named', () => {
		const supply = kpi('plaetze', 'daily', '2026-12-06');
		const demand = kpi('belegung', 'weekly', '2026-W40');
		expect(overdueKpis([supply, demand], today).map((k) => k.definition.id)).toEqual(['belegung']);
	});

	test('a KPI that never had a value counts as late, as on its tile', () => {
		expect(overdueKpis([kpi('neu', 'monthly', null)], today)).toHaveLength(1);
	});
});
