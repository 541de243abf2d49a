import { citySettings } from '#server/city-settings';
import { publicProcedure, router } from './init';

/** Who runs this KLAR, for pages without a login (open data, accessibility statement). */
export const cityRouter = router({
	info: publicProcedure.query(() => {
		const city = citySettings();
		return { name: city.name, homepage: city.homepage, contactEmail: city.contactEmail };
	})
});
