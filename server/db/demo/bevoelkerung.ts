import { AGE_GROUPS, BEVOELKERUNG_KPI } from '#server/db/demo/ids/bevoelkerung';
import { DISTRICT_PROFILES, DISTRICTS } from './city';
import { noise, streamFor } from './random';
import {
	apportion,
	between,
	DEMO_SEED,
	demoPeriods,
	progressOf,
	rowsOf,
	type GeneratedObservation
} from './rows';

/** Mean per month and the month (1–12) in which the flow peaks, with its seasonal swing. */
const FLOWS = [
	{ kpiId: BEVOELKERUNG_KPI.births, mean: 80, peak: 7, swing: 0.08 },
	{ kpiId: BEVOELKERUNG_KPI.deaths, mean: 110, peak: 1, swing: 0.14 },
	// Students arrive for the winter semester and leave after the summer semester.
	{ kpiId: BEVOELKERUNG_KPI.movesIn, mean: 610, peak: 10, swing: 0.22 },
	{ kpiId: BEVOELKERUNG_KPI.movesOut, mean: 580, peak: 9, swing: 0.16 }
] as const;

/** Age structure in percent, ten years ago and today: fewer in their thirties and forties, more old people. */
const AGE_SHARES: Record<keyof typeof AGE_GROUPS, [number, number]> = {
	'0-5': [5.3, 5.6],
	'6-17': [10.6, 10.4],
	'18-29': [17.4, 16.4],
	'30-49': [25.8, 24.3],
	'50-64': [19.8, 20.6],
	'65-79': [14.6, 15.2],
	'80+': [6.5, 7.5]
};

/** City share of foreign nationals three years ago and today, in percent. */
const FOREIGN_SHARE = [16.2, 17.3] as const;

/**
 * The resident register of a city of about 100,000: births, deaths and moves each month, the
 * inhabitants they add up to (by district), foreign nationals by district and age groups at
 * the end of each year. The December inhabitants equal the year's age groups in total.
 */
export function generateBevoelkerungObservations(
	today: Date,
	seed = DEMO_SEED
): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const months = demoPeriods(today, 'monthly');
	const flows = FLOWS.map((flow) => {
		const random = streamFor(seed, flow.kpiId);
		const kpi = rowsOf(flow.kpiId, rows);
		return months.map((month) => {
			const offset = ((Number(month.slice(5)) - flow.peak) / 12) * 2 * Math.PI;
			const expected = flow.mean * (1 + flow.swing * Math.cos(offset));
			const value = Math.max(0, Math.round(expected + Math.sqrt(expected) * noise(random)));
			kpi.total(month, value);
			return value;
		});
	});

	const random = streamFor(seed, BEVOELKERUNG_KPI.inhabitants);
	const inhabitants = rowsOf(BEVOELKERUNG_KPI.inhabitants, rows);
	const foreign = rowsOf(BEVOELKERUNG_KPI.foreignNationals, rows);
	const foreignRandom = streamFor(seed, BEVOELKERUNG_KPI.foreignNationals);
	const profiles = DISTRICTS.map(([id]) => DISTRICT_PROFILES[id]);
	// Inner-city districts grow a little, villages shrink a little.
	const drift = profiles.map((p) => (p.foreignShare - 15) * 0.00012 + 0.0001 * noise(random));
	const shareScale =
		profiles.reduce((sum, p) => sum + p.inhabitants, 0) /
		profiles.reduce((sum, p) => sum + p.inhabitants * p.foreignShare, 0);
	const births = flows[0]!;
	const deaths = flows[1]!;
	const movesIn = flows[2]!;
	const movesOut = flows[3]!;
	// The population a month before the history starts, so that today it is about 100,000.
	const balance = births.map((b, i) => b - deaths[i]! + movesIn[i]! - movesOut[i]!);
	let total = 100_000 - balance.reduce((a, b) => a + b, 0) + Math.round(40 * noise(random));
	const decembers = new Map<string, number>();
	months.forEach((month, i) => {
		total += balance[i]!;
		// Corrections of the register (late registrations, removals ex officio).
		total += Math.round(6 * noise(random));
		const byDistrict = apportion(
			total,
			profiles.map((p, d) => p.inhabitants * (1 + drift[d]! * (i - months.length)))
		);
		const cityShare = between(...FOREIGN_SHARE, progressOf(i, months.length)) / 100;
		byDistrict.forEach((persons, d) => {
			const district = DISTRICTS[d]![0];
			inhabitants.member('district', district, month, persons);
			const share = cityShare * profiles[d]!.foreignShare * shareScale;
			const value = Math.round(persons * share * (1 + 0.01 * noise(foreignRandom)));
			foreign.member('district', district, month, Math.min(persons, value));
		});
		if (month.endsWith('-12')) decembers.set(month.slice(0, 4), total);
	});

	// Age groups at the end of each year: the December inhabitants where the monthly history
	// has them, before that a population that grew by about 150 a year.
	const ageRandom = streamFor(seed, BEVOELKERUNG_KPI.ageGroups);
	const ageGroups = rowsOf(BEVOELKERUNG_KPI.ageGroups, rows);
	const years = demoPeriods(today, 'yearly');
	const firstKnown = [...decembers.keys()].sort()[0]!;
	const totals = years.map((year) =>
		decembers.has(year)
			? decembers.get(year)!
			: decembers.get(firstKnown)! -
				150 * (Number(firstKnown) - Number(year)) +
				Math.round(80 * noise(ageRandom))
	);
	years.forEach((year, i) => {
		const progress = progressOf(i, years.length);
		const groups = Object.keys(AGE_SHARES) as (keyof typeof AGE_SHARES)[];
		const shares = groups.map((g) => between(...AGE_SHARES[g]!, progress));
		apportion(totals[i]!, shares).forEach((persons, g) =>
			ageGroups.member('age_group', groups[g]!, year, persons)
		);
	});
	return rows;
}
