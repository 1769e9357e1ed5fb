import { maxUint256, type Address } from 'viem';

/**
 * A bucket's state, its exact times and which actions the contract allows now, derived from the
 * fields IoTeX's SystemStaking V3 `bucketOf` returns and the chain's time. Pure: the screens pass
 * the chain time in and get back everything they show, so a countdown is this function called again.
 *
 * The rules are V3's (iotexproject/iip13-contracts src/SystemStaking3.sol, mirrored by our
 * contracts/staking/SystemStaking.sol):
 * - times are seconds (`block.timestamp`), durations whole days; V1/V2 counted blocks, V3 does not,
 *   so every "possible at" here is a timestamp, never a block number;
 * - `unlockedAt` / `unstakedAt` hold type(uint256).max until they happen;
 * - a locked bucket's duration does not run; once unlocked, it can be unstaked when
 *   `block.timestamp >= unlockedAt + duration` (`_timeToUnstake` is 0 from that second on);
 * - `unstake` sets both `unlockedAt` and `unstakedAt` to the block time; it can be withdrawn when
 *   `block.timestamp >= unstakedAt + UNSTAKE_FREEZE_TIME` (3 days);
 * - `lock` takes a duration (whole days) of at least the time still to run, and does not change the
 *   stored duration: a bucket locked again has its full stored duration to run after the next unlock;
 * - `expandBucket` needs a locked bucket and a duration no shorter than the stored one;
 * - `merge`, `changeDelegate` and `lock` need a bucket not yet unstaked; transfers are plain ERC-721
 *   and allowed in every state, also while the contract is paused;
 * - every staking action is refused while the contract is paused (`whenNotPaused`);
 * - restaking into MSP's BucketStrategy takes only a locked bucket ("not locking bucket").
 *
 * `now` is the block time a transaction would run at. The latest block's timestamp is a safe
 * choice: the next block's is at least one second later, so an action shown as allowed is allowed.
 */

/** type(uint256).max: "not yet" in `unlockedAt` / `unstakedAt`. */
const NOT_TRIGGERED = maxUint256;
const ONE_DAY = 86_400n;
/** V3's UNSTAKE_FREEZE_TIME, a constant in IoTeX's contract and ours (3 days). */
const UNSTAKE_FREEZE_TIME = 3n * ONE_DAY;

/** `bucketOf(id)` as V3 returns it. */
export type BucketFields = {
  amount: bigint;
  /** Seconds, a whole number of days. */
  duration: bigint;
  unlockedAt: bigint;
  unstakedAt: bigint;
  delegate: Address;
};

/**
 * - `locked`: staked, duration not running;
 * - `unlocking`: unlocked, duration running (unstake possible at `unstakeAt`);
 * - `unstakeable`: unlocked and the duration has run out: can be unstaked now;
 * - `unstaked`: in the unstake freeze (withdrawable at `withdrawAt`);
 * - `withdrawable`: the freeze has passed: can be withdrawn now.
 */
export type BucketStatus = 'locked' | 'unlocking' | 'unstakeable' | 'unstaked' | 'withdrawable';

const BUCKET_ACTIONS = ['unlock', 'lock', 'unstake', 'withdraw', 'merge', 'expand', 'changeDelegate', 'transfer', 'restake'] as const;
export type BucketAction = (typeof BUCKET_ACTIONS)[number];

/** Why an action is refused now, as a code the UI and tests switch on. */
export type BlockedBy =
  | 'paused'
  | 'not_owner'
  | 'locked'
  | 'already_locked'
  | 'already_unlocked'
  | 'duration_running'
  | 'not_unstaked'
  | 'frozen'
  | 'unstaked';

export type ActionAvailability =
  | {
      allowed: true;
      /** For lock, merge and expand: the smallest duration argument (seconds, whole days) the contract accepts. */
      minDuration?: bigint;
    }
  | {
      allowed: false;
      blockedBy: BlockedBy;
      /** Plain words for the person: what stands in the way and what to do. */
      reason: string;
      /**
       * When it becomes possible (block timestamp, seconds). With `after` null the bucket gets there
       * by itself; with `after` set, it is the earliest time if that step is taken now. Null: never
       * by waiting (the bucket must change first, or it never will).
       */
      possibleAt: bigint | null;
      /** The step that must come first, if any. */
      after: BucketAction | null;
    };

export type BucketView = {
  status: BucketStatus;
  /** When it was unlocked (seconds), null while locked. After an unstake, equal to `unstakedAt`. */
  unlockedAt: bigint | null;
  unstakedAt: bigint | null;
  /** When `unstake` becomes possible; null while locked (it starts counting at the unlock). */
  unstakeAt: bigint | null;
  /** When `withdraw` becomes possible; null until unstaked. */
  withdrawAt: bigint | null;
  /** V3's `timeToUnstake` at `now` (the whole duration while locked); null once unstaked (V3 reverts). */
  timeToUnstake: bigint | null;
  /** V3's `timeToWithdraw` at `now`; null before the unstake (V3 reverts). */
  timeToWithdraw: bigint | null;
  actions: Record<BucketAction, ActionAvailability>;
};

