import { describe, expect, test } from 'vitest';
import { discloseSnapshot, isSmallCount, type DisclosureRule } from '#server/kpis/disclosure';
import { KpiSnapshotV2, type BreakdownRow, type KpiSnapshot } from '#shared/kpi';
import { compactSeries, expandSeries } from '#shared/series';

const stock3: DisclosureRule = { kind: 'count', minCount: 3, accumulation: 'stock' };

/** A snapshot as the server builds it: the value and previous value are the last two points. */
function snapshot(
	points: [string, number | null][],
	rows: Record<string, number | null> = {},
	extra: Partial<KpiSnapshot> = {}
): KpiSnapshot {
	const known = points.filter(([, v]) => v !== null);
	const [period, value] = known.at(-1) ?? [null, null];
	const [previousPeriod, previousValue] = known.at(-2) ?? [null, null];
	const change = value !== null && previousValue !== null ? value - previousValue : null;
	const breakdown: BreakdownRow[] = Object.entries(rows).map(([key, v]) => ({
		key,
		label: key.toUpperCase(),
		value: v,
		asOf: period
	}));
	return {
		kpiId: 'test.kpi',
		areaId: 'soziales',
		period,
		value,
		previousPeriod,
		previousValue,
		change,
		changePercent: change !== null && previousValue ? (change / previousValue) * 100 : null,
		status: 'green',
		series: compactSeries(points.map(([p, v]) => ({ period: p, value: v }))),
		breakdownDimension: Object.keys(rows).length ? 'district' : null,
		breakdown,
		asOf: null,
		overdue: false,
		nextExpectedUpdate: null,
		computedAt: '2026-11-22T00:00:00.000Z',
		...extra
	};
}

const months = (year: number, values: (number | null)[]): [string, number | null][] =>
	values.map((v, i) => [`${year}-${String(i + 1).padStart(2, '0')}`, v]);

const rowValues = (s: KpiSnapshot) => Object.fromEntries(s.breakdown.map((r) => [r.key, r.value]));
const seriesValues = (s: KpiSnapshot) => expandSeries(s.series).map((p) => p.value);

describe('primary suppression', () => {
	test('a current value of 2 is withheld with its change and status; the previous 5 is shown', () => {
		const raw = snapshot(months(2026, [7, 5, 2]));
		const shown = discloseSnapshot(raw, stock3);
		expect(shown.value).toBeNull();
		expect(shown.previousValue).toBe(5);
		expect(shown.change).toBeNull();
		expect(shown.changePercent).toBeNull();
		expect(shown.status).toBe('none');
		expect(shown.period).toBe('2026-03');
		expect(seriesValues(shown)).toEqual([7, 5, null]);
		expect(shown.suppressed).toEqual({
			value: true,
			previousValue: false,
			periods: ['2026-03'],
			members: [],
			minCount: 3
		});
		// Still a valid snapshot.v2, so older clients parse it (and drop the marks).
		expect(KpiSnapshotV2.parse(shown)).toEqual(shown);
	});

	test('a small previous value takes the change with it, the current value stays', () => {
		const shown = discloseSnapshot(snapshot(months(2026, [9, 1, 8])), stock3);
		expect(shown.value).toBe(8);
		expect(shown.previousValue).toBeNull();
		expect(shown.change).toBeNull();
		expect(shown.changePercent).toBeNull();
		expect(shown.status).toBe('green');
		expect(shown.suppressed).toMatchObject({
			value: false,
			previousValue: true,
			periods: ['2026-02']
		});
	});

	test('zero and counts at the threshold are shown; nothing hidden returns the snapshot itself', () => {
		const raw = snapshot(months(2026, [0, 3, 0, 4]), { a: 0, b: 3, c: 1000 });
		expect(discloseSnapshot(raw, stock3)).toBe(raw);
		expect(isSmallCount(0, 3)).toBe(false);
		expect(isSmallCount(1, 3)).toBe(true);
		expect(isSmallCount(2, 3)).toBe(true);
		expect(isSmallCount(3, 3)).toBe(false);
		expect(isSmallCount(null, 3)).toBe(false);
	});

	test('a rule of 0 (off) hides nothing, not even a 1', () => {
		const raw = snapshot(months(2026, [1, 1]), { a: 1 });
		expect(discloseSnapshot(raw, { kind: 'count', minCount: 0, accumulation: 'stock' })).toBe(raw);
	});

	test('every small series point is withheld, other points and the current value stay', () => {
		const shown = discloseSnapshot(snapshot(months(2026, [1, 12, 2, null, 15, 14])), stock3);
		expect(seriesValues(shown)).toEqual([null, 12, null, null, 15, 14]);
		expect(shown.suppressed?.periods).toEqual(['2026-01', '2026-03']);
		expect(shown.value).toBe(14);
		expect(shown.change).toBe(-1);
	});

	test('a small reference figure of a row is withheld', () => {
		const raw = snapshot(months(2026, [30]), { a: 10, b: 20 });
		raw.breakdown[0]!.reference = 2;
		raw.breakdown[1]!.reference = 40;
		const shown = discloseSnapshot(raw, stock3);
		expect(shown.breakdown.map((r) => r.reference)).toEqual([null, 40]);
		expect(shown.suppressed).toMatchObject({ members: [], references: ['a'] });
	});
});

