import { describe, expect, test } from 'vitest';
import {
	decodeShareFragment,
	encodeShareFragment,
	REPORT_LIMITS,
	ReportContentV1,
	SHARE_LINK_MESSAGES,
	shareLink,
	type ReportContent
} from '#shared/reports';
import { canWriteReports, type Role } from '#shared/permissions';
import type { KpiSnapshot } from '#shared/kpi';
import type { KpiDefinition } from '#shared/catalogue';
import {
	addKpis,
	kpiIdsOfArea,
	moveItem,
	pickableKpis,
	removeItem,
	resolveReport,
	updateItem,
	withheldMessage,
	type ReportData
} from '../../src/lib/reports/report-model';
import { barChartGeometry, lineChartGeometry } from '../../src/lib/reports/report-chart';
import { cssString, pageStyle } from '../../src/lib/reports/print';

function kpi(id: string, extra: Partial<KpiDefinition> = {}): KpiDefinition {
	return {
		id,
		areaId: 'asyl',
		title: `Titel ${id}`,
		shortTitle: id,
		description: '',
		method: '',
		unit: 'Personen',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: null,
		cadence: 'monthly',
		graceDays: 10,
		dimensions: [],
		source: { kind: 'feed', name: 'Einwohnermelderegister' },
		owner: { department: 'Bürgeramt', contact: 'Frau Muster' },
		visibility: 'council',
		disclosureMinCount: 3,
		tags: [],
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' },
		...extra
	};
}

function snapshot(kpiId: string, extra: Partial<KpiSnapshot> = {}): KpiSnapshot {
	return {
		kpiId,
		areaId: 'asyl',
		period: '2026-11',
		value: 1250,
		previousPeriod: '2026-10',
		previousValue: 1200,
		change: 50,
		changePercent: 4.17,
		status: 'amber',
		series: {
			start: '2025-11',
			values: [1100, 1120, null, 1150, 1160, 1170, 1180, 1190, 1200, 1210, 1220, 1200, 1250]
		},
		breakdownDimension: null,
		breakdown: [],
		asOf: '2026-11-30',
		overdue: false,
		nextExpectedUpdate: '2026-12-10',
		computedAt: '2026-12-01T08:00:00.000Z',
		...extra
	};
}

const content: ReportContent = {
	title: 'Haupt- und Finanzausschuss – Sitzung „Dezember“',
	meetingDate: '2026-12-15',
	items: [
		{
			kpiId: 'asyl.belegung',
			note: 'Belegung steigt; Träger informiert.\nZweite Zeile.',
			pageBreakBefore: false
		},
		{ kpiId: 'asyl.zugaenge', note: '', pageBreakBefore: true },
		{ kpiId: 'bev.einwohner', note: '', pageBreakBefore: false }
	]
};

describe('canWriteReports', () => {
	test.each<[Role, boolean]>([
		['executive', true],
		['lead', true],
		['admin', true],
		['councillor', false],
		['editor', false]
	])('%s: %s', (role, expected) => {
		expect(canWriteReports({ role })).toBe(expected);
	});
});

describe('share link', () => {
	test('carries title, date, order, notes and page breaks, and reads them back', () => {
		const fragment = encodeShareFragment(content);
		expect(fragment).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(decodeShareFragment(`#${fragment}`)).toEqual({ ok: true, content });
	});

	test('the link is the app path with the report in the fragment only', () => {
		const link = new URL(shareLink('https://klar.example', content));
		expect(link.pathname).toBe('/bericht/geteilt');
		expect(link.search).toBe('');
		expect(decodeShareFragment(link.hash)).toEqual({ ok: true, content });
	});

	test('an empty, cut-off or garbled link is refused in German', () => {
		const fragment = encodeShareFragment(content);
		expect(decodeShareFragment('')).toEqual({ ok: false, message: SHARE_LINK_MESSAGES.empty });
		expect(decodeShareFragment(fragment.slice(0, fragment.length - 7))).toEqual({
			ok: false,
			message: SHARE_LINK_MESSAGES.damaged
		});
		expect(decodeShareFragment('###not-a-report')).toEqual({
			ok: false,
			message: SHARE_LINK_MESSAGES.damaged
		});
	});

	const encode = (value: unknown) =>
		Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

	test('a link of an unknown version is refused, not half read', () => {
		const result = decodeShareFragment(
			encode({ v: 2, title: 'X', date: '2026-12-15', kpis: [], extra: 'future' })
		);
		expect(result).toEqual({ ok: false, message: SHARE_LINK_MESSAGES.unknownVersion('2') });
		if (!result.ok) expect(result.message).toMatch(/Format \(Version 2\).*nicht kennt/);
	});

	test('a tampered link (script in an id, unknown field, bad date, bidi override) is refused', () => {
		const base = { v: 1, title: 'Bericht', date: '2026-12-15', kpis: [{ id: 'asyl.belegung' }] };
		const tampered = [
			{ ...base, kpis: [{ id: '<script>alert(1)</script>' }] },
			{ ...base, kpis: [{ id: 'asyl.belegung', values: [1, 2, 3] }] },
			{ ...base, admin: true },
			{ ...base, date: '2026-02-30' },
			{ ...base, title: 'Heim \u202Egnp.exe' },
			{ ...base, title: '' },
			{ ...base, kpis: [{ id: 'asyl.belegung' }, { id: 'asyl.belegung' }] },
			{
				...base,
				kpis: Array.from({ length: REPORT_LIMITS.kpis + 1 }, (_, i) => ({ id: `k.k${i}` }))
			}
		];
		for (const value of tampered) {
			const result = decodeShareFragment(encode(value));
			expect(result.ok, JSON.stringify(value).slice(0, 80)).toBe(false);
			if (!result.ok) expect(result.message).toMatch(/^Der Link enthält keinen gültigen Bericht: /);
		}
		// The same shape untouched passes.
		expect(decodeShareFragment(encode(base)).ok).toBe(true);
	});

	test('umlauts and emoji survive the trip', () => {
		const text = { ...content, title: 'Größenordnung Ü 🚀', items: [] };
		expect(decodeShareFragment(encodeShareFragment(text))).toEqual({ ok: true, content: text });
	});
});

