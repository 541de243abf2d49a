/** The demo city: about 100,000 inhabitants in 18 districts (Ortsbezirke). */
export const DISTRICTS = [
	['innenstadt-ost', 'Innenstadt-Ost'],
	['innenstadt-west', 'Innenstadt-West/Kotten'],
	['innenstadt-nord', 'Innenstadt-Nord/Kaiserberg'],
	['innenstadt-suedwest', 'Innenstadt-Südwest'],
	['innenstadt-sued', 'Innenstadt-Süd'],
	['gruebentaelchen', 'Grübentälchen/Volkspark'],
	['betzenberg', 'Betzenberg'],
	['laemmchesberg', 'Lämmchesberg/Uniwohnstadt'],
	['baennjerrueck', 'Bännjerrück/Karl-Pfaff-Siedlung'],
	['west', 'Kaiserslautern-West'],
	['erfenbach', 'Erfenbach'],
	['dansenberg', 'Dansenberg'],
	['einsiedlerhof', 'Einsiedlerhof'],
	['erlenbach', 'Erlenbach'],
	['hohenecken', 'Hohenecken'],
	['moelschbach', 'Mölschbach'],
	['morlautern', 'Morlautern'],
	['siegelbach', 'Siegelbach']
] as const;

export interface DemoFacility {
	id: string;
	name: string;
	districtId: (typeof DISTRICTS)[number][0];
	capacity: number;
	/** Days before the reference date on which the facility opened (0 = open all along). */
	openedDaysAgo: number;
	/** Occupancy rate now and three years ago; the generator moves between them. */
	rateNow: number;
	rateThen: number;
}

export const FACILITIES: DemoFacility[] = [
	{
		id: 'gu-hohenecker',
		name: 'GU Hohenecker Straße',
		districtId: 'innenstadt-suedwest',
		capacity: 240,
		openedDaysAgo: 0,
		rateNow: 0.94,
		rateThen: 0.7
	},
	{
		id: 'gu-pfaffgelaende',
		name: 'GU Pfaffgelände',
		districtId: 'west',
		capacity: 180,
		openedDaysAgo: 0,
		rateNow: 0.91,
		rateThen: 0.62
	},
	{
		id: 'gu-einsiedlerhof',
		name: 'GU Einsiedlerhof',
		districtId: 'einsiedlerhof',
		capacity: 150,
		openedDaysAgo: 0,
		rateNow: 0.88,
		rateThen: 0.55
	},
	{
		id: 'wh-kotten',
		name: 'Wohnheim Kotten',
		districtId: 'innenstadt-west',
		capacity: 96,
		openedDaysAgo: 0,
		rateNow: 0.97,
		rateThen: 0.8
	},
	{
		id: 'wh-betzenberg',
		name: 'Wohnheim Betzenberg',
		districtId: 'betzenberg',
		capacity: 72,
		openedDaysAgo: 0,
		rateNow: 0.83,
		rateThen: 0.75
	},
	{
		id: 'nu-siegelbach',
		name: 'Notunterkunft Siegelbach',
		districtId: 'siegelbach',
		capacity: 120,
		openedDaysAgo: 420,
		rateNow: 0.9,
		rateThen: 0.35
	},
	{
		id: 'wg-erfenbach',
		name: 'Wohngruppen Erfenbach',
		districtId: 'erfenbach',
		capacity: 48,
		openedDaysAgo: 0,
		rateNow: 0.85,
		rateThen: 0.9
	},
	{
		id: 'mu-morlautern',
		name: 'Modulunterkunft Morlautern',
		districtId: 'morlautern',
		capacity: 64,
		openedDaysAgo: 200,
		rateNow: 0.78,
		rateThen: 0.2
	}
];

/** Weekly arrivals by origin group: mean persons per week. */
export const ARRIVAL_MEANS: Record<string, number> = {
	ukr: 9,
	syr: 6,
	afg: 5,
	tur: 4,
	irq: 2,
	other: 6
};

export const DEMO_PASSWORD = 'KLAR-demo-2026!';

export const DEMO_USERS = [
	{
		id: 'u-admin',
		username: 'admin',
		displayName: 'Zentralcontrolling (Demo)',
		role: 'admin',
		areas: []
	},
	{
		id: 'u-spitze',
		username: 'spitze',
		displayName: 'Oberbürgermeisterin (Demo)',
		role: 'executive',
		areas: []
	},
	{
		id: 'u-rat',
		username: 'rat',
		displayName: 'Ratsmitglied (Demo)',
		role: 'councillor',
		areas: []
	},
	{
		id: 'u-erfassung',
		username: 'erfassung',
		displayName: 'Sachbearbeitung Unterbringung (Demo)',
		role: 'editor',
		areas: ['asyl']
	},
	{
		id: 'u-leitung',
		username: 'leitung',
		displayName: 'Leitung Unterbringung (Demo)',
		role: 'lead',
		areas: ['asyl']
	}
] as const;
