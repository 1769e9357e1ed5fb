/**
 * The staking actions' pure parts: checkStakingAction's refusals (each code, the bucket it names
 * and the date it gives, worked out by hand from V3's rules: a day is 86,400 s, the freeze
 * 259,200 s), the titles and step labels, and a job rebuilt from its stored record (params are
 * plain data). The chain side runs in tests/contracts/stakingActions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { getAddress, maxUint256, parseEther, type Address } from 'viem';
import type { JobRecord } from '../../../../src/core/jobs/index.js';
import { OutpostError } from '../../../../src/core/errors.js';
import { formatDateTime } from '../../../../src/core/humanTime.js';
import { bucketView, type BucketFields, type BucketView } from '../../../../src/core/staking/bucketState.js';
import {
  checkStakingAction,
  rebuildStakingJob,
  STAKING_JOB_KIND,
  StakingActionRefusedError,
  stakingJob,
  type StakingAction,
  type StakingJobContext,
} from '../../../../src/core/staking/actions.js';

const MAX = maxUint256;
const DAY = 86_400n;
const T0 = 1_700_000_000n;
const D1 = '0x00000000000000000000000000000000000000d1' as Address;
const D2 = '0x00000000000000000000000000000000000000d2' as Address;
// Titles show addresses checksummed (EIP-55): 0xb0b0…0b0b reads 0xb0B0…0B0B, …00d1 reads …00D1.
const ALICE = '0xA11CE00000000000000000000000000000000001' as Address;
const BOB = '0xB0B0000000000000000000000000000000000b0b' as Address;
const ctx: StakingJobContext = { account: ALICE, chainId: 31337, systemStaking: '0x5157000000000000000000000000000000005157' };

// 10 IOTX, 10 days (864,000 s).
const lockedFields: BucketFields = { amount: parseEther('10'), duration: 10n * DAY, unlockedAt: MAX, unstakedAt: MAX, delegate: D1 };
type Listed = { id: bigint; fields: BucketFields; view: BucketView };
const listed = (id: bigint, fields: BucketFields, now = T0, context: { paused?: boolean; owned?: boolean } = {}): Listed => ({ id, fields, view: bucketView(fields, { now, ...context }) });

/** Runs the check and returns the refusal (fails the test when nothing is refused). */
function refusal(action: StakingAction, buckets: Listed[], now = T0): StakingActionRefusedError {
  try {
    checkStakingAction(action, buckets, now);
  } catch (error) {
    expect(error).toBeInstanceOf(StakingActionRefusedError);
    expect(error).toBeInstanceOf(OutpostError);
    return error as StakingActionRefusedError;
  }
  throw new Error(`${action.kind} was not refused`);
}
const dateOf = (seconds: bigint) => formatDateTime(Number(seconds) * 1000)!;

