import { FINANZEN_KPI } from '#shared/catalogue/finanzen';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Stadtkämmerei',
	contact: 'Abteilung Haushalt und Controlling',
	email: 'haushalt@stadt.example'
};

/** What every monthly budget figure shares: euros, the monthly close, the Kämmerei. */
const monthlyEuros = {
	areaId: 'finanzen',
	unit: '€',
	numberFormat: 'currency',
	decimals: 0,
	cadence: 'monthly',
	// The monthly close (Monatsabschluss) is done by the 20th of the following month.
	graceDays: 20,
	owner,
	disclosureMinCount: 0
} as const;

const ACTUALS = { kind: 'feed', name: 'Finanzsoftware, Sachbuch zum Monatsabschluss' } as const;
const PLAN = {
	kind: 'feed',
	name: 'Finanzsoftware, Haushaltsplan mit Monatsverteilung'
} as const;

const YTD_NOTE =
	'Je Buchungsmonat gebucht und innerhalb des Haushaltsjahres (= Kalenderjahr) aufsummiert; im Januar beginnt die Summe neu.';
const PLAN_NOTE =
	'Ansätze des beschlossenen Haushaltsplans einschließlich Nachtragshaushalt, nach dem Buchungsverlauf der Vorjahre auf die Monate verteilt und innerhalb des Jahres aufsummiert. Der Plan liegt für alle zwölf Monate vor, sobald der Haushalt beschlossen ist.';

