import type { JobRecord } from '../../../core/jobs/types.js';
import { checkStakingAction, type StakingAction } from '../../../core/staking/actions.js';
import type { StakingState } from './stakingState.svelte.js';

/**
 * One screen's staking action as a job: checked against the buckets' current state first (a
 * refused bucket is named with the reason and date, nothing is sent), then run through StakingState
 * (confirmation, wallet, History, a fresh read of the buckets). `jobId` is what JobProgress shows.
 */
export class StakingActionRun {
  jobId = $state<string | null>(null);
  /** Why the action did not start (bad input, refused by the bucket's state, no wallet), as thrown. */
  error = $state<unknown>(null);
  busy = $state(false);

  readonly #staking: StakingState;

  constructor(staking: StakingState) {
    this.#staking = staking;
  }

  async start(action: StakingAction | (() => StakingAction)): Promise<JobRecord | null> {
    this.error = null;
    this.busy = true;
    try {
      const resolved = typeof action === 'function' ? action() : action;
      const now = this.#staking.now;
      if (now !== null) checkStakingAction(resolved, this.#staking.buckets, now);
      const spec = await this.#staking.prepare(resolved);
      this.jobId = spec.id;
      return await this.#staking.run(spec);
    } catch (error) {
      this.error = error;
      return null;
    } finally {
      this.busy = false;
    }
  }
}
