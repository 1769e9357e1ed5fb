/**
 * The outbox as the app runs it: loaded on demand (with src/core/outbox), it sends due batches,
 * rechecks receipts until their anchor is verified on-chain by this app (never on the relay's
 * word), and retries on start, on a timer (backoff), when the browser comes back online, and where
 * there is Background Sync, when the service worker is woken. A batch the relay refused without
 * cause or did not anchor in time can be submitted on-chain directly (the escape hatch), through
 * the wallet's confirmation, and is followed until the chain shows it.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { Address, Hex, PublicClient } from 'viem';
import type { DirectChain, RevertAdvice } from '../../../browser/anchoring/direct.js';
import { hatchStatus } from '../../../browser/anchoring/hatch.js';
import type { BatchSubmission } from '../../../core/outbox/batch.js';
import { describeError, OutpostError } from '../../../core/errors.js';
import { enqueueBatch, getEntry, listOutbox, processOutbox, registerBackgroundSync, retryNow, saveEntry, type AnchorVerifier, type OutboxEntry } from '../../../browser/outbox/outbox.js';
import { fetchRelayInfo, type RelayInfo } from '../../../core/outbox/relayClient.js';
import type { ConfirmationQueue } from '../../state/confirmationQueue.svelte.js';
import { networkState } from '../../state/network.svelte.js';
import type { WalletSession } from '../../state/walletSession.svelte.js';

type Runtime = typeof import('../../../browser/anchoring/runtime.js');
let runtime: Promise<Runtime> | null = null;
/** The chain code (viem's client, BatchInbox's ABI), loaded only once a batch needs the chain. */
const loadRuntime = (): Promise<Runtime> => (runtime ??= import('../../../browser/anchoring/runtime.js'));

/** How long the relay's /v1/info is reused before it is asked again. */
const INFO_TTL_MS = 60_000;
/** How often a direct submission on its way is looked for on-chain. */
const DIRECT_POLL_MS = 3_000;

/** The wallet that pays the gas of a direct submission, after the user confirms it. */
export type DirectPayer = { session: Pick<WalletSession, 'active'>; confirmations: Pick<ConfirmationQueue, 'requestTransaction'> };

type ChainContext = { client: PublicClient; batchInbox: Address; expectedModuleId: number | null };

class OutboxAppState {
  entries = $state.raw<OutboxEntry[]>([]);
  error = $state<unknown>(null);
  /** The current relay's GET /v1/info, when it answered. */
  info = $state.raw<RelayInfo | null>(null);
  /** Unix ms, ticking while a batch waits for its escape hatch to open. */
  now = $state(Date.now());
  /** Per entry: why the escape hatch did not send (a revert in simulation, no wallet…), with what to do. */
  notices = $state.raw<Record<string, RevertAdvice | OutpostError>>({});
  /** Entries whose direct submission this page is running right now. */
  readonly busy = new SvelteSet<string>();
  /** Whether the wallet's confirmation has been asked for here (it is loaded then). */
  confirming = $state(false);
  private started = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private infoFor: { relayUrl: string; at: number } | null = null;

  /**
   * Starts the outbox once per page: shows the entries now, runs once the network (and so the
   * relay) is known, then again on 'online' and as entries fall due.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    addEventListener('online', () => void retryNow().then(() => this.run()));
    void this.refresh();
    void networkState.init().then(() => this.run());
  }

  async add(submission: BatchSubmission): Promise<void> {
    try {
      await enqueueBatch(submission, networkState.context.relayUrl);
      this.start();
      await this.refresh();
      await this.run();
    } catch (error) {
      this.error = error;
    }
  }

  async retry(): Promise<void> {
    await retryNow(true);
    await this.run();
  }

  hatch(entry: OutboxEntry) {
    return hatchStatus(entry, this.now);
  }

  private async refresh(): Promise<void> {
    try {
      this.entries = await listOutbox();
    } catch (error) {
      this.error = error;
    }
  }

  /** The chain the anchors and direct submissions are read on, or null where BatchInbox is not deployed. */
  private async chain(): Promise<ChainContext | null> {
    const { network, rpcUrl, addressBook } = networkState.context;
    const batchInbox = addressBook.batchInbox;
    if (!batchInbox) return null;
    const moduleId = network.id === 'devnet' ? networkState.devnet.config?.extra?.moduleId : undefined;
    const rt = await loadRuntime();
    return { client: rt.createNetworkClient(network, rpcUrl), batchInbox, expectedModuleId: typeof moduleId === 'number' ? moduleId : null };
  }

