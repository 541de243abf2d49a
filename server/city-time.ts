/**
 * The city's calendar: days in Europe/Berlin, whatever the server's own time zone. The audit
 * filters, feed runs and the lateness of KPIs are all judged by the day in the city.
 */
export const CITY_TIME_ZONE = 'Europe/Berlin';

const cityDay = new Intl.DateTimeFormat('en-CA', {
	timeZone: CITY_TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit'
});

/** The calendar day in the city (ISO date) at an instant. */
export function cityDayOf(instant: Date | string): string {
	return cityDay.format(typeof instant === 'string' ? new Date(instant) : instant);
}

const zoneParts = new Intl.DateTimeFormat('en-US', {
	timeZone: CITY_TIME_ZONE,
	hourCycle: 'h23',
	year: 'numeric',
	month: 'numeric',
	day: 'numeric',
	hour: 'numeric',
	minute: 'numeric',
	second: 'numeric'
});

/** How far the city's clock is ahead of UTC at the instant, in milliseconds. */
function cityOffset(instant: number): number {
	const part = (type: Intl.DateTimeFormatPartTypes) =>
		Number(zoneParts.formatToParts(instant).find((p) => p.type === type)!.value);
	const local = Date.UTC(
		part('year'),
		part('month') - 1,
		part('day'),
		part('hour'),
		part('minute'),
		part('second')
	);
	return local - Math.floor(instant / 1000) * 1000;
}

/** The instant the city's day begins, as the ISO string the log stores; `days` shifts the day. */
export function cityDayStart(isoDay: string, days = 0): string {
	const [year, month, day] = isoDay.split('-').map(Number) as [number, number, number];
	const midnight = Date.UTC(year, month - 1, day + days);
	// Clocks change at night but never at midnight, so the offset of the evening before holds.
	return new Date(midnight - cityOffset(midnight - 12 * 3600_000)).toISOString();
}

/** Noon of a day in the city: an instant safely inside that day, whatever the server's zone. */
export function cityNoon(isoDay: string): Date {
	return new Date(new Date(cityDayStart(isoDay)).getTime() + 12 * 3600_000);
}