export type BucketContext = {
  /** Block time (seconds) a transaction would run at. */
  now: bigint;
  /** SystemStaking's `paused()`. */
  paused?: boolean;
  /** Whether the account looking at the bucket owns it (a restaked bucket is owned by the strategy). */
  owned?: boolean;
  /** UNSTAKE_FREEZE_TIME of the contract; V3's constant unless told. */
  freezeTime?: bigint;
};

const isSet = (value: bigint) => value !== NOT_TRIGGERED;

/** Seconds rounded up to whole days: the smallest duration argument covering `seconds`. */
export function ceilToDays(seconds: bigint): bigint {
  return ((seconds + ONE_DAY - 1n) / ONE_DAY) * ONE_DAY;
}

/** V3's `_timeToUnstake` for a staked bucket at `now`. */
function timeToUnstakeAt(bucket: Pick<BucketFields, 'duration' | 'unlockedAt'>, now: bigint): bigint {
  if (!isSet(bucket.unlockedAt)) return bucket.duration;
  const at = bucket.unlockedAt + bucket.duration;
  return at > now ? at - now : 0n;
}

export function bucketStatus(bucket: BucketFields, now: bigint, freezeTime: bigint = UNSTAKE_FREEZE_TIME): BucketStatus {
  if (isSet(bucket.unstakedAt)) return now >= bucket.unstakedAt + freezeTime ? 'withdrawable' : 'unstaked';
  if (!isSet(bucket.unlockedAt)) return 'locked';
  return now >= bucket.unlockedAt + bucket.duration ? 'unstakeable' : 'unlocking';
}

const ALLOWED: ActionAvailability = { allowed: true };

function blocked(blockedBy: BlockedBy, reason: string, possibleAt: bigint | null = null, after: BucketAction | null = null): ActionAvailability {
  return { allowed: false, blockedBy, reason, possibleAt, after };
}

/** Everything a screen shows about one bucket at chain time `context.now`. */
export function bucketView(bucket: BucketFields, context: BucketContext): BucketView {
  const { now, paused = false, owned = true, freezeTime = UNSTAKE_FREEZE_TIME } = context;
  const status = bucketStatus(bucket, now, freezeTime);
  const unstaked = status === 'unstaked' || status === 'withdrawable';
  const unlockedAt = isSet(bucket.unlockedAt) ? bucket.unlockedAt : null;
  const unstakedAt = isSet(bucket.unstakedAt) ? bucket.unstakedAt : null;
  const unstakeAt = unlockedAt !== null && !unstaked ? unlockedAt + bucket.duration : null;
  const withdrawAt = unstakedAt !== null ? unstakedAt + freezeTime : null;
  const timeToUnstake = unstaked ? null : timeToUnstakeAt(bucket, now);
  const timeToWithdraw = withdrawAt === null ? null : withdrawAt > now ? withdrawAt - now : 0n;

  const byState = stateRules(bucket, status, now, freezeTime, unstakeAt, withdrawAt);
  const actions = {} as Record<BucketAction, ActionAvailability>;
  for (const action of BUCKET_ACTIONS) {
    if (!owned) {
      actions[action] = blocked('not_owner', 'This account does not hold the bucket (it is restaked or belongs to another account): only its holder can act on it.');
    } else if (paused && action !== 'transfer' && action !== 'restake') {
      actions[action] = blocked('paused', 'The staking contract is paused by its owner: staking actions wait until it is resumed. Transfers still work.');
    } else {
      actions[action] = byState[action];
    }
  }
  return { status, unlockedAt, unstakedAt, unstakeAt, withdrawAt, timeToUnstake, timeToWithdraw, actions };
}