describe('checkStakingAction: refusals name the bucket, the reason and the date', () => {
  it('staking.bucket_locked: unstaking a locked bucket; possible 10 days after an unlock now (T0 + 864,000)', () => {
    const error = refusal({ kind: 'unstake', ids: [3n] }, [listed(3n, lockedFields)]);
    expect(error).toMatchObject({ code: 'staking.bucket_locked', bucket: 3n, possibleAt: 1_700_864_000n, after: 'unlock' });
    expect(error.shortMessage).toContain('Bucket #3');
    expect(error.shortMessage).toContain(`Possible from ${dateOf(1_700_864_000n)} if you unlock it now.`);
  });

  it('staking.duration_running: unstaking while the duration runs; possible at unlock + 10 days', () => {
    // Unlocked at T0, looked at one day later: unstake at T0 + 864,000 = 1,700,864,000.
    const unlocked = { ...lockedFields, unlockedAt: T0 };
    const error = refusal({ kind: 'unstake', ids: [4n] }, [listed(4n, unlocked, T0 + DAY)], T0 + DAY);
    expect(error).toMatchObject({ code: 'staking.duration_running', bucket: 4n, possibleAt: 1_700_864_000n, after: null });
    expect(error.shortMessage).toContain(`Possible from ${dateOf(1_700_864_000n)}.`);
  });

  it('staking.not_unstaked: withdrawing an unlocking bucket; possible at unstake date + 3 days (1,700,864,000 + 259,200)', () => {
    const unlocked = { ...lockedFields, unlockedAt: T0 };
    const error = refusal({ kind: 'withdraw', ids: [5n], recipient: ALICE }, [listed(5n, unlocked)]);
    expect(error).toMatchObject({ code: 'staking.not_unstaked', bucket: 5n, possibleAt: 1_701_123_200n, after: 'unstake' });
  });

  it('staking.frozen: withdrawing in the freeze; possible at unstake + 259,200', () => {
    const unstaked = { ...lockedFields, unlockedAt: T0, unstakedAt: T0 };
    const error = refusal({ kind: 'withdraw', ids: [6n], recipient: ALICE }, [listed(6n, unstaked, T0 + 1n)], T0 + 1n);
    expect(error).toMatchObject({ code: 'staking.frozen', bucket: 6n, possibleAt: 1_700_259_200n });
  });

  it('the first refused bucket of several is the one named', () => {
    const ready = { ...lockedFields, unlockedAt: T0 - 20n * DAY, unstakedAt: T0 - 4n * DAY };
    const frozen = { ...lockedFields, unlockedAt: T0, unstakedAt: T0 };
    const error = refusal({ kind: 'withdraw', ids: [1n, 2n], recipient: ALICE }, [listed(1n, ready), listed(2n, frozen)]);
    expect(error).toMatchObject({ code: 'staking.frozen', bucket: 2n, possibleAt: 1_700_259_200n });
  });

  it('refusals that waiting does not lift carry no date', () => {
    const unstaked = { ...lockedFields, unlockedAt: T0, unstakedAt: T0 };
    const unlocked = { ...lockedFields, unlockedAt: T0 };
    const cases: [StakingAction, Listed[], string][] = [
      [{ kind: 'unlock', ids: [1n] }, [listed(1n, lockedFields, T0, { paused: true })], 'staking.paused'],
      [{ kind: 'unlock', ids: [1n] }, [listed(1n, lockedFields, T0, { owned: false })], 'staking.not_owner'],
      [{ kind: 'lock', ids: [1n], durationDays: 10 }, [listed(1n, lockedFields)], 'staking.already_locked'],
      [{ kind: 'unlock', ids: [1n] }, [listed(1n, unlocked)], 'staking.already_unlocked'],
      [{ kind: 'changeDelegate', ids: [1n], delegate: D2 }, [listed(1n, unstaked)], 'staking.unstaked'],
    ];
    for (const [action, buckets, code] of cases) {
      const error = refusal(action, buckets);
      expect(error.code).toBe(code);
      expect(error.bucket).toBe(1n);
      expect(error.possibleAt).toBeNull();
      expect(error.shortMessage).not.toContain('Possible from');
      expect(error.hint).toBeTruthy();
    }
  });

  it('staking.duration_too_short: lock for less than the time left; possible once the time left fits', () => {
    // Unlocked at T0, now T0 + 1 day: 9 days (777,600 s) left → at least 9 days. 5 days fit from
    // unstakeAt − 5 days = 1,700,864,000 − 432,000 = 1,700,432,000.
    const unlocked = { ...lockedFields, unlockedAt: T0 };
    const error = refusal({ kind: 'lock', ids: [7n], durationDays: 5 }, [listed(7n, unlocked, T0 + DAY)], T0 + DAY);
    expect(error).toMatchObject({ code: 'staking.duration_too_short', bucket: 7n, possibleAt: 1_700_432_000n });
    expect(error.shortMessage).toContain('at least 9 days');
    // 9 days is enough.
    expect(() => checkStakingAction({ kind: 'lock', ids: [7n], durationDays: 9 }, [listed(7n, unlocked, T0 + DAY)], T0 + DAY)).not.toThrow();
  });

  it('staking.duration_too_short: expand below the stored duration (10 days), no date', () => {
    const error = refusal({ kind: 'expand', id: 8n, durationDays: 9, addAmount: 0n }, [listed(8n, lockedFields)]);
    expect(error).toMatchObject({ code: 'staking.duration_too_short', bucket: 8n, possibleAt: null });
    expect(() => checkStakingAction({ kind: 'expand', id: 8n, durationDays: 10, addAmount: 1n }, [listed(8n, lockedFields)], T0)).not.toThrow();
  });

  it('merge: fewer than two → staking.merge_refused; a duration under the longest time left names that bucket', () => {
    expect(refusal({ kind: 'merge', ids: [1n], durationDays: 30, addAmount: 0n }, [listed(1n, lockedFields)]).code).toBe('staking.merge_refused');
    const long = { ...lockedFields, duration: 30n * DAY };
    const error = refusal({ kind: 'merge', ids: [1n, 2n], durationDays: 20, addAmount: 0n }, [listed(1n, lockedFields), listed(2n, long)]);
    expect(error).toMatchObject({ code: 'staking.duration_too_short', bucket: 2n, possibleAt: null });
    expect(error.shortMessage).toContain('at least 30 days');
    expect(() => checkStakingAction({ kind: 'merge', ids: [1n, 2n], durationDays: 30, addAmount: 0n }, [listed(1n, lockedFields), listed(2n, long)], T0)).not.toThrow();
  });

  it('input refusals: no bucket, unknown, repeated, bad duration, zero amount, zero address, same delegate', () => {
    const one = [listed(1n, lockedFields)];
    expect(refusal({ kind: 'unlock', ids: [] }, one).code).toBe('staking.no_buckets');
    expect(refusal({ kind: 'unlock', ids: [9n] }, one)).toMatchObject({ code: 'staking.unknown_bucket', bucket: 9n });
    expect(refusal({ kind: 'unlock', ids: [1n, 1n] }, one)).toMatchObject({ code: 'staking.duplicate_bucket', bucket: 1n });
    for (const days of [1_096, -1, 1.5]) {
      expect(refusal({ kind: 'stake', amount: 1n, durationDays: days, delegate: D1, locked: true }, []).code).toBe('staking.duration_invalid');
    }
    expect(refusal({ kind: 'stake', amount: 0n, durationDays: 1, delegate: D1, locked: true }, []).code).toBe('staking.amount_zero');
    expect(refusal({ kind: 'transfer', id: 1n, to: '0x0000000000000000000000000000000000000000' }, one).code).toBe('staking.zero_address');
    expect(refusal({ kind: 'changeDelegate', ids: [1n], delegate: D1 }, one)).toMatchObject({ code: 'staking.same_delegate', bucket: 1n });
    // The edges that pass: 0 and 1,095 days.
    expect(() => checkStakingAction({ kind: 'stake', amount: 1n, durationDays: 0, delegate: D1, locked: false }, [], T0)).not.toThrow();
    expect(() => checkStakingAction({ kind: 'stake', amount: 1n, durationDays: 1_095, delegate: D1, locked: true }, [], T0)).not.toThrow();
  });

  it('transfers pass while paused and in any state (V3 lets them)', () => {
    const unstaked = { ...lockedFields, unlockedAt: T0, unstakedAt: T0 };
    expect(() => checkStakingAction({ kind: 'transfer', id: 1n, to: BOB }, [listed(1n, unstaked, T0, { paused: true })], T0)).not.toThrow();
  });
});