  /** The relay's info, asked again at most once a minute; kept when the relay does not answer. */
  private async relayInfo(relayUrl: string | null): Promise<RelayInfo | null> {
    if (!relayUrl) return null;
    if (this.infoFor && this.infoFor.relayUrl === relayUrl && Date.now() - this.infoFor.at < INFO_TTL_MS) return this.info;
    try {
      this.info = await fetchRelayInfo(relayUrl);
      this.infoFor = { relayUrl, at: Date.now() };
    } catch {
      // The outbox says the relay is unreachable when it sends; the info is asked again next run.
    }
    return this.info;
  }

  /** Checks a claimed anchor on-chain; the chain code loads on the first claim to check. */
  private verifier(info: RelayInfo | null): AnchorVerifier {
    return async (entry, claim) => {
      const [rt, chain] = await Promise.all([loadRuntime(), this.chain()]);
      return rt.verifyAnchor(entry.submission, entry.receiptId, claim, {
        expectedModuleId: chain?.expectedModuleId ?? null,
        relayModuleId: info?.moduleId ?? null,
        readBatch: chain ? rt.readAnchoredBatch(chain.client, chain.batchInbox) : () => Promise.reject(new Error('BatchInbox is not deployed on this network')),
      });
    };
  }

  /** One pass over due entries; a call during a pass makes one more pass after it. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const relayUrl = networkState.context.relayUrl;
          const info = await this.relayInfo(relayUrl);
          const result = await processOutbox(relayUrl, { verify: this.verifier(info), anchorWithinSeconds: info?.anchorWithinSeconds ?? null });
          const settling = result.entries.some((entry) => entry.state === 'submitting' && !this.busy.has(entry.id)) ? await this.settleSubmitting(result.entries) : false;
          this.entries = settling ? await listOutbox() : result.entries;
          this.error = null;
          const submitting = this.entries.some((entry) => entry.state === 'submitting');
          this.schedule(submitting ? Math.min(result.nextDueAt ?? Infinity, Date.now() + DIRECT_POLL_MS) : result.nextDueAt);
          this.tick();
          // Batches still unsent: let the service worker send them once online, even if this page closes.
          if (result.entries.some((entry) => entry.state === 'queued')) void registerBackgroundSync();
        } catch (error) {
          this.error = error;
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  /** Follows direct submissions this page is not sending itself (e.g. after a reload) to their end on-chain. */
  private async settleSubmitting(entries: OutboxEntry[]): Promise<boolean> {
    const [rt, context] = await Promise.all([loadRuntime(), this.chain()]);
    if (!context) return false;
    const chain = rt.directChain(context.client, context.batchInbox);
    let changed = false;
    for (const entry of entries) {
      if (entry.state !== 'submitting' || this.busy.has(entry.id)) continue;
      if (await this.applySettlement(entry, chain)) changed = true;
    }
    return changed;
  }

  private async applySettlement(entry: OutboxEntry, chain: DirectChain): Promise<boolean> {
    const settlement = await (await loadRuntime()).settleDirect(entry, chain, Date.now());
    if (settlement.kind === 'pending') return false;
    const latest = (await getEntry(entry.id)) ?? entry;
    if (latest.state !== 'submitting') return false;
    const direct = latest.direct!;
    await saveEntry(
      settlement.kind === 'submitted'
        ? { ...latest, state: 'submitted', direct: { ...direct, txHash: settlement.txHash, blockNumber: settlement.blockNumber }, reason: null, updatedAt: Date.now() }
        : { ...latest, state: direct.returnTo, direct: null, reason: settlement.reason, updatedAt: Date.now() },
    );
    return true;
  }

