import { BILDUNG_KPI } from '#shared/catalogue/bildung';
import type { CatalogueEntry } from '#server/kpis/initial-catalogue';

const owner = {
	department: 'Referat Schulen und Bildung',
	contact: 'Bildungsmonitoring',
	email: 'bildungsmonitoring@stadt.example'
};

/** Rates from the yearly school and childcare statistics. */
const yearlyPercent = {
	areaId: 'bildung',
	unit: '%',
	numberFormat: 'percent',
	decimals: 1,
	cadence: 'yearly',
	owner,
	disclosureMinCount: 0
} as const;

const COURSE_FORM = { kind: 'form', name: 'Formular „Sprachkursangebot“' } as const;

/** Bildung (Bildungsmonitoring): childcare, schools, language courses, adult education. */
export const BILDUNG_CATALOGUE: CatalogueEntry[] = [
	{
		...yearlyPercent,
		id: BILDUNG_KPI.childcareUnder3,
		title: 'Betreuungsquote unter 3 Jahren',
		shortTitle: 'Betreuung unter 3',
		description:
			'Anteil der Kinder unter drei Jahren in einer Kindertagesstätte oder in Kindertagespflege, nach Ortsbezirk.',
		method:
			'Betreute Kinder unter 3 Jahren (Kita und Kindertagespflege, Stichtag 1. März) geteilt durch alle Kinder unter 3 Jahren mit Hauptwohnsitz im Bezirk zum selben Stichtag. Der Wert der Stadt rechnet über alle Kinder, er ist nicht der Mittelwert der Bezirke.',
		direction: 'higher_is_better',
		target: 45,
		thresholds: { amber: 40, red: 30 },
		// The childcare statistics (as of 1 March) are published in the autumn of the same year.
		graceDays: 90,
		dimensions: ['district'],
		source: { kind: 'feed', name: 'Kinder- und Jugendhilfestatistik, Kindertagesbetreuung' },
		visibility: 'public',
		tags: ['Kita', 'Krippe', 'Kinderbetreuung', 'U3', 'Tagespflege', 'Rechtsanspruch'],
		sortOrder: 10,
		aggregation: 'stock'
	},
	{
		...yearlyPercent,
		id: BILDUNG_KPI.childcare3to6,
		title: 'Betreuungsquote 3 bis unter 6 Jahre',
		shortTitle: 'Betreuung 3 bis 6',
		description:
			'Anteil der Kinder von drei bis unter sechs Jahren in einer Kindertagesstätte oder in Kindertagespflege, nach Ortsbezirk.',
		method:
			'Betreute Kinder von 3 bis unter 6 Jahren (Stichtag 1. März) geteilt durch alle Kinder dieses Alters mit Hauptwohnsitz im Bezirk; Schulkinder unter 6 Jahren zählen nicht. Der Wert der Stadt rechnet über alle Kinder.',
		direction: 'higher_is_better',
		target: 95,
		thresholds: { amber: 94, red: 90 },
		graceDays: 90,
		dimensions: ['district'],
		source: { kind: 'feed', name: 'Kinder- und Jugendhilfestatistik, Kindertagesbetreuung' },
		// Internal until the Kita-Bedarfsplanung has reconciled the figures with the providers.
		visibility: 'internal',
		tags: ['Kita', 'Kindergarten', 'Kinderbetreuung', 'Ü3', 'Rechtsanspruch'],
		sortOrder: 20,
		aggregation: 'stock'
	},
	{
		id: BILDUNG_KPI.languageCourseWaitingList,
		areaId: 'bildung',
		title: 'Warteliste für Sprachkurse',
		shortTitle: 'Warteliste Sprachkurse',
		description:
			'Zugewanderte, die auf einen Platz in einem Sprach- oder Integrationskurs warten, nach angestrebtem Sprachniveau.',
		method:
			'Summe der Wartelisten der im Formular „Sprachkursangebot“ gemeldeten und freigegebenen Kurse mit Kursbeginn im Monat, nach Sprachniveau. Mehr Wartende als Plätze auf einem Niveau heißt: Wartezeit über ein Kursmodul hinaus.',
		unit: 'Personen',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'lower_is_better',
		target: 100,
		thresholds: { amber: 200, red: 350 },
		cadence: 'monthly',
		graceDays: 15,
		dimensions: ['level'],
		source: COURSE_FORM,
		owner: { ...owner, contact: 'Koordinierungsstelle Sprachförderung' },
		visibility: 'council',
		disclosureMinCount: 3,
		tags: [
			'Sprachkurs',
			'Integrationskurs',
			'Deutschkurs',
			'Warteliste',
			'Zuwanderung',
			'Flüchtlinge'
		],
		sortOrder: 30,
		aggregation: 'stock'
	},
	{
		id: BILDUNG_KPI.languageCoursePlaces,
		areaId: 'bildung',
		title: 'Angebotene Plätze in Sprachkursen',
		shortTitle: 'Sprachkursplätze',
		description:
			'Plätze in Sprach- und Integrationskursen für Zugewanderte, die im Monat beginnen, nach Sprachniveau.',
		method:
			'Summe der Plätze aller im Formular „Sprachkursangebot“ gemeldeten und freigegebenen Kurse mit Kursbeginn im Monat, nach dem Niveau, mit dem der Kurs abschließt.',
		unit: 'Plätze',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'higher_is_better',
		target: null,
		thresholds: null,
		cadence: 'monthly',
		graceDays: 15,
		dimensions: ['level'],
		source: COURSE_FORM,
		owner: { ...owner, contact: 'Koordinierungsstelle Sprachförderung' },
		visibility: 'council',
		disclosureMinCount: 0,
		tags: ['Sprachkurs', 'Integrationskurs', 'Deutschkurs', 'Kursträger', 'Zuwanderung'],
		sortOrder: 40,
		aggregation: 'stock'
	},
	{
		...yearlyPercent,
		id: BILDUNG_KPI.leaversWithoutQualification,
		title: 'Schulabgänge ohne Abschluss',
		shortTitle: 'Abgänge ohne Abschluss',
		description:
			'Anteil der Abgängerinnen und Abgänger allgemeinbildender Schulen, die die Schule ohne mindestens die Berufsreife verlassen.',
		method:
			'Abgänge ohne Abschluss der Berufsreife (einschließlich Abschlüssen der Förderschule) geteilt durch alle Abgänge aus allgemeinbildenden Schulen der Stadt im Schuljahr, dem Jahr zugeordnet, in dem das Schuljahr endet.',
		direction: 'lower_is_better',
		target: 5,
		thresholds: { amber: 6, red: 8 },
		graceDays: 120,
		dimensions: [],
		source: { kind: 'feed', name: 'Schulstatistik des Statistischen Landesamts' },
		visibility: 'council',
		tags: ['Schule', 'Schulabschluss', 'Schulabbruch', 'Berufsreife', 'Bildungserfolg'],
		sortOrder: 50,
		aggregation: 'stock'
	},
	{
		...yearlyPercent,
		id: BILDUNG_KPI.transitionGymnasium,
		title: 'Übergangsquote auf das Gymnasium',
		shortTitle: 'Übergang Gymnasium',
		description:
			'Anteil der Kinder aus 4. Klassen der Grundschulen, die auf ein Gymnasium wechseln.',
		method:
			'Übergänge von der Grundschule in Klasse 5 eines Gymnasiums geteilt durch alle Übergänge aus den 4. Klassen der städtischen Grundschulen, zum Schuljahresbeginn im Herbst.',
		direction: 'neutral',
		target: null,
		thresholds: null,
		graceDays: 120,
		dimensions: [],
		source: { kind: 'feed', name: 'Schulstatistik des Statistischen Landesamts' },
		visibility: 'public',
		tags: ['Schule', 'Gymnasium', 'Grundschule', 'Übergang', 'Schulwahl'],
		sortOrder: 60,
		aggregation: 'stock'
	},
	{
		id: BILDUNG_KPI.adultEducationEnrolments,
		areaId: 'bildung',
		title: 'Belegungen an der Volkshochschule',
		shortTitle: 'VHS-Belegungen',
		description:
			'Anmeldungen zu Kursen, Vorträgen und Exkursionen der Volkshochschule je Quartal; im Sommer ruht das Programm weitgehend.',
		method:
			'Zahl der Belegungen mit Veranstaltungsbeginn im Quartal laut VHS-Verwaltung; wer zwei Kurse belegt, zählt zweimal. Stornierungen vor Kursbeginn zählen nicht.',
		unit: 'Belegungen',
		numberFormat: 'integer',
		decimals: 0,
		direction: 'higher_is_better',
		target: null,
		// Enrolments swing with the terms; bands would flag every summer.
		thresholds: null,
		cadence: 'quarterly',
		graceDays: 30,
		dimensions: [],
		source: { kind: 'feed', name: 'VHS-Verwaltungssoftware, Quartalsauswertung' },
		owner: { ...owner, contact: 'Volkshochschule, Programmplanung' },
		visibility: 'public',
		disclosureMinCount: 0,
		tags: ['VHS', 'Volkshochschule', 'Weiterbildung', 'Erwachsenenbildung', 'Kurse'],
		sortOrder: 70,
		aggregation: 'flow'
	}
];
