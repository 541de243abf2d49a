import { BILDUNG_KPI, COURSE_LEVELS } from '#server/db/demo/ids/bildung';
import { DISTRICT_PROFILES, DISTRICTS } from './city';
import { noise, streamFor } from './random';
import {
	between,
	DEMO_SEED,
	demoPeriods,
	jitter,
	progressOf,
	round,
	rowsOf,
	type GeneratedObservation
} from './rows';

/**
 * Places offered in language courses and the waiting list, by level, three years ago and today.
 * Demand grew faster than the courses: at A1 and B1 more people wait than there are places.
 */
const COURSES: Record<
	keyof typeof COURSE_LEVELS,
	{ places: [number, number]; waiting: [number, number] }
> = {
	A1: { places: [110, 125], waiting: [40, 160] },
	A2: { places: [95, 100], waiting: [25, 70] },
	B1: { places: [125, 140], waiting: [50, 175] },
	B2: { places: [50, 60], waiting: [15, 35] },
	// Few wait for C1: a count of 1 or 2 that council and public views must withhold, so the
	// demo shows statistical confidentiality at work.
	C1: { places: [20, 25], waiting: [1, 2] }
};

/** VHS enrolments per quarter: the autumn and spring terms are full, the summer is quiet. */
const VHS_SEASON = [4600, 3900, 2300, 4900] as const;

/** Children per inhabitant in the age bands of the childcare rates (register, rough). */
const CHILDREN_UNDER_3 = 0.027;
const CHILDREN_3_TO_6 = 0.028;

/**
 * Education monitoring: childcare rates by district (with the city rate over all children, not
 * the mean of the districts), school results, language courses for newcomers, VHS enrolments.
 */
export function generateBildungObservations(today: Date, seed = DEMO_SEED): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const years = demoPeriods(today, 'yearly');
	childcareRate(rows, years, seed, BILDUNG_KPI.childcareUnder3, CHILDREN_UNDER_3, [29.5, 38.2], 1);
	childcareRate(rows, years, seed, BILDUNG_KPI.childcare3to6, CHILDREN_3_TO_6, [89.4, 93.1], 0.6);

	const yearlyRate = (kpiId: string, [from, to]: [number, number], spread: number) => {
		const random = streamFor(seed, kpiId);
		const kpi = rowsOf(kpiId, rows);
		years.forEach((year, i) =>
			kpi.total(
				year,
				round(between(from, to, progressOf(i, years.length)) + spread * noise(random), 1)
			)
		);
	};
	yearlyRate(BILDUNG_KPI.leaversWithoutQualification, [6.1, 7.2], 0.25);
	yearlyRate(BILDUNG_KPI.transitionGymnasium, [40.2, 42.1], 0.8);

	const months = demoPeriods(today, 'monthly');
	for (const [which, kpiId] of [
		['places', BILDUNG_KPI.languageCoursePlaces],
		['waiting', BILDUNG_KPI.languageCourseWaitingList]
	] as const) {
		const random = streamFor(seed, kpiId);
		const kpi = rowsOf(kpiId, rows);
		months.forEach((month, i) => {
			// The waiting list grew slowly at first, then fast (new arrivals, fewer courses funded).
			const progress = progressOf(i, months.length) ** (which === 'waiting' ? 1.5 : 1);
			for (const [level, course] of Object.entries(COURSES)) {
				const value = jitter(random, between(...course[which], progress), 0.03);
				kpi.member('level', level, month, Math.max(0, Math.round(value)));
			}
		});
	}

	const random = streamFor(seed, BILDUNG_KPI.adultEducationEnrolments);
	const vhs = rowsOf(BILDUNG_KPI.adultEducationEnrolments, rows);
	const quarters = demoPeriods(today, 'quarterly');
	quarters.forEach((quarter, i) => {
		const season = VHS_SEASON[Number(quarter.slice(6)) - 1]!;
		const growth = 1 + 0.02 * ((i - quarters.length) / 4);
		vhs.total(quarter, Math.round(jitter(random, season * growth, 0.03)));
	});
	return rows;
}

/**
 * A childcare rate by district and for the city: places per district from its children and a
 * district offset; the city rate is all places over all children.
 */
function childcareRate(
	rows: GeneratedObservation[],
	years: string[],
	seed: number,
	kpiId: string,
	childrenPerInhabitant: number,
	[from, to]: [number, number],
	offsetScale: number
) {
	const random = streamFor(seed, kpiId);
	const kpi = rowsOf(kpiId, rows);
	years.forEach((year, i) => {
		const cityRate = between(from, to, progressOf(i, years.length));
		let children = 0;
		let places = 0;
		for (const [district] of DISTRICTS) {
			const profile = DISTRICT_PROFILES[district];
			const kids = Math.round(profile.inhabitants * childrenPerInhabitant);
			const rate = Math.min(
				99.5,
				cityRate + offsetScale * profile.childcareOffset + 1.2 * noise(random)
			);
			const cared = Math.round((kids * rate) / 100);
			children += kids;
			places += cared;
			kpi.member('district', district, year, round((cared / kids) * 100, 1));
		}
		kpi.total(year, round((places / children) * 100, 1));
	});
}
