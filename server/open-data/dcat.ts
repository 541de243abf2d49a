import { DataFactory, Writer, type NamedNode, type Quad } from 'n3';
import jsonld from 'jsonld';
import type { DbOrTx } from '#server/db/connection';
import { citySettings, type CitySettings } from '#server/city-settings';
import type { Cadence } from '#shared/kpi';
import { OPEN_DATA_THEMES } from '#shared/catalogue';
import { expandSeries } from '#shared/series';
import { periodEnd, periodStart, toIsoDate } from '#shared/periods';
import {
	OPEN_DATA_PAGE,
	openDataFileUrl,
	openDataLicence,
	openDataPageUrl,
	type OpenDataFormat
} from '#shared/open-data';
import { openDatasets, type OpenDataset } from './datasets';

const { namedNode, literal, blankNode, quad } = DataFactory;

/**
 * The city's open data as a DCAT-AP.de catalogue (https://www.dcat-ap.de/def/dcatde/), for
 * GovData and other portals that harvest it: one dcat:Catalog with the city as publisher and
 * one dcat:Dataset per public KPI with a CSV and a JSON distribution. Written as RDF through
 * N3.js (Turtle) and jsonld.js (JSON-LD), so the two files say the same.
 */
export const NS = {
	rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
	xsd: 'http://www.w3.org/2001/XMLSchema#',
	dcat: 'http://www.w3.org/ns/dcat#',
	dct: 'http://purl.org/dc/terms/',
	dcatde: 'http://dcat-ap.de/def/dcatde/',
	foaf: 'http://xmlns.com/foaf/0.1/',
	vcard: 'http://www.w3.org/2006/vcard/ns#',
	skos: 'http://www.w3.org/2004/02/skos/core#'
} as const;

const EU = 'http://publications.europa.eu/resource/authority/';
export const DATA_THEME_SCHEME = `${EU}data-theme`;
const GEOCODING = 'http://dcat-ap.de/def/politicalGeocoding/';
const CONTRIBUTORS = 'http://dcat-ap.de/def/contributors/';
const IANA = 'https://www.iana.org/assignments/media-types/';
const WKT_LITERAL = 'http://www.opengis.net/ont/geosparql#wktLiteral';

/** The EU frequency vocabulary's term for each cadence. */
export const FREQUENCY: Record<Cadence, string> = {
	daily: `${EU}frequency/DAILY`,
	weekly: `${EU}frequency/WEEKLY`,
	monthly: `${EU}frequency/MONTHLY`,
	quarterly: `${EU}frequency/QUARTERLY`,
	yearly: `${EU}frequency/ANNUAL`
};

export const FILE_TYPES: Record<OpenDataFormat, { fileType: string; mediaType: string }> = {
	csv: { fileType: `${EU}file-type/CSV`, mediaType: `${IANA}text/csv` },
	json: { fileType: `${EU}file-type/JSON`, mediaType: `${IANA}application/json` }
};

const rdf = (term: string) => namedNode(`${NS.rdf}${term}`);
const dcat = (term: string) => namedNode(`${NS.dcat}${term}`);
const dct = (term: string) => namedNode(`${NS.dct}${term}`);
const dcatde = (term: string) => namedNode(`${NS.dcatde}${term}`);
const foaf = (term: string) => namedNode(`${NS.foaf}${term}`);
const vcard = (term: string) => namedNode(`${NS.vcard}${term}`);
const skos = (term: string) => namedNode(`${NS.skos}${term}`);
const german = (text: string) => literal(text, 'de');
const typed = (value: string, type: 'date' | 'dateTime') =>
	literal(value, namedNode(`${NS.xsd}${type}`));

/**
 * The public address the catalogue's URIs start with: `ORIGIN` as the server is configured
 * (behind a reverse proxy the request may say http://localhost), else the request's origin.
 */
export function publicOrigin(
	requestOrigin: string,
	env: Record<string, string | undefined> = process.env
): string {
	return (env.ORIGIN || requestOrigin).replace(/\/+$/, '');
}

/** The regional key's URI in the DCAT-AP.de geocoding vocabulary. */
export function regionalKeyUri(regionalKey: string): string {
	return `${GEOCODING}regionalKey/${regionalKey}`;
}

function contributorUri(id: string): string {
	return /^https?:\/\//.test(id) ? id : `${CONTRIBUTORS}${id}`;
}

/** First and last day of a dataset's released series, or null before the first value. */
function temporalOf(dataset: OpenDataset): { start: string; end: string } | null {
	const points = dataset.history ? expandSeries(dataset.history.series) : [];
	const first = points[0] && periodStart(points[0].period);
	const last = points.at(-1) && periodEnd(points.at(-1)!.period);
	return first && last ? { start: toIsoDate(first), end: toIsoDate(last) } : null;
}

export interface CatalogueGraph {
	quads: Quad[];
	catalogueUri: string;
	datasetUris: string[];
}

