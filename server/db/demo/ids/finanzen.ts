/**
 * Finanzen (FAZIT): Ergebnishaushalt, Investitionen, Steuern, Schulden.
 * Budgets come as pairs of an actual ("Ist") and a plan ("Ansatz") KPI, both cumulated within
 * the fiscal year (= calendar year) by month and broken down by Produktbereich.
 */
export const FINANZEN_KPI = {
	revenueActual: 'fin.ertraege.ist',
	revenuePlan: 'fin.ertraege.plan',
	expensesActual: 'fin.aufwendungen.ist',
	expensesPlan: 'fin.aufwendungen.plan',
	resultForecast: 'fin.jahresergebnis.prognose',
	cashCredits: 'fin.liquiditaetskredite',
	investmentActual: 'fin.investitionen.ist',
	investmentPlan: 'fin.investitionen.plan',
	tradeTaxActual: 'fin.gewerbesteuer.ist',
	tradeTaxPlan: 'fin.gewerbesteuer.plan',
	propertyTaxActual: 'fin.grundsteuer_b.ist',
	propertyTaxPlan: 'fin.grundsteuer_b.plan',
	debtPerCapita: 'fin.pro_kopf_verschuldung'
} as const;

/** An actual KPI and the plan it is measured against. */
export interface PlanActualPair {
	actual: string;
	plan: string;
	/** The budget line, e.g. "Erträge". */
	item: string;
}

export const PLAN_ACTUAL_PAIRS: PlanActualPair[] = [
	{
		actual: FINANZEN_KPI.revenueActual,
		plan: FINANZEN_KPI.revenuePlan,
		item: 'Erträge'
	},
	{
		actual: FINANZEN_KPI.expensesActual,
		plan: FINANZEN_KPI.expensesPlan,
		item: 'Aufwendungen'
	},
	{
		actual: FINANZEN_KPI.investmentActual,
		plan: FINANZEN_KPI.investmentPlan,
		item: 'Investitionen'
	},
	{
		actual: FINANZEN_KPI.tradeTaxActual,
		plan: FINANZEN_KPI.tradeTaxPlan,
		item: 'Gewerbesteuer'
	},
	{
		actual: FINANZEN_KPI.propertyTaxActual,
		plan: FINANZEN_KPI.propertyTaxPlan,
		item: 'Grundsteuer B'
	}
];

/** Produktbereiche of the municipal budget (Rheinland-Pfalz, Produktrahmenplan). */
export const PRODUKTBEREICHE: Record<string, string> = {
	'pb-11': '11 Innere Verwaltung',
	'pb-12': '12 Sicherheit und Ordnung',
	'pb-21': '21–24 Schulträgeraufgaben',
	'pb-25': '25–29 Kultur und Wissenschaft',
	'pb-31': '31–35 Soziale Hilfen',
	'pb-36': '36 Kinder-, Jugend- und Familienhilfe',
	'pb-41': '41–42 Gesundheit und Sport',
	'pb-51': '51–56 Gestaltung der Umwelt',
	'pb-57': '57 Wirtschaft und Tourismus',
	'pb-61': '61 Allgemeine Finanzwirtschaft'
};