describe('secondary suppression of breakdown rows against the shown total', () => {
	test('one small row: the next smallest row is withheld too, the total stays', () => {
		// 1 + 10 + 20 + 50 = 81. Showing 81 and 10, 20, 50 would give the 1 back as 81 − 80.
		const shown = discloseSnapshot(
			snapshot(months(2026, [80, 81]), { a: 1, b: 10, c: 20, d: 50 }),
			stock3
		);
		expect(rowValues(shown)).toEqual({ a: null, b: null, c: 20, d: 50 });
		expect(shown.value).toBe(81);
		expect(shown.suppressed?.members).toEqual(['a', 'b']);
	});

	test('two small rows whose sum is small: a third row is withheld', () => {
		// 1 + 1 = 2 < 3: the reader would know both are 1. With the 7: 9, and 9 − x cannot be told.
		const shown = discloseSnapshot(
			snapshot(months(2026, [40, 42]), { a: 1, b: 1, c: 7, d: 33 }),
			stock3
		);
		expect(rowValues(shown)).toEqual({ a: null, b: null, c: null, d: 33 });
		expect(shown.value).toBe(42);
	});

	test('two small rows whose sum reaches the threshold need no third', () => {
		const shown = discloseSnapshot(
			snapshot(months(2026, [40, 43]), { a: 1, b: 2, c: 7, d: 33 }),
			stock3
		);
		expect(rowValues(shown)).toEqual({ a: null, b: null, c: 7, d: 33 });
	});

	test('rows of zero are not used (they add nothing), the smallest positive row is', () => {
		const shown = discloseSnapshot(
			snapshot(months(2026, [20, 15]), { a: 1, z: 0, b: 5, c: 9 }),
			stock3
		);
		expect(rowValues(shown)).toEqual({ a: null, z: 0, b: null, c: 9 });
	});

	test('equal candidates are taken in key order, so the result does not depend on row order', () => {
		const rows = { k: 2, m: 6, b: 6, x: 30 };
		const shown = discloseSnapshot(snapshot(months(2026, [44]), rows), stock3);
		expect(rowValues(shown)).toEqual({ k: null, m: 6, b: null, x: 30 });
	});

	test('when the rows cannot protect each other, the total is withheld instead', () => {
		// A total of 10 with a single row of 2 (the rest is unallocated): hiding the row alone
		// would leave 10 − 0, hiding the total is the only way.
		const shown = discloseSnapshot(snapshot(months(2026, [9, 10]), { a: 2 }), stock3);
		expect(shown.value).toBeNull();
		expect(shown.status).toBe('none');
		expect(shown.change).toBeNull();
		expect(seriesValues(shown)).toEqual([9, null]);
		expect(rowValues(shown)).toEqual({ a: null });
		expect(shown.suppressed).toMatchObject({ value: true, periods: ['2026-02'], members: ['a'] });
	});

	test('a hidden total needs no secondary suppression of the rows', () => {
		const shown = discloseSnapshot(snapshot(months(2026, [2]), { a: 2, b: 0 }), stock3);
		expect(shown.value).toBeNull();
		expect(rowValues(shown)).toEqual({ a: null, b: 0 });
	});

	test('a higher threshold needs a larger hidden sum', () => {
		const rule: DisclosureRule = { kind: 'count', minCount: 5, accumulation: 'flow' };
		// 4 is primary; with 1 it would be 5 … but 1 is primary too; 4 + 1 = 5 ≥ 5: enough.
		const a = discloseSnapshot(snapshot(months(2026, [65]), { a: 4, b: 1, c: 60 }), rule);
		expect(rowValues(a)).toEqual({ a: null, b: null, c: 60 });
		// 2 + 2 = 4 < 5: the 6 goes too.
		const b = discloseSnapshot(snapshot(months(2026, [70]), { a: 2, b: 2, c: 6, d: 60 }), rule);
		expect(rowValues(b)).toEqual({ a: null, b: null, c: null, d: 60 });
	});
});

