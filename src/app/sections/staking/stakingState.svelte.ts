import type { Address, PublicClient } from 'viem';
import { createContext } from 'svelte';
import { OutpostError } from '../../../core/errors.js';
import { systemStakingAbi } from '../../../core/abis/index.js';
import type { JobRecord, JobSpec } from '../../../core/jobs/types.js';
import { createNetworkClient } from '../../../core/rpc.js';
import { prepareStakingJob, rebuildStakingJob, STAKING_JOB_KIND, votingPower, type StakingAction, type StakingJobContext } from '../../../core/staking/actions.js';
import { listAccountBuckets, type AccountBucket, type AccountBuckets, type RestakedBucket, type ScanProgress } from '../../../core/staking/bucketIndex.js';
import { bucketView, type BucketFields } from '../../../core/staking/bucketState.js';
import { delegateName, readDelegates, type Delegate } from '../../../core/staking/delegates.js';
import { readBucketModules, readRestakingModules } from '../../../core/staking/restakingReads.js';
import { NETWORKS } from '../../../core/networks.js';
import { createIndexedDbScanCache } from '../../../browser/staking/scanCache.js';
import type { JobsState } from '../../state/jobs.svelte.js';
import { networkState } from '../../state/network.svelte.js';
import type { WalletSession } from '../../state/walletSession.svelte.js';

/** A bucket as the screens show it: its view at the ticking chain time, its delegate's name and its voting power. */
export type ShownBucket = AccountBucket & { delegateName: string | null; votingPower: bigint | null };
/** `moduleName`: the name (or "module N") of the module it backs; null with none, or off the devnet (modules are an Outpost extension). */
export type ShownRestakedBucket = RestakedBucket & { delegateName: string | null; moduleName: string | null };

/** What the contract allows, read from it: V3's MIN_AMOUNT and MAX_DURATION (seconds). */
type StakingLimits = { minAmount: bigint; maxDuration: bigint };

type Loaded = { key: string; result: AccountBuckets; readAtMs: number; limits: StakingLimits };

/**
 * The Staking section's state for the active account on the chosen network: its buckets and
 * restaked buckets (from the chain, through the paged log scan and its IndexedDB cache), totals,
 * the delegates, the contract's limits, and a clock for countdowns that is the **chain's** time:
 * the latest block's timestamp when the buckets were read, plus the seconds that have passed here
 * since (a devnet's moved clock stays moved). Actions run as transaction jobs through JobsState;
 * the buckets are read again after each.
 */
export class StakingState {
  /** Why nothing can be listed: no wallet, or a network without staking contracts; null when it can. */
  readonly blocker = $derived.by((): 'no-wallet' | 'no-contracts' | null => {
    if (!networkState.context.features.staking.available) return 'no-contracts';
    return this.#session.active ? null : 'no-wallet';
  });
  /** The log scan's progress while it pages ("Scanning blocks 12,000 of 48,000"); null when none runs. */
  scan = $state<ScanProgress | null>(null);
  loading = $state(false);
  /** Why the last read failed (RPC down, logs refused), as thrown. */
  error = $state<unknown>(null);
  delegates = $state<Delegate[]>([]);
  delegatesError = $state<unknown>(null);
  /** The module each restaked bucket backs, by bucket id (devnet only: read after the buckets). */
  #moduleOf = $state<Readonly<Record<string, string>>>({});
  /** Wall clock (ms), moved every second while a screen shows countdowns. */
  #wallMs = $state(Date.now());
  #loaded = $state<Loaded | null>(null);

  readonly #session: WalletSession;
  readonly #jobs: JobsState;
  #pending: { key: string; promise: Promise<void> } | null = null;
  #delegatesKey = '';
  #again = false;

  constructor(session: WalletSession, jobs: JobsState) {
    this.#session = session;
    this.#jobs = jobs;
    jobs.register(STAKING_JOB_KIND, rebuildStakingJob);
  }

