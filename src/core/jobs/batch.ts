import { simulateCalls } from 'viem/actions';
import { toErrorRecord } from '../errorReport.js';
import { explainRevert, findRevert, formatRevert } from '../reverts/index.js';
import { isUserRejection, JobBatchFailedError, JobReceiptTimeoutError, JobSimulationRevertedError } from './errors.js';
import { sleep } from './follow.js';
import { isFresh, isStepDone } from './record.js';
import type { JobRun } from './runner.js';
import type { BatchStatus, JobCall, JobWallet, StepStatus } from './types.js';

/**
 * The EIP-5792 path: when the wallet can run calls atomically on the job's chain, the steps not
 * yet on-chain go as one `wallet_sendCalls` (one prompt) and are followed by the batch id with
 * `wallet_getCallsStatus`. Same rules as one by one: each step asked `landed()` first, simulated
 * first, a write-ahead mark before the wallet, the id stored before waiting.
 */
type Batches = Required<Pick<JobWallet, 'supportsAtomicBatch' | 'sendCalls' | 'getCallsStatus'>>;

export function walletBatches(wallet: JobWallet): Batches | null {
  const { supportsAtomicBatch, sendCalls, getCallsStatus } = wallet;
  if (!supportsAtomicBatch || !sendCalls || !getCallsStatus) return null;
  return { supportsAtomicBatch: supportsAtomicBatch.bind(wallet), sendCalls: sendCalls.bind(wallet), getCallsStatus: getCallsStatus.bind(wallet) };
}

/** Sends the fresh steps from `index` on as one batch; false when fewer than two would go (one by one is as good). */
export async function runBatch(run: JobRun, batches: Batches, index: number): Promise<boolean> {
  const members: number[] = [];
  for (let i = index; i < run.spec.steps.length; i++) {
    const status = run.stepStatus(i);
    if (isStepDone(status)) continue;
    // A step with something in flight ends the batch: it is followed on its own first.
    if (!isFresh(status)) break;
    run.progress(i, 'checking');
    if (await run.landed(run.spec.steps[i]!)) await run.setStep(i, { kind: 'skipped-already-landed', at: run.now() });
    else members.push(i);
  }
  if (members.length < 2) return false;

  const first = members[0]!;
  run.progress(first, 'simulating');
  const calls: JobCall[] = [];
  for (const [k, i] of members.entries()) {
    try {
      calls.push(await run.spec.steps[i]!.request(run.client));
    } catch (error) {
      // A step whose call needs the steps before it mined (an unlock of the bucket a stake mints: its
      // id is not known before) cannot join them: the batch ends before it, and it goes on its own.
      if (k === 0) throw error;
      members.length = k;
      break;
    }
  }
  if (members.length < 2) return false;
  const gas = await simulateInOrder(run, members, calls);
  run.checkAbort();
  if (run.options.confirm) {
    run.progress(first, 'confirming');
    const total = run.spec.steps.length;
    await run.options.confirm({ job: run.jobView(), calls: members.map((i, k) => ({ step: i + 1, total, label: run.spec.steps[i]!.label, call: calls[k]!, gas: gas[k] ?? null })), batch: true });
    run.checkAbort();
  }
  const mark = await run.writeAheadMark();
  for (const i of members) await run.setStep(i, { kind: 'awaiting-signature', at: run.now(), ...mark, batch: true });
  run.progress(first, 'awaiting-signature');
  let id: string;
  try {
    id = await batches.sendCalls(calls, run.spec.chainId);
  } catch (error) {
    if (isUserRejection(error)) for (const i of members) await run.setStep(i, { kind: 'waiting' });
    throw error;
  }
  const at = run.now();
  await run.save({
    batch: { id, stepIds: members.map((i) => run.spec.steps[i]!.id), at },
    steps: run.record.steps.map((step, i) => (members.includes(i) ? { ...step, status: { kind: 'sent-in-batch', at, batchId: id } } : step)),
  });
  await settleBatch(run);
  return true;
}

/**
 * Follows the stored batch until the wallet says it succeeded or failed. A wallet that does not
 * know the id (another wallet after a reconnect, or one that forgot it) leaves the steps to be
 * decided by `landed()`, as after a crash.
 */
