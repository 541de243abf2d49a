import { describe, expect, test } from 'vitest';
import { overlapText, previewRows, takeBackText } from '$lib/feeds/feed-view';
import { toBase64 } from '$lib/feeds/feed-editor.svelte';

describe('the preview of a definition in words', () => {
	const kpis = { 'bev.einwohner': 'Einwohnerinnen und Einwohner' };
	const dimensions = { district: 'Stadtbezirk' };

	test('a value with its line, period, title and breakdown', () => {
		expect(
			previewRows(
				[
					{
						line: 4,
						kpiId: 'bev.einwohner',
						period: '2026-11',
						dimensionKey: 'district=innenstadt-ost',
						value: 6512,
						missing: false
					}
				],
				kpis,
				dimensions
			)
		).toEqual([
			{
				line: 4,
				period: 'November 2026',
				kpi: 'Einwohnerinnen und Einwohner',
				dimensions: 'Stadtbezirk: innenstadt-ost',
				value: '6.512'
			}
		]);
	});

	test('missing and withheld values say what happens to them; unknown ids stay ids', () => {
		const rows = previewRows(
			[
				{
					line: 9,
					kpiId: 'x.neu',
					period: '2026-W48',
					dimensionKey: '',
					value: null,
					missing: false
				},
				{
					line: 10,
					kpiId: 'x.neu',
					period: '2026',
					dimensionKey: 'a=1&b=2',
					value: null,
					missing: true
				}
			],
			kpis,
			dimensions
		);
		expect(rows.map((r) => [r.kpi, r.dimensions, r.value])).toEqual([
			['x.neu', 'gesamt', 'von der Quelle geheim gehalten'],
			['x.neu', 'a: 1, b: 2', 'fehlt – ein gespeicherter Wert würde entfernt']
		]);
	});

	test('another feed writing the same KPIs is named with the KPIs', () => {
		expect(
			overlapText(
				{ feedId: 'mr', title: 'Melderegister', kpiIds: ['bev.einwohner', 'bev.x'] },
				kpis
			)
		).toBe(
			'Auch die aktive Lieferung „Melderegister“ schreibt „Einwohnerinnen und Einwohner“, „bev.x“. Die spätere Lieferung überschreibt die frühere.'
		);
	});

	test('a taken-back run in one sentence', () => {
		expect(takeBackText({ removed: 1, restored: 2, keptNewer: 0, kpisChanged: [] })).toBe(
			'Lauf zurückgenommen: 1 Wert entfernt, 2 auf den Stand vor dem Lauf zurückgesetzt.'
		);
		expect(takeBackText({ removed: 5, restored: 0, keptNewer: 1, kpisChanged: [] })).toBe(
			'Lauf zurückgenommen: 5 Werte entfernt, 0 auf den Stand vor dem Lauf zurückgesetzt. 1 seither anders geliefert oder erfasst – unverändert gelassen.'
		);
	});
});

describe('a sample file travels as base64', () => {
	test('any bytes, also more than one slice of them', () => {
		const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
		expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
		expect(toBase64(new Uint8Array([0xe4, 0x3b]))).toBe('5Ds=');
	});
});