/** The catalogue as RDF quads. */
export function catalogueGraph(
	datasets: OpenDataset[],
	origin: string,
	settings: CitySettings,
	now: Date
): CatalogueGraph {
	const quads: Quad[] = [];
	const add = (s: Quad['subject'], p: NamedNode, o: Quad['object']) => quads.push(quad(s, p, o));
	/**
	 * DCAT-AP gives each property a range class (dct:format a dct:MediaTypeOrExtent, dcat:theme
	 * a skos:Concept, ...), and its shapes check it with sh:class. The vocabularies do not give
	 * their terms these classes (the EU frequency list makes them skos:Concept only), so the
	 * catalogue states the class of each term it refers to, once per term, with what DCAT-AP
	 * requires of that class.
	 */
	const described = new Set<string>();
	const describe = (term: NamedNode, type: NamedNode, more?: () => void) => {
		const key = `${term.value} ${type.value}`;
		if (described.has(key)) return;
		described.add(key);
		add(term, rdf('type'), type);
		more?.();
	};

	const licence = openDataLicence(settings.openDataLicence, settings.attribution);
	const catalogue = namedNode(`${origin}${OPEN_DATA_PAGE}/katalog`);
	const publisher = namedNode(settings.homepage);
	const spatial = namedNode(regionalKeyUri(settings.regionalKey));
	const modifiedTimes = datasets.flatMap((d) => (d.snapshot ? [d.snapshot.computedAt] : []));
	const catalogueModified = modifiedTimes.sort().at(-1) ?? now.toISOString();

	add(publisher, rdf('type'), foaf('Organization'));
	add(publisher, foaf('name'), german(settings.name));
	add(publisher, foaf('homepage'), namedNode(settings.homepage));

	add(catalogue, rdf('type'), dcat('Catalog'));
	add(catalogue, dct('title'), german(`Offene Daten – ${settings.name}`));
	add(
		catalogue,
		dct('description'),
		german(
			`Kennzahlen der Stadtverwaltung (${settings.name}), die als offene Daten freigegeben sind: ` +
				'freigegebene Werte, kleine Fallzahlen aus Gründen der statistischen Geheimhaltung nicht ausgewiesen.'
		)
	);
	add(catalogue, dct('publisher'), publisher);
	const homepage = namedNode(`${origin}${OPEN_DATA_PAGE}`);
	add(catalogue, foaf('homepage'), homepage);
	describe(homepage, foaf('Document'));
	const language = namedNode(`${EU}language/DEU`);
	add(catalogue, dct('language'), language);
	describe(language, dct('LinguisticSystem'));
	/**
	 * dct:spatial is the regional key's URI. DCAT-AP wants it a dct:Location, and DCAT-AP.de wants
	 * a dct:Location to carry a geometry, so the place is only written with the city's centre;
	 * without one (KLAR_CITY_CENTROID unset) dcatde:politicalGeocodingURI alone names the area.
	 */
	const { centroid } = settings;
	const addSpatial = (subject: NamedNode) => {
		if (!centroid) return;
		add(subject, dct('spatial'), spatial);
		describe(spatial, dct('Location'), () =>
			add(
				spatial,
				dcat('centroid'),
				literal(`POINT(${centroid.longitude} ${centroid.latitude})`, namedNode(WKT_LITERAL))
			)
		);
	};
	addSpatial(catalogue);
	const themeScheme = namedNode(DATA_THEME_SCHEME);
	add(catalogue, dcat('themeTaxonomy'), themeScheme);
	describe(themeScheme, skos('ConceptScheme'), () =>
		add(themeScheme, dct('title'), literal('Data theme', 'en'))
	);
	add(catalogue, dct('modified'), typed(catalogueModified, 'dateTime'));

	const datasetUris: string[] = [];
	for (const dataset of datasets) {
		const { kpi } = dataset;
		const landingPage = `${origin}${openDataPageUrl(kpi.id)}`;
		const subject = namedNode(landingPage);
		datasetUris.push(landingPage);
		add(catalogue, dcat('dataset'), subject);
		add(subject, rdf('type'), dcat('Dataset'));
		add(subject, dct('identifier'), literal(landingPage));
		add(subject, dct('title'), german(kpi.title));
		const description = [kpi.description || kpi.title, kpi.method && `Methode: ${kpi.method}`]
			.filter(Boolean)
			.join('\n\n');
		add(subject, dct('description'), german(description));
		add(subject, dct('publisher'), publisher);
		// The dataset's URI is its page on the portal, so it is a document as well.
		add(subject, dcat('landingPage'), subject);
		describe(subject, foaf('Document'));

		const contact = blankNode();
		add(subject, dcat('contactPoint'), contact);
		add(contact, rdf('type'), vcard('Organization'));
		add(contact, vcard('fn'), german(settings.name));
		add(contact, vcard('hasEmail'), namedNode(`mailto:${settings.contactEmail}`));

		const maintainer = blankNode();
		add(subject, dcatde('maintainer'), maintainer);
		add(maintainer, rdf('type'), foaf('Organization'));
		add(maintainer, foaf('name'), german(`${kpi.maintainer} (${settings.name})`));

		for (const tag of kpi.tags) add(subject, dcat('keyword'), german(tag));
		if (kpi.theme) {
			const theme = namedNode(`${DATA_THEME_SCHEME}/${kpi.theme}`);
			add(subject, dcat('theme'), theme);
			describe(theme, skos('Concept'), () => {
				add(theme, skos('prefLabel'), german(OPEN_DATA_THEMES[kpi.theme!]));
				add(theme, skos('inScheme'), themeScheme);
			});
		}
		addSpatial(subject);
		add(subject, dcatde('politicalGeocodingURI'), spatial);
		add(subject, dcatde('politicalGeocodingLevelURI'), namedNode(`${GEOCODING}Level/municipality`));
		const frequency = namedNode(FREQUENCY[kpi.cadence]);
		add(subject, dct('accrualPeriodicity'), frequency);
		describe(frequency, dct('Frequency'));
		add(subject, dct('language'), language);
		if (settings.govdataContributorId) {
			add(
				subject,
				dcatde('contributorID'),
				namedNode(contributorUri(settings.govdataContributorId))
			);
		}
		const temporal = temporalOf(dataset);
		if (temporal) {
			const period = blankNode();
			add(subject, dct('temporal'), period);
			add(period, rdf('type'), dct('PeriodOfTime'));
			add(period, dcat('startDate'), typed(temporal.start, 'date'));
			add(period, dcat('endDate'), typed(temporal.end, 'date'));
		}
		const modified = dataset.snapshot?.computedAt;
		if (modified) add(subject, dct('modified'), typed(modified, 'dateTime'));

		for (const format of ['csv', 'json'] as const) {
			const url = namedNode(`${origin}${openDataFileUrl(kpi.id, format)}`);
			const distribution = namedNode(`${landingPage}#${format}`);
			add(subject, dcat('distribution'), distribution);
			add(distribution, rdf('type'), dcat('Distribution'));
			add(
				distribution,
				dct('title'),
				german(`${kpi.title} (${format === 'csv' ? 'CSV' : 'JSON'})`)
			);
			add(distribution, dcat('accessURL'), url);
			add(distribution, dcat('downloadURL'), url);
			const fileType = namedNode(FILE_TYPES[format].fileType);
			add(distribution, dct('format'), fileType);
			describe(fileType, dct('MediaTypeOrExtent'));
			const mediaType = namedNode(FILE_TYPES[format].mediaType);
			add(distribution, dcat('mediaType'), mediaType);
			describe(mediaType, dct('MediaType'));
			const licenceDocument = namedNode(licence.uri);
			add(distribution, dct('license'), licenceDocument);
			describe(licenceDocument, dct('LicenseDocument'));
			add(distribution, dcatde('licenseAttributionByText'), german(licence.attribution));
			if (modified) add(distribution, dct('modified'), typed(modified, 'dateTime'));
		}
	}
	return { quads, catalogueUri: catalogue.value, datasetUris };
}