describe('report model', () => {
	const items = content.items;

	test('moves a KPI up and down; at the ends nothing moves', () => {
		expect(moveItem(items, 1, -1).map((i) => i.kpiId)).toEqual([
			'asyl.zugaenge',
			'asyl.belegung',
			'bev.einwohner'
		]);
		expect(moveItem(items, 1, 1).map((i) => i.kpiId)).toEqual([
			'asyl.belegung',
			'bev.einwohner',
			'asyl.zugaenge'
		]);
		expect(moveItem(items, 0, -1)).toEqual(items);
		expect(moveItem(items, 2, 1)).toEqual(items);
		// The note and the page break move with their KPI.
		expect(moveItem(items, 1, -1)[0]).toEqual(items[1]);
	});

	test('adds KPIs once, at the end, up to the limit', () => {
		const result = addKpis(items, ['bev.einwohner', 'ges.inzidenz_7t', 'ges.inzidenz_7t']);
		expect(result.added).toBe(1);
		expect(result.items.map((i) => i.kpiId)).toEqual([
			'asyl.belegung',
			'asyl.zugaenge',
			'bev.einwohner',
			'ges.inzidenz_7t'
		]);
		const many = Array.from({ length: REPORT_LIMITS.kpis + 5 }, (_, i) => `k.k${i}`);
		const full = addKpis([], many);
		expect(full.items).toHaveLength(REPORT_LIMITS.kpis);
		expect(full.skipped).toBe(5);
		expect(ReportContentV1.safeParse({ ...content, items: full.items }).success).toBe(true);
	});

	test('removes and updates one KPI', () => {
		expect(removeItem(items, 0).map((i) => i.kpiId)).toEqual(['asyl.zugaenge', 'bev.einwohner']);
		expect(updateItem(items, 2, { note: 'neu', pageBreakBefore: true })[2]).toEqual({
			kpiId: 'bev.einwohner',
			note: 'neu',
			pageBreakBefore: true
		});
	});

	test('an area adds its KPIs in the catalogue order; the picker lists what is left', () => {
		const catalogue = [
			kpi('asyl.b', { sortOrder: 20 }),
			kpi('bev.a', { areaId: 'bevoelkerung' }),
			kpi('asyl.a', { sortOrder: 10 })
		];
		expect(kpiIdsOfArea(catalogue, 'asyl')).toEqual(['asyl.a', 'asyl.b']);
		const areas = [
			{ id: 'bevoelkerung', title: 'Bevölkerung', description: '', sortOrder: 2 },
			{ id: 'asyl', title: 'Asyl', description: '', sortOrder: 1 }
		] as never;
		const groups = pickableKpis(areas, catalogue, [
			{ kpiId: 'asyl.a', note: '', pageBreakBefore: false }
		]);
		expect(groups.map((g) => [g.area.id, g.kpis.map((k) => k.id)])).toEqual([
			['asyl', ['asyl.b']],
			['bevoelkerung', ['bev.a']]
		]);
	});
});

