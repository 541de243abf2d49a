import { formatList } from '#shared/format';
import type { BreakdownRow, KpiSnapshot } from '#shared/kpi';
import { COURSE_LEVELS } from '#shared/catalogue/bildung';

export interface CourseLevelRow {
	level: string;
	label: string;
	places: number | null;
	waiting: number | null;
	/** Places offered per 100 people waiting; null when nobody waits or a figure is missing. */
	coveragePercent: number | null;
}

export const COURSE_TOTAL_LEVEL = 'total';

const collator = new Intl.Collator('de-DE', { numeric: true });

function coverage(places: number | null, waiting: number | null): number | null {
	return places === null || waiting === null || waiting === 0 ? null : (places / waiting) * 100;
}

/** Sum of the figures there are; null only when there is none. */
function sumKnown(values: (number | null)[]): number | null {
	const known = values.filter((v): v is number => v !== null);
	return known.length === 0 ? null : known.reduce((s, v) => s + v, 0);
}

/**
 * Places offered beside the waiting list for each level, A1 to C1 first and levels the catalogue
 * does not know after them, plus the total over all levels.
 */
export function coursesByLevel(
	places: BreakdownRow[],
	waiting: BreakdownRow[]
): { rows: CourseLevelRow[]; total: CourseLevelRow } {
	const byLevel = new Map<string, CourseLevelRow>();
	const row = (source: BreakdownRow) => {
		let r = byLevel.get(source.key);
		if (!r) {
			const label = COURSE_LEVELS[source.key] ?? source.label;
			r = { level: source.key, label, places: null, waiting: null, coveragePercent: null };
			byLevel.set(source.key, r);
		}
		return r;
	};
	for (const source of places) row(source).places = source.value;
	for (const source of waiting) row(source).waiting = source.value;

	const known = Object.keys(COURSE_LEVELS);
	const rank = (level: string) => {
		const i = known.indexOf(level);
		return i === -1 ? known.length : i;
	};
	const rows = [...byLevel.values()]
		.map((r) => ({ ...r, coveragePercent: coverage(r.places, r.waiting) }))
		.sort((a, b) => rank(a.level) - rank(b.level) || collator.compare(a.label, b.label));

	// Levels without a figure (e.g. a suppressed small count) add nothing to the total.
	const totalPlaces = sumKnown(rows.map((r) => r.places));
	const totalWaiting = sumKnown(rows.map((r) => r.waiting));
	const total: CourseLevelRow = {
		level: COURSE_TOTAL_LEVEL,
		label: 'Gesamt',
		places: totalPlaces,
		waiting: totalWaiting,
		coveragePercent: coverage(totalPlaces, totalWaiting)
	};
	return { rows, total };
}

export interface CourseTable {
	rows: (CourseLevelRow & { placesSuppressed: boolean; waitingSuppressed: boolean })[];
	total: CourseLevelRow & { placesSuppressed: boolean; waitingSuppressed: boolean };
	/** Threshold of the footnote when a figure is withheld, else null. */
	suppressedBelow: number | null;
}

/**
 * The table of the language-course view from both snapshots. A level withheld for statistical
 * confidentiality (a waiting list of 1 or 2) shows "•"; the total is then the KPI's total as the
 * server sent it, not the sum of the shown levels, which would silently leave levels out.
 */
export function courseTable(places: KpiSnapshot, waiting: KpiSnapshot): CourseTable {
	const { rows, total } = coursesByLevel(places.breakdown, waiting.breakdown);
	const hidden = (s: KpiSnapshot, key: string) => s.suppressed?.members.includes(key) ?? false;
	const totalOf = (s: KpiSnapshot, sum: number | null) =>
		s.suppressed?.members.length ? s.value : sum;
	const totalPlaces = totalOf(places, total.places);
	const totalWaiting = totalOf(waiting, total.waiting);
	const minCounts = [places, waiting].flatMap((s) => (s.suppressed ? [s.suppressed.minCount] : []));
	return {
		rows: rows.map((r) => ({
			...r,
			placesSuppressed: hidden(places, r.level),
			waitingSuppressed: hidden(waiting, r.level)
		})),
		total: {
			...total,
			places: totalPlaces,
			waiting: totalWaiting,
			coveragePercent: coverage(totalPlaces, totalWaiting),
			placesSuppressed: Boolean(places.suppressed?.value),
			waitingSuppressed: Boolean(waiting.suppressed?.value)
		},
		suppressedBelow: minCounts.length ? Math.max(...minCounts) : null
	};
}

/** Where the waiting list is longer than the places offered, in one sentence. */
export function describeCourseShortage(rows: CourseLevelRow[]): string {
	const levels = rows.filter((r) => r.level !== COURSE_TOTAL_LEVEL);
	const complete = levels.filter((r) => r.places !== null && r.waiting !== null);
	if (complete.length === 0) return 'Zu Angebot und Warteliste liegen keine Angaben vor.';
	const short = complete.filter((r) => r.waiting! > r.places!).map((r) => r.label);
	if (short.length > 0) return `Warteliste größer als das Angebot bei ${formatList(short)}.`;
	return complete.length === levels.length
		? 'Das Angebot deckt die Warteliste auf allen Niveaus.'
		: 'Das Angebot deckt die Warteliste auf allen Niveaus mit vollständigen Angaben.';
}