describe('running sums within the year (ytd)', () => {
	const ytd3: DisclosureRule = { kind: 'count', minCount: 3, accumulation: 'ytd' };

	test('a step of 1 or 2 between consecutive shown points is withheld', () => {
		// Flows 5, 1, 4, 0, 2 → running sums 5, 6, 10, 10, 12.
		const shown = discloseSnapshot(snapshot(months(2026, [5, 6, 10, 10, 12])), ytd3);
		expect(seriesValues(shown)).toEqual([5, null, 10, 10, null]);
		expect(shown.value).toBeNull();
		expect(shown.previousValue).toBe(10);
		expect(shown.change).toBeNull();
		expect(shown.suppressed?.periods).toEqual(['2026-02', '2026-05']);
	});

	test('the first point of a year is its first flow; a new year starts at zero again', () => {
		const points = [...months(2025, [40, 80]).slice(0, 2), ...months(2026, [2, 9])];
		const shown = discloseSnapshot(snapshot(points), ytd3);
		// 2026-01 = 2 is small itself; 2026-02 − 0 = 9 is fine (the 2 between is hidden).
		expect(seriesValues(shown)).toEqual(
			expandSeries(snapshot(points).series).map((p) => (p.period === '2026-01' ? null : p.value))
		);
		expect(shown.value).toBe(9);
	});

	test('property: no two consecutive shown points of a year differ by a small count', () => {
		let seed = 7;
		const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		for (let run = 0; run < 300; run++) {
			const min = 2 + Math.floor(random() * 4);
			let sum = 0;
			const values = Array.from({ length: 12 }, () => {
				const r = random();
				if (r < 0.1) return null;
				sum += Math.floor(random() * (r < 0.6 ? min : 4 * min));
				return sum;
			});
			const rule: DisclosureRule = { kind: 'count', minCount: min, accumulation: 'ytd' };
			const shown = seriesValues(discloseSnapshot(snapshot(months(2026, values)), rule));
			let last = 0;
			for (const v of shown) {
				if (v === null) continue;
				expect(isSmallCount(Math.abs(v - last), min), `${values} → ${shown}`).toBe(false);
				last = v;
			}
		}
	});
});