  /** The account, network and RPC the buckets belong to: a change means a new read. */
  #key(): string | null {
    const account = this.#session.active?.address;
    const { network, rpcUrl, addressBook } = networkState.context;
    return account && addressBook.systemStaking ? `${network.id}|${rpcUrl}|${addressBook.systemStaking}|${account.toLowerCase()}` : null;
  }

  /** What was read, for the account and network on screen (a read for another one is not shown). */
  readonly #current = $derived.by(() => (this.#loaded && this.#loaded.key === this.#key() ? this.#loaded : null));

  /** The chain's time now (seconds): the block time the buckets were read at, plus the seconds since. */
  readonly now = $derived.by((): bigint | null => {
    const loaded = this.#current;
    if (!loaded) return null;
    const elapsed = Math.max(0, Math.floor((this.#wallMs - loaded.readAtMs) / 1000));
    return loaded.result.timestamp + BigInt(elapsed);
  });

  readonly limits = $derived(this.#current?.limits ?? null);
  readonly paused = $derived(this.#current?.result.paused ?? false);
  /** The block the buckets were read at. */
  readonly blockNumber = $derived(this.#current?.result.blockNumber ?? null);

  /** The account's own buckets, each with its view at `now`. */
  readonly buckets = $derived.by((): ShownBucket[] => {
    const loaded = this.#current;
    const now = this.now;
    if (!loaded || now === null) return [];
    return loaded.result.buckets.map((bucket) => ({
      ...bucket,
      view: bucketView(bucket.fields, { now, paused: loaded.result.paused }),
      delegateName: delegateName(this.delegates, bucket.fields.delegate),
      votingPower: safeVotingPower(bucket.fields),
    }));
  });

  /** Buckets the restaking strategy holds for the account (restaked, or unstaking from it). */
  readonly restaked = $derived.by((): ShownRestakedBucket[] =>
    (this.#current?.result.restaked ?? []).map((bucket) => ({
      ...bucket,
      delegateName: delegateName(this.delegates, bucket.fields.delegate),
      moduleName: this.#moduleOf[bucket.id.toString()] ?? null,
    })),
  );

  readonly totals = $derived.by(() => {
    let staked = 0n;
    let withdrawable = 0n;
    for (const bucket of this.buckets) {
      staked += bucket.fields.amount;
      if (bucket.view.status === 'withdrawable') withdrawable += bucket.fields.amount;
    }
    return { staked, withdrawable, restaked: this.#current?.result.totals.restaked ?? 0n };
  });

  /** Jobs of the staking kind for this account, not finished: the section offers to resume them. */
  readonly unfinishedJobs = $derived.by(() => this.#jobs.resumable.filter((job) => job.kind === STAKING_JOB_KIND));

  bucket(id: bigint): ShownBucket | null {
    return this.buckets.find((bucket) => bucket.id === id) ?? null;
  }

  /** A public client for the network on screen, with its chain definition (Multicall3). */
  client(): PublicClient {
    const { network, rpcUrl } = networkState.context;
    return createNetworkClient(network, rpcUrl, 15_000);
  }

  /** The job context of the account on screen; throws the wallet's named error without one. */
  context(): StakingJobContext {
    const account = this.#session.active?.address;
    const systemStaking = networkState.context.addressBook.systemStaking;
    if (!account) throw new OutpostError('wallet.not_connected', 'Connect or unlock a wallet first.', { hint: 'Open the Wallet tab to unlock or connect one.' });
    if (!systemStaking) throw new OutpostError('staking.no_contract', `${networkState.context.network.name} has no staking contract.`, { hint: 'Choose a network with bucket staking in Settings.' });
    return { account, chainId: networkState.context.network.chainId, systemStaking };
  }

  /** Moves the countdown clock every second; returns the stop (for an $effect). */
  startClock(): () => void {
    const timer = setInterval(() => (this.#wallMs = Date.now()), 1000);
    return () => clearInterval(timer);
  }

  /**
   * Reads the buckets (the cache makes a repeat cheap: only new blocks), the delegates and the
   * account's jobs. One read at a time per account: asking during one reads once more afterwards
   * (a job that just landed must be seen).
   */
  refresh(): Promise<void> {
    const key = this.#key();
    if (!key) return Promise.resolve();
    if (this.#pending?.key === key) {
      this.#again = true;
      return this.#pending.promise;
    }
    const promise = this.#read(key).finally(() => {
      if (this.#pending?.promise === promise) this.#pending = null;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    });
    this.#pending = { key, promise };
    return promise;
  }

  async #read(key: string): Promise<void> {
    const account = this.#session.active?.address;
    const { network, addressBook } = networkState.context;
    if (!account || !addressBook.systemStaking) return;
    this.loading = true;
    const client = this.client();
    try {
      void this.#jobs.load(account, network.chainId).catch(() => undefined);
      // Delegates belong to the network: read once per network and RPC (again after a failed read).
      const delegatesKey = `${network.id}|${networkState.context.rpcUrl}`;
      if (this.#delegatesKey !== delegatesKey || this.delegatesError) {
        this.#delegatesKey = delegatesKey;
        this.delegates = [];
        void this.#readDelegates(client, addressBook.delegateRegistry, delegatesKey);
      }
      const [result, limits] = await Promise.all([
        listAccountBuckets(client, {
          contract: addressBook.systemStaking,
          account,
          cache: createIndexedDbScanCache(),
          ...(addressBook.bucketStrategy ? { strategy: addressBook.bucketStrategy } : {}),
          onProgress: (progress) => {
            if (this.#key() === key) this.scan = progress;
          },
        }),
        this.limits && this.#current ? Promise.resolve(this.limits) : readLimits(client, addressBook.systemStaking),
      ]);
      if (this.#key() !== key) return;
      this.#wallMs = Date.now();
      this.#loaded = { key, result, readAtMs: this.#wallMs, limits };
      this.error = null;
      if (addressBook.bucketStrategy) void this.#readModuleNames(client, addressBook.bucketStrategy, result.restaked.map((bucket) => bucket.id), key);
    } catch (error) {
      if (this.#key() === key) this.error = error;
    } finally {
      this.loading = false;
      this.scan = null;
    }
  }

  /**
   * Names the module each restaked bucket backs, on the devnet only: modules are an Outpost extension
   * that IoTeX's MSP does not have. A failed read leaves the rows without a module name; the Restake
   * screen reads the same figures and shows the error.
   */
  async #readModuleNames(client: PublicClient, strategy: Address, ids: bigint[], key: string): Promise<void> {
    if (networkState.context.network.chainId !== NETWORKS.devnet.chainId || ids.length === 0) {
      this.#moduleOf = {};
      return;
    }
    try {
      const [byBucket, { modules }] = await Promise.all([readBucketModules(client, { strategy, ids }), readRestakingModules(client, { strategy })]);
      if (this.#key() !== key) return;
      const nameOf = (moduleId: bigint) => modules.find((module) => module.id === moduleId)?.name ?? `module ${moduleId}`;
      this.#moduleOf = Object.fromEntries([...byBucket].filter(([, moduleId]) => moduleId !== 0n).map(([id, moduleId]) => [id.toString(), nameOf(moduleId)]));
    } catch {
      // Left without names; see above.
    }
  }

  async #readDelegates(client: PublicClient, delegateRegistry: Address | undefined, key: string): Promise<void> {
    try {
      const delegates = await readDelegates(client, { delegateRegistry });
      if (this.#delegatesKey !== key) return;
      this.delegates = delegates;
      this.delegatesError = null;
    } catch (error) {
      if (this.#delegatesKey === key) this.delegatesError = error;
    }
  }

  /** The job for a staking action, with the block it was asked at (its id and anchor). */
  prepare(action: StakingAction): Promise<JobSpec> {
    return prepareStakingJob(this.client(), this.context(), action);
  }

  /**
   * Runs a job (a staking action, or the restaking screens' own) through the app's JobsState (the
   * confirmation queue confirms each step, History records it), then reads the buckets again.
   * Resolves with the record; a pause or failure is in `jobs.errors[spec.id]`.
   */
  async run(spec: JobSpec): Promise<JobRecord | null> {
    try {
      return await this.#jobs.run(spec);
    } finally {
      await this.refresh();
    }
  }

  /** After a resumed or cancelled job: the buckets may have changed. */
  settled(): void {
    void this.refresh();
  }
}

/** The contract's own MIN_AMOUNT and MAX_DURATION (both in IoTeX's V3 ABI), so the stake form checks what the chain checks. */
async function readLimits(client: PublicClient, systemStaking: Address): Promise<StakingLimits> {
  const [minAmount, maxDuration] = await Promise.all([
    client.readContract({ address: systemStaking, abi: systemStakingAbi, functionName: 'MIN_AMOUNT' }),
    client.readContract({ address: systemStaking, abi: systemStakingAbi, functionName: 'MAX_DURATION' }),
  ]);
  return { minAmount, maxDuration };
}

function safeVotingPower(fields: BucketFields): bigint | null {
  try {
    return votingPower(fields);
  } catch {
    return null;
  }
}

export const [getStakingState, setStakingState] = createContext<StakingState>();
