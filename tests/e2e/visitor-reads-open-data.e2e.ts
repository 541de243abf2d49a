import { describe, expect, it } from 'vitest';
import { storyWithAppAndPhone } from './support/story';
import { waitForServiceWorker } from './support/browser';
import { axeViolations } from './support/axe';
import { OpenDataListPage, OpenDatasetPage } from './pages/open-data-pages';
import { OpenDataSeriesV1 } from '#shared/open-data';

/** "-1234,5" from the CSV back to a number; "•" (withheld) and "" stay text. */
const csvNumber = (cell: string) =>
	/^-?\d+(,\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : cell;

describe('A visitor reads the city’s open data on a phone, without a login', () => {
	const story = storyWithAppAndPhone();

	it('opens the portal, finds a dataset by a word without umlauts and opens its page', async () => {
		const { page, server } = story;
		const list = new OpenDataListPage(page);
		await list.open(server.url);
		expect(page.url()).toBe(`${server.url}/offene-daten`);
		const publicKpis = server.query<{ id: string }>(
			`SELECT id FROM kpi_definitions WHERE visibility = 'public' AND active = 1 ORDER BY sort_order, id`
		);
		expect(await list.datasetIds()).toEqual(publicKpis.map((k) => k.id));
		expect(await page.getByTestId('licence').textContent()).toContain(
			'Datenlizenz Deutschland – Namensnennung – Version 2.0'
		);
		expect(await axeViolations(page)).toEqual([]);
		// Long units ("Bedarfsgemeinschaften") break instead of widening the phone's screen.
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);

		// "ss" finds "ß": the street lights and the LED share, whose texts name them.
		await list.search('strassenleuchten');
		await expect
			.poll(async () => (await list.datasetIds()).sort())
			.toEqual(['inf.led_anteil', 'inf.strassenleuchten']);
		await list.search('EINWOHNER');
		await expect.poll(() => list.datasetIds()).toContain('bev.einwohner');
		await expect.poll(() => list.count().textContent()).toMatch(/\d+ Datens(atz|ätze) gefunden/);

		await list.openDataset('Einwohnerinnen und Einwohner');
		await page.waitForURL(/\/offene-daten\/datensatz\/bev\.einwohner$/);
		const dataset = new OpenDatasetPage(page);
		await dataset.waitForValue();
		expect(await dataset.heading().textContent()).toBe('Einwohnerinnen und Einwohner');
		expect(await axeViolations(page)).toEqual([]);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBe(360);
	});

	it('downloads the CSV, whose values are the released series the server publishes', async () => {
		const { page, server } = story;
		const dataset = new OpenDatasetPage(page);
		const { name, text } = await dataset.downloadCsv();
		expect(name).toBe('klar_bev.einwohner.csv');
		expect(text.startsWith('\uFEFFKennzahl;Kennung;Zeitraum;Periode;')).toBe(true);

		const response = await fetch(`${server.url}/offene-daten/daten/bev.einwohner.json`);
		const series = OpenDataSeriesV1.parse(await response.json());
		const rows = text
			.slice(1)
			.split('\r\n')
			.slice(1)
			.filter((line) => line.startsWith('Einwohnerinnen und Einwohner;'))
			.map((line) => line.split(';'));
		expect(rows).toHaveLength(series.observations.length);
		expect(rows.map((r) => [r[3], r[7], csvNumber(r[8]!)])).toEqual(
			series.observations.map((o) => [
				o.period,
				o.dimension?.label ?? '',
				o.withheld ? '•' : o.value
			])
		);

		// The latest total is the value the released snapshot in the database holds.
		const [stored] = server.query<{ payload: string; disclosed: string | null }>(
			`SELECT payload, disclosed_payload AS disclosed FROM snapshots WHERE kpi_id = 'bev.einwohner'`
		);
		const snapshot = JSON.parse(stored!.disclosed ?? stored!.payload) as {
			period: string;
			value: number;
		};
		const latest = rows.filter((r) => r[6] === 'Gesamt').at(-1)!;
		expect([latest[3], csvNumber(latest[8]!)]).toEqual([snapshot.period, snapshot.value]);
	});

	it('goes offline, reloads, and still reads the list and the dataset page', async () => {
		const { page, context, server } = story;
		await waitForServiceWorker(page);
		const dataset = new OpenDatasetPage(page);
		const onlineValue = await dataset.value().textContent();

		await context.setOffline(true);
		await page.reload();
		await dataset.waitForValue();
		expect(await dataset.value().textContent()).toBe(onlineValue);
		expect(await page.getByRole('table').first().getByRole('row').count()).toBeGreaterThan(2);

		const list = new OpenDataListPage(page);
		await list.open(server.url);
		expect((await list.datasetIds()).length).toBeGreaterThan(5);
		await list.search('einwohner');
		await expect.poll(() => list.datasetIds()).toContain('bev.einwohner');
		await context.setOffline(false);
	});

	it('serves the catalogue files as files, not as the app', async () => {
		const { page, server } = story;
		const turtle = await page.goto(`${server.url}/offene-daten/katalog.ttl`);
		expect(turtle?.headers()['content-type']).toBe('text/turtle; charset=utf-8');
		expect(await turtle?.text()).toContain('dcat:Catalog');
		const ld = await fetch(`${server.url}/offene-daten/katalog.jsonld`);
		expect(ld.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
		expect(JSON.stringify(await ld.json())).toContain(
			`${server.url}/offene-daten/datensatz/bev.einwohner`
		);
	});
});
