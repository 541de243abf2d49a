import { FINANZEN_KPI, PRODUKTBEREICHE } from '#server/db/demo/ids/finanzen';
import { noise, streamFor } from './random';
import {
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

const MIO = 1_000_000;

/** Share of each month in a year's amount, January first. */
type MonthProfile = readonly number[];

/** Expenses run evenly, with the year-end bookings in December. */
const EVEN: MonthProfile = [
	0.075, 0.078, 0.083, 0.08, 0.082, 0.083, 0.085, 0.08, 0.082, 0.083, 0.084, 0.105
];
/** Taxes fall due on 15 February, May, August and November (§ 19 GewStG, § 28 GrStG). */
const TRADE_TAX: MonthProfile = [
	0.015, 0.22, 0.015, 0.015, 0.22, 0.015, 0.015, 0.22, 0.015, 0.015, 0.22, 0.015
];
const PROPERTY_TAX: MonthProfile = [
	0.0025, 0.245, 0.0025, 0.0025, 0.245, 0.0025, 0.0025, 0.245, 0.0025, 0.0025, 0.245, 0.0025
];
/** Revenue of the general finance economy (taxes, allocations) follows the tax dates. */
const GENERAL_REVENUE: MonthProfile = [
	0.06, 0.11, 0.07, 0.065, 0.11, 0.07, 0.065, 0.11, 0.07, 0.065, 0.11, 0.095
];
/** Investment payments come late in the year, when the building work is invoiced. */
const INVESTMENT: MonthProfile = [
	0.03, 0.04, 0.06, 0.07, 0.08, 0.09, 0.09, 0.08, 0.09, 0.1, 0.12, 0.15
];

/** Each Produktbereich's share of the year's budget. */
type Split = Record<keyof typeof PRODUKTBEREICHE, number>;

const EXPENSES_SPLIT: Split = {
	'pb-11': 0.14,
	'pb-12': 0.06,
	'pb-21': 0.085,
	'pb-25': 0.035,
	'pb-31': 0.22,
	'pb-36': 0.2,
	'pb-41': 0.025,
	'pb-51': 0.13,
	'pb-57': 0.012,
	'pb-61': 0.093
};
const REVENUE_SPLIT: Split = {
	'pb-11': 0.04,
	'pb-12': 0.02,
	'pb-21': 0.03,
	'pb-25': 0.01,
	'pb-31': 0.13,
	'pb-36': 0.075,
	'pb-41': 0.008,
	'pb-51': 0.06,
	'pb-57': 0.007,
	'pb-61': 0.62
};
const INVESTMENT_SPLIT: Split = {
	'pb-11': 0.08,
	'pb-12': 0.07,
	'pb-21': 0.32,
	'pb-25': 0.04,
	'pb-31': 0.01,
	'pb-36': 0.08,
	'pb-41': 0.06,
	'pb-51': 0.3,
	'pb-57': 0.03,
	'pb-61': 0.01
};

interface Budget {
	actual: string;
	plan: string;
	/** The plan of the current year, in euros; earlier years grew into it. */
	planNow: number;
	growth: number;
	/** How far the actual runs off the plan this year (−0.01 = 1 % below). */
	deviationNow: number;
	/** Actual spent of the plan in a typical year (investments lag behind their plan). */
	realisation: number;
	split: Split | null;
	profile: (produktbereich: string | null) => MonthProfile;
}

/** The year's plan for 2026 is a deficit of about 8 Mio €; revenue falls short and costs run over. */
const BUDGETS: Budget[] = [
	{
		actual: FINANZEN_KPI.revenueActual,
		plan: FINANZEN_KPI.revenuePlan,
		planNow: 410 * MIO,
		growth: 0.035,
		deviationNow: -0.008,
		realisation: 1,
		split: REVENUE_SPLIT,
		profile: (pb) => (pb === 'pb-61' ? GENERAL_REVENUE : EVEN)
	},
	{
		actual: FINANZEN_KPI.expensesActual,
		plan: FINANZEN_KPI.expensesPlan,
		planNow: 418 * MIO,
		growth: 0.04,
		deviationNow: 0.006,
		realisation: 1,
		split: EXPENSES_SPLIT,
		profile: () => EVEN
	},
	{
		actual: FINANZEN_KPI.investmentActual,
		plan: FINANZEN_KPI.investmentPlan,
		planNow: 58 * MIO,
		growth: 0.05,
		deviationNow: 0,
		realisation: 0.78,
		split: INVESTMENT_SPLIT,
		profile: () => INVESTMENT
	},
	{
		actual: FINANZEN_KPI.tradeTaxActual,
		plan: FINANZEN_KPI.tradeTaxPlan,
		planNow: 88 * MIO,
		growth: 0.03,
		deviationNow: -0.035,
		realisation: 1,
		split: null,
		profile: () => TRADE_TAX
	},
	{
		actual: FINANZEN_KPI.propertyTaxActual,
		plan: FINANZEN_KPI.propertyTaxPlan,
		planNow: 20.4 * MIO,
		growth: 0.01,
		deviationNow: -0.005,
		realisation: 1,
		split: null,
		profile: () => PROPERTY_TAX
	}
];

/**
 * The budget of a city of 100,000: monthly plan and actual amounts (year-to-date cumulation
 * happens in the aggregation) by Produktbereich, the forecast result, cash credits and debt.
 */
export function generateFinanzenObservations(
	today: Date,
	seed = DEMO_SEED
): GeneratedObservation[] {
	const rows: GeneratedObservation[] = [];
	const currentYear = today.getFullYear();
	const months = fiscalYearMonths(today);
	const lastActual = lastCompletedPeriod(today, 'monthly');
	for (const budget of BUDGETS) {
		const random = streamFor(seed, budget.actual);
		const plan = rowsOf(budget.plan, rows);
		const actual = rowsOf(budget.actual, rows);
		const deviation = new Map<number, number>();
		const deviationOf = (year: number) => {
			if (!deviation.has(year))
				deviation.set(year, year === currentYear ? budget.deviationNow : 0.008 * noise(random));
			return deviation.get(year)!;
		};
		const members: [string | null, number][] = budget.split
			? Object.entries(budget.split)
			: [[null, 1]];
		for (const month of months) {
			const year = Number(month.slice(0, 4));
			const monthIndex = Number(month.slice(5)) - 1;
			const yearPlan = budget.planNow * (1 + budget.growth) ** (year - currentYear);
			for (const [pb, share] of members) {
				const planned = yearPlan * share * budget.profile(pb)[monthIndex]!;
				const write = (kpi: typeof plan, value: number) =>
					pb === null ? kpi.total(month, value) : kpi.member('produktbereich', pb, month, value);
				write(plan, Math.round(planned));
				if (month > lastActual) continue;
				const spread = budget.realisation < 1 ? 0.15 : 0.03;
				const booked = jitter(
					random,
					planned * budget.realisation * (1 + deviationOf(year)),
					spread
				);
				write(actual, Math.round(booked));
			}
		}
	}
	rows.push(
		...resultForecast(today, seed),
		...cashCredits(today, seed),
		...debtPerCapita(today, seed)
	);
	return rows;
}

/**
 * The forecast result: in January the planned result of the year, then moving month by month
 * towards where the year will end; this year towards a deficit of about 14 Mio €.
 */
function resultForecast(today: Date, seed: number): GeneratedObservation[] {
	const random = streamFor(seed, FINANZEN_KPI.resultForecast);
	const rows: GeneratedObservation[] = [];
	const kpi = rowsOf(FINANZEN_KPI.resultForecast, rows);
	const last = lastCompletedPeriod(today, 'monthly');
	const [lastYear, lastMonth] = [Number(last.slice(0, 4)), Number(last.slice(5))];
	const planned = (year: number) => (-8 + 2.5 * (lastYear - year)) * MIO;
	const shortfall = (year: number) =>
		year === lastYear ? -6.2 * MIO : (2 * noise(streamFor(seed, `result-${year}`)) - 2) * MIO;
	for (const month of demoPeriods(today, 'monthly')) {
		const year = Number(month.slice(0, 4));
		const reached = Number(month.slice(5)) / (year === lastYear ? lastMonth : 12);
		const value = planned(year) + shortfall(year) * reached + 0.25 * MIO * noise(random);
		kpi.total(month, Math.round(value / 10_000) * 10_000);
	}
	return rows;
}

/** Cash credits grow from about 540 to 612 Mio €; the tax dates bring short dips. */
function cashCredits(today: Date, seed: number): GeneratedObservation[] {
	const random = streamFor(seed, FINANZEN_KPI.cashCredits);
	const rows: GeneratedObservation[] = [];
	const kpi = rowsOf(FINANZEN_KPI.cashCredits, rows);
	const months = demoPeriods(today, 'monthly');
	months.forEach((month, i) => {
		const taxMonth = [2, 5, 8, 11].includes(Number(month.slice(5)));
		const value =
			between(540, 612, progressOf(i, months.length)) * MIO -
			(taxMonth ? 7 * MIO : 0) +
			1.5 * MIO * noise(random);
		kpi.total(month, Math.round(value / 100_000) * 100_000);
	});
	return rows;
}

/** Debt per inhabitant at the end of each year, rising from about 7,300 to 9,350 €. */
function debtPerCapita(today: Date, seed: number): GeneratedObservation[] {
	const random = streamFor(seed, FINANZEN_KPI.debtPerCapita);
	const rows: GeneratedObservation[] = [];
	const kpi = rowsOf(FINANZEN_KPI.debtPerCapita, rows);
	const years = demoPeriods(today, 'yearly');
	years.forEach((year, i) => {
		kpi.total(
			year,
			Math.round(between(7300, 9350, progressOf(i, years.length)) + 60 * noise(random))
		);
	});
	return rows;
}
