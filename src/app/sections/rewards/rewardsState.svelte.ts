import { createContext } from 'svelte';
import type { Address, PublicClient } from 'viem';
import { OutpostError } from '../../../core/errors.js';
import type { JobSpec } from '../../../core/jobs/types.js';
import { REWARDS_CLAIM_JOB_KIND } from '../../../core/rewards/claimJob.js';
import type { ClaimRecord, DataReward, RewardsContracts, RewardsOverview } from '../../../core/rewards/types.js';
import type { JobsState } from '../../state/jobs.svelte.js';
import { networkState } from '../../state/network.svelte.js';
import type { WalletSession } from '../../state/walletSession.svelte.js';
import { claimableData, deviceGroups, rewardsReport, totals, type ClaimChoice, type DeviceGroup, type RewardTotals } from './rewardsView.js';

type Core = typeof import('../../../core/rewards/index.js');
const loadCore = (): Promise<Core> => import('../../../core/rewards/index.js');

/** A claim's estimated network fee next to what it pays, and the verdict ("costs more than it pays"). */
export type ClaimCost = { choice: ClaimChoice; feeWei: bigint; amountWei: bigint; level: 'ok' | 'costly' | 'loss'; text: string };

/**
 * The Rewards screen's state for the active account on the network on screen: one overview read
 * from the chain and the relay (src/core/rewards: every relay figure checked against the posted
 * root before it is shown, claims reconciled with on-chain events), the claims run as ONE job each
 * on the shared runner, and the estimated fee of each claim against what it pays. Nothing shown is
 * kept from memory: after every job the overview is read again.
 */
export class RewardsState {
  /** Raw (not deeply proxied): replaced whole on every read, and large for big accounts. */
  overview = $state.raw<RewardsOverview | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  /** The last claim's failure to start (nothing to claim, no wallet…), shown by ErrorNotice. */
  actionError = $state<unknown>(null);
  /** The job the screen follows with JobProgress. */
  activeJobId = $state<string | null>(null);
  /** Estimated fee against amount, per choice ('all', 'data', 'restaking', or one data reward's key). */
  costs = $state.raw<Record<string, ClaimCost>>({});
  /** Ms the last read took (shown beside "read at"). */
  readMs = $state<number | null>(null);

  readonly #session: WalletSession;
  readonly #jobs: JobsState;
  #generation = 0;

  /** Claim jobs of this account left unfinished (a reload, a closed tab): the screen offers Resume. */
  get unfinishedJobs() {
    return this.#jobs.resumable.filter((job) => job.kind === REWARDS_CLAIM_JOB_KIND && job.id !== this.activeJobId);
  }

  get account(): Address | null {
    return this.#session.active?.address ?? null;
  }