  /** Keeps `now` current while some batch waits for its escape hatch to open, so the button appears on time. */
  private tick(): void {
    const waiting = this.entries.some((entry) => {
      const hatch = hatchStatus(entry, Date.now());
      return !hatch.open && hatch.opensAt !== null;
    });
    if (waiting && !this.ticker) this.ticker = setInterval(() => (this.now = Date.now()), 1_000);
    if (!waiting && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
    this.now = Date.now();
  }

  private notice(id: string, advice: RevertAdvice | OutpostError | null): void {
    const next = { ...this.notices };
    if (advice) next[id] = advice;
    else delete next[id];
    this.notices = next;
  }

  private setBusy(id: string, on: boolean): void {
    if (on) this.busy.add(id);
    else this.busy.delete(id);
  }

  /**
   * The escape hatch for one entry: checks the chain does not already hold it, simulates
   * BatchInbox.submitBatch (a revert is explained here and nothing is sent), then sends it through
   * the wallet's confirmation (gas, decoded call, simulation) and follows it until the chain shows
   * the BatchSubmitted event and directSubmitted(device, epoch).
   */
  async submitDirect(id: string, wallet: DirectPayer): Promise<void> {
    if (this.busy.has(id)) return;
    this.setBusy(id, true);
    this.notice(id, null);
    try {
      const entry = await getEntry(id);
      if (!entry) return;
      const hatch = hatchStatus(entry, Date.now());
      if (!hatch.open) {
        this.notice(id, { code: null, message: 'This batch cannot be submitted directly now.', hint: hatch.why ?? 'Wait for the relay.' });
        return;
      }
      const [rt, chain] = await Promise.all([loadRuntime(), this.chain()]);
      if (!chain) {
        this.notice(id, { code: null, message: `BatchInbox has no deployment on ${networkState.context.network.name}.`, hint: 'Direct submission works where BatchInbox is deployed (the local devnet today).' });
        return;
      }
      const from = wallet.session.active?.address;
      if (!from) {
        this.notice(id, { code: null, message: 'A wallet pays the gas for a direct submission, and none is connected.', hint: 'Open the Wallet tab, unlock or connect a wallet with some IOTX, and come back.' });
        return;
      }
      const reads = rt.directChain(chain.client, chain.batchInbox);
      let simulationError: unknown = null;
      const plan = await rt.planDirect(entry, reads, async (data: Hex) => {
        const simulation = await rt.simulateCall(chain.client, { from, to: chain.batchInbox, data, abi: rt.batchInboxAbi });
        if (!simulation.ok) simulationError = simulation.error ?? null;
        return simulation.ok ? { ok: true as const, gas: simulation.gas } : { ok: false as const, errorName: simulation.errorName ?? null, reason: simulation.reason };
      });
      if (plan.kind === 'blocked') {
        this.notice(id, withCause(plan.advice, simulationError));
        return;
      }
      const startedAt = Date.now();
      const returnTo = entry.state === 'failed' ? 'failed' : 'sent';
      if (plan.kind === 'already') {
        await saveEntry({ ...entry, state: 'submitted', direct: { txHash: plan.txHash, from: null, startedAt, blockNumber: plan.blockNumber, returnTo }, reason: null, updatedAt: startedAt });
        return;
      }
      // Saved before the wallet is asked: a reload from here on is settled from the chain, never sent blind again.
      const submitting: OutboxEntry = { ...entry, state: 'submitting', direct: { txHash: null, from, startedAt, blockNumber: null, returnTo }, updatedAt: startedAt };
      await saveEntry(submitting);
      await this.refresh();
      // The confirmation shows the gas and the most it can cost: the simulation's gas with headroom, at today's fee cap.
      const gas = plan.gas === null ? undefined : (plan.gas * 12n) / 10n;
      const maxFeePerGas = await chain.client
        .estimateFeesPerGas()
        .then((fees) => fees.maxFeePerGas)
        .catch(() => chain.client.getGasPrice().catch(() => null));
      let hash: Hex;
      this.confirming = true;
      try {
        hash = await wallet.confirmations.requestTransaction({
          title: 'Submit batch on-chain',
          to: chain.batchInbox,
          data: plan.data,
          abi: rt.batchInboxAbi,
          label: `Direct batch, epoch ${entry.submission.epoch}`,
          ...(gas !== undefined ? { gas } : {}),
          ...(gas !== undefined && maxFeePerGas ? { fee: gas * maxFeePerGas } : {}),
        });
      } catch (error) {
        await saveEntry({ ...submitting, state: returnTo, direct: null, updatedAt: Date.now() });
        this.notice(id, { code: null, message: 'The direct submission was not sent.', hint: describeError(error) });
        return;
      }
      const sent: OutboxEntry = { ...submitting, direct: { ...submitting.direct!, txHash: hash }, updatedAt: Date.now() };
      await saveEntry(sent);
      await this.refresh();
      await chain.client.waitForTransactionReceipt({ hash, timeout: 120_000 }).catch(() => undefined);
      await this.applySettlement(sent, reads);
    } catch (error) {
      this.notice(id, { code: null, message: 'The direct submission could not be prepared.', hint: describeError(error) });
    } finally {
      this.setBusy(id, false);
      await this.refresh();
      void this.run();
    }
  }

  private schedule(nextDueAt: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = nextDueAt === null ? null : setTimeout(() => void this.run(), Math.max(250, nextDueAt - Date.now()));
  }
}

export const outboxState = new OutboxAppState();

/**
 * The escape hatch's advice for a refused simulation, keeping the revert the simulation threw
 * (decoded, with viem's chain below it) as the cause, so "Copy details" shows the whole chain.
 */
function withCause(advice: RevertAdvice, cause: unknown): RevertAdvice | OutpostError {
  if (advice.code === null || cause === null) return advice;
  return new OutpostError(advice.code, advice.message, { hint: advice.hint, ...(advice.details ? { details: advice.details } : {}), cause });
}