describe('titles and step labels', () => {
  const words = (action: StakingAction) => {
    const spec = stakingJob(ctx, action, { startBlock: 100n });
    return { title: spec.title, steps: spec.steps.map((step) => step.label) };
  };

  it('say what happens, with the bucket ids', () => {
    expect(words({ kind: 'unlock', ids: [5n, 3n] })).toEqual({ title: 'Unlock buckets #3, #5', steps: ['Unlock buckets #3, #5'] });
    expect(words({ kind: 'unlock', ids: [3n] }).title).toBe('Unlock bucket #3');
    expect(words({ kind: 'lock', ids: [3n, 5n], durationDays: 30 }).title).toBe('Lock buckets #3, #5 for 30 days');
    expect(words({ kind: 'unstake', ids: [3n] }).title).toBe('Unstake bucket #3');
    expect(words({ kind: 'withdraw', ids: [3n, 5n, 7n], recipient: BOB })).toEqual({
      title: 'Withdraw 3 buckets to 0xb0B0…0B0B',
      steps: ['Withdraw buckets #3, #5, #7 to 0xb0B0…0B0B'],
    });
    expect(words({ kind: 'withdraw', ids: [3n], recipient: BOB }).title).toBe('Withdraw bucket #3 to 0xb0B0…0B0B');
    expect(words({ kind: 'merge', ids: [5n, 3n], durationDays: 1, addAmount: parseEther('2.5') }).title).toBe('Merge buckets #5, #3 into #5 for 1 day, adding 2.5 IOTX');
    expect(words({ kind: 'expand', id: 3n, durationDays: 60, addAmount: 0n }).title).toBe('Expand bucket #3 to 60 days');
    expect(words({ kind: 'changeDelegate', ids: [3n, 5n], delegate: D2 }).title).toBe('Change the delegate of buckets #3, #5 to 0x0000…00D2');
    expect(words({ kind: 'transfer', id: 3n, to: BOB }).title).toBe('Send bucket #3 to 0xb0B0…0B0B');
  });

  it('a stake: one step locked, two unlocked', () => {
    expect(words({ kind: 'stake', amount: parseEther('100'), durationDays: 30, delegate: D1, locked: true })).toEqual({
      title: 'Stake 100 IOTX for 30 days with 0x0000…00D1',
      steps: ['Stake'],
    });
    expect(words({ kind: 'stake', amount: parseEther('100'), durationDays: 30, delegate: D1, locked: false }).steps).toEqual(['Stake', 'Start the countdown (unlock)']);
  });
});

