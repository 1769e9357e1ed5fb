import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleLock } from '../../../src/core/wallet/autoLock.js';

afterEach(() => vi.useRealTimers());

describe('auto-lock', () => {
  it('locks once after the chosen idle minutes, and activity restarts the countdown', () => {
    vi.useFakeTimers();
    let locks = 0;
    const idle = new IdleLock(5, () => locks++);
    idle.touch();
    vi.advanceTimersByTime(4 * 60_000);
    idle.touch();
    vi.advanceTimersByTime(4 * 60_000);
    expect(locks).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(locks).toBe(1);
    idle.setMinutes(1);
    idle.touch();
    vi.advanceTimersByTime(60_000);
    expect(locks).toBe(2);
    expect(() => idle.setMinutes(0)).toThrow(RangeError);
  });
});
