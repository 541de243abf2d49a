import { setHours, setMinutes, subDays } from 'date-fns';
import iconv from 'iconv-lite';
import { GESUNDHEIT_KPI } from '#server/db/demo/ids/gesundheit';
import type { FeedDefinitionInput } from '#shared/feeds';
import { toIsoDate } from '#shared/periods';
import type { GeneratedObservation } from '#server/db/demo/rows';
import type { DemoDelivery } from './types';

export const HEALTH_KPIS: string[] = [GESUNDHEIT_KPI.incidence7d];

export const HEALTH_FEED: FeedDefinitionInput = {
	id: 'gesundheitsamt-inzidenz',
	title: 'Gesundheitsamt: Sieben-Tage-Inzidenz',
	description:
		'Wöchentlicher Export der Meldesoftware nach IfSG (SurvNet) für den Warnmelder: die Sieben-Tage-Inzidenz je Meldedatum, mit den letzten vier Wochen, weil Nachmeldungen die Werte der letzten Tage noch erhöhen. JSON, die Tageswerte unter "daten".',
	owner: {
		department: 'Gesundheitsamt',
		contact: 'Abteilung Infektionsschutz',
		email: 'gesundheitsamt@stadt.example'
	},
	source: { format: 'json', records: 'array', path: 'daten' },
	mapping: {
		period: { column: 'meldedatum', format: 'YYYY-MM-DD' },
		values: [{ column: 'inzidenz_7t', kpi: { fixed: GESUNDHEIT_KPI.incidence7d } }]
	},
	cadence: 'weekly',
	graceDays: 2,
	// A day the software could not compute comes as "k. A."; the next delivery brings it.
	maxRejectedRows: 5
};

const SOURCE =
	'Gesundheitsamt, Abteilung Infektionsschutz – Meldesoftware nach IfSG (SurvNet), Export für den Warnmelder';

/** One day of the export; a string where the software wrote text instead of a number. */
export interface IncidenceDay {
	meldedatum: string;
	inzidenz_7t: number | string;
}

/**
 * The health office's export: a small JSON document with its source, the time it was made
 * and the days. A file saved from the wrong program comes in Windows-1252 instead of UTF-8.
 */
export function healthExport(
	days: readonly IncidenceDay[],
	stand: Date,
	encoding: 'utf-8' | 'windows-1252' = 'utf-8'
): Buffer {
	const text = `${JSON.stringify({ quelle: SOURCE, stand: stand.toISOString(), daten: days }, null, 2)}\n`;
	return encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, 'windows-1252');
}

/** Deliveries in the demo's history: once a week for twelve weeks, the last one today. */
export const HEALTH_WEEKS = 12;
/** Days each weekly delivery repeats, so that late reports reach the days already sent. */
const WINDOW_DAYS = 28;
/** Late reports still to come, by days before the export's last day (0 = the last day). */
const LATE_REPORT_SHARE = [0.09, 0.06, 0.03];
/** Weeks ago of the delivery with two days "k. A.", and of the one in the wrong encoding. */
export const REJECTING_WEEKS_AGO = 5;
export const FAILING_WEEKS_AGO = 3;
const NOT_AVAILABLE = 'k. A.';

/**
 * The health feed's deliveries, oldest first: the first one brings the whole history, each
 * later one the last four weeks up to the day before it arrived, its last days still short
 * of the late reports (a later delivery brings the full values). The delivery today carries
 * exactly the generator's values, so after all of them every day holds its generated value.
 */
export function healthDeliveries(
	rows: readonly GeneratedObservation[],
	today: Date
): DemoDelivery[] {
	const series = rows
		.filter((r) => r.kpiId === GESUNDHEIT_KPI.incidence7d)
		.map((r) => ({ day: r.period, value: r.value }))
		.sort((a, b) => a.day.localeCompare(b.day));
	const deliveries: DemoDelivery[] = [];
	for (let weeksAgo = HEALTH_WEEKS - 1; weeksAgo >= 0; weeksAgo--) {
		const deliveredOn = subDays(today, 7 * weeksAgo);
		const deliveredAt = weeksAgo === 0 ? today : setMinutes(setHours(deliveredOn, 7), 30);
		const lastDay = toIsoDate(subDays(deliveredOn, 1));
		const before =
			weeksAgo === HEALTH_WEEKS - 1 ? '' : toIsoDate(subDays(deliveredOn, WINDOW_DAYS + 1));
		const window = series.filter((d) => d.day > before && d.day <= lastDay);
		const days: IncidenceDay[] = window.map((d, i) => {
			const daysBeforeLast = window.length - 1 - i;
			if (weeksAgo === REJECTING_WEEKS_AGO && (daysBeforeLast === 4 || daysBeforeLast === 5))
				return { meldedatum: d.day, inzidenz_7t: NOT_AVAILABLE };
			const late = weeksAgo === 0 ? 0 : (LATE_REPORT_SHARE[daysBeforeLast] ?? 0);
			const value = late ? Math.round(d.value * (1 - late) * 10) / 10 : d.value;
			return { meldedatum: d.day, inzidenz_7t: value };
		});
		const failing = weeksAgo === FAILING_WEEKS_AGO;
		deliveries.push({
			feedId: HEALTH_FEED.id,
			fileName: `warnmelder_${toIsoDate(deliveredOn)}.json`,
			bytes: healthExport(days, deliveredAt, failing ? 'windows-1252' : 'utf-8'),
			deliveredAt,
			current: weeksAgo === 0,
			expected: failing
				? { status: 'failed', rowsRejected: 0 }
				: {
						status: 'succeeded',
						rowsRejected: weeksAgo === REJECTING_WEEKS_AGO ? 2 : 0
					}
		});
	}
	return deliveries;
}
