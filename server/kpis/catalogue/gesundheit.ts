import { GESUNDHEIT_KPI } from '#shared/catalogue/gesundheit';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Gesundheitsamt',
	contact: 'Abteilung Infektionsschutz',
	email: 'gesundheitsamt@stadt.example'
};

const schoolEntry = {
	areaId: 'gesundheit',
	unit: '%',
	numberFormat: 'percent',
	decimals: 1,
	direction: 'lower_is_better',
	cadence: 'yearly',
	// The examinations of a school year are evaluated by the following spring.
	graceDays: 120,
	source: {
		kind: 'feed',
		name: 'Schuleingangsuntersuchungen, Kinder- und Jugendärztlicher Dienst'
	},
	owner: { ...owner, contact: 'Kinder- und Jugendärztlicher Dienst' },
	disclosureMinCount: 0,
	aggregation: 'stock'
} as const;

/** Gesundheit: the daily Warnmelder, wastewater monitoring, school-entry examinations. */
export const GESUNDHEIT_CATALOGUE: CatalogueEntry[] = [
	{
		id: GESUNDHEIT_KPI.incidence7d,
		areaId: 'gesundheit',
		title: 'Sieben-Tage-Inzidenz (Warnmelder)',
		shortTitle: '7-Tage-Inzidenz',
		description:
			'Neu gemeldete laborbestätigte COVID-19-Fälle der letzten sieben Tage je 100.000 Einwohner – die Anzeige des Warnmelders.',
		method:
			'Fälle nach Infektionsschutzgesetz mit Meldedatum in den sieben Tagen bis einschließlich Stichtag, geteilt durch die Einwohnerzahl, mal 100.000. Warnmelder: unter 50 grün, ab 50 gelb, ab 100 rot. Nachmeldungen können die Werte der letzten Tage noch erhöhen.',
		unit: 'je 100.000 Einwohner',
		numberFormat: 'decimal',
		decimals: 1,
		direction: 'lower_is_better',
		target: null,
		thresholds: { amber: 50, red: 100 },
		cadence: 'daily',
		graceDays: 1,
		dimensions: [],
		source: { kind: 'feed', name: 'Meldesoftware nach IfSG (SurvNet), Tagesexport' },
		owner,
		visibility: 'public',
		disclosureMinCount: 0,
		tags: ['Corona', 'COVID-19', 'Inzidenz', 'Infektionen', 'Warnmelder', 'Pandemie'],
		sortOrder: 10,
		aggregation: 'stock'
	},
	{
		id: GESUNDHEIT_KPI.wastewaterLoad,
		areaId: 'gesundheit',
		title: 'Viruslast im Abwasser (SARS-CoV-2)',
		shortTitle: 'Viruslast Abwasser',
		description:
			'Konzentration von SARS-CoV-2-Erbgut im Zulauf der Kläranlage, Wochenmittel; zeigt das Infektionsgeschehen, auch wenn wenig getestet wird.',
		method:
			'Mittelwert der Genkopien je Liter aus den 24-Stunden-Mischproben der Woche (zwei Proben, PCR im Landeslabor), auf den mittleren Trockenwetterzufluss normalisiert.',
		unit: 'Genkopien/L',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: null,
		thresholds: { amber: 250_000, red: 500_000 },
		cadence: 'weekly',
		graceDays: 3,
		dimensions: [],
		source: { kind: 'feed', name: 'Abwassermonitoring, Laborbericht' },
		owner: { ...owner, contact: 'Abteilung Umwelthygiene' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Abwasser', 'Corona', 'Viruslast', 'Frühwarnung', 'Kläranlage', 'Abwassermonitoring'],
		sortOrder: 20,
		aggregation: 'stock'
	},
	{
		...schoolEntry,
		id: GESUNDHEIT_KPI.schoolEntryLanguageSupport,
		title: 'Sprachförderbedarf bei der Einschulungsuntersuchung',
		shortTitle: 'Sprachförderbedarf',
		description:
			'Anteil der untersuchten Kinder, bei denen die Schuleingangsuntersuchung einen Förderbedarf in der deutschen Sprache feststellt.',
		method:
			'Kinder mit auffälligem Sprachscreening (Befund „Förderbedarf“ oder „in Förderung“) geteilt durch alle untersuchten Kinder des Einschulungsjahrgangs; dem Jahr der Einschulung zugeordnet.',
		target: 20,
		thresholds: { amber: 25, red: 35 },
		dimensions: [],
		visibility: 'council',
		tags: ['Einschulung', 'Schuleingangsuntersuchung', 'Sprache', 'Sprachförderung', 'Kinder'],
		sortOrder: 30
	},
	{
		...schoolEntry,
		id: GESUNDHEIT_KPI.schoolEntryOverweight,
		title: 'Übergewicht bei der Einschulungsuntersuchung',
		shortTitle: 'Übergewicht Schulstart',
		description:
			'Anteil der untersuchten Kinder mit Übergewicht oder Adipositas bei der Schuleingangsuntersuchung.',
		method:
			'Kinder mit einem Body-Mass-Index über dem 90. Perzentil der Referenzwerte nach Kromeyer-Hauschild geteilt durch alle untersuchten Kinder des Einschulungsjahrgangs.',
		target: 10,
		thresholds: { amber: 12, red: 15 },
		dimensions: [],
		visibility: 'internal',
		tags: [
			'Einschulung',
			'Schuleingangsuntersuchung',
			'Übergewicht',
			'Adipositas',
			'Kindergesundheit'
		],
		sortOrder: 40
	}
];
