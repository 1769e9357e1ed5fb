/**
 * Dates as people read them ("2 Dec 2026, 10:42" in British English), in the reader's own locale
 * and time zone through Intl; `locale` and `timeZone` are there for tests and fixed reports.
 */
export type TimeFormatOptions = { locale?: string | undefined; timeZone?: string | undefined };

const dateTime = ({ locale, timeZone }: TimeFormatOptions, parts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat(locale, { ...parts, ...(timeZone ? { timeZone } : {}) });

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };

/** A date and time to the minute; null for a value that is not a date (an ISO string is parsed). */
export function formatDateTime(value: number | string | Date, options: TimeFormatOptions = {}): string | null {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return dateTime(options, { ...DAY, ...CLOCK }).format(date);
}

/**
 * When a remembered value was read, for "as of …": the time alone on the day it was read, the
 * date and time on any later day (a balance from yesterday must not pass for today's).
 */
export function formatReadAt(readAt: number, now: number, options: TimeFormatOptions = {}): string {
  const day = dateTime(options, DAY);
  const sameDay = day.format(readAt) === day.format(now);
  return dateTime(options, sameDay ? CLOCK : { ...DAY, ...CLOCK }).format(readAt);
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When something happened, as people read it: "just now", "5 minutes ago", "3 hours ago" for the
 * last 12 hours, otherwise the date and time. A time ahead of `now` (a devnet whose clock was moved
 * forward) is shown as a date.
 */
export function formatRelativeTime(ms: number, now: number, options: TimeFormatOptions = {}): string {
  const ago = now - ms;
  if (ago >= -MINUTE && ago < MINUTE) return 'just now';
  if (ago > 0 && ago < 12 * HOUR) {
    const relative = new Intl.RelativeTimeFormat(options.locale, { numeric: 'always' });
    return ago < HOUR ? relative.format(-Math.floor(ago / MINUTE), 'minute') : relative.format(-Math.floor(ago / HOUR), 'hour');
  }
  return formatDateTime(ms, options) ?? '';
}
