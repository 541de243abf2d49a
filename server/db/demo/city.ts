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

export type DistrictId = (typeof DISTRICTS)[number][0];

export interface DistrictProfile {
	/** Inhabitants (main residence) today; about 100,000 in all. */
	inhabitants: number;
	/** Share of foreign nationals before scaling to the city's share (inner city higher). */
	foreignShare: number;
	/** SGB II households per 100 inhabitants before scaling to the city's total. */
	sgb2Rate: number;
	/** Childcare rate under 3 relative to the city's, in percentage points. */
	childcareOffset: number;
	/** Street lights, relative (inner city dense, villages sparse). */
	lightsWeight: number;
}

export const DISTRICT_PROFILES: Record<DistrictId, DistrictProfile> = {
	'innenstadt-ost': {
		inhabitants: 12000,
		foreignShare: 28,
		sgb2Rate: 10,
		childcareOffset: -5,
		lightsWeight: 9
	},
	'innenstadt-west': {
		inhabitants: 9900,
		foreignShare: 26,
		sgb2Rate: 11,
		childcareOffset: -6,
		lightsWeight: 8
	},
	'innenstadt-nord': {
		inhabitants: 8400,
		foreignShare: 22,
		sgb2Rate: 7,
		childcareOffset: -2,
		lightsWeight: 7
	},
	'innenstadt-suedwest': {
		inhabitants: 6600,
		foreignShare: 21,
		sgb2Rate: 8,
		childcareOffset: -3,
		lightsWeight: 6
	},
	'innenstadt-sued': {
		inhabitants: 5200,
		foreignShare: 19,
		sgb2Rate: 6,
		childcareOffset: 1,
		lightsWeight: 5
	},
	gruebentaelchen: {
		inhabitants: 8700,
		foreignShare: 17,
		sgb2Rate: 7,
		childcareOffset: 0,
		lightsWeight: 7
	},
	betzenberg: {
		inhabitants: 4900,
		foreignShare: 15,
		sgb2Rate: 5,
		childcareOffset: 2,
		lightsWeight: 5
	},
	laemmchesberg: {
		inhabitants: 5800,
		foreignShare: 24,
		sgb2Rate: 6,
		childcareOffset: 4,
		lightsWeight: 5
	},
	baennjerrueck: {
		inhabitants: 7200,
		foreignShare: 13,
		sgb2Rate: 5,
		childcareOffset: 3,
		lightsWeight: 6
	},
	west: { inhabitants: 9300, foreignShare: 22, sgb2Rate: 10, childcareOffset: -4, lightsWeight: 8 },
	erfenbach: {
		inhabitants: 3100,
		foreignShare: 8,
		sgb2Rate: 2.5,
		childcareOffset: 5,
		lightsWeight: 4
	},
	dansenberg: {
		inhabitants: 2400,
		foreignShare: 6,
		sgb2Rate: 1.5,
		childcareOffset: 6,
		lightsWeight: 3
	},
	einsiedlerhof: {
		inhabitants: 1600,
		foreignShare: 18,
		sgb2Rate: 5,
		childcareOffset: -1,
		lightsWeight: 3
	},
	erlenbach: {
		inhabitants: 2600,
		foreignShare: 7,
		sgb2Rate: 2,
		childcareOffset: 4,
		lightsWeight: 3
	},
	hohenecken: {
		inhabitants: 3600,
		foreignShare: 9,
		sgb2Rate: 2.5,
		childcareOffset: 5,
		lightsWeight: 4
	},
	moelschbach: {
		inhabitants: 1550,
		foreignShare: 5,
		sgb2Rate: 1.2,
		childcareOffset: 7,
		lightsWeight: 2
	},
	morlautern: {
		inhabitants: 4200,
		foreignShare: 8,
		sgb2Rate: 2,
		childcareOffset: 3,
		lightsWeight: 4
	},
	siegelbach: {
		inhabitants: 2950,
		foreignShare: 9,
		sgb2Rate: 2.5,
		childcareOffset: 2,
		lightsWeight: 4
	}
};

export interface DemoFacility {
	id: string;
	name: string;
	districtId: DistrictId;
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
	},
	{
		id: 'u-vhs',
		username: 'vhs',
		displayName: 'Volkshochschule, Integrationskurse (Demo)',
		role: 'editor',
		areas: ['bildung']
	},
	{
		id: 'u-leitung-bildung',
		username: 'leitung-bildung',
		displayName: 'Leitung Bildungsbüro (Demo)',
		role: 'lead',
		areas: ['bildung']
	},
	{
		id: 'u-licht',
		username: 'licht',
		displayName: 'Team Straßenbeleuchtung (Demo)',
		role: 'editor',
		areas: ['infrastruktur']
	},
	{
		id: 'u-leitung-tiefbau',
		username: 'leitung-tiefbau',
		displayName: 'Leitung Tiefbau (Demo)',
		role: 'lead',
		areas: ['infrastruktur']
	},
	{
		id: 'u-kaemmerei',
		username: 'kaemmerei',
		displayName: 'Kämmerei, Haushaltsplanung (Demo)',
		role: 'editor',
		areas: ['finanzen']
	},
	{
		id: 'u-leitung-finanzen',
		username: 'leitung-finanzen',
		displayName: 'Leitung Kämmerei (Demo)',
		role: 'lead',
		areas: ['finanzen']
	}
] as const;

/** Providers of integration and job-related language courses (for the course-offer form). */
export const COURSE_PROVIDERS: { id: string; name: string; districtId: DistrictId }[] = [
	{ id: 'vhs', name: 'Volkshochschule', districtId: 'innenstadt-ost' },
	{ id: 'bfw', name: 'Berufsförderungswerk Westpfalz', districtId: 'west' },
	{ id: 'caritas', name: 'Caritas-Zentrum Sprachschule', districtId: 'innenstadt-nord' },
	{ id: 'inlingua', name: 'Sprachinstitut am Rathaus', districtId: 'innenstadt-sued' },
	{ id: 'awo', name: 'AWO Bildungswerk', districtId: 'betzenberg' },
	{ id: 'tu-sprachenzentrum', name: 'Sprachenzentrum der Hochschule', districtId: 'laemmchesberg' }
];
