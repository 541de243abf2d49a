import { SOZIALES_KPI } from '#shared/catalogue/soziales';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Referat Soziales',
	contact: 'Sozialplanung',
	email: 'soziales@stadt.example'
};

const monthly = {
	areaId: 'soziales',
	cadence: 'monthly',
	graceDays: 20,
	aggregation: 'stock'
} as const;

/** Soziales: integration assistance, basic income support (SGB II), housing benefit. */
export const SOZIALES_CATALOGUE: CatalogueEntry[] = [
	{
		...monthly,
		id: SOZIALES_KPI.sgb2Households,
		title: 'Bedarfsgemeinschaften im Bürgergeld (SGB II)',
		shortTitle: 'Bedarfsgemeinschaften',
		description:
			'Haushalte (Bedarfsgemeinschaften), die Bürgergeld nach dem Zweiten Buch Sozialgesetzbuch erhalten, nach Ortsbezirk.',
		method:
			'Bedarfsgemeinschaften mit laufendem Leistungsanspruch am Monatsende laut Fachverfahren des Jobcenters, dem Ortsbezirk über die Wohnanschrift zugeordnet. Die amtliche Statistik der Bundesagentur für Arbeit erscheint erst nach drei Monaten Wartezeit und kann leicht abweichen.',
		unit: 'Bedarfsgemeinschaften',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: { amber: 6_200, red: 6_800 },
		dimensions: ['district'],
		source: { kind: 'feed', name: 'Jobcenter, Monatsauszug Fachverfahren' },
		owner: { ...owner, contact: 'Sozialplanung, Koordination Jobcenter' },
		visibility: 'public',
		disclosureMinCount: 3,
		tags: ['Bürgergeld', 'Hartz IV', 'SGB II', 'Grundsicherung', 'Jobcenter', 'Armut'],
		sortOrder: 10
	},
	{
		...monthly,
		id: SOZIALES_KPI.integrationAssistanceCases,
		title: 'Leistungsberechtigte in der Eingliederungshilfe',
		shortTitle: 'Eingliederungshilfe',
		description:
			'Menschen mit Behinderungen, die am Monatsende laufende Leistungen der Eingliederungshilfe erhalten (SGB IX, Teil 2).',
		method:
			'Personen mit mindestens einer laufenden Leistung (Assistenz, Werkstatt, Wohnen, Schulbegleitung und andere) am letzten Tag des Monats; jede Person zählt einmal, auch mit mehreren Leistungen.',
		unit: 'Personen',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		source: { kind: 'feed', name: 'Fachverfahren Eingliederungshilfe, Monatsstatistik' },
		owner: { ...owner, contact: 'Abteilung Eingliederungshilfe' },
		visibility: 'internal',
		disclosureMinCount: 3,
		tags: ['Eingliederungshilfe', 'Behinderung', 'Teilhabe', 'BTHG', 'SGB IX', 'Inklusion'],
		sortOrder: 20
	},
	{
		...monthly,
		id: SOZIALES_KPI.integrationAssistanceCosts,
		title: 'Aufwendungen der Eingliederungshilfe',
		shortTitle: 'Kosten Eingliederung',
		description:
			'Seit Jahresbeginn gebuchte Aufwendungen für Leistungen der Eingliederungshilfe, nach Abzug von Erstattungen.',
		method:
			'Summe der im Monat gebuchten Zahlungen an Leistungserbringer und Leistungsberechtigte, abzüglich Kostenbeiträgen und Erstattungen anderer Träger; innerhalb des Haushaltsjahres aufsummiert. Im Dezember fallen die Jahresabrechnungen der Einrichtungen an.',
		unit: '€',
		numberFormat: 'currency',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: null,
		dimensions: [],
		source: { kind: 'feed', name: 'Finanzsoftware, Sachbuch zum Monatsabschluss' },
		owner: { ...owner, contact: 'Abteilung Eingliederungshilfe' },
		visibility: 'internal',
		disclosureMinCount: 0,
		tags: ['Eingliederungshilfe', 'Kosten', 'Sozialausgaben', 'Haushalt', 'BTHG'],
		sortOrder: 30,
		aggregation: 'ytd'
	},
	{
		...monthly,
		id: SOZIALES_KPI.housingBenefitHouseholds,
		title: 'Haushalte mit Wohngeld',
		shortTitle: 'Wohngeld-Haushalte',
		description:
			'Haushalte, die am Monatsende Wohngeld erhalten (Mietzuschuss für Mieter, Lastenzuschuss für Eigentümer).',
		method:
			'Haushalte mit bewilligtem Wohngeld für den Monat laut Wohngeldverfahren; rückwirkende Bewilligungen werden im Monat der Bewilligung nachgetragen, frühere Monate nicht geändert.',
		unit: 'Haushalte',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: [],
		source: { kind: 'feed', name: 'Wohngeldverfahren, Monatsstatistik' },
		owner: { ...owner, contact: 'Wohngeldstelle' },
		visibility: 'council',
		disclosureMinCount: 3,
		tags: ['Wohngeld', 'Wohngeld-Plus', 'Miete', 'Mietzuschuss', 'Wohnen'],
		sortOrder: 40
	}
];
