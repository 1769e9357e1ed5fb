/**
 * The escape hatch: a batch the relay refused without cause, or did not anchor in the time it
 * promised, goes on-chain directly with BatchInbox.submitBatch(signature, pA, pB, pC, pubSignals),
 * sent from the owner's wallet. When the hatch is open is decided in hatch.ts (no chain code, so
 * the outbox can show it on the first screen); this module builds the call, explains a revert, and
 * settles a submission from what the chain says, so that a submission that landed is never sent
 * twice (the chain allows one direct batch per device and epoch).
 */
import { encodeFunctionData, type Address, type Hex } from 'viem';
import { batchInboxAbi } from '../../core/abis/index.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import type { BatchSubmission } from '../../core/outbox/batch.js';
import { toSolidityProof } from '../../core/zk/proof.js';
import type { PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import { submissionWindow } from './hatch.js';

/** BatchInbox.submitBatch's arguments for a submission, in the verifier's order (toSolidityProof). */
function submitBatchArgs(submission: BatchSubmission): readonly [Hex, readonly [bigint, bigint], readonly [readonly [bigint, bigint], readonly [bigint, bigint]], readonly [bigint, bigint], readonly [bigint, bigint, bigint, bigint]] {
  const publicSignals = submission.publicSignals.map((value) => BigInt(value)) as unknown as PublicSignalsTuple;
  const { pA, pB, pC, pubSignals } = toSolidityProof({ proof: submission.proof, publicSignals });
  return [submission.signature, pA, pB, pC, pubSignals];
}

export function submitBatchCalldata(submission: BatchSubmission): Hex {
  return encodeFunctionData({ abi: batchInboxAbi, functionName: 'submitBatch', args: submitBatchArgs(submission) });
}

/** Kept as a record (code, message, hint, the contract's own words) so the screen can show and copy it like any error. */
export type RevertAdvice = { code: 'chain.reverted' | null; message: string; hint: string; details?: string };

/** A short message and what to do, for each way BatchInbox.submitBatch can refuse. */
export function revertAdvice(errorName: string | null, reason: string): RevertAdvice {
  const words = reason || (errorName ? `${errorName}()` : '');
  return { code: 'chain.reverted', ...adviceText(errorName, reason), ...(words ? { details: words } : {}) };
}

function adviceText(errorName: string | null, reason: string): { message: string; hint: string } {
  switch (errorName) {
    case 'EpochAlreadySubmitted':
      return { message: 'A batch of this device for this epoch is already on-chain.', hint: 'Nothing to do: the chain takes one direct batch per device and epoch, and this one has it.' };
    case 'InvalidWindow':
      return { message: 'The chain does not accept this batch’s time window: it must lie inside one epoch and have ended.', hint: 'If the window has not ended yet, wait and try again; otherwise pull and prove the readings again.' };
    case 'DeviceNotRegistered':
      return { message: 'The device has no ioID on-chain.', hint: 'Give the device an ioID on-chain (ioIDRegistry.register), then submit again.' };
    case 'InvalidDeviceSignature':
      return { message: 'The device’s signature over this batch does not check out on-chain.', hint: 'Pull the readings again so the device signs a fresh batch, then prove it again.' };
    case 'InvalidProof':
      return { message: 'The batch’s zero-knowledge proof does not verify on-chain.', hint: 'Prove the batch again with this version of the app.' };
    case 'DeviceSignalOutOfRange':
      return { message: 'The batch names a device that is not an address.', hint: 'Prove the batch again from the device’s readings.' };
    default:
      return { message: `The chain would refuse this submission (${reason}).`, hint: 'Nothing was sent. Try again later; if it persists, prove the batch again.' };
  }
}

/** What the chain says about a direct submission (read by the page with viem; faked in unit tests). */
export type DirectChain = {
  /** BatchInbox.epochSeconds(). */
  epochSeconds: () => Promise<bigint>;
  /** BatchInbox.directSubmitted(device, epoch). */
  directSubmitted: (device: Address, epoch: bigint) => Promise<boolean>;
  /**
   * The mined receipt of `txHash` (null while pending or unknown) and whether its logs hold this
   * batch's BatchSubmitted event.
   */
  receipt: (txHash: Hex, submission: BatchSubmission) => Promise<{ success: boolean; blockNumber: number; submitted: boolean } | null>;
  /** This batch's BatchSubmitted event in the chain's logs, whoever sent it. */
  findSubmitted: (submission: BatchSubmission) => Promise<{ txHash: Hex; blockNumber: number } | null>;
};

/** The (device, epoch) BatchInbox keys direct submissions by: epoch = windowStart / epochSeconds. */
async function directKey(submission: BatchSubmission, chain: DirectChain): Promise<{ device: Address; epoch: bigint }> {
  const epochSeconds = await chain.epochSeconds();
  return { device: submission.device, epoch: submissionWindow(submission).windowStart / epochSeconds };
}

/** A submission not mined after this long, with nothing on-chain for its epoch, has been dropped. */
export const DIRECT_STALE_MS = 10 * 60_000;
/** A submission started but with no transaction hash (the page closed at the confirmation) is given up after this. */
export const DIRECT_UNSENT_MS = 2 * 60_000;

export type DirectSettlement =
  | { kind: 'submitted'; txHash: Hex; blockNumber: number }
  | { kind: 'pending' }
  | { kind: 'returned'; reason: string };

/**
 * Settles a submitting entry from the chain: mined with its BatchSubmitted event and
 * directSubmitted(device, epoch) true → submitted; reverted, or dropped with nothing on-chain for
 * its epoch → back where it was, with the reason; otherwise still pending. A submission someone
 * else's transaction landed (another phone, a reload between send and save) counts as submitted.
 */
export async function settleDirect(entry: OutboxEntry, chain: DirectChain, now: number): Promise<DirectSettlement> {
  const direct = entry.direct;
  if (!direct) return { kind: 'returned', reason: 'No direct submission was recorded.' };
  const { device, epoch } = await directKey(entry.submission, chain);
  if (direct.txHash) {
    const mined = await chain.receipt(direct.txHash, entry.submission);
    if (mined?.success && mined.submitted && (await chain.directSubmitted(device, epoch))) {
      return { kind: 'submitted', txHash: direct.txHash, blockNumber: mined.blockNumber };
    }
    if (mined && !mined.success) {
      const landed = await chain.directSubmitted(device, epoch) ? await chain.findSubmitted(entry.submission) : null;
      if (landed) return { kind: 'submitted', ...landed };
      return { kind: 'returned', reason: 'The direct submission reverted on-chain; nothing was recorded. Check the transaction in the wallet history and try again.' };
    }
    if (mined) return { kind: 'pending' };
    if (now - direct.startedAt < DIRECT_STALE_MS) return { kind: 'pending' };
  } else if (now - direct.startedAt < DIRECT_UNSENT_MS) {
    return { kind: 'pending' };
  }
  if (await chain.directSubmitted(device, epoch)) {
    const landed = await chain.findSubmitted(entry.submission);
    if (landed) return { kind: 'submitted', ...landed };
    return { kind: 'pending' };
  }
  return { kind: 'returned', reason: direct.txHash ? 'The direct submission was never mined. You can submit it again.' : 'The direct submission was not sent. You can submit it again.' };
}

export type DirectPlan =
  | { kind: 'already'; txHash: Hex; blockNumber: number }
  | { kind: 'blocked'; advice: RevertAdvice }
  | { kind: 'ready'; data: Hex; /** Gas the simulation used, when it says. */ gas: bigint | null };

/**
 * Before anything is sent: if this batch is already on-chain (directSubmitted), it is recorded,
 * not sent again; if the chain would refuse it (simulation), the reason and what to do.
 */
export async function planDirect(
  entry: OutboxEntry,
  chain: DirectChain,
  simulate: (data: Hex) => Promise<{ ok: true; gas?: bigint } | { ok: false; errorName: string | null; reason: string }>,
): Promise<DirectPlan> {
  const { device, epoch } = await directKey(entry.submission, chain);
  if (await chain.directSubmitted(device, epoch)) {
    const landed = await chain.findSubmitted(entry.submission);
    if (landed) return { kind: 'already', ...landed };
    return { kind: 'blocked', advice: revertAdvice('EpochAlreadySubmitted', '') };
  }
  const data = submitBatchCalldata(entry.submission);
  const simulation = await simulate(data);
  if (!simulation.ok) return { kind: 'blocked', advice: revertAdvice(simulation.errorName, simulation.reason) };
  return { kind: 'ready', data, gas: simulation.gas ?? null };
}
