import type { Hash, PublicClient } from 'viem';
import { toErrorRecord } from '../errorReport.js';
import { explainRevert, findRevert, formatRevert } from '../reverts/index.js';
import { simulateCall } from '../signing/decode.js';
import { runBatch, settleBatch, walletBatches } from './batch.js';
import {
  JobBatchFailedError,
  JobBusyError,
  JobCancelledError,
  JobDroppedError,
  JobNotCancellableError,
  JobPendingElsewhereError,
  JobReceiptTimeoutError,
  JobRevertedError,
  JobSimulationRevertedError,
  JobSpecMismatchError,
  JobWrongAccountError,
  JobWrongChainError,
  isUserRejection,
} from './errors.js';
import { followTransaction, nonceAt, waitForNonce } from './follow.js';
import { isFresh, isStepDone, newJobRecord, progressOf } from './record.js';
import type { JobCall, JobPhase, JobRecord, JobSpec, JobStore, JobWallet, RunJobOptions, StepSpec, StepStatus } from './types.js';

/**
 * The transaction-job runner (docs/jobs.md). Runs a job's steps in order, each decided from the
 * chain: a step whose effect is there is skipped, a stored hash is followed, anything else is
 * simulated, confirmed and sent, with the hash stored before its receipt is awaited. The record
 * in the store is the job's whole memory, so a fresh runner after a reload resumes exactly.
 *
 * Resolves with the record when the job is done or cancelled; rejects with the reason when it
 * paused (wallet rejected, timeout, RPC trouble, aborted) or failed (a step reverts), having
 * stored that status and error first.
 */
export async function runJob<Params>(client: PublicClient, wallet: JobWallet, store: JobStore, spec: JobSpec<Params>, options: RunJobOptions = {}): Promise<JobRecord<Params>> {
  if (wallet.address.toLowerCase() !== spec.account.toLowerCase()) throw new JobWrongAccountError(spec.account, wallet.address);
  const chainId = await client.getChainId();
  if (chainId !== spec.chainId) throw new JobWrongChainError(spec.chainId, chainId);
  const release = await store.lock(spec.id);
  if (!release) throw new JobBusyError(spec.title);
  try {
    const stored = await store.get(spec.id);
    if (stored && (stored.status === 'done' || stored.status === 'cancelled')) return stored as JobRecord<Params>;
    const now = options.now ?? Date.now;
    const record = stored ? matchSpec(stored, spec) : newJobRecord(spec, now());
    const run = new JobRun(client, wallet, store, spec, record, options);
    return (await run.run()) as JobRecord<Params>;
  } finally {
    release();
  }
}

/** Cancels a job that is not running (paused, failed, or left `running` by a closed tab). A running one is cancelled through its signal. */
export async function cancelStoredJob(store: JobStore, id: string, now: () => number = Date.now): Promise<JobRecord | undefined> {
  const release = await store.lock(id);
  const record = await store.get(id);
  if (!release) throw new JobBusyError(record?.title ?? id);
  try {
    if (!record) return undefined;
    if (record.status === 'cancelled') return record;
    if (record.status === 'done') throw new JobNotCancellableError(record.title, 'done');
    const cancelled: JobRecord = { ...record, status: 'cancelled', updatedAt: now() };
    await store.put(cancelled);
    return cancelled;
  } finally {
    release();
  }
}

/** The stored record, checked against the spec the journey rebuilt: same steps in the same order. */
function matchSpec(stored: JobRecord, spec: JobSpec): JobRecord {
  const storedIds = stored.steps.map((step) => step.id).join(',');
  const specIds = spec.steps.map((step) => step.id).join(',');
  if (stored.kind !== spec.kind) throw new JobSpecMismatchError(spec.id, `kind ${stored.kind} stored, ${spec.kind} built`);
  if (stored.account.toLowerCase() !== spec.account.toLowerCase() || stored.chainId !== spec.chainId) {
    throw new JobSpecMismatchError(spec.id, `stored for ${stored.account} on chain ${stored.chainId}, built for ${spec.account} on chain ${spec.chainId}`);
  }
  if (storedIds !== specIds) throw new JobSpecMismatchError(spec.id, `steps [${storedIds}] stored, [${specIds}] built`);
  // Labels may be reworded between versions; the stored statuses are what count.
  return { ...stored, title: spec.title, steps: stored.steps.map((step, i) => ({ ...step, label: spec.steps[i]!.label })) };
}

