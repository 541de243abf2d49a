/**
 * The facts behind the accessibility statement (/barrierefreiheit) that change with time or
 * place. The page's wording stays in the page; what a city has to adjust lives here.
 */

/**
 * The day of the last evaluation the statement reports (city time, YYYY-MM-DD). Set it when
 * the accessibility tests named in EVALUATION_TESTS have run green on the released version and
 * the list of known barriers below was checked again – not the day the page is shown.
 */
export const STATEMENT_EVALUATED_ON = '2026-12-07';

/** The project's own checks the evaluation rests on (files in tests/e2e). */
export const EVALUATION_TESTS = [
	{
		file: 'accessibility.e2e.ts',
		what: 'automatische Prüfung mit axe-core (WCAG 2.1 A und AA) für Anmeldung, Lagebild, Kennzahl mit Tabelle und Erfassungsformular, auch mit Fehlermeldungen'
	},
	{
		file: 'accessibility-areas.e2e.ts',
		what: 'axe-core für die Seiten aller sieben Bereiche, Warnungen und Suche'
	},
	{
		file: 'forms-by-keyboard.e2e.ts',
		what: 'jedes Erfassungsformular allein mit der Tastatur ausgefüllt und abgeschickt, mit axe-core leer, mit Fehlern und ausgefüllt'
	},
	{
		file: 'every-screen-fits-a-phone.e2e.ts',
		what: 'jede Seite jeder Rolle passt ohne seitliches Scrollen auf ein Telefon mit 360 Pixel Breite, auch mit sehr langen Namen'
	},
	{
		file: 'admin-maintains-lists.e2e.ts, admin-manages-users.e2e.ts, admin-uploads-feed.e2e.ts',
		what: 'axe-core für die Seiten der Verwaltung: Listen, Benutzer, Datenlieferungen, Datenqualität und Protokoll'
	},
	{
		file: 'visitor-gives-accessibility-feedback.e2e.ts',
		what: 'diese Erklärung, die Seite in Leichter Sprache und die Liste der Rückmeldungen mit axe-core; das Rückmeldeformular ohne Netz'
	}
] as const;

/** Known barriers: what is not (or not proven) accessible, why, and what to use instead. */
export const KNOWN_BARRIERS = [
	{
		title: 'Diagramme',
		problem:
			'Liniendiagramme, Tachometer und Balken sind Grafiken. Ein Screenreader liest ihre Werte nicht vor.',
		alternative:
			'Zu jedem Diagramm gibt es eine Tabelle mit denselben Werten („Tabelle anzeigen“) und einen CSV-Download.'
	},
	{
		title: 'Keine Prüfung mit Screenreadern',
		problem:
			'Die Seiten wurden nicht von Menschen mit Screenreadern (NVDA, JAWS, VoiceOver, TalkBack) geprüft. Automatische Prüfungen finden nur einen Teil der möglichen Barrieren, etwa fehlende Beschriftungen oder zu schwache Kontraste, nicht aber, ob ein Ablauf verständlich ist.',
		alternative:
			'Melden Sie uns bitte jede Stelle, an der Sie nicht weiterkommen. Wir helfen per E-Mail und stellen Zahlen auf Wunsch in anderer Form bereit.'
	},
	{
		title: 'Fachsprache und Inhalte der Stadt',
		problem:
			'Kennzahlen tragen Begriffe der Verwaltung (zum Beispiel Ergebnishaushalt oder Bedarfsgemeinschaften). Titel, Beschreibungen und Bemerkungen schreibt die Stadt selbst; geprüft sind sie nur mit den Beispieldaten.',
		alternative:
			'Jede Kennzahl hat eine Beschreibung und eine Erklärung, wie sie berechnet wird. Was KLAR ist, erklärt die Seite in Leichter Sprache.'
	},
	{
		title: 'Vergrößerung und hoher Kontrast',
		problem:
			'Die Darstellung bei 400 % Vergrößerung und im Modus für hohen Kontrast des Betriebssystems ist nicht automatisch geprüft.',
		alternative:
			'Die Seiten passen sich schmalen Bildschirmen an (geprüft bei 360 Pixel Breite); die Vergrößerung des Browsers funktioniert ohne Sperre.'
	},
	{
		title: 'Gebärdensprache',
		problem:
			'Es gibt keine Erklärungen in Deutscher Gebärdensprache (DGS), wie sie die BITV 2.0 für die Startseite vorsieht.',
		alternative:
			'Eine Beschreibung in Leichter Sprache gibt es unter „Leichte Sprache“. Auf Wunsch antworten wir schriftlich.'
	}
] as const;

/**
 * Where a person turns when the city does not answer feedback satisfactorily. This depends on
 * the state the city is in: public bodies of a state follow that state's law, the federal
 * Schlichtungsstelle nach § 16 BGG is only for federal bodies. A city in another state replaces
 * this object (see README, "Barrierefreiheit").
 */
export const ENFORCEMENT_BODY = {
	state: 'Rheinland-Pfalz',
	/**
	 * The law and regulation the statement is made under. In Rhineland-Palatinate the
	 * Landesinklusionsgesetz of 17 December 2020 replaced the Landesgesetz zur Gleichstellung
	 * behinderter Menschen (LGGBehM); § 10 covers information technology.
	 */
	legalBasis:
		'Landesinklusionsgesetz Rheinland-Pfalz (§ 10 Barrierefreie Informationstechnik) und Barrierefreie-Informationstechnik-Verordnung Rheinland-Pfalz (BITV RP)',
	/** The regulation whose requirements the statement measures against. */
	regulation: 'Barrierefreie-Informationstechnik-Verordnung Rheinland-Pfalz (BITV RP)',
	name: 'Durchsetzungsstelle bei dem oder der Landesbeauftragten für die Belange von Menschen mit Behinderungen Rheinland-Pfalz',
	address: ['Bauhofstraße 9', '55116 Mainz'],
	email: 'durchsetzungsstelle@mastd.rlp.de',
	phone: '06131 16-5342',
	web: 'https://inklusion.rlp.de/de/landesbeauftragte-landesteilhabebeirat/durchsetzungsstelle/',
	/** After how long without a satisfying answer the body may be asked. */
	waitBefore: 'einem Monat',
	procedure:
		'Die Durchsetzungsstelle prüft auf Antrag, ob die Vorschriften zur digitalen Barrierefreiheit eingehalten sind. Stellt sie Mängel fest, fordert sie die Stadt auf, diese zu beseitigen. Das Verfahren ist für Sie kostenlos; Sie brauchen keinen Rechtsbeistand. Geschieht nichts, können anerkannte Verbände nach § 13 Landesinklusionsgesetz klagen.'
} as const;
