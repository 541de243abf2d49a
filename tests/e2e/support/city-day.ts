import { cityDayOf } from '#server/city-time';
import { shiftPeriod } from '#shared/periods';

/**
 * Today in the city (Europe/Berlin), as the server seeds its demo data and the phone (set to
 * the city's time zone) sees the calendar. The machine's own day can be a day behind: from
 * 23:00 UTC (22:00 in summer) it is already tomorrow in the city.
 */
export function cityToday(): string {
	return cityDayOf(new Date());
}

/** The city's day `days` days before today. */
export function cityDaysAgo(days: number): string {
	return shiftPeriod(cityToday(), -days)!;
}
