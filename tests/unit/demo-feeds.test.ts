import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { DISTRICTS } from '#server/db/demo/city';
import { generateDemoObservations } from '#server/db/demo/generate';
import {
	DEMO_FEEDS,
	demoFeedFiles,
	FEED_KPI_IDS,
	type DemoFeedFile
} from '#server/db/demo/feeds/index';
import { csvLine, germanNumber } from '#server/db/demo/feeds/format';
import { FAILING_WEEKS_AGO, HEALTH_WEEKS, REJECTING_WEEKS_AGO } from '#server/db/demo/feeds/health';
import { REGISTER_KPIS } from '#server/db/demo/feeds/register';
import { lastCompletedPeriod } from '#server/db/demo/rows';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { GESUNDHEIT_KPI } from '#server/db/demo/ids/gesundheit';
import { FeedDefinitionV1 } from '#shared/feeds';

const today = new Date(2026, 10, 22);
const rows = generateDemoObservations(today);
const files = demoFeedFiles(rows, today);
const current = (feedId: string) => files.deliveries.find((d) => d.feedId === feedId && d.current)!;
const definitionFile = (name: string): DemoFeedFile =>
	files.definitions.find((f) => f.fileName === name)!;
const json = (file: DemoFeedFile) => JSON.parse(file.bytes.toString('utf8'));

describe('germanNumber', () => {
	test('writes a decimal comma and dots between thousands', () => {
		expect(germanNumber(12345)).toBe('12.345');
		expect(germanNumber(1109390, 2)).toBe('1.109.390,00');
		expect(germanNumber(-14455, 2)).toBe('-14.455,00');
		expect(germanNumber(12.34, 1, '')).toBe('12,3');
		expect(germanNumber(999)).toBe('999');
		expect(germanNumber(-0.04, 1)).toBe('0,0');
	});
});

describe('csvLine', () => {
	test('neutralises text a spreadsheet would run as a formula, not negative numbers', () => {
		expect(csvLine(['=HYPERLINK("x")', '+49', '-Abzug', '@SUM', '-14.455,00', -3, 'Süd'])).toBe(
			`"'=HYPERLINK(""x"")";'+49;'-Abzug;'@SUM;-14.455,00;-3;Süd`
		);
	});
});

describe('the resident register extract', () => {
	const bytes = current('einwohnermelderegister').bytes;
	const text = iconv.decode(bytes, 'windows-1252');
	const lines = text.split('\r\n').slice(0, -1);

	test('is Windows-1252: umlauts are single bytes, and it is no UTF-8 read wrongly', () => {
		expect(bytes.includes(Buffer.from('Zuz\u00fcge', 'latin1'))).toBe(true);
		// UTF-8 would write ü as C3 BC; Windows-1252 writes it as FC.
		expect(bytes.includes(Buffer.from([0xc3]))).toBe(false);
		expect(text).not.toMatch(/Ã|�/);
		expect(text).toContain('Innenstadt-Südwest');
		expect(text).toContain('Lämmchesberg/Uniwohnstadt');
		expect(text).toContain('80 Jahre und älter');
		expect(text).toContain('Ausländische Einwohner');
	});

	test('has two title lines, then a semicolon header, then rows of six cells', () => {
		expect(lines[0]).toMatch(/^Einwohnermelderegister – Auszug/);
		expect(lines[1]).toBe('Stand: 22.11.2026');
		expect(lines[2]).toBe(
			'Stichtag;Stadtbezirk;Altersgruppe;Merkmal;Anzahl;Anteil an Gesamtstadt in %'
		);
		const data = lines.slice(3);
		expect(data.length).toBe(rows.filter((r) => REGISTER_KPIS.includes(r.kpiId)).length);
		for (const line of data) expect(line.split(';')).toHaveLength(6);
	});

	test('writes counts with thousands dots and shares with a decimal comma', () => {
		const inhabitants = lines.find((l) =>
			l.startsWith('31.10.2026;Innenstadt-Ost;insgesamt;Einwohner;')
		)!;
		const [, , , , count, share] = inhabitants.split(';');
		expect(count).toMatch(/^\d{1,3}\.\d{3}$/);
		expect(share).toMatch(/^\d{1,2},\d$/);
		// Every district appears by name, the city-wide rows as "Gesamtstadt".
		for (const [, name] of DISTRICTS) expect(text).toContain(`;${name};`);
		expect(
			lines.some((l) => l.startsWith('31.10.2026;Gesamtstadt;insgesamt;Lebendgeborene;'))
		).toBe(true);
		expect(lines.some((l) => l.startsWith('31.12.2025;Gesamtstadt;unter 6 Jahre;'))).toBe(true);
	});
});

describe('the finance export', () => {
	const bytes = current('finanzbuchungen').bytes;
	const text = bytes.toString('utf8');
	const lines = text
		.replace(/^\ufeff/, '')
		.split('\r\n')
		.slice(0, -1);

	test('starts with a UTF-8 byte order mark and a semicolon header', () => {
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(lines[0]).toBe('Buchungsperiode;Produktbereich;Kontenart;Plan;Ist;Abweichung');
	});

	test('writes amounts with a decimal comma, and no actual for months not yet closed', () => {
		const lastClosed = lastCompletedPeriod(today, 'monthly');
		const closed = `${lastClosed.slice(5)}.${lastClosed.slice(0, 4)}`;
		const row = lines.find((l) => l.startsWith(`${closed};11 Innere Verwaltung;Aufwendungen;`))!;
		const [, , , plan, actual] = row.split(';');
		expect(plan).toMatch(/^\d{1,3}(\.\d{3})+,00$/);
		expect(actual).toMatch(/^\d{1,3}(\.\d{3})+,00$/);
		const open = lines.find((l) => l.startsWith('12.2026;;Gewerbesteuer;'))!;
		expect(open.split(';')).toEqual(['12.2026', '', 'Gewerbesteuer', expect.any(String), '', '']);
		expect(text).toContain(';21–24 Schulträgeraufgaben;Auszahlungen für Investitionen;');
	});
});

