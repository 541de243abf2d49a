import { cityDayOf } from './city-time';

/**
 * The server's one clock. Only the entry points read it – the tRPC context of a request, the
 * upload route, the command-line tools – and pass the instant down; no server function reads
 * the machine's time on its own. A test pins one clock for everything it calls, so a pinned
 * seed day is never judged against the real date.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that always answers the same instant. */
export function fixedClock(instant: Date | string): Clock {
	const at = new Date(instant).getTime();
	if (Number.isNaN(at)) throw new Error(`Not an instant: ${String(instant)}`);
	return () => new Date(at);
}

/**
 * The city's calendar day at an instant, as a Date at local midnight of that day: the form the
 * period maths (date-fns) expects. On a server in UTC, 23:30 on 31 December is already
 * 1 January in the city, and that is the day that counts.
 */
export function cityToday(now: Date): Date {
	const [year, month, day] = cityDayOf(now).split('-').map(Number) as [number, number, number];
	return new Date(year, month - 1, day);
}
