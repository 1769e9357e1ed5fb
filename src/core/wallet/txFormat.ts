import { formatUnits } from 'viem';

const IOTX_DECIMALS = 18;

/**
 * An IOTX amount (wei) rounded to `significant` significant digits, half up, trailing zeros
 * dropped: fees are tiny and an 18-decimal figure says nothing to a person. Whole IOTX are never
 * cut (12345.678 at 3 digits is "12346": every integer digit stays).
 */
export function formatIotxSignificant(wei: bigint, significant = 3): string {
  if (wei < 0n) return `-${formatIotxSignificant(-wei, significant)}`;
  if (wei === 0n) return '0';
  const digits = wei.toString().length;
  // Below 1 IOTX the first significant digit sits (18 - digits + 1) places after the point.
  const decimals = Math.min(IOTX_DECIMALS, digits > IOTX_DECIMALS ? Math.max(0, significant - (digits - IOTX_DECIMALS)) : IOTX_DECIMALS - digits + significant);
  const scale = 10n ** BigInt(IOTX_DECIMALS - decimals);
  const rounded = scale === 1n ? wei : (wei + scale / 2n) / scale;
  const text = formatUnits(rounded, decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

export type TimeFormatOptions = { now: number; locale?: string | undefined; timeZone?: string | undefined };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * When a transaction happened, as people read it: "just now", "5 minutes ago", "3 hours ago" for
 * the last 12 hours, otherwise the date and time in the reader's locale ("Dec 2, 2026, 9:05 AM").
 * A time ahead of the clock (a devnet whose time was moved forward) is shown as a date.
 */
export function formatTxTime(ms: number, { now, locale, timeZone }: TimeFormatOptions): string {
  const ago = now - ms;
  if (ago >= -MINUTE && ago < MINUTE) return 'just now';
  if (ago > 0 && ago < 12 * HOUR) {
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
    return ago < HOUR ? relative.format(-Math.floor(ago / MINUTE), 'minute') : relative.format(-Math.floor(ago / HOUR), 'hour');
  }
  return formatTxDate(ms, { locale, timeZone });
}

/** The full date and time, for a tooltip next to a relative time. */
export function formatTxDate(ms: number, { locale, timeZone }: { locale?: string | undefined; timeZone?: string | undefined } = {}): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(ms);
}
