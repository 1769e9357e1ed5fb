import { createContext } from 'svelte';
import type { Address } from 'viem';
import { parseAddress } from '../../../../core/address.js';
import { OutpostError } from '../../../../core/errors.js';
import { restakeView, type ActionAvailability, type RestakeView } from '../../../../core/staking/bucketState.js';
import {
  claimRestakingRewardsJob,
  rebuildRestakingJob,
  restakeJob,
  restakeUnstakeJob,
  restakeWithdrawJob,
  RESTAKE_PROMPTS,
  RESTAKING_JOB_KINDS,
  type RestakeMode,
  type RestakingContext,
} from '../../../../core/staking/restakingJobs.js';
import { readBucketModules, readRestakingFigures, readRestakingModules, type RestakingFigures, type RestakingModule } from '../../../../core/staking/restakingReads.js';
import type { JobSpec } from '../../../../core/jobs/types.js';
import type { JobsState } from '../../../state/jobs.svelte.js';
import { networkState } from '../../../state/network.svelte.js';
import { refusalWords } from '../bucketText.js';
import type { ShownBucket, ShownRestakedBucket, StakingState } from '../stakingState.svelte.js';

/** A restaked bucket as the screen shows it: its state at the ticking chain time, and the module it backs (devnet). */
export type RestakedRow = ShownRestakedBucket & {
  live: RestakeView;
  /** Seconds until it can be withdrawn (unstaking), else null. */
  withdrawIn: bigint | null;
  /** Devnet: the module's id and name (null: restaked into the strategy alone); IoTeX: undefined (no modules there). */
  module: { id: bigint; name: string | null } | null | undefined;
};

/** A bucket of the account offered in the restake form, with why it cannot be restaked when it cannot. */
export type RestakeCandidate = { bucket: ShownBucket; restake: ActionAvailability };

/**
 * The restaking screens' state: the strategy's figures (IoTeX's surface, every network with MSP),
 * the devnet's modules, the module each restaked bucket backs, and the restaking jobs (restake,
 * unstake, withdraw, claim) run through the Staking section's StakingState (so every step is
 * confirmed in the app's queue and the buckets are read again after). Everything shown comes from
 * the chain; the form's choices are the only state kept here.
 */
export class RestakingState {
  figures = $state<RestakingFigures | null>(null);
  figuresError = $state<unknown>(null);
  modules = $state<RestakingModule[] | null>(null);
  modulesError = $state<unknown>(null);
  loading = $state(false);
  /** Module id per restaked bucket id (decimal strings), from `restakeOf` (devnet). */
  #bucketModules = $state<Record<string, bigint>>({});

  /** The restake form. */
  bucketId = $state('');
  moduleId = $state('');
  mode = $state<RestakeMode>('approve-and-stake');
  /** Where withdrawn buckets go; empty means this account. */
  recipient = $state('');
  /** The last action's failure to start (bad input, an extension refused): ErrorNotice shows it. */
  actionError = $state<unknown>(null);
  /** The job the screen follows with JobProgress. */
  activeJobId = $state<string | null>(null);

  readonly #staking: StakingState;
  readonly #jobs: JobsState;

  constructor(staking: StakingState, jobs: JobsState) {
    this.#staking = staking;
    this.#jobs = jobs;
    for (const kind of RESTAKING_JOB_KINDS) jobs.register(kind, rebuildRestakingJob);
  }

  readonly network = $derived(networkState.context.network);
  /** Whether the network has a restaking strategy at all (IoTeX testnet and the devnet). */
  readonly available = $derived(networkState.context.features.restaking.available);
  /** Outpost's modules and one-transaction restake exist on the devnet only. */
  readonly extensions = $derived(networkState.context.network.id === 'devnet');
  readonly promptsFor = RESTAKE_PROMPTS;
  /** Wallet prompts the chosen restake asks for. */
  readonly prompts = $derived(this.extensions ? RESTAKE_PROMPTS[this.mode] : RESTAKE_PROMPTS['approve-and-stake']);
  /** Whether there is an account to read figures for and act with. */
  readonly hasAccount = $derived.by(() => this.#staking.blocker === null);

  /** Locked buckets can be restaked; the others are listed with bucketView's reason. */
  readonly candidates = $derived.by((): RestakeCandidate[] => this.#staking.buckets.map((bucket) => ({ bucket, restake: bucket.view.actions.restake })));

  readonly chosen = $derived(this.candidates.find((candidate) => candidate.bucket.id.toString() === this.bucketId) ?? null);
  readonly canRestake = $derived(this.chosen !== null && this.chosen.restake.allowed);
  /** Why the chosen bucket cannot be restaked, and from when it could be (bucketView's restake action). */
  readonly refusal = $derived.by(() => {
    const now = this.#staking.now;
    return this.chosen && now !== null ? refusalWords(this.chosen.restake, now) : null;
  });

  readonly rows = $derived.by((): RestakedRow[] => {
    const now = this.#staking.now;
    return this.#staking.restaked.map((bucket) => {
      const { status, unstakedAt, withdrawAt } = bucket.restake;
      const live =
        now === null ? bucket.restake : (restakeView({ stakeStatus: status === 'restaked' ? 1 : 2, unstakeTime: unstakedAt ?? 0n, withdrawTime: withdrawAt }, now) ?? bucket.restake);
      const moduleId = this.#bucketModules[bucket.id.toString()];
      const module = !this.extensions ? undefined : moduleId === undefined || moduleId === 0n ? null : { id: moduleId, name: this.moduleName(moduleId) };
      return { ...bucket, live, withdrawIn: live.status === 'unstaking' && now !== null && withdrawAt !== null ? withdrawAt - now : null, module };
    });
  });

