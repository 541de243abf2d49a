/** Bildung (Bildungsmonitoring): childcare, schools, language courses, adult education. */
export const BILDUNG_KPI = {
	childcareUnder3: 'bil.betreuungsquote_u3',
	childcare3to6: 'bil.betreuungsquote_3_6',
	leaversWithoutQualification: 'bil.abgaenger_ohne_abschluss',
	transitionGymnasium: 'bil.uebergang_gymnasium',
	languageCoursePlaces: 'bil.sprachkurs_plaetze',
	languageCourseWaitingList: 'bil.sprachkurs_warteliste',
	adultEducationEnrolments: 'bil.vhs_belegungen'
} as const;

/** Levels of the Common European Framework that the courses for newcomers lead to. */
export const COURSE_LEVELS: Record<string, string> = {
	A1: 'A1',
	A2: 'A2',
	B1: 'B1',
	B2: 'B2',
	C1: 'C1'
};
