import { SOZIALES_KPI } from '#server/db/demo/ids/soziales';
import { DISTRICT_PROFILES, DISTRICTS } from './city';
import { noise, streamFor } from './random';
import {
	apportion,
	between,
	DEMO_SEED,
	demoPeriods,
	fiscalYearMonths,
	jitter,
	lastCompletedPeriod,
	progressOf,
	rowsOf,
	type GeneratedObservation
} from './rows';

/** The housing-benefit office has not delivered its last three monthly figures. */
const HOUSING_BENEFIT_MONTHS_MISSING = 3;

/**
 * Social services: integration assistance (cases and year-to-date costs), SGB II households
 * by district, housing-benefit households (overdue).
 */
export function generateSozialesObservations(
	today: Date,
	seed = DEMO_SEED
): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const months = demoPeriods(today, 'monthly');
	const monthly = (
		kpiId: string,
		[from, to]: [number, number],
		spread: number,
		upTo = months.length
	) => {
		const random = streamFor(seed, kpiId);
		const kpi = rowsOf(kpiId, rows);
		months.slice(0, upTo).forEach((month, i) => {
			kpi.total(
				month,
				Math.round(jitter(random, between(from, to, progressOf(i, months.length)), spread))
			);
		});
	};
	monthly(SOZIALES_KPI.integrationAssistanceCases, [1380, 1472], 0.006);
	monthly(
		SOZIALES_KPI.housingBenefitHouseholds,
		[1910, 2160],
		0.015,
		months.length - HOUSING_BENEFIT_MONTHS_MISSING
	);

	// Costs of integration assistance per month (about 58 Mio € this year, growing by 6 % a year),
	// cumulated within the year by the aggregation; the December bills of the care homes are higher.
	const costRandom = streamFor(seed, SOZIALES_KPI.integrationAssistanceCosts);
	const costs = rowsOf(SOZIALES_KPI.integrationAssistanceCosts, rows);
	const lastMonth = lastCompletedPeriod(today, 'monthly');
	for (const month of fiscalYearMonths(today)) {
		if (month > lastMonth) break;
		const year = Number(month.slice(0, 4));
		const perMonth = (58_000_000 / 12.6) * 1.06 ** (year - today.getFullYear());
		const december = month.endsWith('-12') ? 1.6 : 1;
		costs.total(month, Math.round(jitter(costRandom, perMonth * december, 0.04) / 100) * 100);
	}

	const sgbRandom = streamFor(seed, SOZIALES_KPI.sgb2Households);
	const sgb2 = rowsOf(SOZIALES_KPI.sgb2Households, rows);
	const weights = DISTRICTS.map(
		([id]) => DISTRICT_PROFILES[id].inhabitants * DISTRICT_PROFILES[id].sgb2Rate
	);
	months.forEach((month, i) => {
		const total = Math.round(
			jitter(sgbRandom, between(6040, 5810, progressOf(i, months.length)), 0.006)
		);
		const spread = weights.map((w) => w * (1 + 0.015 * noise(sgbRandom)));
		apportion(total, spread).forEach((households, d) =>
			sgb2.member('district', DISTRICTS[d]![0], month, households)
		);
	});
	return rows;
}