export async function settleBatch(run: JobRun): Promise<void> {
  const batch = run.record.batch;
  if (!batch) return;
  const indices = batch.stepIds.map((id) => run.record.steps.findIndex((step) => step.id === id));
  const started = run.now();
  let status: BatchStatus = { status: 'unknown', receipts: [] };
  for (;;) {
    run.checkAbort();
    run.progress(indices[0]!, 'pending');
    status = await callsStatus(run.wallet, batch.id);
    if (status.status !== 'pending') break;
    if (run.now() - started >= run.receiptTimeoutMs) throw new JobReceiptTimeoutError(`“${run.spec.title}”`, `wallet batch ${batch.id}`);
    await sleep(run.pollingIntervalMs, run.options.signal);
  }

  if (status.status === 'success') {
    // One receipt per call, or one for the whole batch (an atomic smart-account transaction).
    const steps = run.record.steps.map((step, i) => {
      const k = indices.indexOf(i);
      if (k === -1) return step;
      const receipt = status.receipts.length === indices.length ? status.receipts[k] : status.receipts.at(-1);
      const confirmed: StepStatus = { kind: 'confirmed', at: run.now(), hash: receipt?.transactionHash ?? null, block: Number(receipt?.blockNumber ?? 0n) };
      return { ...step, status: confirmed };
    });
    await run.save({ batch: null, steps });
    return;
  }
  if (status.status === 'unknown') {
    await run.save({ batch: null });
    return;
  }
  // Failed: what is on-chain is done; the rest waits for a resume.
  const error = new JobBatchFailedError(run.spec.title, `wallet batch ${batch.id}: ${status.receipts.filter((r) => r.status === 'reverted').length} of ${status.receipts.length} transactions reverted`);
  for (const i of indices) {
    const previous = run.stepStatus(i);
    if (await run.landed(run.spec.steps[i]!)) await run.setStep(i, { kind: 'skipped-already-landed', at: run.now() }, previous);
    else await run.setStep(i, { kind: 'waiting' }, { kind: 'failed', at: run.now(), error: toErrorRecord(error) });
  }
  await run.save({ batch: null });
  throw error;
}

/** EIP-5792's "unknown bundle id" (5730), or a wallet without the method, reads as unknown; other errors are retried by the caller's loop. */
async function callsStatus(wallet: JobWallet, id: string): Promise<BatchStatus> {
  if (!wallet.getCallsStatus) return { status: 'unknown', receipts: [] };
  try {
    return await wallet.getCallsStatus(id);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 5730 || code === 4200 || code === -32601) return { status: 'unknown', receipts: [] };
    return { status: 'pending', receipts: [] };
  }
}

/**
 * Each call simulated on the state the calls before it leave (eth_simulateV1). Nodes without it
 * (Hardhat, some IoTeX RPCs) get the first call simulated alone: the later ones depend on it, so
 * a plain eth_call of them would fail for the wrong reason; the wallet simulates the whole batch.
 */
async function simulateInOrder(run: JobRun, members: number[], calls: JobCall[]): Promise<(bigint | null)[]> {
  type Result = { status: string; error?: unknown; gasUsed?: bigint };
  const results = await simulateCalls(run.client, { account: run.spec.account, calls: calls.map((call) => ({ to: call.to, ...(call.data ? { data: call.data } : {}), ...(call.value === undefined ? {} : { value: call.value }) })) }).then(
    (simulated) => simulated.results as unknown as Result[],
    () => null,
  );
  if (!results) return [await run.simulate(members[0]!, calls[0]!), ...members.slice(1).map(() => null)];
  for (const [k, result] of results.entries()) {
    if (result.status === 'success') continue;
    const i = members[k]!;
    const revert = findRevert(result.error, calls[k]!.abi);
    const error = new JobSimulationRevertedError(run.stepName(i), revert ? explainRevert(revert) : null, { ...(revert ? { details: formatRevert(revert) } : {}), cause: result.error });
    await run.setStep(i, { kind: 'failed', at: run.now(), error: toErrorRecord(error) });
    throw error;
  }
  return results.map((result) => result.gasUsed ?? null);
}