function stateRules(
  bucket: BucketFields,
  status: BucketStatus,
  now: bigint,
  freezeTime: bigint,
  unstakeAt: bigint | null,
  withdrawAt: bigint | null,
): Record<BucketAction, ActionAvailability> {
  const unstakedRefusal = (what: string) =>
    blocked('unstaked', `The bucket is unstaked, so it can no longer be ${what}. Withdraw it and stake again.`);
  const minimumToCover = { allowed: true as const, minDuration: ceilToDays(timeToUnstakeAt(bucket, now)) };
  switch (status) {
    case 'locked':
      return {
        unlock: ALLOWED,
        // V3 accepts lock on a locked bucket but changes nothing (the stored duration stays): not offered.
        lock: blocked('already_locked', 'The bucket is already locked.'),
        unstake: blocked('locked', 'The bucket is locked: unlock it first; its duration then has to run out.', now + bucket.duration, 'unlock'),
        withdraw: blocked('locked', 'The bucket is locked: unlock it, wait for its duration, unstake it and wait for the freeze.', now + bucket.duration + freezeTime, 'unlock'),
        merge: minimumToCover,
        expand: { allowed: true, minDuration: bucket.duration },
        changeDelegate: ALLOWED,
        transfer: ALLOWED,
        restake: ALLOWED,
      };
    case 'unlocking':
    case 'unstakeable': {
      const running = status === 'unlocking';
      return {
        unlock: blocked('already_unlocked', 'The bucket is already unlocked: its duration is running.'),
        lock: minimumToCover,
        unstake: running ? blocked('duration_running', 'The bucket’s duration is still running.', unstakeAt) : ALLOWED,
        withdraw: blocked('not_unstaked', 'Unstake the bucket first; it can be withdrawn after the unstake freeze.', (running ? unstakeAt! : now) + freezeTime, 'unstake'),
        merge: minimumToCover,
        expand: blocked('already_unlocked', 'Only a locked bucket can be expanded: lock it again first.', now, 'lock'),
        changeDelegate: ALLOWED,
        transfer: ALLOWED,
        restake: blocked('already_unlocked', 'Only a locked bucket can be restaked: lock it again first.', now, 'lock'),
      };
    }
    case 'unstaked':
    case 'withdrawable':
      return {
        unlock: unstakedRefusal('unlocked'),
        lock: unstakedRefusal('locked'),
        unstake: blocked('unstaked', 'The bucket is already unstaked.'),
        withdraw: status === 'withdrawable' ? ALLOWED : blocked('frozen', 'The bucket is in its unstake freeze.', withdrawAt),
        merge: unstakedRefusal('merged'),
        expand: unstakedRefusal('expanded'),
        changeDelegate: unstakedRefusal('given another delegate'),
        transfer: ALLOWED,
        restake: unstakedRefusal('restaked'),
      };
  }
}

export type MergeCheck =
  | { ok: true; minDuration: bigint }
  | { ok: false; reason: string };

/**
 * Whether `buckets` can be merged now (V3 `merge`): two or more, none unstaked; the new duration
 * must be at least each bucket's time left to run (its whole duration if locked), in whole days.
 */
export function mergeCheck(buckets: readonly BucketFields[], now: bigint): MergeCheck {
  if (buckets.length < 2) return { ok: false, reason: 'Choose at least two buckets to merge.' };
  if (buckets.some((bucket) => isSet(bucket.unstakedAt))) return { ok: false, reason: 'Unstaked buckets cannot be merged.' };
  const longest = buckets.reduce((max, bucket) => {
    const left = timeToUnstakeAt(bucket, now);
    return left > max ? left : max;
  }, 0n);
  return { ok: true, minDuration: ceilToDays(longest) };
}

/**
 * A bucket held by the restaking strategy (MSP's BucketStrategy) for the account:
 * - `restaked`: counting towards the strategy (`stakeStatus` 1); can be unstaked from it;
 * - `unstaking`: unstaked from the strategy, in its freeze (7 days in MSP) until `withdrawAt`;
 * - `withdrawable`: the freeze has passed; `withdraw` sends the bucket back to any recipient.
 * Read from the strategy's IoTeX reads `stakeStatus`, `unstakeTime` and `withdrawTime`, so the
 * freeze length is the deployed contract's, not a constant here.
 */
type RestakeStatus = 'restaked' | 'unstaking' | 'withdrawable';

export type RestakeFields = {
  /** MSP `stakeStatus`: 1 restaked, 2 unstaked from the strategy, 0 not there. */
  stakeStatus: number;
  /** MSP `unstakeTime` (0 while restaked). */
  unstakeTime: bigint;
  /** MSP `withdrawTime` (null while restaked: MSP reverts there). */
  withdrawTime: bigint | null;
};

export type RestakeView = {
  status: RestakeStatus;
  unstakedAt: bigint | null;
  withdrawAt: bigint | null;
  actions: { unstake: ActionAvailability; withdraw: ActionAvailability };
};

/** The restake state at `now`, or null when the strategy no longer holds the bucket for anyone. */
export function restakeView(fields: RestakeFields, now: bigint): RestakeView | null {
  if (fields.stakeStatus === 1) {
    return {
      status: 'restaked',
      unstakedAt: null,
      withdrawAt: null,
      actions: {
        unstake: ALLOWED,
        withdraw: blocked('not_unstaked', 'Unstake the bucket from restaking first; it can be withdrawn after the freeze.', null, 'unstake'),
      },
    };
  }
  if (fields.stakeStatus !== 2 || fields.withdrawTime === null) return null;
  const withdrawAt = fields.withdrawTime;
  const ready = now >= withdrawAt;
  return {
    status: ready ? 'withdrawable' : 'unstaking',
    unstakedAt: fields.unstakeTime,
    withdrawAt,
    actions: {
      unstake: blocked('unstaked', 'The bucket is already unstaked from restaking.'),
      withdraw: ready ? ALLOWED : blocked('frozen', 'The bucket is in the restaking freeze.', withdrawAt),
    },
  };
}