/** Finanzen (FAZIT): Ergebnishaushalt, Investitionen, Steuern, Schulden. */
export const FINANZEN_CATALOGUE: CatalogueEntry[] = [
	{
		...monthlyEuros,
		id: FINANZEN_KPI.resultForecast,
		title: 'Jahresergebnis (Prognose)',
		shortTitle: 'Ergebnisprognose',
		description:
			'Erwartetes Jahresergebnis des Ergebnishaushalts zum 31. Dezember: Erträge minus Aufwendungen. Ein negativer Wert ist ein Fehlbetrag.',
		method:
			'Hochrechnung der Kämmerei nach jedem Monatsabschluss: gebuchte Erträge und Aufwendungen bis zum abgeschlossenen Monat plus die von den Fachbereichen gemeldeten Erwartungen bis zum Jahresende. Im Januar steht hier das geplante Ergebnis.',
		direction: 'higher_is_better',
		target: 0,
		thresholds: { amber: 0, red: -10_000_000 },
		dimensions: [],
		source: { kind: 'form', name: 'Hochrechnung der Kämmerei (Formular „Wert erfassen“)' },
		visibility: 'council',
		tags: ['Haushalt', 'Jahresergebnis', 'Defizit', 'Fehlbetrag', 'Prognose', 'Hochrechnung'],
		sortOrder: 10,
		aggregation: 'stock'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.revenueActual,
		title: 'Erträge des Ergebnishaushalts (Ist)',
		shortTitle: 'Erträge Ist',
		description:
			'Gebuchte ordentliche Erträge seit Jahresbeginn, nach Produktbereich: Steuern, Zuweisungen, Gebühren, Kostenerstattungen.',
		method: `Summe der auf Ertragskonten (Kontenklasse 4) gebuchten Beträge. ${YTD_NOTE}`,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: ACTUALS,
		visibility: 'council',
		tags: ['Haushalt', 'Ergebnishaushalt', 'Erträge', 'Einnahmen', 'Ist', 'Doppik'],
		sortOrder: 20,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.revenuePlan,
		title: 'Erträge des Ergebnishaushalts (Plan)',
		shortTitle: 'Erträge Plan',
		description:
			'Im Haushaltsplan veranschlagte ordentliche Erträge seit Jahresbeginn, nach Produktbereich.',
		method: PLAN_NOTE,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: PLAN,
		visibility: 'council',
		tags: ['Haushalt', 'Ergebnishaushalt', 'Erträge', 'Einnahmen', 'Plan', 'Ansatz'],
		sortOrder: 30,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.expensesActual,
		title: 'Aufwendungen des Ergebnishaushalts (Ist)',
		shortTitle: 'Aufwendungen Ist',
		description:
			'Gebuchte ordentliche Aufwendungen seit Jahresbeginn, nach Produktbereich: Personal, Sach- und Dienstleistungen, Sozialleistungen, Umlagen, Zinsen.',
		method: `Summe der auf Aufwandskonten (Kontenklasse 5) gebuchten Beträge. ${YTD_NOTE}`,
		direction: 'lower_is_better',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: ACTUALS,
		visibility: 'council',
		tags: ['Haushalt', 'Ergebnishaushalt', 'Aufwendungen', 'Ausgaben', 'Kosten', 'Ist'],
		sortOrder: 40,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.expensesPlan,
		title: 'Aufwendungen des Ergebnishaushalts (Plan)',
		shortTitle: 'Aufwendungen Plan',
		description:
			'Im Haushaltsplan veranschlagte ordentliche Aufwendungen seit Jahresbeginn, nach Produktbereich.',
		method: PLAN_NOTE,
		direction: 'lower_is_better',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: PLAN,
		visibility: 'council',
		tags: ['Haushalt', 'Ergebnishaushalt', 'Aufwendungen', 'Ausgaben', 'Plan', 'Ansatz'],
		sortOrder: 50,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.cashCredits,
		title: 'Liquiditätskredite',
		shortTitle: 'Liquiditätskredite',
		description:
			'Stand der Kredite zur Liquiditätssicherung (früher Kassenkredite) am Monatsende: Schulden, mit denen laufende Ausgaben bezahlt werden.',
		method:
			'Summe der Valuten aller Liquiditätskredite laut Kreditverwaltung am letzten Buchungstag des Monats, ohne Investitionskredite.',
		direction: 'lower_is_better',
		target: 500_000_000,
		thresholds: { amber: 550_000_000, red: 600_000_000 },
		dimensions: [],
		source: { kind: 'feed', name: 'Finanzsoftware, Kreditverwaltung' },
		visibility: 'public',
		tags: ['Schulden', 'Kassenkredite', 'Kredite', 'Verschuldung', 'Liquidität', 'Haushalt'],
		sortOrder: 60,
		aggregation: 'stock'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.tradeTaxActual,
		title: 'Gewerbesteuer (Ist)',
		shortTitle: 'Gewerbesteuer Ist',
		description: 'Gebuchte Gewerbesteuer seit Jahresbeginn, nach Erstattungen.',
		method: `Vorauszahlungen (fällig am 15. Februar, Mai, August und November), Nachzahlungen aus Bescheiden abzüglich Erstattungen. ${YTD_NOTE}`,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: [],
		source: ACTUALS,
		visibility: 'council',
		tags: ['Steuern', 'Gewerbesteuer', 'Hebesatz', 'Wirtschaft', 'Unternehmen', 'Haushalt'],
		sortOrder: 70,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.tradeTaxPlan,
		title: 'Gewerbesteuer (Plan)',
		shortTitle: 'Gewerbesteuer Plan',
		description: 'Im Haushaltsplan veranschlagte Gewerbesteuer seit Jahresbeginn.',
		method: PLAN_NOTE,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: [],
		source: PLAN,
		visibility: 'council',
		tags: ['Steuern', 'Gewerbesteuer', 'Hebesatz', 'Plan', 'Haushalt'],
		sortOrder: 80,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.propertyTaxActual,
		title: 'Grundsteuer B (Ist)',
		shortTitle: 'Grundsteuer B Ist',
		description: 'Gebuchte Grundsteuer B (bebaute und bebaubare Grundstücke) seit Jahresbeginn.',
		method: `Fällige Vierteljahresbeträge (15. Februar, Mai, August, November) und Nachveranlagungen, abzüglich Erstattungen. ${YTD_NOTE}`,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: [],
		source: ACTUALS,
		visibility: 'council',
		tags: ['Steuern', 'Grundsteuer', 'Grundsteuerreform', 'Hebesatz', 'Grundbesitz', 'Haushalt'],
		sortOrder: 90,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.propertyTaxPlan,
		title: 'Grundsteuer B (Plan)',
		shortTitle: 'Grundsteuer B Plan',
		description: 'Im Haushaltsplan veranschlagte Grundsteuer B seit Jahresbeginn.',
		method: PLAN_NOTE,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		dimensions: [],
		source: PLAN,
		visibility: 'council',
		tags: ['Steuern', 'Grundsteuer', 'Hebesatz', 'Plan', 'Haushalt'],
		sortOrder: 100,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.investmentActual,
		title: 'Auszahlungen für Investitionen (Ist)',
		shortTitle: 'Investitionen Ist',
		description:
			'Seit Jahresbeginn geleistete Auszahlungen für Investitionen (Bau, Erwerb von Grundstücken und Ausstattung), nach Produktbereich.',
		method: `Summe der Auszahlungen aus Investitionstätigkeit im Finanzhaushalt. ${YTD_NOTE} Bleibt das Ist hinter dem Plan zurück, verschieben sich Maßnahmen meist ins Folgejahr.`,
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: ACTUALS,
		visibility: 'internal',
		tags: ['Investitionen', 'Finanzhaushalt', 'Bauprojekte', 'Schulbau', 'Straßenbau', 'Ist'],
		sortOrder: 110,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.investmentPlan,
		title: 'Auszahlungen für Investitionen (Plan)',
		shortTitle: 'Investitionen Plan',
		description:
			'Im Finanzhaushalt veranschlagte Auszahlungen für Investitionen seit Jahresbeginn, nach Produktbereich.',
		method: `${PLAN_NOTE} Übertragene Ermächtigungen aus dem Vorjahr sind nicht enthalten.`,
		direction: 'neutral',
		target: null,
		thresholds: null,
		dimensions: ['produktbereich'],
		source: PLAN,
		visibility: 'internal',
		tags: ['Investitionen', 'Finanzhaushalt', 'Bauprojekte', 'Plan', 'Ansatz'],
		sortOrder: 120,
		aggregation: 'ytd'
	},
	{
		...monthlyEuros,
		id: FINANZEN_KPI.debtPerCapita,
		title: 'Verschuldung je Einwohner',
		shortTitle: 'Schulden je Einwohner',
		description:
			'Investitions- und Liquiditätskredite der Kernverwaltung zum Jahresende, je Einwohnerin und Einwohner.',
		method:
			'Kreditschulden der Kernverwaltung am 31. Dezember laut Jahresabschluss (ohne Eigenbetriebe und Beteiligungen), geteilt durch die Einwohner mit Hauptwohnsitz am selben Stichtag.',
		unit: '€ je Einwohner',
		direction: 'lower_is_better',
		target: null,
		thresholds: { amber: 8_000, red: 10_000 },
		cadence: 'yearly',
		// The annual accounts are drawn up by mid-year.
		graceDays: 180,
		dimensions: [],
		source: { kind: 'feed', name: 'Jahresabschluss, Schuldenstatistik' },
		visibility: 'public',
		tags: ['Schulden', 'Verschuldung', 'Pro-Kopf-Verschuldung', 'Kredite', 'Haushalt'],
		sortOrder: 130,
		aggregation: 'stock'
	}
];
