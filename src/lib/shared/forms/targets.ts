/**
 * The KPIs and dimensions the built-in department forms write to: their contract with the
 * catalogue. A city that uses a form keeps KPIs with these ids (active, not derived) in its
 * catalogue; the server refuses an entry whose KPI is missing, retired or derived, and a member
 * (origin group, course level) its dimension's list does not have. The generic value form
 * (`kpi.wert.v1`) writes any form-sourced KPI and needs nothing here.
 */
export const FORM_TARGETS = {
	/** Tägliche Belegung (`asyl.belegung.v1`). */
	occupancy: 'asyl.belegung',
	capacity: 'asyl.kapazitaet',
	/** Wöchentliche Zugänge (`asyl.zugaenge.v1`), by `origin`. */
	arrivals: 'asyl.zugaenge',
	arrivalMinors: 'asyl.zugaenge_minderjaehrig',
	/** Sprachkursangebot (`bildung.sprachkurs.v1`), by `level`. */
	coursePlaces: 'bil.sprachkurs_plaetze',
	courseWaitingList: 'bil.sprachkurs_warteliste',
	/** Störung einer Straßenleuchte (`infrastruktur.stoerung.v1`), by `district`. */
	openFaults: 'inf.stoerungen_offen'
} as const;

/** The dimensions (source `list`) whose members the forms offer as choices. */
export const FORM_DIMENSIONS = {
	origin: 'origin',
	courseLevel: 'level'
} as const;