/** Errors that end the job as failed (the chain said no); anything else pauses it. */
const FAILING = [JobSimulationRevertedError, JobRevertedError, JobBatchFailedError];

/** Set aside while a wallet is asked: its answer, whatever it is, is stored before anything else happens. */
class WalletAnswer {
  constructor(readonly error: unknown) {}
}

export class JobRun {
  readonly pollingIntervalMs: number;
  readonly receiptTimeoutMs: number;
  readonly droppedAfterMs: number;
  readonly now: () => number;
  #atomicBatches: boolean | undefined;

  constructor(
    readonly client: PublicClient,
    readonly wallet: JobWallet,
    readonly store: JobStore,
    readonly spec: JobSpec,
    public record: JobRecord,
    readonly options: RunJobOptions,
  ) {
    this.pollingIntervalMs = options.pollingIntervalMs ?? client.pollingInterval ?? 4_000;
    this.receiptTimeoutMs = options.receiptTimeoutMs ?? 10 * 60_000;
    this.droppedAfterMs = options.droppedAfterMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async run(): Promise<JobRecord> {
    try {
      await this.save({ status: 'running', error: null });
      if (this.record.batch) await settleBatch(this);
      for (let index = 0; index < this.spec.steps.length; index++) {
        if (isStepDone(this.stepStatus(index))) continue;
        this.checkAbort();
        if (this.options.batch !== false && (await this.tryBatchFrom(index))) {
          index = -1; // the batch settled some steps: walk again from the start, skipping the done ones
          continue;
        }
        await this.settleStep(index);
        this.progress(index, 'step-done');
      }
      await this.save({ status: 'done', error: null });
      this.progress(this.spec.steps.length - 1, 'finished');
      return this.record;
    } catch (error) {
      const reason = this.reasonOf(error);
      const status = reason instanceof JobCancelledError ? 'cancelled' : FAILING.some((type) => reason instanceof type) ? 'failed' : 'paused';
      // A step left mid-simulation has nothing in flight: it starts over on resume.
      const steps = this.record.steps.map((step) => (step.status.kind === 'simulating' ? { ...step, status: { kind: 'waiting' } as StepStatus } : step));
      await this.save({ status, error: toErrorRecord(reason), steps });
      if (status === 'cancelled') return this.record;
      throw reason;
    }
  }

  /** An abort's reason is what the caller gave `abort()` (a JobCancelledError, or anything that pauses). */
  private reasonOf(error: unknown): unknown {
    const signal = this.options.signal;
    if (signal?.aborted && (error === signal.reason || (error as { name?: string } | null)?.name === 'AbortError')) return signal.reason;
    return error;
  }

  private async tryBatchFrom(index: number): Promise<boolean> {
    const batches = walletBatches(this.wallet);
    if (!batches || !isFresh(this.stepStatus(index))) return false;
    // Asked once per run: a wallet without wallet_getCapabilities answers with an error each time.
    this.#atomicBatches ??= await batches.supportsAtomicBatch(this.spec.chainId).catch(() => false);
    if (!this.#atomicBatches) return false;
    return runBatch(this, batches, index);
  }

  /** Brings step `index` to done, or throws. Each turn of the loop acts on the stored status. */
  private async settleStep(index: number): Promise<void> {
    const step = this.spec.steps[index]!;
    for (;;) {
      const status = this.stepStatus(index);
      switch (status.kind) {
        case 'confirmed':
        case 'skipped-already-landed':
          return;
        case 'replaced':
          if (status.landed) return;
          await this.setStep(index, { kind: 'waiting' }, status);
          break;
        case 'sent':
          await this.followSent(index, status);
          break;
        case 'awaiting-signature':
          await this.settleUnknown(index, status.nonce);
          break;
        case 'sent-in-batch':
          // The batch is gone (settleBatch cleared it): nothing but the chain says what landed.
          await this.settleUnknown(index, null);
          break;
        case 'waiting':
        case 'simulating':
        case 'failed':
          this.progress(index, 'checking');
          if (await this.landed(step)) await this.setStep(index, { kind: 'skipped-already-landed', at: this.now() }, status.kind === 'failed' ? status : undefined);
          else await this.sendStep(index);
          break;
      }
    }
  }

  /**
   * The wallet was asked but its answer never reached the record (a reload, a crash). Landed: done.
   * Otherwise, if the account has sent anything since the mark (its pending nonce moved past the
   * one noted), that may be this step: wait for it to be mined and ask the chain again. Only when
   * nothing moved is the step sent again.
   */
  private async settleUnknown(index: number, markedNonce: number | null): Promise<void> {
    const step = this.spec.steps[index]!;
    this.progress(index, 'checking');
    if (await this.landed(step)) return this.setStep(index, { kind: 'skipped-already-landed', at: this.now() });
    if (markedNonce !== null) {
      const pending = await nonceAt(this.client, this.spec.account, 'pending');
      if (pending !== null && pending > markedNonce) {
        this.progress(index, 'waiting-for-earlier-transaction');
        const mined = await waitForNonce(this.client, this.spec.account, markedNonce, { pollingIntervalMs: this.pollingIntervalMs, timeoutMs: this.receiptTimeoutMs, now: this.now, ...this.signalOption() });
        if (!mined) throw new JobPendingElsewhereError(this.stepName(index), markedNonce);
        if (await this.landed(step)) return this.setStep(index, { kind: 'skipped-already-landed', at: this.now() });
      }
    }
    await this.setStep(index, { kind: 'waiting' });
  }

  /** Simulate, confirm, mark, ask the wallet, store the hash, follow it. */
  private async sendStep(index: number): Promise<void> {
    const step = this.spec.steps[index]!;
    await this.setStep(index, { kind: 'simulating', at: this.now() });
    this.progress(index, 'simulating');
    const call = await step.request(this.client);
    const gas = await this.simulate(index, call);
    this.checkAbort();
    if (this.options.confirm) {
      this.progress(index, 'confirming');
      await this.options.confirm({ job: this.jobView(), calls: [{ step: index + 1, total: this.spec.steps.length, label: step.label, call, gas }], batch: false });
      this.checkAbort();
    }
    const mark = await this.writeAheadMark();
    await this.setStep(index, { kind: 'awaiting-signature', at: this.now(), ...mark });
    this.progress(index, 'awaiting-signature');
    const answer = await this.wallet.sendTransaction(call).catch((error: unknown) => new WalletAnswer(error));
    if (answer instanceof WalletAnswer) {
      // Refused: nothing went out. Any other failure may have sent it: the mark stays, and a resume asks the chain.
      if (isUserRejection(answer.error)) await this.setStep(index, { kind: 'waiting' });
      throw answer.error;
    }
    // The nonce, read while the transaction is in the pool, is what recognises a replacement later.
    const nonce = await this.client.getTransaction({ hash: answer }).then((tx) => tx.nonce, () => null);
    await this.setStep(index, { kind: 'sent', at: this.now(), hash: answer, nonce, block: mark.block });
    this.options.onSent?.(answer, { id: step.id, label: step.label });
  }

  private async followSent(index: number, sent: Extract<StepStatus, { kind: 'sent' }>): Promise<void> {
    const step = this.spec.steps[index]!;
    this.progress(index, 'pending', sent.hash);
    const outcome = await followTransaction(this.client, sent.hash, {
      account: this.spec.account,
      nonce: sent.nonce,
      fromBlock: sent.block,
      pollingIntervalMs: this.pollingIntervalMs,
      timeoutMs: this.receiptTimeoutMs,
      droppedAfterMs: this.droppedAfterMs,
      now: this.now,
      ...this.signalOption(),
      // Stored as soon as known, so a replacement can be recognised after a reload too.
      onNonce: (nonce) => this.setStep(index, { ...sent, nonce }),
    });
    switch (outcome.kind) {
      case 'mined': {
        if (outcome.receipt.status === 'success') return this.setStep(index, { kind: 'confirmed', at: this.now(), hash: sent.hash, block: Number(outcome.receipt.blockNumber) });
        // Reverted on-chain. Someone (another tab, another app) may have done it first.
        if (await this.landed(step)) return this.setStep(index, { kind: 'skipped-already-landed', at: this.now() }, { kind: 'failed', at: this.now(), hash: sent.hash, error: { code: 'job.reverted', message: 'Reverted on-chain', hint: null } });
        const error = await this.revertedError(index, sent.hash, outcome.receipt.blockNumber);
        await this.setStep(index, { kind: 'failed', at: this.now(), hash: sent.hash, error: toErrorRecord(error) });
        throw error;
      }
      case 'replaced': {
        const landed = await this.landed(step);
        const replaced: StepStatus = { kind: 'replaced', at: this.now(), hash: sent.hash, newHash: outcome.newHash, landed };
        // Landed: the replacement did the step (a speed-up). Not landed: it was cancelled or did something else; send again.
        return this.setStep(index, landed ? replaced : { kind: 'waiting' }, landed ? undefined : replaced);
      }
      case 'dropped': {
        if (await this.landed(step)) return this.setStep(index, { kind: 'skipped-already-landed', at: this.now() });
        const error = new JobDroppedError(this.stepName(index), sent.hash);
        await this.setStep(index, { kind: 'waiting' }, { kind: 'failed', at: this.now(), hash: sent.hash, error: toErrorRecord(error) });
        throw error;
      }
      case 'timeout':
        throw new JobReceiptTimeoutError(this.stepName(index), `transaction ${sent.hash}`);
    }
  }

  /** eth_call and a gas estimate before anything is signed; a revert is a named failure. */
  async simulate(index: number, call: JobCall): Promise<bigint | null> {
    const simulation = await simulateCall(this.client, { from: this.spec.account, to: call.to, ...(call.value === undefined ? {} : { value: call.value }), ...(call.data ? { data: call.data } : {}), ...(call.abi ? { abi: call.abi } : {}) });
    if (simulation.ok) return simulation.gas;
    const revert = findRevert(simulation.error, call.abi);
    if (!revert) throw simulation.error ?? new Error(simulation.reason);
    const error = new JobSimulationRevertedError(this.stepName(index), explainRevert(revert), { details: formatRevert(revert), cause: simulation.error });
    await this.setStep(index, { kind: 'failed', at: this.now(), error: toErrorRecord(error) });
    throw error;
  }

  /** Why a mined transaction reverted: the call replayed at the block it was mined in, where the node allows. */
  private async revertedError(index: number, hash: Hash, blockNumber: bigint): Promise<JobRevertedError> {
    const step = this.spec.steps[index]!;
    try {
      const call = await step.request(this.client);
      await this.client.call({ account: this.spec.account, to: call.to, ...(call.data ? { data: call.data } : {}), value: call.value ?? 0n, blockNumber: blockNumber - 1n });
    } catch (cause) {
      const revert = findRevert(cause, undefined);
      if (revert) return new JobRevertedError(this.stepName(index), hash, explainRevert(revert), { details: `${formatRevert(revert)} (transaction ${hash})`, cause });
    }
    return new JobRevertedError(this.stepName(index), hash, null);
  }

  /** The account's pending nonce and the block, noted before the wallet is asked (null when unreadable). */
  async writeAheadMark(): Promise<{ nonce: number | null; block: number | null }> {
    const [nonce, block] = await Promise.all([nonceAt(this.client, this.spec.account, 'pending'), this.client.getBlockNumber({ cacheTime: 0 }).then(Number, () => null)]);
    return { nonce, block };
  }

  async landed(step: StepSpec): Promise<boolean> {
    return step.landed(this.client);
  }

  stepStatus(index: number): StepStatus {
    return this.record.steps[index]!.status;
  }

  /** Sets a step's status (keeping `previous` in its history) and stores the record before going on. */
  async setStep(index: number, status: StepStatus, previous?: StepStatus): Promise<void> {
    const steps = this.record.steps.map((step, i) => (i === index ? { ...step, status, history: previous ? [...step.history, previous] : step.history } : step));
    await this.save({ steps });
  }

  async save(patch: Partial<JobRecord>): Promise<void> {
    const next = { ...this.record, ...patch, updatedAt: this.now() };
    await this.store.put(next);
    this.record = next;
  }

  progress(index: number, phase: JobPhase, hash?: Hash): void {
    this.options.onProgress?.(progressOf(this.record, index, phase, hash), this.record);
  }

  /** Between steps and before the wallet is asked: stop here if asked to. */
  checkAbort(): void {
    this.options.signal?.throwIfAborted();
  }

  signalOption(): { signal?: AbortSignal } {
    return this.options.signal ? { signal: this.options.signal } : {};
  }

  stepName(index: number): string {
    return `Step ${index + 1} of ${this.spec.steps.length} (${this.spec.steps[index]!.label})`;
  }

  jobView() {
    return { id: this.spec.id, title: this.spec.title, account: this.spec.account, chainId: this.spec.chainId };
  }
}
