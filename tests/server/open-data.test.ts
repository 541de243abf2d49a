import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Parser, type Quad } from 'n3';
import jsonld from 'jsonld';
import rdf from '@zazuko/env';
import SHACLValidator from 'rdf-validate-shacl';
import type { KlarDatabase } from '#server/db/connection';
import { citySettings } from '#server/city-settings';
import { previewObservations } from '#server/db/schema';
import { upsertObservation } from '#server/entries/observations';
import { loadDefinitions } from '#server/kpis/catalogue';
import { loadSnapshots, rebuildSnapshots } from '#server/kpis/snapshots';
import { openDataIndex, openDataSeries } from '#server/open-data/datasets';
import {
	FREQUENCY,
	NS,
	openDataCatalogue,
	publicOrigin,
	toJsonLd,
	toTurtle
} from '#server/open-data/dcat';
import { catalogueResponse, indexResponse, seriesResponse } from '#server/open-data/http';
import { expandSeries } from '#shared/series';
import { openDataCsv, OpenDataIndexV1, OpenDataSeriesV1 } from '#shared/open-data';
import { openDataKpis } from '#server/kpis/open-data';
import { createCaller } from '#server/trpc/router';
import {
	anonymousContext,
	loginAs,
	openSeededDatabase,
	copyDatabase,
	removeTempDirs,
	SEED_NOW
} from './helpers';

const ORIGIN = 'https://klar.example.org';
const SETTINGS = citySettings({});
const FIXTURES = 'tests/fixtures/dcat-ap-de';
/**
 * The shapes GovData's validator applies to DCAT-AP.de 2.0: the German additions on top of the
 * generic DCAT-AP 2.0.1 shapes (classes and cardinalities, controlled vocabularies, deprecated
 * URIs). See README.md in the fixture folder for where each file comes from.
 */
const SHAPES = [
	'dcat-ap-spec-german-additions.ttl',
	'dcat-ap_2.0.1_shacl_shapes.ttl',
	'dcat-ap_2.0.1_shacl_mdr-vocabularies.shape.ttl',
	'dcat-ap_2.0.1_shacl_deprecateduris.ttl'
].map((file) => `${FIXTURES}/${file}`);
const VOCABULARIES = `${FIXTURES}/vocabularies.ttl`;

let seeded: KlarDatabase;

beforeAll(async () => {
	({ db: seeded } = await openSeededDatabase());
});

afterAll(() => {
	seeded.$client.close();
	removeTempDirs();
});

const publicIds = (db: KlarDatabase) =>
	loadDefinitions(db)
		.filter((d) => d.active && d.visibility === 'public')
		.map((d) => d.id);

const parseTurtle = (text: string): Quad[] => new Parser().parse(text);

/** Objects of `subject predicate ?` in a graph. */
function objects(quads: Quad[], subject: string, predicate: string): string[] {
	return quads
		.filter((q) => q.subject.value === subject && q.predicate.value === predicate)
		.map((q) => q.object.value);
}

async function shaclReport(quads: Quad[]) {
	const shapes = rdf.dataset(SHAPES.flatMap((file) => parseTurtle(readFileSync(file, 'utf8'))));
	const vocabularies = parseTurtle(readFileSync(VOCABULARIES, 'utf8'));
	const data = rdf.dataset([...quads, ...vocabularies]);
	const report = await new SHACLValidator(shapes, { factory: rdf }).validate(data);
	const bySeverity = (severity: string) =>
		report.results
			.filter((r) => r.severity?.value === `http://www.w3.org/ns/shacl#${severity}`)
			.map(
				(r) =>
					`${r.focusNode?.value} ${r.path?.value}: ` +
					(r.message.map((m) => m.value).join(' ') || r.sourceConstraintComponent?.value)
			);
	return { violations: bySeverity('Violation'), warnings: bySeverity('Warning'), report };
}

