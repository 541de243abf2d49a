import { subYears } from 'date-fns';
import { formatChange, formatPercentChange, formatChangeWithUnit } from './format';
import { type KpiDefinition } from './catalogue';
import {
	cadenceOfPeriod,
	formatPeriod,
	parseIsoDate,
	periodStart,
	shiftPeriod,
	toIsoDate
} from './periods';
import { changeBetween, TREND_WORDS, trendOf } from './status';

/** One value of a KPI for a period; `suppressed` marks a small count hidden from this viewer. */
export interface Reading {
	period: string;
	value: number | null;
	suppressed?: boolean;
}

export type Comparison =
	| {
			kind: 'change';
			period: string;
			basePeriod: string;
			value: number;
			baseValue: number;
			absolute: number;
			/** Relative change in percent; null when the base value is 0. */
			percent: number | null;
			/** The intended base period had no value, so an earlier one stands in for it. */
			gap: boolean;
	  }
	/** No current value, or no base value. `basePeriod` is the period the value was compared against. */
	| { kind: 'missing'; period: string | null; basePeriod: string | null }
	/** Current or base is suppressed: showing a change would let the reader work it out. */
	| { kind: 'suppressed'; period: string; basePeriod: string | null };

/**
 * The same period one year earlier: 29 February becomes 28 February, and ISO week 53 becomes
 * week 52 when the previous ISO year has only 52 weeks. Throws on a malformed key.
 */
export function samePeriodLastYear(period: string): string {
	const cadence = cadenceOfPeriod(period);
	if (!cadence || !periodStart(period)) throw new RangeError(`Kein gültiger Zeitraum: ${period}`);
	const year = String(Number(period.slice(0, 4)) - 1).padStart(4, '0');
	switch (cadence) {
		case 'daily':
			// date-fns clamps 29 February to the last day of February.
			return toIsoDate(subYears(parseIsoDate(period)!, 1));
		case 'weekly': {
			const sameWeek = `${year}${period.slice(4)}`;
			return periodStart(sameWeek) ? sameWeek : `${year}-W52`;
		}
		case 'monthly':
		case 'quarterly':
			return `${year}${period.slice(4)}`;
		case 'yearly':
			return year;
	}
}

function hasValue(reading: Reading | undefined): reading is Reading & { value: number } {
	return reading !== undefined && !reading.suppressed && reading.value !== null;
}

/** Readings of the current period's cadence by period, and the current period itself. */
function locateCurrent(readings: Reading[], period: string | undefined) {
	const current =
		period ??
		readings
			.filter((r) => r.suppressed || r.value !== null)
			.map((r) => r.period)
			.filter((p) => periodStart(p) !== null)
			.sort()
			.at(-1) ??
		null;
	const cadence = current === null ? null : cadenceOfPeriod(current);
	// Period keys of one cadence sort in time; a key of another cadence never takes part.
	const byPeriod = new Map(
		readings.filter((r) => cadenceOfPeriod(r.period) === cadence).map((r) => [r.period, r])
	);
	return { current, byPeriod };
}

function compareWith(
	current: string,
	currentReading: Reading | undefined,
	basePeriod: string,
	baseReading: Reading | undefined,
	gap: boolean
): Comparison {
	if (currentReading?.suppressed || baseReading?.suppressed) {
		return { kind: 'suppressed', period: current, basePeriod };
	}
	if (!hasValue(currentReading) || !hasValue(baseReading)) {
		return { kind: 'missing', period: current, basePeriod };
	}
	const { absolute, percent } = changeBetween(currentReading.value, baseReading.value);
	return {
		kind: 'change',
		period: current,
		basePeriod,
		value: currentReading.value,
		baseValue: baseReading.value,
		absolute: absolute!,
		percent,
		gap
	};
}