describe('job ids and rebuilding from the stored record', () => {
  const actions: StakingAction[] = [
    { kind: 'stake', amount: parseEther('12.5'), durationDays: 91, delegate: D1, locked: false },
    { kind: 'unlock', ids: [3n, 5n] },
    { kind: 'lock', ids: [3n], durationDays: 10 },
    { kind: 'unstake', ids: [3n, 5n] },
    { kind: 'withdraw', ids: [3n, 5n], recipient: BOB },
    { kind: 'merge', ids: [5n, 3n], durationDays: 30, addAmount: parseEther('1') },
    { kind: 'expand', id: 3n, durationDays: 60, addAmount: 7n },
    { kind: 'changeDelegate', ids: [3n, 5n], delegate: D2 },
    { kind: 'transfer', id: 3n, to: BOB },
  ];

  /** The record as a store keeps it: the spec's identity, params through JSON (a bigint would throw). */
  const storedRecord = (spec: ReturnType<typeof stakingJob>): JobRecord =>
    ({
      id: spec.id,
      kind: spec.kind,
      title: spec.title,
      account: spec.account,
      chainId: spec.chainId,
      params: JSON.parse(JSON.stringify(spec.params)) as unknown,
      status: 'paused',
      steps: spec.steps.map((step) => ({ id: step.id, label: step.label, status: { kind: 'waiting' }, history: [] })),
      error: null,
      batch: null,
      createdAt: 1,
      updatedAt: 1,
    }) as JobRecord;

  it('every action round-trips: same id, title, params and steps', () => {
    for (const action of actions) {
      const spec = stakingJob(ctx, action, { startBlock: 1_234n });
      expect(spec.kind).toBe(STAKING_JOB_KIND);
      const rebuilt = rebuildStakingJob(storedRecord(spec));
      expect(rebuilt.id).toBe(spec.id);
      expect(rebuilt.title).toBe(spec.title);
      expect(rebuilt.params).toEqual(spec.params);
      expect(rebuilt.steps.map((step) => [step.id, step.label])).toEqual(spec.steps.map((step) => [step.id, step.label]));
    }
  });

  it('params are plain data: decimal strings, numbers, booleans', () => {
    const spec = stakingJob(ctx, actions[0]!, { startBlock: 1_234n });
    expect(spec.params).toEqual({
      systemStaking: getAddress('0x5157000000000000000000000000000000005157'),
      startBlock: '1234',
      action: { kind: 'stake', amount: '12500000000000000000', durationDays: 91, delegate: getAddress(D1), locked: false },
    });
  });

  it('the id is the same for the same request, and new for the same action asked at another block', () => {
    const a = stakingJob(ctx, { kind: 'unlock', ids: [5n, 3n] }, { startBlock: 10n });
    expect(stakingJob(ctx, { kind: 'unlock', ids: [3n, 5n] }, { startBlock: 10n }).id).toBe(a.id);
    expect(stakingJob(ctx, { kind: 'unlock', ids: [3n, 5n] }, { startBlock: 11n }).id).not.toBe(a.id);
    // Merge keeps the order: its first bucket is the one kept.
    expect(stakingJob(ctx, { kind: 'merge', ids: [3n, 5n], durationDays: 1, addAmount: 0n }, { startBlock: 10n }).id).not.toBe(
      stakingJob(ctx, { kind: 'merge', ids: [5n, 3n], durationDays: 1, addAmount: 0n }, { startBlock: 10n }).id,
    );
  });

  it('without startBlock a job is not made', () => {
    expect(() => stakingJob(ctx, { kind: 'unlock', ids: [1n] })).toThrow(/startBlock/);
  });

  it('a damaged record → staking.job_params_invalid', () => {
    const spec = stakingJob(ctx, actions[1]!, { startBlock: 1n });
    const damaged = { ...storedRecord(spec), params: { ...spec.params, action: { kind: 'unlock', ids: [3] } } } as JobRecord;
    expect(() => rebuildStakingJob(damaged)).toThrow(expect.objectContaining({ code: 'staking.job_params_invalid' }));
    const otherKind = { ...storedRecord(spec), kind: 'restake' } as JobRecord;
    expect(() => rebuildStakingJob(otherKind)).toThrow(expect.objectContaining({ code: 'staking.job_params_invalid' }));
  });
});