describe('open-data downloads', () => {
	test('hold exactly the released series a reader without small counts gets', async () => {
		const councillor = await loginAs(seeded, 'rat');
		const ids = publicIds(seeded);
		expect(ids.length).toBeGreaterThan(5);
		for (const id of ids) {
			const series = OpenDataSeriesV1.parse(openDataSeries(seeded, id, SEED_NOW, SETTINGS));
			const history = await councillor.caller.kpis.history({ kpiId: id });
			const hidden = new Set(history.suppressed?.periods ?? []);
			const expected = expandSeries(history.series)
				.filter((p) => p.value !== null || hidden.has(p.period))
				.map((p) => [p.period, hidden.has(p.period) ? null : p.value]);
			const totals = series.observations.filter((o) => o.dimension === null);
			expect(
				totals.map((o) => [o.period, o.value]),
				id
			).toEqual(expected);
			const members = series.observations.filter((o) => o.dimension !== null);
			expect(members.map((o) => [o.dimension!.member, o.value])).toEqual(
				history.breakdown.filter((r) => r.asOf).map((r) => [r.key, r.value])
			);
		}
	});

	test('the CSV is German Excel: BOM, semicolons, decimal commas, one row per observation', () => {
		const series = openDataSeries(seeded, 'inf.led_anteil', SEED_NOW, SETTINGS)!;
		const csv = openDataCsv(series);
		expect(csv.startsWith('\uFEFFKennzahl;Kennung;Zeitraum;Periode;Beginn;Ende;')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines).toHaveLength(series.observations.length + 1);
		const last = series.observations.at(-1)!;
		const row = lines.at(-1)!.split(';');
		expect(row[3]).toBe(last.period);
		expect(row[8]).toBe(String(last.value).replace('.', ','));
	});

	test('withheld small counts stay withheld: marked in JSON, "•" in the CSV, never the value', () => {
		const db = copyDatabase(seeded);
		try {
			const id = 'bev.geburten';
			const before = openDataSeries(db, id, SEED_NOW, SETTINGS)!;
			const period = before.observations.filter((o) => o.dimension === null).at(-3)!.period;
			db.transaction((tx) => {
				upsertObservation(
					tx,
					{
						kpiId: id,
						period,
						dimensionKey: '',
						value: 2,
						status: 'final',
						sourceKind: 'form',
						sourceRef: 'test'
					},
					null,
					SEED_NOW
				);
				rebuildSnapshots(tx, [id], SEED_NOW);
			});
			const series = openDataSeries(db, id, SEED_NOW, SETTINGS)!;
			const cell = series.observations.find((o) => o.period === period && !o.dimension)!;
			expect(cell).toMatchObject({ value: null, withheld: true });
			const csv = openDataCsv(series);
			const line = csv.split('\r\n').find((l) => l.split(';')[3] === period)!;
			expect(line.split(';')[8]).toBe('•');
			expect(csv).toContain('• Aus Gründen der statistischen Geheimhaltung');
			expect(series.minCount).toBe(3);
		} finally {
			db.$client.close();
		}
	});

	test('values that await release never reach the files, the page or the catalogue', async () => {
		const db = copyDatabase(seeded);
		try {
			const id = 'fin.liquiditaetskredite';
			const released = openDataSeries(db, id, SEED_NOW, SETTINGS)!;
			const lastPeriod = released.observations.at(-1)!.period;
			const awaiting = 987654;
			db.insert(previewObservations)
				.values({ kpiId: id, period: lastPeriod, dimensionKey: '', value: awaiting })
				.run();
			rebuildSnapshots(db, [id], SEED_NOW);
			// The value is in the internal view, so the test sees it where it could leak.
			expect(JSON.stringify(loadSnapshots(db, [id]).get(id)!.internal)).toContain(String(awaiting));
			const texts = [
				JSON.stringify(openDataSeries(db, id, SEED_NOW, SETTINGS)),
				openDataCsv(openDataSeries(db, id, SEED_NOW, SETTINGS)!),
				JSON.stringify(openDataIndex(db, SEED_NOW, SETTINGS)),
				await toTurtle(openDataCatalogue(db, ORIGIN, SEED_NOW, SETTINGS).quads)
			];
			for (const text of texts) {
				expect(text).not.toContain(String(awaiting));
			}
			expect(openDataSeries(db, id, SEED_NOW, SETTINGS)).toEqual(released);
		} finally {
			db.$client.close();
		}
	});

	test('internal and council KPIs are not open data: no file, no entry, no dataset', async () => {
		const definitions = loadDefinitions(seeded);
		const hidden = definitions.filter((d) => d.visibility !== 'public');
		expect(hidden.some((d) => d.visibility === 'internal')).toBe(true);
		expect(hidden.some((d) => d.visibility === 'council')).toBe(true);
		const index = OpenDataIndexV1.parse(openDataIndex(seeded, SEED_NOW, SETTINGS));
		expect(index.datasets.map((d) => d.kpi.id)).toEqual(publicIds(seeded));
		const turtle = await toTurtle(openDataCatalogue(seeded, ORIGIN, SEED_NOW, SETTINGS).quads);
		for (const d of hidden) {
			expect(openDataSeries(seeded, d.id, SEED_NOW, SETTINGS), d.id).toBeNull();
			for (const format of ['csv', 'json'] as const) {
				expect(seriesResponse(seeded, d.id, format, SEED_NOW).status).toBe(404);
			}
			expect(turtle).not.toContain(`/datensatz/${d.id}>`);
		}
	});

	test('a retired public KPI leaves openData.kpis as it leaves the portal and the catalogue', async () => {
		const db = copyDatabase(seeded);
		try {
			const id = 'bev.geburten';
			const before = await createCaller(anonymousContext(db)).openData.kpis();
			expect(before.map((k) => k.definition.id)).toContain(id);
			const admin = await loginAs(db, 'admin');
			expect((await admin.caller.catalogue.setActive({ id, active: false })).ok).toBe(true);

			const open = await createCaller(anonymousContext(db)).openData.kpis();
			const ids = open.map((k) => k.definition.id);
			expect(ids).not.toContain(id);
			expect(ids).toEqual(before.map((k) => k.definition.id).filter((k) => k !== id));
			// The same KPIs as the portal's list, in the same order.
			const index = OpenDataIndexV1.parse(openDataIndex(db, SEED_NOW, SETTINGS));
			expect(ids).toEqual(index.datasets.map((d) => d.kpi.id));
			expect(openDataKpis(db).map((k) => k.definition.id)).toEqual(ids);
			expect(openDataSeries(db, id, SEED_NOW, SETTINGS)).toBeNull();
		} finally {
			db.$client.close();
		}
	});

	test('the HTTP answers name their type, a file name and a short public cache time', async () => {
		const csv = seriesResponse(seeded, 'bev.einwohner', 'csv', SEED_NOW);
		expect(csv.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
		expect(csv.headers.get('Content-Disposition')).toBe(
			'attachment; filename="klar_bev.einwohner.csv"'
		);
		expect(csv.headers.get('Cache-Control')).toBe('public, max-age=300');
		expect(csv.headers.get('Access-Control-Allow-Origin')).toBe('*');
		const json = seriesResponse(seeded, 'bev.einwohner', 'json', SEED_NOW);
		expect(json.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
		OpenDataSeriesV1.parse(await json.json());
		const index = indexResponse(seeded, SEED_NOW);
		OpenDataIndexV1.parse(await index.json());
		const ttl = await catalogueResponse(seeded, 'http://127.0.0.1:3000', 'turtle', SEED_NOW);
		expect(ttl.headers.get('Content-Type')).toBe('text/turtle; charset=utf-8');
		const ld = await catalogueResponse(seeded, 'http://127.0.0.1:3000', 'jsonld', SEED_NOW);
		expect(ld.headers.get('Content-Type')).toBe('application/ld+json; charset=utf-8');
		expect(seriesResponse(seeded, 'gibt.es.nicht', 'csv', SEED_NOW).status).toBe(404);
	});
});

describe('the DCAT-AP.de catalogue', () => {
	test('has one dataset per public KPI with every property the city publishes', () => {
		const { quads, catalogueUri, datasetUris } = openDataCatalogue(
			seeded,
			ORIGIN,
			SEED_NOW,
			SETTINGS
		);
		const dcat = (t: string) => `${NS.dcat}${t}`;
		const dct = (t: string) => `${NS.dct}${t}`;
		const dcatde = (t: string) => `${NS.dcatde}${t}`;
		expect(objects(quads, catalogueUri, `${NS.rdf}type`)).toEqual([dcat('Catalog')]);
		expect(objects(quads, catalogueUri, dct('publisher'))).toEqual([SETTINGS.homepage]);
		const ids = publicIds(seeded);
		expect(objects(quads, catalogueUri, dcat('dataset')).sort()).toEqual(
			ids.map((id) => `${ORIGIN}/offene-daten/datensatz/${id}`).sort()
		);
		expect(datasetUris).toHaveLength(ids.length);
		const definitions = new Map(loadDefinitions(seeded).map((d) => [d.id, d]));
		for (const [i, uri] of datasetUris.entries()) {
			const definition = definitions.get(ids[i]!)!;
			const one = (p: string) => {
				const values = objects(quads, uri, p);
				expect(values, `${uri} ${p}`).toHaveLength(1);
				return values[0]!;
			};
			expect(one(dct('title'))).toBe(definition.title);
			one(dct('description'));
			expect(one(dct('publisher'))).toBe(SETTINGS.homepage);
			const contact = one(dcat('contactPoint'));
			expect(objects(quads, contact, `${NS.vcard}hasEmail`)).toEqual([
				`mailto:${SETTINGS.contactEmail}`
			]);
			expect(objects(quads, uri, dcat('keyword')).sort()).toEqual([...definition.tags].sort());
			expect(one(dcat('theme'))).toMatch(
				/^http:\/\/publications\.europa\.eu\/resource\/authority\/data-theme\/[A-Z]{4}$/
			);
			const ars = `http://dcat-ap.de/def/politicalGeocoding/regionalKey/${SETTINGS.regionalKey}`;
			expect(one(dct('spatial'))).toBe(ars);
			expect(one(dcatde('politicalGeocodingURI'))).toBe(ars);
			expect(one(dcatde('politicalGeocodingLevelURI'))).toBe(
				'http://dcat-ap.de/def/politicalGeocoding/Level/municipality'
			);
			const temporal = one(dct('temporal'));
			expect(objects(quads, temporal, dcat('startDate'))[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
			one(dct('modified'));
			expect(one(dct('accrualPeriodicity'))).toBe(FREQUENCY[definition.cadence]);
			const maintainer = one(dcatde('maintainer'));
			expect(objects(quads, maintainer, `${NS.foaf}name`)[0]).toContain(
				definition.owner.department
			);
			const distributions = objects(quads, uri, dcat('distribution'));
			expect(distributions).toHaveLength(2);
			for (const distribution of distributions) {
				const d = (p: string) => objects(quads, distribution, p);
				expect(d(dcat('accessURL'))).toEqual(d(dcat('downloadURL')));
				expect(d(dcat('downloadURL'))[0]).toMatch(
					new RegExp(`^${ORIGIN}/offene-daten/daten/${definition.id}\\.(csv|json)$`)
				);
				expect(d(dct('format'))[0]).toMatch(/file-type\/(CSV|JSON)$/);
				expect(d(dcat('mediaType'))[0]).toMatch(
					/^https:\/\/www\.iana\.org\/assignments\/media-types\/(text\/csv|application\/json)$/
				);
				expect(d(dct('license'))).toEqual(['http://dcat-ap.de/def/licenses/dl-by-de/2.0']);
				expect(d(dcatde('licenseAttributionByText'))).toEqual([SETTINGS.attribution]);
			}
		}
	});

	test('takes licence, attribution, regional key and contributor id from the settings', () => {
		const settings = citySettings({
			KLAR_CITY_NAME: 'Stadt Musterhausen',
			KLAR_CITY_HOMEPAGE: 'https://www.musterhausen.example/',
			KLAR_CITY_REGIONAL_KEY: '081110000000',
			KLAR_OPEN_DATA_LICENCE: 'cc-by/4.0',
			KLAR_OPEN_DATA_ATTRIBUTION: 'Stadt Musterhausen, Statistikstelle',
			KLAR_GOVDATA_CONTRIBUTOR_ID: 'http://dcat-ap.de/def/contributors/musterhausen'
		});
		const { quads, datasetUris } = openDataCatalogue(seeded, ORIGIN, SEED_NOW, settings);
		const uri = datasetUris[0]!;
		expect(objects(quads, uri, `${NS.dct}publisher`)).toEqual([
			'https://www.musterhausen.example/'
		]);
		expect(objects(quads, uri, `${NS.dcatde}politicalGeocodingURI`)).toEqual([
			'http://dcat-ap.de/def/politicalGeocoding/regionalKey/081110000000'
		]);
		expect(objects(quads, uri, `${NS.dcatde}contributorID`)).toEqual([
			'http://dcat-ap.de/def/contributors/musterhausen'
		]);
		const distribution = objects(quads, uri, `${NS.dcat}distribution`)[0]!;
		expect(objects(quads, distribution, `${NS.dct}license`)).toEqual([
			'http://dcat-ap.de/def/licenses/cc-by/4.0'
		]);
		expect(objects(quads, distribution, `${NS.dcatde}licenseAttributionByText`)).toEqual([
			'Stadt Musterhausen, Statistikstelle'
		]);
		// Without the city's centre there is no dct:Location to write: the regional key stays.
		expect(objects(quads, uri, `${NS.dct}spatial`)).toEqual([]);
		const located = openDataCatalogue(seeded, ORIGIN, SEED_NOW, {
			...settings,
			centroid: { longitude: 9.4, latitude: 48.7 }
		});
		const place = 'http://dcat-ap.de/def/politicalGeocoding/regionalKey/081110000000';
		expect(objects(located.quads, located.datasetUris[0]!, `${NS.dct}spatial`)).toEqual([place]);
		expect(objects(located.quads, place, `${NS.dcat}centroid`)).toEqual(['POINT(9.4 48.7)']);
	});

	test('builds its URIs from ORIGIN when it is set, else from the request', () => {
		expect(publicOrigin('http://127.0.0.1:3000', { ORIGIN: 'https://klar.stadt.de/' })).toBe(
			'https://klar.stadt.de'
		);
		expect(publicOrigin('http://127.0.0.1:3000', {})).toBe('http://127.0.0.1:3000');
	});

	test('conforms to the DCAT-AP.de and DCAT-AP shapes, as Turtle and as JSON-LD read back', async () => {
		const { quads, catalogueUri, datasetUris } = openDataCatalogue(
			seeded,
			ORIGIN,
			SEED_NOW,
			SETTINGS
		);
		// The two warnings of DCAT-AP's vocabulary shapes that no city can avoid: the EU lists
		// name neither a German city as a corporate body nor its regional key as a place.
		const expectedWarnings = [catalogueUri, ...datasetUris].flatMap((uri) => [
			`${uri} ${NS.dct}publisher: Value does not have shape <http://data.europa.eu/r5r#CorporateBodyRestriction>`,
			`${uri} ${NS.dct}spatial: Value does not have shape `
		]);
		const turtle = await toTurtle(quads);
		const fromTurtle = parseTurtle(turtle);
		expect(fromTurtle).toHaveLength(quads.length);
		const turtleReport = await shaclReport(fromTurtle);
		expect(turtleReport.violations).toEqual([]);
		expect(turtleReport.warnings.sort()).toEqual(expectedWarnings.sort());

		const document = (await toJsonLd(quads)) as Record<string, unknown>;
		// One tree rooted at the catalogue: datasets, their distributions and blank nodes nested.
		expect(document).toMatchObject({ '@id': catalogueUri, '@type': 'dcat:Catalog' });
		expect(document).not.toHaveProperty('@graph');
		const nested = document['dcat:dataset'] as Record<string, unknown>[];
		expect(nested.map((d) => d['@id'])).toEqual(datasetUris);
		for (const dataset of nested) {
			expect(dataset['dcat:contactPoint']).toMatchObject({ '@type': 'vcard:Organization' });
			expect(dataset['dcat:distribution']).toMatchObject([
				{ '@type': 'dcat:Distribution' },
				{ '@type': 'dcat:Distribution' }
			]);
		}
		const nquads = (await jsonld.toRDF(JSON.parse(JSON.stringify(document)), {
			format: 'application/n-quads'
		})) as unknown as string;
		const fromJsonLd = new Parser({ format: 'N-Quads' }).parse(nquads);
		expect(fromJsonLd).toHaveLength(quads.length);
		const jsonLdReport = await shaclReport(fromJsonLd);
		expect(jsonLdReport.violations).toEqual([]);
		expect(jsonLdReport.warnings.sort()).toEqual(expectedWarnings.sort());

		// The figures for the release note.
		console.log(
			`DCAT-AP.de catalogue of the demo city: ${datasetUris.length} datasets, ${quads.length} triples, ` +
				`${SHAPES.length} shapes files; Turtle: ${turtleReport.violations.length} violations, ` +
				`${turtleReport.warnings.length} warnings; JSON-LD: ${jsonLdReport.violations.length} ` +
				`violations, ${jsonLdReport.warnings.length} warnings`
		);
	});

	test('the shapes do catch a broken catalogue (the check can fail)', async () => {
		const { quads } = openDataCatalogue(seeded, ORIGIN, SEED_NOW, SETTINGS);
		const broken = quads.map((q) =>
			q.predicate.value === `${NS.dct}accrualPeriodicity`
				? new Parser().parse(
						`<${q.subject.value}> <${NS.dct}accrualPeriodicity> <http://example.org/jede-woche> .`
					)[0]!
				: q
		);
		const { violations } = await shaclReport(broken);
		// Each dataset is caught three times: not in the EU frequency list (DCAT-AP.de and DCAT-AP)
		// and not a dct:Frequency (DCAT-AP).
		const datasets = publicIds(seeded).map((id) => `${ORIGIN}/offene-daten/datensatz/${id}`);
		expect(violations).toHaveLength(3 * datasets.length);
		for (const uri of datasets) {
			expect(
				violations.filter((v) => v.startsWith(`${uri} ${NS.dct}accrualPeriodicity: `)),
				uri
			).toHaveLength(3);
		}
	});
});
