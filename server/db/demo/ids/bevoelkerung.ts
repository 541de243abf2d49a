/** Bevölkerung: the resident register (Einwohnermelderegister), main residences only. */
export const BEVOELKERUNG_KPI = {
	inhabitants: 'bev.einwohner',
	ageGroups: 'bev.altersgruppen',
	foreignNationals: 'bev.auslaender',
	foreignShare: 'bev.auslaenderanteil',
	births: 'bev.geburten',
	deaths: 'bev.sterbefaelle',
	movesIn: 'bev.zuzuege',
	movesOut: 'bev.fortzuege',
	netMigration: 'bev.wanderungssaldo'
} as const;

export const AGE_GROUPS: Record<string, string> = {
	'0-5': 'unter 6 Jahre',
	'6-17': '6 bis 17 Jahre',
	'18-29': '18 bis 29 Jahre',
	'30-49': '30 bis 49 Jahre',
	'50-64': '50 bis 64 Jahre',
	'65-79': '65 bis 79 Jahre',
	'80+': '80 Jahre und älter'
};
