import { INFRASTRUKTUR_KPI } from '#shared/catalogue/infrastruktur';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Referat Tiefbau',
	contact: 'Stadtbildpflege, Straßenbeleuchtung',
	email: 'strassenbeleuchtung@stadt.example'
};

const LIGHT_REGISTER = { kind: 'feed', name: 'Leuchtenkataster, Monatsauszug' } as const;

/** Infrastruktur: street lighting and the city's investment projects. */
export const INFRASTRUKTUR_CATALOGUE: CatalogueEntry[] = [
	{
		id: INFRASTRUKTUR_KPI.openFaults,
		areaId: 'infrastruktur',
		title: 'Offene Störungen der Straßenbeleuchtung',
		shortTitle: 'Offene Störungen',
		description:
			'Gemeldete und noch nicht behobene Störungen an Straßenleuchten am Ende des Tages, nach Ortsbezirk.',
		method:
			'Störungsmeldungen (Bürgerhinweise, Mängelmelder, Kontrollfahrten) ohne Erledigungsvermerk am Tagesende. Fällt ein ganzer Stromkreis aus, zählt das als eine Störung.',
		unit: 'Störungen',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: 40,
		thresholds: { amber: 60, red: 100 },
		cadence: 'daily',
		graceDays: 2,
		dimensions: ['district'],
		source: { kind: 'form', name: 'Formular „Störung Straßenbeleuchtung“' },
		owner,
		visibility: 'internal',
		disclosureMinCount: 0,
		tags: ['Straßenbeleuchtung', 'Laterne', 'Straßenlaterne', 'Störung', 'Defekt', 'Mängelmelder'],
		sortOrder: 10,
		aggregation: 'stock'
	},
	{
		id: INFRASTRUKTUR_KPI.repairDays,
		areaId: 'infrastruktur',
		title: 'Mittlere Reparaturdauer der Straßenbeleuchtung',
		shortTitle: 'Reparaturdauer',
		description:
			'Durchschnittliche Zeit von der Meldung bis zur Behebung einer Störung an der Straßenbeleuchtung.',
		method:
			'Mittelwert der Kalendertage zwischen Meldung und Erledigung über alle im Monat behobenen Störungen der ganzen Stadt (nicht der Mittelwert der Bezirke).',
		unit: 'Tage',
		numberFormat: 'decimal',
		decimals: 1,
		direction: 'lower_is_better',
		target: 3,
		thresholds: { amber: 5, red: 10 },
		cadence: 'monthly',
		graceDays: 10,
		dimensions: [],
		source: {
			kind: 'form',
			name: 'Formular „Störung Straßenbeleuchtung“, Monatsauswertung (gemeldet/behoben)'
		},
		owner,
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Straßenbeleuchtung', 'Laterne', 'Reparatur', 'Störung', 'Wartezeit'],
		sortOrder: 20,
		aggregation: 'stock'
	},
	{
		id: INFRASTRUKTUR_KPI.ledShare,
		areaId: 'infrastruktur',
		title: 'LED-Anteil der Straßenbeleuchtung',
		shortTitle: 'LED-Anteil',
		description:
			'Anteil der Straßenleuchten mit LED-Technik; LED-Leuchten brauchen etwa 60 % weniger Strom als Natriumdampflampen.',
		method:
			'Leuchten mit LED-Leuchtmittel geteilt durch alle Leuchten im Bestand laut Leuchtenkataster am Monatsende.',
		unit: '%',
		numberFormat: 'percent',
		decimals: 1,
		direction: 'higher_is_better',
		target: 80,
		thresholds: { amber: 70, red: 50 },
		cadence: 'monthly',
		graceDays: 15,
		dimensions: [],
		source: LIGHT_REGISTER,
		owner,
		visibility: 'public',
		disclosureMinCount: 0,
		tags: ['LED', 'Energie', 'Klimaschutz', 'Stromverbrauch', 'Straßenbeleuchtung', 'Laterne'],
		sortOrder: 30,
		aggregation: 'stock'
	},
	{
		id: INFRASTRUKTUR_KPI.streetLights,
		areaId: 'infrastruktur',
		title: 'Straßenleuchten im Bestand',
		shortTitle: 'Straßenleuchten',
		description: 'Straßenleuchten in der Unterhaltung der Stadt am Monatsende.',
		method:
			'Zahl der Leuchtenstellen im Leuchtenkataster mit Status „in Betrieb“ oder „gestört“; Leuchten auf Privatgrund und Anstrahlungen zählen nicht.',
		unit: 'Leuchten',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'neutral',
		target: null,
		thresholds: null,
		cadence: 'monthly',
		graceDays: 15,
		dimensions: [],
		source: LIGHT_REGISTER,
		owner,
		visibility: 'public',
		disclosureMinCount: 0,
		tags: ['Straßenbeleuchtung', 'Laterne', 'Straßenlaterne', 'Leuchtenkataster'],
		sortOrder: 40,
		aggregation: 'stock'
	},
	{
		id: INFRASTRUKTUR_KPI.projectsOnTrack,
		areaId: 'infrastruktur',
		title: 'Investitionsprojekte im Zeit- und Kostenplan',
		shortTitle: 'Projekte im Plan',
		description:
			'Anteil der laufenden Investitionsprojekte der Stadt, die ihren Termin- und Kostenrahmen einhalten.',
		method:
			'Projekte über 250.000 € mit Ampel „grün“ im Quartalsbericht (Terminverzug unter drei Monaten und Kostensteigerung unter 10 % gegenüber dem Baubeschluss) geteilt durch alle laufenden Projekte dieser Größe.',
		unit: '%',
		numberFormat: 'percent',
		decimals: 1,
		direction: 'higher_is_better',
		target: 80,
		thresholds: { amber: 70, red: 50 },
		cadence: 'quarterly',
		// The quarterly report is due six weeks after the quarter.
		graceDays: 45,
		dimensions: [],
		source: { kind: 'form', name: 'Quartalsbericht Investitionscontrolling' },
		owner: { ...owner, contact: 'Projektsteuerung Investitionen' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Investitionen', 'Bauprojekte', 'Baustellen', 'Projektcontrolling', 'Kosten', 'Termine'],
		sortOrder: 50,
		aggregation: 'stock'
	}
];
