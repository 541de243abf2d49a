import { BEVOELKERUNG_KPI } from '#shared/catalogue/bevoelkerung';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Bürgeramt',
	contact: 'Statistikstelle',
	email: 'statistik@stadt.example'
};

const REGISTER = { kind: 'feed', name: 'Einwohnermelderegister, Monatsauszug' } as const;

/** Counts of persons from the register, each month. */
const monthlyPersons = {
	areaId: 'bevoelkerung',
	unit: 'Personen',
	numberFormat: 'integer',
	decimals: 0,
	cadence: 'monthly',
	// The register extract of a month is run in the first two weeks of the next.
	graceDays: 15,
	source: REGISTER,
	owner,
	disclosureMinCount: 3
} as const;

/** Bevölkerung: the resident register, main residences only. */
export const BEVOELKERUNG_CATALOGUE: CatalogueEntry[] = [
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.inhabitants,
		title: 'Einwohnerinnen und Einwohner',
		shortTitle: 'Einwohner',
		description: 'Personen mit Hauptwohnsitz in der Stadt am Monatsende, nach Ortsbezirk.',
		method:
			'Auszählung des Einwohnermelderegisters zum letzten Tag des Monats, nur Hauptwohnsitze; Zuordnung zum Ortsbezirk über die Wohnanschrift. Weicht von der amtlichen Fortschreibung des Statistischen Landesamts ab.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: ['district'],
		visibility: 'public',
		tags: ['Einwohner', 'Bevölkerung', 'Einwohnerzahl', 'Melderegister', 'Ortsbezirke'],
		sortOrder: 10,
		aggregation: 'stock'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.ageGroups,
		title: 'Einwohner nach Altersgruppen',
		shortTitle: 'Altersgruppen',
		description: 'Einwohnerinnen und Einwohner mit Hauptwohnsitz am Jahresende nach Alter.',
		method:
			'Auszählung des Einwohnermelderegisters zum 31. Dezember; Alter in vollendeten Lebensjahren am Stichtag.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		cadence: 'yearly',
		graceDays: 60,
		dimensions: ['age_group'],
		source: { kind: 'feed', name: 'Einwohnermelderegister, Jahresauszug' },
		visibility: 'public',
		tags: ['Alter', 'Altersstruktur', 'Demografie', 'Senioren', 'Kinder', 'Jugend'],
		sortOrder: 20,
		aggregation: 'stock'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.foreignShare,
		title: 'Anteil ausländischer Staatsangehöriger',
		shortTitle: 'Ausländeranteil',
		description:
			'Anteil der Einwohner ohne deutsche Staatsangehörigkeit an allen Einwohnern, nach Ortsbezirk.',
		method:
			'Einwohner mit ausschließlich ausländischer Staatsangehörigkeit geteilt durch alle Einwohner mit Hauptwohnsitz, jeweils am Monatsende; Deutsche mit weiterer Staatsangehörigkeit zählen als Deutsche.',
		unit: '%',
		numberFormat: 'percent',
		decimals: 1,
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: ['district'],
		source: { kind: 'derived', name: 'Ausländische Einwohner / Einwohner' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Ausländer', 'Migration', 'Staatsangehörigkeit', 'Integration', 'Zuwanderung'],
		sortOrder: 30,
		aggregation: `ratio:${BEVOELKERUNG_KPI.foreignNationals}/${BEVOELKERUNG_KPI.inhabitants}`
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.foreignNationals,
		title: 'Einwohner mit ausländischer Staatsangehörigkeit',
		shortTitle: 'Ausländische Einwohner',
		description:
			'Personen mit Hauptwohnsitz in der Stadt ohne deutsche Staatsangehörigkeit am Monatsende, nach Ortsbezirk.',
		method:
			'Auszählung des Einwohnermelderegisters zum letzten Tag des Monats, nur Hauptwohnsitze und nur Personen ohne deutsche Staatsangehörigkeit.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: ['district'],
		visibility: 'internal',
		tags: ['Ausländer', 'Migration', 'Staatsangehörigkeit', 'Melderegister'],
		sortOrder: 40,
		aggregation: 'stock'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.births,
		title: 'Geburten',
		shortTitle: 'Geburten',
		description: 'Lebendgeborene Kinder von Müttern mit Hauptwohnsitz in der Stadt, je Monat.',
		method:
			'Zahl der im Monat geborenen Kinder laut Melderegister, gezählt am Wohnort der Mutter (nicht am Geburtsort: Geburten in der Klinik anderer Gemeinden zählen mit).',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		visibility: 'public',
		tags: ['Geburten', 'Kinder', 'Geburtenrate', 'Demografie', 'Bevölkerung'],
		sortOrder: 50,
		aggregation: 'flow'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.deaths,
		title: 'Sterbefälle',
		shortTitle: 'Sterbefälle',
		description:
			'Gestorbene Einwohnerinnen und Einwohner mit Hauptwohnsitz in der Stadt, je Monat.',
		method: 'Zahl der im Monat verstorbenen Personen mit Hauptwohnsitz laut Melderegister.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		visibility: 'public',
		tags: ['Sterbefälle', 'Todesfälle', 'Demografie', 'Bevölkerung'],
		sortOrder: 60,
		aggregation: 'flow'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.netMigration,
		title: 'Wanderungssaldo',
		shortTitle: 'Wanderungssaldo',
		description:
			'Zuzüge minus Fortzüge über die Stadtgrenze je Monat; ein positiver Wert heißt, es sind mehr Menschen zugezogen als weggezogen.',
		method: 'Zuzüge minus Fortzüge des Monats; Umzüge innerhalb der Stadt zählen nicht.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		source: { kind: 'derived', name: 'Zuzüge − Fortzüge' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Wanderung', 'Zuzug', 'Wegzug', 'Umzug', 'Migration', 'Bevölkerung'],
		sortOrder: 70,
		aggregation: `difference:${BEVOELKERUNG_KPI.movesIn}-${BEVOELKERUNG_KPI.movesOut}`
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.movesIn,
		title: 'Zuzüge',
		shortTitle: 'Zuzüge',
		description:
			'Personen, die ihren Hauptwohnsitz von außerhalb in die Stadt verlegt haben, je Monat.',
		method:
			'Zahl der Anmeldungen mit Zuzug über die Stadtgrenze im Monat, nach Datum des Einzugs; Umzüge innerhalb der Stadt zählen nicht.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		visibility: 'council',
		tags: ['Zuzug', 'Wanderung', 'Anmeldung', 'Studierende', 'Bevölkerung'],
		sortOrder: 80,
		aggregation: 'flow'
	},
	{
		...monthlyPersons,
		id: BEVOELKERUNG_KPI.movesOut,
		title: 'Fortzüge',
		shortTitle: 'Fortzüge',
		description: 'Personen, die ihren Hauptwohnsitz aus der Stadt heraus verlegt haben, je Monat.',
		method:
			'Zahl der Abmeldungen und der Anmeldungen in anderen Gemeinden mit Wegzug über die Stadtgrenze im Monat, nach Datum des Auszugs.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		visibility: 'council',
		tags: ['Fortzug', 'Wegzug', 'Wanderung', 'Abmeldung', 'Bevölkerung'],
		sortOrder: 90,
		aggregation: 'flow'
	}
];