/** The catalogue of the public KPIs in the database. */
export function openDataCatalogue(
	db: DbOrTx,
	origin: string,
	now: Date,
	settings: CitySettings = citySettings()
): CatalogueGraph {
	return catalogueGraph(openDatasets(db, now), origin, settings, now);
}

/** The quads with each subject's statements together, subjects in the order they first appear. */
function bySubject(quads: Quad[]): Quad[] {
	const groups = new Map<string, Quad[]>();
	for (const q of quads) {
		const key = `${q.subject.termType}:${q.subject.value}`;
		const group = groups.get(key);
		if (group) group.push(q);
		else groups.set(key, [q]);
	}
	return [...groups.values()].flat();
}

export function toTurtle(quads: Quad[]): Promise<string> {
	const writer = new Writer({ format: 'text/turtle', prefixes: { ...NS } });
	// Together, every subject is written once with its statements under it.
	writer.addQuads(bySubject(quads));
	return new Promise((resolve, reject) =>
		writer.end((error, result: string) => (error ? reject(error) : resolve(result)))
	);
}

/** The JSON-LD context of the catalogue file: the vocabularies' usual prefixes. */
export const JSONLD_CONTEXT = { ...NS };

/**
 * The catalogue as one JSON-LD tree: framed on the dcat:Catalog, every node is written where it
 * is first referred to (datasets in the catalogue, distributions, contact and period in their
 * dataset) and referred to by its @id after that, so the file reads top-down like the Turtle.
 */
export async function toJsonLd(quads: Quad[]): Promise<object> {
	const nquads = new Writer({ format: 'N-Quads' }).quadsToString(quads);
	const expanded = await jsonld.fromRDF(nquads, { format: 'application/n-quads' });
	return jsonld.frame(expanded, {
		'@context': JSONLD_CONTEXT,
		'@type': `${NS.dcat}Catalog`,
		'@embed': '@once'
	});
}
