/** The staking screens' words for times, states and refusals (src/app/sections/staking/bucketText.ts), worked out by hand. */
import { describe, expect, it } from 'vitest';
import { maxUint256, zeroAddress } from 'viem';
import { bucketView } from '../../../../src/core/staking/bucketState.js';
import { countdownWords, durationWords, nextTime, refusalWords, scanWords, statusWords, untilWords } from '../../../../src/app/sections/staking/bucketText.js';

const UTC = { locale: 'en-GB', timeZone: 'UTC' };
const DAY = 86_400n;
// 2 Dec 2026, 10:00:00 UTC
const NOW = BigInt(Date.UTC(2026, 11, 2, 10, 0, 0) / 1000);

describe('staking words', () => {
  it('counts down in days, hours, minutes and seconds, and says "now" once the time has come', () => {
    expect(countdownWords(2n * DAY + 3n * 3600n + 4n * 60n + 5n)).toBe('2 d 03 h 04 min 05 s');
    expect(countdownWords(3600n)).toBe('1 h 00 min 00 s');
    expect(countdownWords(61n)).toBe('1 min 01 s');
    expect(countdownWords(5n)).toBe('5 s');
    expect(countdownWords(0n)).toBe('0 s');
    expect(untilWords(NOW + 90n, NOW)).toBe('in 1 min 30 s');
    expect(untilWords(NOW, NOW)).toBe('now');
    expect(untilWords(NOW - 1n, NOW)).toBe('now');
  });

  it('names durations in days, singular and plural, with thousands separated', () => {
    expect(durationWords(DAY)).toBe('1 day');
    expect(durationWords(1_095n * DAY)).toBe('1,095 days');
    expect(durationWords(0n)).toBe('0 days');
    expect(durationWords(DAY + 1n)).toBe('1 d 00 h 00 min 01 s');
  });

  it('gives the next exact time only while time is what the bucket waits for', () => {
    const unlockedAt = NOW - 3600n;
    const unlocking = bucketView({ amount: 1n, duration: 7n * DAY, unlockedAt, unstakedAt: maxUint256, delegate: zeroAddress }, { now: NOW });
    const next = nextTime(unlocking, NOW);
    expect(next?.label).toBe('Can be unstaked');
    expect(next?.at).toBe(unlockedAt + 7n * DAY);
    expect(next?.until).toBe('in 6 d 23 h 00 min 00 s');
    const locked = bucketView({ amount: 1n, duration: 7n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: zeroAddress }, { now: NOW });
    expect(nextTime(locked, NOW)).toBeNull();
    const frozen = bucketView({ amount: 1n, duration: 7n * DAY, unlockedAt: NOW - 10n, unstakedAt: NOW - 10n, delegate: zeroAddress }, { now: NOW });
    expect(nextTime(frozen, NOW)?.label).toBe('Can be withdrawn');
    expect(nextTime(frozen, NOW)?.at).toBe(NOW - 10n + 3n * DAY);
    expect(statusWords(frozen.status)).toBe('Unstaked (in the freeze)');
  });

  it('says why an action is refused and from when, with the step that must come first', () => {
    const locked = bucketView({ amount: 1n, duration: 2n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: zeroAddress }, { now: NOW });
    const unstake = refusalWords(locked.actions.unstake, NOW, UTC);
    expect(unstake?.reason).toBe('The bucket is locked: unlock it first; its duration then has to run out.');
    // Now + 2 days = 4 Dec 2026, 10:00 UTC.
    expect(unstake?.when).toBe('Possible from 4 Dec 2026, 10:00 (in 2 d 00 h 00 min 00 s), if you unlock it now.');
    expect(refusalWords(locked.actions.unlock, NOW, UTC)).toBeNull();
    // Never by waiting: no date.
    expect(refusalWords(locked.actions.lock, NOW, UTC)).toEqual({ reason: 'The bucket is already locked.', when: null });
    const frozen = bucketView({ amount: 1n, duration: DAY, unlockedAt: NOW - 60n, unstakedAt: NOW - 60n, delegate: zeroAddress }, { now: NOW });
    // Unstaked a minute ago: the freeze ends 3 days after, 5 Dec 2026, 09:59 UTC.
    expect(refusalWords(frozen.actions.withdraw, NOW, UTC)?.when).toBe('Possible from 5 Dec 2026, 09:59 (in 2 d 23 h 59 min 00 s).');
  });

  it('reports the scan in blocks', () => {
    expect(scanWords({ blocksDone: 12_000n, blocksTotal: 48_000n })).toBe('Scanning blocks 12,000 of 48,000');
  });
});
