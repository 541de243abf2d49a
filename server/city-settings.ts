import { z } from 'zod';

/**
 * Who publishes this KLAR: the city as publisher of its open data, its contact for open data and
 * accessibility feedback, its official regional key (Amtlicher Regionalschlüssel, 12 digits) and
 * the licence of its open data. Set per installation through the environment; the defaults are
 * the demo city's. Read once per call, so a test can pass its own environment.
 */
export interface CitySettings {
	/** The publisher's name, e.g. "Stadt Kaiserslautern". */
	name: string;
	/** The publisher's web address (also its identifier in the DCAT catalogue). */
	homepage: string;
	/** Contact for open data and accessibility feedback. */
	contactEmail: string;
	/** Amtlicher Regionalschlüssel (ARS), 12 digits, e.g. 073120000000. */
	regionalKey: string;
	/** Licence of the open data: an id of the DCAT-AP.de licence vocabulary, e.g. dl-by-de/2.0. */
	openDataLicence: string;
	/** The attribution text the licence asks for ("Namensnennung"). */
	attribution: string;
	/** GovData contributor id, when the city delivers its catalogue to GovData directly. */
	govdataContributorId: string | null;
	/**
	 * The city's centre in WGS 84 (the catalogue's `dcat:centroid` of its place), or null when
	 * not set. Defaults to the demo city's only while the regional key is the demo city's too.
	 */
	centroid: { longitude: number; latitude: number } | null;
}

const DEMO_REGIONAL_KEY = '073120000000';
/** The centre of Kaiserslautern (49° 26′ 38″ N, 7° 46′ 9″ E). */
const DEMO_CENTROID = '7.7692 49.4439';

const Settings = z.object({
	KLAR_CITY_NAME: z.string().trim().min(1).default('Stadt Kaiserslautern'),
	KLAR_CITY_HOMEPAGE: z.url().default('https://www.kaiserslautern.de/'),
	KLAR_CITY_CONTACT_EMAIL: z.email().default('open-data@klar-demo.example'),
	KLAR_CITY_REGIONAL_KEY: z
		.string()
		.regex(/^\d{12}$/, 'must be the 12-digit Amtlicher Regionalschlüssel')
		.default(DEMO_REGIONAL_KEY),
	KLAR_OPEN_DATA_LICENCE: z
		.string()
		.regex(/^[a-z0-9-]+(\/[0-9.]+)?$/, 'must be an id of the DCAT-AP.de licence vocabulary')
		.default('dl-by-de/2.0'),
	KLAR_OPEN_DATA_ATTRIBUTION: z.string().trim().min(1).optional(),
	KLAR_GOVDATA_CONTRIBUTOR_ID: z.string().trim().min(1).optional(),
	KLAR_CITY_CENTROID: z
		.string()
		.trim()
		.regex(
			/^-?\d{1,3}(\.\d+)? -?\d{1,2}(\.\d+)?$/,
			'must be "longitude latitude" in decimal degrees (WGS 84), e.g. "7.7692 49.4439"'
		)
		.optional()
});

function centroidOf(text: string | undefined): CitySettings['centroid'] {
	if (!text) return null;
	const [longitude, latitude] = text.split(' ').map(Number) as [number, number];
	if (Math.abs(longitude) > 180 || Math.abs(latitude) > 90) {
		throw new Error('Invalid city settings in the environment: KLAR_CITY_CENTROID: out of range');
	}
	return { longitude, latitude };
}

export function citySettings(env: Record<string, string | undefined> = process.env): CitySettings {
	const parsed = Settings.safeParse(
		Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
	);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid city settings in the environment: ${problems.join('; ')}`);
	}
	const s = parsed.data;
	return {
		name: s.KLAR_CITY_NAME,
		homepage: s.KLAR_CITY_HOMEPAGE,
		contactEmail: s.KLAR_CITY_CONTACT_EMAIL,
		regionalKey: s.KLAR_CITY_REGIONAL_KEY,
		openDataLicence: s.KLAR_OPEN_DATA_LICENCE,
		attribution: s.KLAR_OPEN_DATA_ATTRIBUTION ?? s.KLAR_CITY_NAME,
		govdataContributorId: s.KLAR_GOVDATA_CONTRIBUTOR_ID ?? null,
		centroid: centroidOf(
			s.KLAR_CITY_CENTROID ??
				(s.KLAR_CITY_REGIONAL_KEY === DEMO_REGIONAL_KEY ? DEMO_CENTROID : undefined)
		)
	};
}