  readonly pendingTotal = $derived(this.figures?.rewards.reduce((sum, reward) => sum + reward.pending, 0n) ?? 0n);

  moduleName(id: bigint): string | null {
    return this.modules?.find((module) => module.id === id)?.name ?? null;
  }

  #contracts(): { bucketStrategy: Address; strategyManager: Address } | null {
    const { bucketStrategy, strategyManager } = networkState.context.addressBook;
    return bucketStrategy && strategyManager ? { bucketStrategy, strategyManager } : null;
  }

  #context(): RestakingContext {
    const base = this.#staking.context();
    const contracts = this.#contracts();
    if (!contracts) {
      throw new OutpostError('staking.no_contract', `${networkState.context.network.name} has no restaking contracts.`, { hint: 'Restaking needs IoTeX Testnet or the local devnet: choose one in Settings.' });
    }
    return { ...base, bucketStrategy: contracts.bucketStrategy, jobs: this.#jobs.jobs };
  }

  /** Reads the strategy's figures (with the account), the modules (devnet) and which module each restaked bucket backs. */
  async refresh(): Promise<void> {
    const contracts = this.#contracts();
    if (!contracts) return;
    this.loading = true;
    const client = this.#staking.client();
    const account = safeAccount(() => this.#staking.context().account);
    const reads: Promise<unknown>[] = [];
    if (account) {
      reads.push(
        readRestakingFigures(client, { strategy: contracts.bucketStrategy, strategyManager: contracts.strategyManager, account }).then(
          (figures) => {
            this.figures = figures;
            this.figuresError = null;
          },
          (error: unknown) => (this.figuresError = error),
        ),
      );
    }
    if (this.extensions) {
      reads.push(
        readRestakingModules(client, { strategy: contracts.bucketStrategy }).then(
          ({ modules }) => {
            this.modules = modules;
            this.modulesError = null;
          },
          (error: unknown) => (this.modulesError = error),
        ),
      );
      const ids = this.#staking.restaked.map((bucket) => bucket.id);
      reads.push(
        readBucketModules(client, { strategy: contracts.bucketStrategy, ids }).then(
          (found) => (this.#bucketModules = Object.fromEntries([...found].map(([id, module]) => [id.toString(), module]))),
          (error: unknown) => (this.modulesError = error),
        ),
      );
    }
    await Promise.all(reads);
    this.loading = false;
  }

  /** Restakes the chosen bucket into the chosen module (devnet) with the chosen mode. */
  restake(): Promise<void> {
    return this.#start(() => {
      const bucketId = BigInt(this.bucketId);
      const moduleId = this.extensions && this.moduleId !== '' ? BigInt(this.moduleId) : null;
      return restakeJob(this.#context(), { bucketId, moduleId, mode: this.extensions ? this.mode : 'approve-and-stake' });
    });
  }

  unstake(ids: readonly bigint[]): Promise<void> {
    return this.#start(() => restakeUnstakeJob(this.#context(), { ids }));
  }

  /** Withdraws to the typed recipient (0x… or io1…), or to this account when the field is empty. */
  withdraw(ids: readonly bigint[]): Promise<void> {
    return this.#start(() => {
      const ctx = this.#context();
      const recipient = this.recipient.trim() === '' ? ctx.account : parseAddress(this.recipient.trim());
      return restakeWithdrawJob(ctx, { ids, recipient });
    });
  }

  /** Claims what the figures on screen show as pending (their block anchors the job). */
  claim(): Promise<void> {
    return this.#start(() => claimRestakingRewardsJob(this.#context(), { fromBlock: this.figures?.blockNumber ?? 0n }));
  }

  async #start(build: () => JobSpec): Promise<void> {
    this.actionError = null;
    let spec: JobSpec;
    try {
      spec = build();
    } catch (error) {
      this.actionError = error;
      return;
    }
    this.activeJobId = spec.id;
    await this.#staking.run(spec);
    await this.refresh();
  }

  /** After a resumed or cancelled job (JobProgress's onsettled). */
  settled(): void {
    this.#staking.settled();
    void this.refresh();
  }
}

function safeAccount(read: () => Address): Address | null {
  try {
    return read();
  } catch {
    return null;
  }
}

export const [getRestakingState, setRestakingState] = createContext<RestakingState>();
