/**
 * Asyl & Unterbringung (ASYLCUBE): the KPIs of accommodation and arrivals.
 * Pure: ids and dimension labels.
 */
export const ASYL_KPI = {
	occupancy: 'asyl.belegung',
	capacity: 'asyl.kapazitaet',
	utilisation: 'asyl.auslastung',
	freePlaces: 'asyl.freie_plaetze',
	arrivals: 'asyl.zugaenge',
	arrivalMinors: 'asyl.zugaenge_minderjaehrig',
	followUpHousing: 'asyl.anschlussunterbringung',
	benefitRecipients: 'asyl.asylblg_empfaenger'
} as const;

/** Origin groups of the weekly arrivals, as the foreigners' authority reports them. */
export const ORIGIN_GROUPS: Record<string, string> = {
	ukr: 'Ukraine',
	syr: 'Syrien',
	afg: 'Afghanistan',
	tur: 'Türkei',
	irq: 'Irak',
	other: 'Sonstige Herkunftsländer'
};