/**
 * Change against the immediately preceding period. `period` defaults to the latest reading that
 * has a value or is suppressed. When the preceding period has no value, the latest earlier value
 * stands in (`gap: true`); a suppressed reading on the way stops the search, because skipping it
 * would compare across a value the reader may not see.
 */
export function compareToPreviousPeriod(readings: Reading[], period?: string): Comparison {
	const { current, byPeriod } = locateCurrent(readings, period);
	if (current === null) return { kind: 'missing', period: null, basePeriod: null };
	const preceding = shiftPeriod(current, -1);
	if (preceding === null) return { kind: 'missing', period: current, basePeriod: null };
	const currentReading = byPeriod.get(current);
	if (!currentReading?.suppressed && !hasValue(currentReading)) {
		return { kind: 'missing', period: current, basePeriod: preceding };
	}
	const base = [...byPeriod.values()]
		.filter((r) => r.period < current && (r.suppressed || r.value !== null))
		.sort((a, b) => (a.period < b.period ? 1 : -1))[0];
	if (!base) return compareWith(current, currentReading, preceding, undefined, false);
	return compareWith(current, currentReading, base.period, base, base.period !== preceding);
}

/** Change against the same period a year earlier; no stand-in when that period has no value. */
export function compareToPreviousYear(readings: Reading[], period?: string): Comparison {
	const { current, byPeriod } = locateCurrent(readings, period);
	if (current === null) return { kind: 'missing', period: null, basePeriod: null };
	if (!periodStart(current)) return { kind: 'missing', period: current, basePeriod: null };
	const basePeriod = samePeriodLastYear(current);
	return compareWith(current, byPeriod.get(current), basePeriod, byPeriod.get(basePeriod), false);
}

/** "KW 45/2026 fehlt", "KW 44/2026 und KW 45/2026 fehlen", "KW 42/2026 bis KW 45/2026 fehlen". */
function describeGap(basePeriod: string, period: string): string {
	const first = shiftPeriod(basePeriod, 1);
	const last = shiftPeriod(period, -1);
	if (!first || !last) return '';
	if (first === last) return ` (${formatPeriod(first)} fehlt)`;
	const joiner = shiftPeriod(first, 1) === last ? 'und' : 'bis';
	return ` (${formatPeriod(first)} ${joiner} ${formatPeriod(last)} fehlen)`;
}

export type ComparisonFormat = Pick<
	KpiDefinition,
	'unit' | 'decimals' | 'direction' | 'numberFormat'
>;

/**
 * A comparison in German words, e.g. "+12 Personen (+1,3 %) ggü. 20.11.2026 – schlechter".
 * A change of a percentage is given in percentage points and without a relative change, which
 * readers would confuse with it.
 */
export function describeComparison(c: Comparison, opts: ComparisonFormat): string {
	if (c.kind === 'missing') return 'kein Vergleichswert';
	if (c.kind === 'suppressed') return 'Vergleich unterdrückt (kleine Fallzahl)';
	const points = opts.unit === '%' || opts.numberFormat === 'percent';
	const unitWord = points ? 'Prozentpunkte' : opts.unit;
	const unit = unitWord ? `\u00a0${unitWord}` : '';
	// Judge the trend on the change as shown, so "0" never comes out as "schlechter".
	const shown = Number(c.absolute.toFixed(opts.decimals));
	let relative = '';
	if (!points && shown !== 0) {
		relative =
			c.percent === null
				? ' (Vorwert 0 – keine prozentuale Veränderung)'
				: ` (${formatPercentChange(c.percent)})`;
	}
	const gap = c.gap ? describeGap(c.basePeriod, c.period) : '';
	const trend = TREND_WORDS[trendOf(shown, opts.direction)];
	const amount =
		opts.numberFormat === 'currency'
			? formatChangeWithUnit(c.absolute, opts)
			: `${formatChange(c.absolute, opts.decimals)}${unit}`;
	return `${amount}${relative} ggü. ${formatPeriod(c.basePeriod)}${gap} – ${trend}`;
}
