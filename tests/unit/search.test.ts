import { describe, expect, test } from 'vitest';
import { demoCatalogue } from '#server/db/demo/catalogue';
import { type KpiDefinition } from '#shared/catalogue';
import { searchCatalogue, searchVariants } from '../../src/lib/kpis/search';

const AREA_TITLES = Object.fromEntries(demoCatalogue().areas.map((a) => [a.id, a.title]));

function kpi(
	over: Partial<KpiDefinition> & Pick<KpiDefinition, 'id' | 'areaId' | 'title'>
): KpiDefinition {
	return {
		shortTitle: over.title,
		description: '',
		method: '',
		unit: '',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'neutral',
		target: null,
		thresholds: null,
		cadence: 'monthly',
		graceDays: 10,
		dimensions: [],
		source: { kind: 'feed', name: 'Test' },
		owner: { department: 'Amt 12', contact: 'Test' },
		visibility: 'internal',
		disclosureMinCount: 3,
		tags: [],
		sortOrder: 0,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' },
		...over
	};
}

const CATALOGUE: KpiDefinition[] = [
	kpi({
		id: 'bev.einwohner',
		areaId: 'bevoelkerung',
		title: 'Einwohnerinnen und Einwohner (Hauptwohnsitz)',
		shortTitle: 'Einwohner',
		tags: ['Melderegister'],
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	}),
	kpi({
		id: 'bev.auslaenderanteil',
		areaId: 'bevoelkerung',
		title: 'Anteil Ausländerinnen und Ausländer',
		shortTitle: 'Ausländeranteil',
		tags: ['Staatsangehörigkeit'],
		sortOrder: 20,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	}),
	kpi({
		id: 'inf.leuchten',
		areaId: 'infrastruktur',
		title: 'Straßenleuchten gesamt',
		tags: ['Licht', 'LED'],
		method: 'Zählung aus dem Leuchtenkataster',
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	}),
	kpi({
		id: 'asyl.zugaenge',
		areaId: 'asyl',
		title: 'Zugänge pro Woche',
		description: 'Neu zugewiesene Personen laut Ausländerbehörde',
		sortOrder: 20,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	}),
	kpi({
		id: 'asyl.belegung',
		areaId: 'asyl',
		title: 'Belegung der Unterkünfte',
		tags: ['Unterbringung', 'Gemeinschaftsunterkunft'],
		sortOrder: 10,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	}),
	kpi({
		id: 'soz.wohngeld',
		areaId: 'soziales',
		title: 'Wohngeldhaushalte',
		description: 'Haushalte mit Wohngeld, ohne Unterbringung in Einrichtungen',
		sortOrder: 30,
		formula: { kind: 'stock' },
		view: { kind: 'line' },
		comparison: { kind: 'previous_period' }
	})
];

const ids = (query: string) =>
	searchCatalogue(CATALOGUE, query, AREA_TITLES).map((h) => h.definition.id);

describe('searchVariants', () => {
	test('umlauts written out and simply dropped, in lower case', () => {
		expect(searchVariants('Bevölkerung')).toEqual(['bevoelkerung', 'bevolkerung']);
		expect(searchVariants('ÄÖÜ äöü')).toEqual(['aeoeue aeoeue', 'aou aou']);
	});

	test('ß is ss either way, so there is one variant', () => {
		expect(searchVariants('Straße')).toEqual(['strasse']);
	});

	test('whitespace collapsed and trimmed', () => {
		expect(searchVariants('  Straße \t  Nord\n')).toEqual(['strasse nord']);
		expect(searchVariants('   ')).toEqual(['']);
	});

	test('other accents dropped; an umlaut typed as a + combining mark is an umlaut', () => {
		expect(searchVariants('Café')).toEqual(['cafe']);
		expect(searchVariants('Bevo\u0308lkerung')).toEqual(['bevoelkerung', 'bevolkerung']);
	});
});

describe('searchCatalogue', () => {
	test('empty or blank query finds nothing', () => {
		expect(ids('')).toEqual([]);
		expect(ids('   ')).toEqual([]);
		expect(ids(' – ')).toEqual([]);
	});

	test.each(['bevoelkerung', 'Bevölkerung', 'BEVOLKERUNG', 'bevöl'])(
		'%s finds the area Bevölkerung',
		(query) => {
			const hits = searchCatalogue(CATALOGUE, query, AREA_TITLES);
			expect(hits.map((h) => h.definition.id)).toEqual(['bev.einwohner', 'bev.auslaenderanteil']);
			expect(hits.every((h) => h.matchedIn.includes('area'))).toBe(true);
		}
	);

	test.each(['strasse', 'Straße', 'STRASSE', 'strassenleuchten'])('%s finds Straße', (query) => {
		expect(ids(query)).toEqual(['inf.leuchten']);
	});

	test.each(['Auslander', 'Auslaender', 'ausländer', 'AUSLÄNDERANTEIL'])(
		'%s finds Ausländer, in the title before the description',
		(query) => {
			expect(ids(query)[0]).toBe('bev.auslaenderanteil');
		}
	);

	test('every word must match, in any field', () => {
		expect(ids('einwohner melderegister')).toEqual(['bev.einwohner']);
		expect(ids('melderegister bevölkerung')).toEqual(['bev.einwohner']);
		expect(ids('einwohner licht')).toEqual([]);
	});

	test('words match inside words, tags, description and method', () => {
		expect(ids('unterkunft')).toEqual(['asyl.belegung']); // in a tag
		expect(ids('kataster')).toEqual(['inf.leuchten']); // in the method
		expect(ids('led')).toEqual(['inf.leuchten']);
	});

	test('ranked by where the words occur: title, tags, area, description', () => {
		const hits = searchCatalogue(CATALOGUE, 'unterbringung', AREA_TITLES);
		expect(hits.map((h) => [h.definition.id, h.matchedIn])).toEqual([
			['asyl.belegung', ['tags', 'area']],
			['asyl.zugaenge', ['area']],
			['soz.wohngeld', ['description']]
		]);
		expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
		expect(hits[1]!.score).toBeGreaterThan(hits[2]!.score);
		expect(ids('ausländer')).toEqual(['bev.auslaenderanteil', 'asyl.zugaenge']);
	});

	test('equal hits follow the catalogue order, not the order of the array', () => {
		expect(ids('asyl')).toEqual(['asyl.belegung', 'asyl.zugaenge']);
		const reversed = searchCatalogue([...CATALOGUE].reverse(), 'asyl', AREA_TITLES);
		expect(reversed.map((h) => h.definition.id)).toEqual(['asyl.belegung', 'asyl.zugaenge']);
	});

	test('a punctuation-only word is ignored rather than failing the search', () => {
		expect(ids('asyl &')).toEqual(ids('asyl'));
	});

	test('the short title is searched too', () => {
		expect(ids('ausländeranteil')).toEqual(['bev.auslaenderanteil']);
	});
});
