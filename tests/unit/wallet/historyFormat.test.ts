/**
 * History's figures as people read them: fees in IOTX to a few significant digits, times as
 * "2 minutes ago" or a date. Every expected string below was worked out by hand from the input.
 */
import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from '../../../src/core/humanTime.js';
import { formatIotxSignificant } from '../../../src/core/wallet/amount.js';

describe('formatIotxSignificant', () => {
  it('rounds a transfer fee to three significant digits', () => {
    // 21000 gas × 1.875 gwei = 39 375 000 000 000 wei = 0.000039375 IOTX → 0.0000394 (half up).
    expect(formatIotxSignificant(21_000n * 1_875_000_000n)).toBe('0.0000394');
    // 21000 gas × 1 gwei = 0.000021 IOTX: the trailing zero of 0.0000210 is dropped.
    expect(formatIotxSignificant(21_000n * 1_000_000_000n)).toBe('0.000021');
    // 0.0000125 at two digits: half rounds up to 0.000013.
    expect(formatIotxSignificant(12_500_000_000_000n, 2)).toBe('0.000013');
    // 123 456 789 wei = 0.000000000123456789 IOTX → 0.000000000123.
    expect(formatIotxSignificant(123_456_789n)).toBe('0.000000000123');
  });

  it('keeps whole IOTX and carries a rounding into the next digit', () => {
    expect(formatIotxSignificant(1_500_000_000_000_000_000n)).toBe('1.5');
    // 12 345.678 IOTX has five integer digits: none is cut, the fraction rounds away.
    expect(formatIotxSignificant(12_345_678_000_000_000_000_000n)).toBe('12346');
    // 0.9996 → 1.000 at three digits → "1".
    expect(formatIotxSignificant(999_600_000_000_000_000n)).toBe('1');
  });

  it('shows zero, one wei and a negative amount', () => {
    expect(formatIotxSignificant(0n)).toBe('0');
    expect(formatIotxSignificant(1n)).toBe('0.000000000000000001');
    expect(formatIotxSignificant(-21_000n * 1_000_000_000n)).toBe('-0.000021');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 11, 2, 12, 0, 0);
  const options = { locale: 'en-US', timeZone: 'UTC' };
  // ICU puts a narrow no-break space before AM/PM in recent versions; the words are what is checked.
  const plain = (text: string) => text.replace(/\s/g, ' ');

  it('is relative for the last twelve hours', () => {
    expect(formatRelativeTime(now - 30_000, now, options)).toBe('just now');
    expect(formatRelativeTime(now - 90_000, now, options)).toBe('1 minute ago');
    expect(formatRelativeTime(now - 2 * 60_000, now, options)).toBe('2 minutes ago');
    expect(formatRelativeTime(now - 3 * 3_600_000 - 59 * 60_000, now, options)).toBe('3 hours ago');
  });

  it('is a date and time after that, and for a time ahead of the clock', () => {
    // 13 hours before Dec 2, 12:00 UTC is Dec 1, 23:00.
    expect(plain(formatRelativeTime(now - 13 * 3_600_000, now, options))).toBe('Dec 1, 2026, 11:00 PM');
    // A devnet whose clock was moved two days ahead.
    expect(plain(formatRelativeTime(now + 2 * 86_400_000, now, options))).toBe('Dec 4, 2026, 12:00 PM');
  });
});
