/** The staking forms' input checks and the timeline's bars (src/app/sections/staking), with hand-worked expectations. */
import { describe, expect, it } from 'vitest';
import { maxUint256, parseEther, zeroAddress, type Address } from 'viem';
import { bucketView } from '../../../../src/core/staking/bucketState.js';
import { parseAddAmount, parseDays, parseRecipient, parseStakeAmount, requireDelegate, requireSelection } from '../../../../src/app/sections/staking/formInput.js';
import { timelineRows, timelineSpan } from '../../../../src/app/sections/staking/timeline.js';

const DAY = 86_400n;
const MAX = 1_095n * DAY;
const SELF: Address = '0x1111111111111111111111111111111111111111';
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('staking form input', () => {
  it('takes whole days from 0 to the contract maximum, and names what is wrong otherwise', () => {
    expect(parseDays(' 30 ', { maxSeconds: MAX })).toBe(30);
    expect(parseDays('0', { maxSeconds: MAX })).toBe(0);
    expect(parseDays('1095', { maxSeconds: MAX })).toBe(1095);
    expect(codeOf(() => parseDays('1096', { maxSeconds: MAX }))).toBe('staking.duration_invalid');
    expect(codeOf(() => parseDays('1.5', { maxSeconds: MAX }))).toBe('staking.duration_invalid');
    expect(codeOf(() => parseDays('', { maxSeconds: MAX }))).toBe('staking.duration_invalid');
    expect(() => parseDays('1096', { maxSeconds: MAX })).toThrow('Enter 0 to 1,095 days.');
  });

  it('refuses a stake below the minimum or above the balance, saying the limit', () => {
    expect(parseStakeAmount('2.5', { minAmount: parseEther('1'), balance: parseEther('10') })).toBe(parseEther('2.5'));
    expect(parseStakeAmount('1', { minAmount: parseEther('1'), balance: null })).toBe(parseEther('1'));
    expect(codeOf(() => parseStakeAmount('0.5', { minAmount: parseEther('1'), balance: parseEther('10') }))).toBe('staking.amount_below_minimum');
    expect(() => parseStakeAmount('0.5', { minAmount: parseEther('1'), balance: parseEther('10') })).toThrow('The minimum stake is 1 IOTX on this network.');
    expect(codeOf(() => parseStakeAmount('11', { minAmount: parseEther('1'), balance: parseEther('10') }))).toBe('staking.amount_above_balance');
    expect(codeOf(() => parseStakeAmount('abc', { minAmount: parseEther('1'), balance: null }))).toBe('wallet.amount_not_a_number');
  });

  it('reads optional amounts, recipients (empty: the account) and selections', () => {
    expect(parseAddAmount('  ')).toBe(0n);
    expect(parseAddAmount('1')).toBe(parseEther('1'));
    expect(parseRecipient('', SELF)).toBe(SELF);
    expect(parseRecipient(' 0x2222222222222222222222222222222222222222 ', SELF)).toBe('0x2222222222222222222222222222222222222222');
    expect(codeOf(() => parseRecipient('hello', SELF))).toMatch(/^address\./);
    expect(codeOf(() => requireDelegate(null))).toBe('staking.delegate_missing');
    expect(requireDelegate(SELF)).toBe(SELF);
    expect(codeOf(() => requireSelection([1n], { atLeast: 2, what: 'merge' }))).toBe('staking.selection_invalid');
    expect(requireSelection([1n, 2n], { atLeast: 2, what: 'merge' })).toEqual([1n, 2n]);
  });
});

describe('the buckets timeline', () => {
  const NOW = 1_800_000_000n;
  const bucket = (id: bigint, unlockedAt: bigint, unstakedAt: bigint, duration = 2n * DAY) => {
    const fields = { amount: 1n, duration, unlockedAt, unstakedAt, delegate: zeroAddress };
    return { id, fields, view: bucketView(fields, { now: NOW }) };
  };

  it('draws each bucket from its duration to its freeze, dashed where it waits on the person', () => {
    const rows = timelineRows([
      bucket(1n, maxUint256, maxUint256),
      bucket(2n, NOW - DAY, maxUint256),
      bucket(3n, NOW - 100n, NOW - 100n),
      bucket(4n, NOW - 4n * DAY, NOW - 4n * DAY),
    ], NOW);
    // Locked: the 2 days would run from now, then the 3-day freeze; both projected.
    expect(rows[0]).toEqual({ id: 1n, ready: null, segments: [
      { kind: 'duration', from: NOW, to: NOW + 2n * DAY, projected: true },
      { kind: 'freeze', from: NOW + 2n * DAY, to: NOW + 5n * DAY, projected: true },
    ] });
    // Unlocking since a day ago: a day left to run, then the freeze if unstaked on time.
    expect(rows[1]).toEqual({ id: 2n, ready: null, segments: [
      { kind: 'duration', from: NOW - DAY, to: NOW + DAY, projected: false },
      { kind: 'freeze', from: NOW + DAY, to: NOW + 4n * DAY, projected: true },
    ] });
    expect(rows[2]).toEqual({ id: 3n, ready: null, segments: [{ kind: 'freeze', from: NOW - 100n, to: NOW - 100n + 3n * DAY, projected: false }] });
    expect(rows[3]!.ready).toBe('withdraw');
    expect(timelineSpan(rows, NOW)).toEqual({ start: NOW - 4n * DAY, end: NOW + 5n * DAY + DAY });
  });
});
