import { describe, expect, it } from 'vitest';
import { citySettings } from '#server/city-settings';

describe('city settings from the environment', () => {
	it('are the demo city when nothing is set', () => {
		expect(citySettings({})).toEqual({
			name: 'Stadt Kaiserslautern',
			homepage: 'https://www.kaiserslautern.de/',
			contactEmail: 'open-data@klar-demo.example',
			regionalKey: '073120000000',
			openDataLicence: 'dl-by-de/2.0',
			attribution: 'Stadt Kaiserslautern',
			govdataContributorId: null,
			centroid: { longitude: 7.7692, latitude: 49.4439 }
		});
	});

	it("take the city's own values, an empty variable counting as unset", () => {
		const city = citySettings({
			KLAR_CITY_NAME: 'Stadt Trier',
			KLAR_CITY_HOMEPAGE: 'https://www.trier.de/',
			KLAR_CITY_CONTACT_EMAIL: 'opendata@trier.de',
			KLAR_CITY_REGIONAL_KEY: '072110000000',
			KLAR_OPEN_DATA_LICENCE: 'cc-by/4.0',
			KLAR_OPEN_DATA_ATTRIBUTION: '',
			KLAR_GOVDATA_CONTRIBUTOR_ID: 'http://dcat-ap.de/def/contributors/trier'
		});
		expect(city).toMatchObject({
			name: 'Stadt Trier',
			regionalKey: '072110000000',
			openDataLicence: 'cc-by/4.0',
			attribution: 'Stadt Trier',
			govdataContributorId: 'http://dcat-ap.de/def/contributors/trier',
			centroid: null
		});
		expect(
			citySettings({ KLAR_CITY_REGIONAL_KEY: '072110000000', KLAR_CITY_CENTROID: '6.6414 49.7596' })
				.centroid
		).toEqual({ longitude: 6.6414, latitude: 49.7596 });
	});

	it('refuse a regional key that is not 12 digits, naming the variable', () => {
		expect(() => citySettings({ KLAR_CITY_REGIONAL_KEY: '07312000' })).toThrow(
			/KLAR_CITY_REGIONAL_KEY: must be the 12-digit/
		);
		expect(() => citySettings({ KLAR_CITY_CONTACT_EMAIL: 'keine-adresse' })).toThrow(
			/KLAR_CITY_CONTACT_EMAIL/
		);
		expect(() => citySettings({ KLAR_CITY_CENTROID: '49.44,7.77' })).toThrow(/KLAR_CITY_CENTROID/);
		expect(() => citySettings({ KLAR_CITY_CENTROID: '7.77 149.44' })).toThrow(/KLAR_CITY_CENTROID/);
	});
});
