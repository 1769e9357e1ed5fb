import type { Address } from 'viem';
import { OutpostError } from '../../../core/errors.js';
import type { AccountBalance } from '../../state/accountBalance.svelte.js';
import { StakingActionRun } from './actionRun.svelte.js';
import { parseDays, parseStakeAmount, requireDelegate } from './formInput.js';
import type { StakingState } from './stakingState.svelte.js';

/** The Stake form: amount (checked against the contract's minimum and the balance), whole days, a delegate, and whether the countdown starts now. */
export class StakeForm {
  amount = $state('');
  days = $state('30');
  delegate = $state<Address | null>(null);
  /** 'locked': the bucket stays locked (its duration waits); 'unlocked': the countdown starts now (a second step, unlock). */
  start = $state<'locked' | 'unlocked'>('locked');
  readonly run: StakingActionRun;
  readonly #staking: StakingState;
  readonly #balance: AccountBalance;

  constructor(staking: StakingState, balance: AccountBalance) {
    this.#staking = staking;
    this.#balance = balance;
    this.run = new StakingActionRun(staking);
  }

  get balance(): bigint | null {
    return this.#balance.known?.value ?? null;
  }

  /** The largest number of days the contract takes (MAX_DURATION), once read. */
  get maxDays(): number | null {
    const limits = this.#staking.limits;
    return limits ? Number(limits.maxDuration / 86_400n) : null;
  }

  async submit(): Promise<void> {
    await this.run.start(() => {
      const limits = this.#staking.limits;
      if (!limits) throw new OutpostError('staking.no_contract', 'The staking contract’s limits (minimum amount, longest duration) have not been read yet.', { hint: 'Wait for the buckets to load, or check the network under Settings.' });
      return {
        kind: 'stake',
        amount: parseStakeAmount(this.amount, { minAmount: limits.minAmount, balance: this.balance }),
        durationDays: parseDays(this.days, { maxSeconds: limits.maxDuration }),
        delegate: requireDelegate(this.delegate),
        locked: this.start === 'locked',
      };
    });
  }
}