describe('what a reader sees of a report', () => {
	const definitions = new Map([
		['asyl.belegung', kpi('asyl.belegung', { title: 'Belegung der Unterkünfte', target: 1000 })],
		['bev.einwohner', kpi('bev.einwohner', { title: 'Einwohner', areaId: 'bevoelkerung' })]
	]);
	const snapshots = new Map([['asyl.belegung', snapshot('asyl.belegung')]]);
	const data: ReportData = {
		definition: (id) => definitions.get(id),
		snapshot: (id) => snapshots.get(id),
		areaTitle: (id) => ({ asyl: 'Asyl & Unterbringung', bevoelkerung: 'Bevölkerung' })[id] ?? id,
		dimensionTitle: (id) => id
	};

	test('a KPI the device does not hold is counted, never named; the rest keep their order', () => {
		const resolved = resolveReport(content.items, data);
		expect(resolved.withheld).toBe(1);
		expect(resolved.blocks.map((b) => [b.number, b.kpiId])).toEqual([
			[1, 'asyl.belegung'],
			[2, 'bev.einwohner']
		]);
		expect(JSON.stringify(resolved)).not.toContain('asyl.zugaenge');
		expect(withheldMessage(1)).toBe('1 Kennzahl ist für Sie nicht freigegeben.');
		expect(withheldMessage(2)).toBe('2 Kennzahlen sind für Sie nicht freigegeben.');
		expect(withheldMessage(0)).toBe('');
	});

	test('a block shows value, change and status in words, a year of values, source and owner', () => {
		const [block] = resolveReport(content.items, data).blocks;
		expect(block).toMatchObject({
			hasValue: true,
			value: { number: '1.250', unit: 'Personen' },
			statusWords: 'Warnbereich',
			asOf: 'November 2026',
			chart: 'line',
			source: 'Einwohnermelderegister',
			owner: 'Bürgeramt, Frau Muster',
			note: content.items[0]!.note
		});
		expect(block!.change).toBe('+50\u00a0Personen (+4,2\u00a0%) ggü. Oktober 2026 – schlechter');
		expect(block!.rows).toHaveLength(12);
		expect(block!.rows.at(-1)).toMatchObject({
			label: 'November 2026',
			text: '1.250\u00a0Personen',
			cell: '1.250'
		});
		expect(block!.tableUnit).toBe('Personen');
		expect(block!.suppressedMinCount).toBeNull();
	});

	test('withheld figures stay withheld, with the footnote threshold', () => {
		snapshots.set(
			'bev.einwohner',
			snapshot('bev.einwohner', {
				value: null,
				change: null,
				previousValue: null,
				status: 'red',
				series: { start: '2026-09', values: [5, null, null] },
				suppressed: {
					value: true,
					previousValue: true,
					periods: ['2026-10', '2026-11'],
					members: [],
					minCount: 3
				}
			})
		);
		const block = resolveReport(content.items, data).blocks[1]!;
		expect(block.valueSuppressed).toBe(true);
		expect(block.status).toBe('none');
		expect(block.change).toBe('Vergleich unterdrückt (kleine Fallzahl)');
		expect(block.rows.map((r) => r.suppressed)).toEqual([false, true, true]);
		expect(block.rows[1]!.value).toBeNull();
		expect(block.suppressedMinCount).toBe(3);
	});
});

describe('report charts and page box', () => {
	const rows = [
		{ key: 'a', label: 'Jan', value: 10, text: '10', cell: '10', suppressed: false },
		{ key: 'b', label: 'Feb', value: null, text: '•', cell: '•', suppressed: true },
		{ key: 'c', label: 'Mär', value: 20, text: '20', cell: '20', suppressed: false },
		{ key: 'd', label: 'Apr', value: 30, text: '30', cell: '30', suppressed: false }
	];

	test('a gap breaks the line; the target line is drawn within the plot', () => {
		const chart = lineChartGeometry(rows, {
			target: 25,
			decimals: 0,
			unit: '',
			numberFormat: 'integer'
		})!;
		expect(chart.paths).toHaveLength(2);
		expect(chart.dots).toHaveLength(3);
		expect(chart.target!.label).toBe('25');
		const ys = chart.dots.map((d) => d.y);
		// Higher values higher up; the target between 20 and 30.
		expect(ys[0]).toBeGreaterThan(ys[1]!);
		expect(chart.target!.y).toBeLessThan(ys[1]!);
		expect(chart.target!.y).toBeGreaterThan(ys[2]!);
		expect(
			lineChartGeometry([rows[1]!], {
				target: null,
				decimals: 0,
				unit: '',
				numberFormat: 'integer'
			})
		).toBeNull();
	});

	test('bars scale to the largest value; a withheld bar has none', () => {
		const { bars } = barChartGeometry(rows);
		expect(bars[3]!.width).toBeGreaterThan(bars[2]!.width);
		expect(bars[1]).toMatchObject({ width: 0, text: '•' });
	});

	test('the footer text cannot end the CSS string', () => {
		expect(cssString('Stand "x" \\ y\nz')).toBe('"Stand \\"x\\" \\\\ y z"');
		const css = pageStyle('Stand 07.12.2026, 22:50');
		expect(css).toContain('size: A4 portrait');
		expect(css).toContain('counter(pages)');
	});
});
