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
}

const Settings = z.object({
	KLAR_CITY_NAME: z.string().trim().min(1).default('Stadt Kaiserslautern'),
	KLAR_CITY_HOMEPAGE: z.url().default('https://www.kaiserslautern.de/'),
	KLAR_CITY_CONTACT_EMAIL: z.email().default('open-data@klar-demo.example'),
	KLAR_CITY_REGIONAL_KEY: z
		.string()
		.regex(/^\d{12}$/, 'must be the 12-digit Amtlicher Regionalschlüssel')
		.default('073120000000'),
	KLAR_OPEN_DATA_LICENCE: z
		.string()
		.regex(/^[a-z0-9-]+(\/[0-9.]+)?$/, 'must be an id of the DCAT-AP.de licence vocabulary')
		.default('dl-by-de/2.0'),
	KLAR_OPEN_DATA_ATTRIBUTION: z.string().trim().min(1).optional(),
	KLAR_GOVDATA_CONTRIBUTOR_ID: z.string().trim().min(1).optional()
});

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
		govdataContributorId: s.KLAR_GOVDATA_CONTRIBUTOR_ID ?? null
	};
}
