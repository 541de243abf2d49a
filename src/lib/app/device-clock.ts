import { toIsoDate } from '#shared/periods';

/**
 * The phone's clock, read in one place: the day a form's dates are judged by and the time a
 * draft or entry is stamped with. The server judges again on its own clock.
 */
export const deviceToday = (): string => toIsoDate(new Date());
export const deviceNow = (): string => new Date().toISOString();
