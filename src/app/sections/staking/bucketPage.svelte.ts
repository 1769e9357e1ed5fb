import type { Address } from 'viem';
import { mergeCheck, type ActionAvailability } from '../../../core/staking/bucketState.js';
import { StakingActionRun } from './actionRun.svelte.js';
import { parseAddAmount, parseDays, parseRecipient, requireDelegate, requireSelection } from './formInput.js';
import type { ShownBucket, StakingState } from './stakingState.svelte.js';
import { parseAddress } from '../../../core/address.js';
import { OutpostError } from '../../../core/errors.js';

/** The smallest duration an allowed action takes, in whole days, for the input's hint. */
export function minDays(availability: ActionAvailability): number {
  return availability.allowed && availability.minDuration !== undefined ? Number((availability.minDuration + 86_399n) / 86_400n) : 0;
}

/**
 * One bucket's page: what each action's inputs hold and running it as a job. What is allowed comes
 * from the bucket's view at the chain's time (StakingState); the contract's limits bound the days.
 */
export class BucketPage {
  lockDays = $state('');
  withdrawTo = $state('');
  mergeWith = $state<Record<string, boolean>>({});
  mergeDays = $state('');
  mergeAdd = $state('');
  expandDays = $state('');
  expandAdd = $state('');
  delegate = $state<Address | null>(null);
  transferTo = $state('');
  readonly run: StakingActionRun;
  readonly #staking: StakingState;
  readonly #id: () => bigint | null;

  constructor(staking: StakingState, id: () => bigint | null) {
    this.#staking = staking;
    this.#id = id;
    this.run = new StakingActionRun(staking);
  }

  get bucket(): ShownBucket | null {
    const id = this.#id();
    return id === null ? null : this.#staking.bucket(id);
  }

  /** Other buckets of the account that could be merged with this one now. */
  readonly mergeCandidates = $derived.by(() => {
    const id = this.#id();
    return this.#staking.buckets.filter((bucket) => bucket.id !== id && bucket.view.actions.merge.allowed);
  });

  readonly mergeIds = $derived.by(() => {
    const id = this.#id();
    const others = this.mergeCandidates.filter((bucket) => this.mergeWith[bucket.id.toString()]).map((bucket) => bucket.id);
    return id === null ? others : [id, ...others];
  });

  /** V3's merge rule for the chosen buckets: the new duration must cover each one's time left. */
  readonly merge = $derived.by(() => {
    const now = this.#staking.now;
    const fields = this.mergeIds.map((id) => this.#staking.bucket(id)?.fields).filter((value) => value !== undefined);
    return now === null ? null : mergeCheck(fields, now);
  });

  isMerging(id: bigint): boolean {
    return this.mergeWith[id.toString()] === true;
  }

  setMerging(id: bigint, value: boolean): void {
    this.mergeWith = { ...this.mergeWith, [id.toString()]: value };
  }

  #maxSeconds(): bigint {
    return this.#staking.limits?.maxDuration ?? 1_095n * 86_400n;
  }

  #ids(): bigint[] {
    const bucket = this.bucket;
    return bucket ? [bucket.id] : [];
  }

  unlock() {
    return this.run.start(() => ({ kind: 'unlock', ids: this.#ids() }));
  }

  lock() {
    return this.run.start(() => {
      // The minimum is the action check's (checkStakingAction names the bucket and its time left).
      return { kind: 'lock', ids: [this.#require().id], durationDays: parseDays(this.lockDays, { maxSeconds: this.#maxSeconds() }) };
    });
  }

  unstake() {
    return this.run.start(() => ({ kind: 'unstake', ids: this.#ids() }));
  }

  withdraw() {
    return this.run.start(() => ({ kind: 'withdraw', ids: [this.#require().id], recipient: parseRecipient(this.withdrawTo, this.#staking.context().account) }));
  }

  mergeSelected() {
    return this.run.start(() => {
      const ids = requireSelection(this.mergeIds, { atLeast: 2, what: 'merge (this one and at least one other)' });
      return { kind: 'merge', ids, durationDays: parseDays(this.mergeDays, { maxSeconds: this.#maxSeconds() }), addAmount: parseAddAmount(this.mergeAdd) };
    });
  }

  expand() {
    return this.run.start(() => {
      const bucket = this.#require();
      return {
        kind: 'expand',
        id: bucket.id,
        durationDays: parseDays(this.expandDays, { maxSeconds: this.#maxSeconds() }),
        addAmount: parseAddAmount(this.expandAdd),
      };
    });
  }

  changeDelegate() {
    return this.run.start(() => ({ kind: 'changeDelegate', ids: [this.#require().id], delegate: requireDelegate(this.delegate) }));
  }

  transfer() {
    return this.run.start(() => ({ kind: 'transfer', id: this.#require().id, to: parseAddress(this.transferTo) }));
  }

  #require(): ShownBucket {
    const bucket = this.bucket;
    if (!bucket) throw new OutpostError('staking.unknown_bucket', 'This account does not hold that bucket.', { hint: 'Go back to My buckets: it may have been withdrawn, merged or sent away.' });
    return bucket;
  }
}
