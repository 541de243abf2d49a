/** Gesundheit: the daily Warnmelder, wastewater monitoring, school-entry examinations. */
export const GESUNDHEIT_KPI = {
	incidence7d: 'ges.inzidenz_7t',
	wastewaterLoad: 'ges.abwasser_viruslast',
	schoolEntryLanguageSupport: 'ges.schuleingang_sprachfoerderung',
	schoolEntryOverweight: 'ges.schuleingang_uebergewicht'
} as const;
