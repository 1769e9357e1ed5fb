/** Dates in Settings and a balance's "as of" read as people write them, not as ISO strings (issue 14). */
import { describe, expect, it } from 'vitest';
import { formatDateTime, formatReadAt } from '../../../src/core/humanTime.js';

const BRITISH_UTC = { locale: 'en-GB', timeZone: 'UTC' };

describe('human dates', () => {
  it('writes an ISO timestamp as day, short month, year and time to the minute', () => {
    expect(formatDateTime('2026-12-02T10:42:31.123Z', BRITISH_UTC)).toBe('2 Dec 2026, 10:42');
    expect(formatDateTime(Date.UTC(2027, 0, 15, 7, 5), BRITISH_UTC)).toBe('15 Jan 2027, 07:05');
    // The reader's time zone, not UTC's.
    expect(formatDateTime('2026-12-02T23:30:00Z', { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('3 Dec 2026, 08:30');
  });

  it('answers null for something that is not a date instead of "Invalid Date"', () => {
    expect(formatDateTime('not a date', BRITISH_UTC)).toBeNull();
  });

  it('says "as of" with the time alone on the same day, and with the date on a later one', () => {
    const readAt = Date.UTC(2026, 11, 2, 10, 42);
    expect(formatReadAt(readAt, Date.UTC(2026, 11, 2, 18, 0), BRITISH_UTC)).toBe('10:42');
    expect(formatReadAt(readAt, Date.UTC(2026, 11, 3, 0, 1), BRITISH_UTC)).toBe('2 Dec 2026, 10:42');
    // Same instant, but in Tokyo the two are on different days.
    expect(formatReadAt(Date.UTC(2026, 11, 2, 14, 0), Date.UTC(2026, 11, 2, 16, 0), { locale: 'en-GB', timeZone: 'Asia/Tokyo' })).toBe('2 Dec 2026, 23:00');
  });
});
