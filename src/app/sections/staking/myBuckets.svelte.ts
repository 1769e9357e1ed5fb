import type { Address } from 'viem';
import type { StakingState } from './stakingState.svelte.js';
import { StakingActionRun } from './actionRun.svelte.js';
import { requireDelegate, requireSelection } from './formInput.js';

/**
 * My buckets' multi-select and its batch actions, each one job (one user action): unlock the
 * selected, change their delegate, withdraw every bucket that is ready.
 */
export class BucketSelection {
  /** Selected bucket ids, as decimal strings (checkbox bindings). */
  selected = $state<Record<string, boolean>>({});
  delegate = $state<Address | null>(null);
  readonly run: StakingActionRun;
  readonly #staking: StakingState;

  constructor(staking: StakingState) {
    this.#staking = staking;
    this.run = new StakingActionRun(staking);
  }

  isSelected(id: bigint): boolean {
    return this.selected[id.toString()] === true;
  }

  select(id: bigint, value: boolean): void {
    this.selected = { ...this.selected, [id.toString()]: value };
  }

  readonly ids = $derived.by(() =>
    this.#staking.buckets.filter((bucket) => this.selected[bucket.id.toString()]).map((bucket) => bucket.id),
  );

  /** Buckets withdrawable now: "Withdraw everything ready (N)". */
  readonly ready = $derived.by(() => this.#staking.buckets.filter((bucket) => bucket.view.status === 'withdrawable').map((bucket) => bucket.id));

  async unlockSelected(): Promise<void> {
    const record = await this.run.start(() => ({ kind: 'unlock', ids: requireSelection(this.ids, { atLeast: 1, what: 'unlock' }) }));
    if (record?.status === 'done') this.selected = {};
  }

  async changeDelegateOfSelected(): Promise<void> {
    const record = await this.run.start(() => ({
      kind: 'changeDelegate',
      ids: requireSelection(this.ids, { atLeast: 1, what: 'give another delegate' }),
      delegate: requireDelegate(this.delegate),
    }));
    if (record?.status === 'done') this.selected = {};
  }

  async withdrawReady(): Promise<void> {
    await this.run.start(() => ({ kind: 'withdraw', ids: requireSelection(this.ready, { atLeast: 1, what: 'withdraw' }), recipient: this.#staking.context().account }));
  }
}