describe('derived ratio and difference KPIs inherit what their inputs hide', () => {
	test('a ratio whose numerator is withheld is withheld, row by row and period by period', () => {
		// Occupancy hidden at facility x (and the day 2026-11-21 of the total); capacity is public.
		const utilisation = snapshot(
			[
				['2026-11-20', 90],
				['2026-11-21', 91]
			],
			{ x: 50, y: 95 }
		);
		utilisation.breakdown[0]!.reference = 4;
		utilisation.breakdown[1]!.reference = 200;
		const occupancy = {
			value: true,
			previousValue: false,
			periods: ['2026-11-21'],
			members: ['x'],
			minCount: 3
		};
		const shown = discloseSnapshot(utilisation, {
			kind: 'derived',
			inputs: [occupancy, undefined]
		});
		expect(shown.value).toBeNull();
		expect(shown.status).toBe('none');
		expect(shown.change).toBeNull();
		expect(shown.previousValue).toBe(90);
		expect(rowValues(shown)).toEqual({ x: null, y: 95 });
		// The capacity beside it is not secret.
		expect(shown.breakdown.map((r) => r.reference)).toEqual([4, 200]);
		expect(shown.suppressed).toEqual({
			value: true,
			previousValue: false,
			periods: ['2026-11-21'],
			members: ['x'],
			minCount: 3
		});
	});

	test('a difference also withholds the second input as reference, and its periods', () => {
		const net = snapshot(months(2026, [12, 15, 9]), { a: 3, b: 5 });
		net.breakdown[0]!.reference = 2;
		net.breakdown[1]!.reference = 40;
		const movesOut = {
			value: false,
			previousValue: false,
			periods: ['2026-01', '2025-06'],
			members: ['a'],
			minCount: 3
		};
		const shown = discloseSnapshot(net, { kind: 'derived', inputs: [undefined, movesOut] });
		expect(seriesValues(shown)).toEqual([null, 15, 9]);
		expect(rowValues(shown)).toEqual({ a: null, b: 5 });
		expect(shown.breakdown.map((r) => r.reference)).toEqual([null, 40]);
		expect(shown.suppressed).toMatchObject({
			periods: ['2026-01'],
			members: ['a'],
			references: ['a']
		});
	});

	test('inputs that hide nothing leave the derived KPI as it is', () => {
		const raw = snapshot(months(2026, [50, 60]), { a: 1 });
		expect(discloseSnapshot(raw, { kind: 'derived', inputs: [undefined, undefined] })).toBe(raw);
	});
});

describe('property: a withheld row never comes back as total minus the shown rows', () => {
	test('random breakdowns', () => {
		let seed = 20261122;
		const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
		let withSecondary = 0;
		for (let run = 0; run < 2000; run++) {
			const min = 2 + Math.floor(random() * 5);
			const n = 1 + Math.floor(random() * 8);
			const rows: Record<string, number> = {};
			for (let i = 0; i < n; i++) {
				const r = random();
				rows[`m${i}`] =
					r < 0.15
						? 0
						: r < 0.55
							? 1 + Math.floor(random() * (min - 1))
							: Math.floor(random() * 60);
			}
			const total = Object.values(rows).reduce((s, v) => s + v, 0);
			const rule: DisclosureRule = { kind: 'count', minCount: min, accumulation: 'flow' };
			const shown = discloseSnapshot(snapshot(months(2026, [total]), rows), rule);
			const context = `min ${min}, rows ${JSON.stringify(rows)}`;

			const shownRows = shown.breakdown.filter((r) => r.value !== null);
			const hiddenRows = shown.breakdown.filter((r) => r.value === null);
			// No small count is shown anywhere.
			for (const r of shownRows) expect(isSmallCount(r.value, min), context).toBe(false);
			if (shown.value !== null) {
				expect(isSmallCount(shown.value, min), context).toBe(false);
				const residual = shown.value - shownRows.reduce((s, r) => s + r.value!, 0);
				if (hiddenRows.length > 0) {
					// One hidden row would be the residual itself; a small residual gives them away.
					expect(hiddenRows.length, context).toBeGreaterThanOrEqual(2);
					expect(residual, context).toBeGreaterThanOrEqual(min);
				}
				if (hiddenRows.length > 1) withSecondary++;
			}
			// Every hidden row is marked, and every marked row is hidden.
			expect(shown.suppressed?.members ?? [], context).toEqual(hiddenRows.map((r) => r.key));
			// The raw value of a small row is never in what is sent.
			if (shown.value !== null && hiddenRows.length === 0) {
				expect(
					Object.values(rows).some((v) => isSmallCount(v, min)),
					context
				).toBe(false);
			}
		}
		expect(withSecondary).toBeGreaterThan(100);
	});
});