  constructor(deps: { session: WalletSession; jobs: JobsState }) {
    this.#session = deps.session;
    this.#jobs = deps.jobs;
    void loadCore().then((core) => this.#jobs.register(core.REWARDS_CLAIM_JOB_KIND, (record) => core.rebuildRewardsClaimJob(record)));
  }

  readonly network = $derived(networkState.context.network);

  readonly available = $derived(networkState.context.features.dataRewards.available || networkState.context.features.restaking.available);
  readonly groups = $derived<DeviceGroup[]>(this.overview ? deviceGroups(this.overview.data) : []);
  readonly totals = $derived<RewardTotals | null>(this.overview ? totals(this.overview) : null);
  /** Mismatches and other findings that are not "paid = due", worst first. */
  readonly problems = $derived(
    (this.overview?.findings ?? []).filter((finding) => finding.severity !== 'ok').sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1)),
  );
  readonly history = $derived<ClaimRecord[]>(this.overview ? [...this.overview.history].sort((a, b) => b.at - a.at) : []);
  readonly report = $derived(this.overview ? rewardsReport(this.overview, this.problems) : '');

  contracts(): RewardsContracts {
    const book = networkState.context.addressBook;
    return { dataRewards: book.dataRewards ?? null, ioidRegistry: book.ioIDRegistry ?? null, ioid: book.ioID ?? null, bucketStrategy: book.bucketStrategy ?? null };
  }

  async client(): Promise<PublicClient> {
    const { createNetworkClient } = await import('../../../core/rpc.js');
    const { network, rpcUrl } = networkState.context;
    return createNetworkClient(network, rpcUrl, 15_000);
  }

  /** Reads everything again; only the latest read applies (an older, slower one is dropped). */
  async refresh(extraDevices: readonly Address[] = []): Promise<void> {
    const account = this.account;
    if (!account) {
      this.overview = null;
      return;
    }
    const generation = ++this.#generation;
    this.loading = true;
    const started = performance.now();
    try {
      const [core, client] = await Promise.all([loadCore(), this.client()]);
      const overview = await core.readRewardsOverview(client, {
        account,
        chainId: this.network.chainId,
        contracts: this.contracts(),
        relayUrl: networkState.context.relayUrl,
        extraDevices: [...extraDevices],
      });
      if (generation !== this.#generation) return;
      this.overview = overview;
      this.error = null;
      this.readMs = Math.round(performance.now() - started);
      void this.#estimateCosts(core, client, overview);
      void this.#tellReminders(overview);
    } catch (error) {
      if (generation === this.#generation) this.error = error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** The claimable total feeds the "rewards claimable" reminder (its badge and notification). */
  async #tellReminders(overview: RewardsOverview): Promise<void> {
    const sums = totals(overview);
    try {
      const { reportClaimable } = await import('../../../browser/reminders/reminders.js');
      await reportClaimable(overview.account, overview.chainId, sums.claimable);
    } catch {
      // Storage refused (private window, full disk): the screen still shows the amounts; only the reminder misses it.
    }
  }

  /** Claims what `choice` names as ONE job: everything, one kind, or one data reward. */
  async claim(choice: ClaimChoice): Promise<void> {
    this.actionError = null;
    let spec: JobSpec;
    try {
      const core = await loadCore();
      spec = core.rewardsClaimJob(this.#jobContext(), this.#selection(choice));
    } catch (error) {
      this.actionError = error;
      return;
    }
    this.activeJobId = spec.id;
    await this.#jobs.run(spec);
    await this.refresh();
  }

  /**
   * After a resumed or cancelled job (JobProgress's onsettled). A job resumed from the unfinished
   * list becomes the one the screen follows, so its outcome stays on screen once it is no longer
   * resumable.
   */
  settled(id?: string): void {
    if (id) this.activeJobId = id;
    void this.refresh();
  }

  /** The claim history as CSV, for taxes and accounting. */
  async csv(): Promise<string> {
    const core = await loadCore();
    return core.claimHistoryCsv(this.history, { chainId: this.network.chainId, symbol: 'IOTX' });
  }

  #jobContext() {
    const account = this.account;
    if (!account) throw new OutpostError('wallet.not_connected', 'Connect or unlock the wallet whose rewards to claim.', { hint: 'Open the Wallet tab to unlock or connect it.' });
    return { account, chainId: this.network.chainId, contracts: this.contracts(), fromBlock: this.overview?.block ?? 0n, jobs: this.#jobs.jobs };
  }

  #selection(choice: ClaimChoice): { data: DataReward[]; restaking: boolean } {
    const overview = this.overview;
    const data = overview ? claimableData(overview.data, choice) : [];
    const restaking = overview !== null && (choice === 'all' || choice === 'restaking') && overview.restaking.some((reward) => reward.pending > 0n);
    if (data.length === 0 && !restaking) {
      throw new OutpostError('rewards.nothing_to_claim', 'There is nothing to claim here right now.', { hint: 'Rewards appear once an epoch’s root is posted on-chain; pull to refresh.' });
    }
    return { data, restaking };
  }

  /** The fee of each claim the screen offers, from the chain's gas estimate and price, against its amount. */
  async #estimateCosts(core: Core, client: PublicClient, overview: RewardsOverview): Promise<void> {
    const account = this.account;
    if (!account) return;
    const choices: ClaimChoice[] = ['all', 'data', 'restaking', ...claimableData(overview.data, 'data').map((reward): ClaimChoice => ({ epoch: reward.epoch, device: reward.device }))];
    const costs: Record<string, ClaimCost> = {};
    let gasPrice: bigint;
    try {
      gasPrice = await client.getGasPrice();
    } catch {
      return;
    }
    for (const choice of choices) {
      let selection: { data: DataReward[]; restaking: boolean };
      try {
        selection = this.#selection(choice);
      } catch {
        continue;
      }
      try {
        const spec = core.rewardsClaimJob(this.#jobContext(), selection);
        let gas = 0n;
        for (const step of spec.steps) gas += await core.estimateClaimGas(client, account, await step.request(client));
        const amountWei = selection.data.reduce((sum, reward) => sum + reward.amount, 0n) + (selection.restaking ? overview.restaking.reduce((sum, reward) => sum + reward.pending, 0n) : 0n);
        const feeWei = gas * gasPrice;
        costs[choiceKey(choice)] = { choice, feeWei, amountWei, ...core.claimCostVerdict({ gasCostWei: feeWei, amountWei }) };
      } catch {
        // An estimate that fails here is not an error to show: the claim's own simulation names it.
      }
    }
    if (overview === this.overview) this.costs = costs;
  }
}

export function choiceKey(choice: ClaimChoice): string {
  return typeof choice === 'string' ? choice : `${choice.epoch}:${choice.device.toLowerCase()}`;
}

export const [getRewardsState, setRewardsState] = createContext<RewardsState>();