describe('the health office deliveries', () => {
	const health = files.deliveries.filter((d) => d.feedId === 'gesundheitsamt-inzidenz');
	const generated = new Map(
		rows.filter((r) => r.kpiId === GESUNDHEIT_KPI.incidence7d).map((r) => [r.period, r.value])
	);
	const daysOf = (bytes: Buffer) =>
		JSON.parse(bytes.toString('utf8')).daten as { meldedatum: string; inzidenz_7t: unknown }[];

	test('come once a week for twelve weeks, the last one today and up to yesterday', () => {
		expect(health).toHaveLength(HEALTH_WEEKS);
		expect(health.at(-1)!.current).toBe(true);
		expect(health.at(-1)!.deliveredAt).toEqual(today);
		const days = daysOf(health.at(-1)!.bytes);
		expect(days.at(-1)!.meldedatum).toBe('2026-11-21');
		for (const d of days) expect(d.inzidenz_7t).toBe(generated.get(d.meldedatum));
	});

	test('one has two days "k. A.", one came in Windows-1252 and is no valid UTF-8', () => {
		const rejecting = health[HEALTH_WEEKS - 1 - REJECTING_WEEKS_AGO]!;
		expect(rejecting.expected).toEqual({ status: 'succeeded', rowsRejected: 2 });
		expect(daysOf(rejecting.bytes).filter((d) => typeof d.inzidenz_7t !== 'number')).toHaveLength(
			2
		);
		const failing = health[HEALTH_WEEKS - 1 - FAILING_WEEKS_AGO]!;
		expect(failing.expected.status).toBe('failed');
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(failing.bytes)).toThrow();
		expect(iconv.decode(failing.bytes, 'windows-1252')).toContain('für den Warnmelder');
	});

	test('after the deliveries that succeed, each day holds the generated value', () => {
		const stored = new Map<string, unknown>();
		for (const delivery of health) {
			if (delivery.expected.status === 'failed') continue;
			for (const d of daysOf(delivery.bytes)) {
				if (typeof d.inzidenz_7t === 'number') stored.set(d.meldedatum, d.inzidenz_7t);
			}
		}
		expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(generated));
		// Earlier deliveries had the last days before the late reports came in.
		const first = daysOf(health[0]!.bytes);
		expect(first.at(-1)!.inzidenz_7t).toBeLessThan(generated.get(first.at(-1)!.meldedatum)!);
	});
});

describe('the feed definitions', () => {
	test('each one validates against FeedDefinitionV1', () => {
		for (const { definition } of DEMO_FEEDS) {
			const parsed = FeedDefinitionV1.safeParse(json(definitionFile(`${definition.id}.feed.json`)));
			expect(parsed.error?.issues ?? []).toEqual([]);
		}
	});

	test('deliver exactly the feed KPIs of the catalogue the demo imports through them', () => {
		const lookupTargets = DEMO_FEEDS.flatMap(({ definition }) =>
			FeedDefinitionV1.parse(definition).mapping.values.flatMap(({ kpi }) =>
				'fixed' in kpi ? [kpi.fixed] : Object.values(kpi.lookup)
			)
		);
		expect(new Set(lookupTargets)).toEqual(FEED_KPI_IDS);
		const catalogue = new Map(demoCatalogue().kpis.map((k) => [k.id, k]));
		for (const id of FEED_KPI_IDS) expect(catalogue.get(id)?.source.kind).toBe('feed');
	});

	test('the school statistics descriptor names the CSV and describes its columns', () => {
		const definition = json(definitionFile('schulstatistik.feed.json'));
		expect(definition.source).toEqual({
			format: 'datapackage',
			descriptor: 'schulstatistik.datapackage.json',
			resource: 'abgaenge-uebergaenge'
		});
		const descriptor = json(definitionFile('schulstatistik.datapackage.json'));
		const [resource] = descriptor.resources;
		expect(resource).toMatchObject({
			name: 'abgaenge-uebergaenge',
			path: 'schulstatistik.csv',
			format: 'csv',
			encoding: 'utf-8',
			dialect: { delimiter: ';' }
		});
		expect(resource.schema.missingValues).toEqual(['', '-', '.']);
		const csv = current('schulstatistik');
		expect(csv.fileName).toBe(resource.path);
		const [header] = csv.bytes.toString('utf8').split('\n');
		const fields = resource.schema.fields as { name: string; type: string; decimalChar?: string }[];
		expect(fields.map((f) => f.name)).toEqual(header!.split(';'));
		expect(fields.find((f) => f.name === 'Berichtsjahr')?.type).toBe('year');
		expect(fields.find((f) => f.name === 'Anteil in %')).toMatchObject({
			type: 'number',
			decimalChar: ','
		});
	});
});
