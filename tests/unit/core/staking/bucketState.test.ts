/**
 * Bucket state and time rules of IoTeX's SystemStaking V3, with every expected value worked out
 * by hand from the contract's rules (seconds; a day is 86,400 s; the freeze is 259,200 s) rather
 * than from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { maxUint256 } from 'viem';
import { bucketStatus, bucketView, ceilToDays, mergeCheck, restakeView, type ActionAvailability, type BlockedBy, type BucketAction, type BucketFields } from '../../../../src/core/staking/bucketState.js';

const DELEGATE = '0x00000000000000000000000000000000000000d1' as const;
const MAX = maxUint256;
const T0 = 1_700_000_000n; // an arbitrary block time
const TEN_DAYS = 864_000n;

const locked: BucketFields = { amount: 10n ** 18n, duration: TEN_DAYS, unlockedAt: MAX, unstakedAt: MAX, delegate: DELEGATE };
// Unlocked at T0: unstake possible at T0 + 864,000 = 1,700,864,000.
const unlocked: BucketFields = { ...locked, unlockedAt: T0 };
// Unstaked at T0: withdraw possible at T0 + 259,200 = 1,700,259,200.
const unstaked: BucketFields = { ...locked, unlockedAt: T0, unstakedAt: T0 };

describe('bucket status at every boundary second', () => {
  it('a locked bucket stays locked whatever the time', () => {
    expect(bucketStatus(locked, T0)).toBe('locked');
    expect(bucketStatus(locked, T0 + 10n ** 9n)).toBe('locked');
  });

  it('an unlocked bucket is unlocking until the second its duration ends, then unstakeable', () => {
    expect(bucketStatus(unlocked, T0)).toBe('unlocking');
    expect(bucketStatus(unlocked, 1_700_863_999n)).toBe('unlocking');
    expect(bucketStatus(unlocked, 1_700_864_000n)).toBe('unstakeable');
    expect(bucketStatus(unlocked, 1_700_864_001n)).toBe('unstakeable');
  });

  it('an unstaked bucket is frozen until the second the freeze ends, then withdrawable', () => {
    expect(bucketStatus(unstaked, T0)).toBe('unstaked');
    expect(bucketStatus(unstaked, 1_700_259_199n)).toBe('unstaked');
    expect(bucketStatus(unstaked, 1_700_259_200n)).toBe('withdrawable');
  });

  it('a zero-day bucket is unstakeable the second it is unlocked', () => {
    expect(bucketStatus({ ...locked, duration: 0n, unlockedAt: T0 }, T0)).toBe('unstakeable');
  });
});

describe('exact times', () => {
  it('locked: no unstake date yet, the whole duration left', () => {
    const view = bucketView(locked, { now: T0 });
    expect(view).toMatchObject({ unlockedAt: null, unstakedAt: null, unstakeAt: null, withdrawAt: null, timeToUnstake: 864_000n, timeToWithdraw: null });
  });

  it('unlocking: unstake at unlock + duration, counting down', () => {
    const view = bucketView(unlocked, { now: T0 + 100n });
    expect(view).toMatchObject({ unlockedAt: T0, unstakeAt: 1_700_864_000n, withdrawAt: null, timeToUnstake: 863_900n, timeToWithdraw: null });
    expect(bucketView(unlocked, { now: 1_700_864_000n }).timeToUnstake).toBe(0n);
    expect(bucketView(unlocked, { now: 1_800_000_000n }).timeToUnstake).toBe(0n);
  });

  it('unstaked: withdraw at unstake + 3 days; no time to unstake (V3 reverts there)', () => {
    const view = bucketView(unstaked, { now: T0 + 1n });
    expect(view).toMatchObject({ unstakedAt: T0, unstakeAt: null, withdrawAt: 1_700_259_200n, timeToUnstake: null, timeToWithdraw: 259_199n });
    expect(bucketView(unstaked, { now: 1_700_259_200n }).timeToWithdraw).toBe(0n);
  });

  it('a contract with another freeze time moves the withdraw date', () => {
    expect(bucketView(unstaked, { now: T0, freezeTime: 7n * 86_400n }).withdrawAt).toBe(T0 + 604_800n);
  });
});

const allowed = (view: { actions: Record<BucketAction, ActionAvailability> }) =>
  Object.entries(view.actions).filter(([, a]) => a.allowed).map(([name]) => name).sort();
const blockedBy = (availability: ActionAvailability): BlockedBy | null => (availability.allowed ? null : availability.blockedBy);

describe('actions per state', () => {
  it('locked: unlock, merge, expand, change delegate, transfer, restake', () => {
    const view = bucketView(locked, { now: T0 });
    expect(allowed(view)).toEqual(['changeDelegate', 'expand', 'merge', 'restake', 'transfer', 'unlock']);
    expect(view.actions.expand).toEqual({ allowed: true, minDuration: 864_000n });
    expect(view.actions.merge).toEqual({ allowed: true, minDuration: 864_000n });
    // Unstake: unlock now, then 10 days. Withdraw: + 3 days freeze.
    expect(view.actions.unstake).toMatchObject({ allowed: false, blockedBy: 'locked', after: 'unlock', possibleAt: 1_700_864_000n });
    expect(view.actions.withdraw).toMatchObject({ allowed: false, blockedBy: 'locked', after: 'unlock', possibleAt: 1_701_123_200n });
    expect(view.actions.lock).toMatchObject({ allowed: false, blockedBy: 'already_locked', possibleAt: null });
  });

  it('unlocking: lock (at least the time left, in whole days), merge, change delegate, transfer', () => {
    // 1 s after the unlock: 863,999 s left -> 10 whole days.
    const early = bucketView(unlocked, { now: T0 + 1n });
    expect(allowed(early)).toEqual(['changeDelegate', 'lock', 'merge', 'transfer']);
    expect(early.actions.lock).toEqual({ allowed: true, minDuration: 864_000n });
    // 1 day and 1 s after the unlock: 777,599 s left -> 9 whole days (777,600 s).
    expect(bucketView(unlocked, { now: T0 + 86_401n }).actions.lock).toEqual({ allowed: true, minDuration: 777_600n });
    // Exactly 1 day after: 777,600 s left -> 9 days exactly.
    expect(bucketView(unlocked, { now: T0 + 86_400n }).actions.merge).toEqual({ allowed: true, minDuration: 777_600n });
    expect(early.actions.unstake).toMatchObject({ allowed: false, blockedBy: 'duration_running', after: null, possibleAt: 1_700_864_000n });
    expect(early.actions.withdraw).toMatchObject({ allowed: false, blockedBy: 'not_unstaked', after: 'unstake', possibleAt: 1_701_123_200n });
    expect(early.actions.unlock).toMatchObject({ allowed: false, blockedBy: 'already_unlocked', possibleAt: null });
    expect(early.actions.expand).toMatchObject({ allowed: false, after: 'lock', possibleAt: T0 + 1n });
    expect(early.actions.restake).toMatchObject({ allowed: false, after: 'lock', possibleAt: T0 + 1n });
  });

  it('unstake turns allowed at the exact second the duration ends', () => {
    expect(bucketView(unlocked, { now: 1_700_863_999n }).actions.unstake.allowed).toBe(false);
    const due = bucketView(unlocked, { now: 1_700_864_000n });
    expect(due.actions.unstake).toEqual({ allowed: true });
    expect(allowed(due)).toEqual(['changeDelegate', 'lock', 'merge', 'transfer', 'unstake']);
    // Nothing left to run: any whole-day duration, even 0, is enough to lock again.
    expect(due.actions.lock).toEqual({ allowed: true, minDuration: 0n });
    // Unstaking now, withdraw after the 3-day freeze.
    expect(due.actions.withdraw).toMatchObject({ after: 'unstake', possibleAt: 1_701_123_200n });
  });

  it('unstaked: only transfer until the freeze ends, then withdraw too', () => {
    const frozen = bucketView(unstaked, { now: 1_700_259_199n });
    expect(allowed(frozen)).toEqual(['transfer']);
    expect(frozen.actions.withdraw).toMatchObject({ allowed: false, blockedBy: 'frozen', after: null, possibleAt: 1_700_259_200n });
    for (const action of ['unlock', 'lock', 'merge', 'expand', 'changeDelegate', 'restake'] as const) {
      expect(frozen.actions[action]).toMatchObject({ allowed: false, blockedBy: 'unstaked', possibleAt: null });
    }
    expect(frozen.actions.unstake).toMatchObject({ allowed: false, blockedBy: 'unstaked' });
    expect(allowed(bucketView(unstaked, { now: 1_700_259_200n }))).toEqual(['transfer', 'withdraw']);
  });

  it('paused: every staking action waits, transfer and restake (an NFT transfer) do not', () => {
    const view = bucketView(locked, { now: T0, paused: true });
    expect(allowed(view)).toEqual(['restake', 'transfer']);
    expect(view.actions.unlock).toMatchObject({ allowed: false, blockedBy: 'paused', possibleAt: null });
  });

  it('a bucket this account does not hold (restaked): nothing', () => {
    const view = bucketView(locked, { now: T0, owned: false });
    expect(allowed(view)).toEqual([]);
    expect(blockedBy(view.actions.transfer)).toBe('not_owner');
  });

  it('every refusal has plain words', () => {
    for (const fields of [locked, unlocked, unstaked]) {
      for (const availability of Object.values(bucketView(fields, { now: T0 }).actions)) {
        if (!availability.allowed) expect(availability.reason.length).toBeGreaterThan(20);
      }
    }
  });
});

describe('merge of several buckets', () => {
  it('needs two or more staked buckets; the new duration covers the longest time left, in whole days', () => {
    expect(mergeCheck([locked], T0)).toMatchObject({ ok: false });
    expect(mergeCheck([locked, unstaked], T0)).toMatchObject({ ok: false });
    // locked: 10 days left; a 20-day locked one: 20 days -> 1,728,000 s.
    expect(mergeCheck([locked, { ...locked, duration: 1_728_000n }], T0)).toEqual({ ok: true, minDuration: 1_728_000n });
    // unlocked 10-day bucket 12 hours later: 820,800 s left -> 10 days; with a 5-day locked one -> 10 days.
    expect(mergeCheck([unlocked, { ...locked, duration: 432_000n }], T0 + 43_200n)).toEqual({ ok: true, minDuration: 864_000n });
  });

  it('rounds seconds up to whole days', () => {
    expect(ceilToDays(0n)).toBe(0n);
    expect(ceilToDays(1n)).toBe(86_400n);
    expect(ceilToDays(86_400n)).toBe(86_400n);
    expect(ceilToDays(86_401n)).toBe(172_800n);
  });
});

describe('restake state (MSP BucketStrategy reads)', () => {
  it('restaked: unstake allowed, withdraw needs the unstake first', () => {
    const view = restakeView({ stakeStatus: 1, unstakeTime: 0n, withdrawTime: null }, T0);
    expect(view).toMatchObject({ status: 'restaked', unstakedAt: null, withdrawAt: null });
    expect(view!.actions.unstake).toEqual({ allowed: true });
    expect(view!.actions.withdraw).toMatchObject({ allowed: false, after: 'unstake' });
  });

  it('unstaked from the strategy: frozen until withdrawTime, withdrawable from that second', () => {
    // Unstaked at T0 with MSP's 7-day freeze: withdrawTime = T0 + 604,800 = 1,700,604,800.
    const fields = { stakeStatus: 2, unstakeTime: T0, withdrawTime: 1_700_604_800n };
    expect(restakeView(fields, 1_700_604_799n)).toMatchObject({ status: 'unstaking', unstakedAt: T0, withdrawAt: 1_700_604_800n });
    expect(restakeView(fields, 1_700_604_799n)!.actions.withdraw).toMatchObject({ allowed: false, blockedBy: 'frozen', possibleAt: 1_700_604_800n });
    expect(restakeView(fields, 1_700_604_800n)).toMatchObject({ status: 'withdrawable', actions: { withdraw: { allowed: true } } });
  });

  it('a bucket the strategy no longer holds is no restake', () => {
    expect(restakeView({ stakeStatus: 0, unstakeTime: 0n, withdrawTime: null }, T0)).toBeNull();
  });
});
