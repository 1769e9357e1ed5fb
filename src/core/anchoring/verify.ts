/**
 * The phone does not take the relay's word that a batch is anchored. From what it sent it
 * recomputes its own leaf, checks the relay's Merkle proof from that leaf to the relay's root
 * (OpenZeppelin MerkleProof: sorted pairs, keccak256), checks the relay anchors under the
 * network's module, and reads BatchInbox.batchOf(module, root) on-chain: anchored, not slashed.
 * Only a batch that passes every check is shown as anchored; otherwise the first failed check is
 * named in plain words with what to do.
 */
import { firstLine } from '../errors.js';
import type { Hex } from 'viem';
import { batchLeaf, verifyMerkleProof } from '../batch/merkle.js';
import type { BatchSubmission } from '../outbox/batch.js';
import type { RelayAnchorClaim } from '../outbox/relayClient.js';
import { toSolidityProof } from '../zk/proof.js';
import type { PublicSignalsTuple } from '../zk/publicSignals.js';

/** The checks, in the order they run. */
type AnchorCheck = 'receipt' | 'proof' | 'module' | 'onchain' | 'slashed' | 'chain';

export type AnchorVerdict =
  | { ok: true; anchoredAt: number; moduleId: number }
  | {
      ok: false;
      check: AnchorCheck;
      /** What failed, in plain words. */
      message: string;
      /** What the owner can do about it. */
      hint: string;
      /** A failure to read the chain (not a finding about the relay): try again soon. */
      retryable: boolean;
    };

/** BatchInbox.batchOf(moduleId, root) as read from the chain. */
export type AnchoredBatchView = { epoch: bigint; count: bigint; anchoredAt: bigint; slashed: boolean };

export type VerifyAnchorDeps = {
  /** The relay module of the network's address book (devnet: devnet.json extra.moduleId); null when the network has none. */
  expectedModuleId: number | null;
  /** The module the relay says it anchors under (GET /v1/info moduleId); null when it does not say. */
  relayModuleId: number | null;
  /** Reads BatchInbox.batchOf(moduleId, merkleRoot) on the network's chain. */
  readBatch: (moduleId: bigint, merkleRoot: Hex) => Promise<AnchoredBatchView>;
};

/** The leaf BatchInbox hashes for this submission: exactly what the app sent, nothing the relay says. */
export function submissionLeaf(submission: BatchSubmission): Hex {
  const publicSignals = submission.publicSignals.map((value) => BigInt(value)) as unknown as PublicSignalsTuple;
  const { pA, pB, pC, pubSignals } = toSolidityProof({ proof: submission.proof, publicSignals });
  return batchLeaf({ device: submission.device, pubSignals, signature: submission.signature, pA, pB, pC }).toLowerCase() as Hex;
}

const WAIT_OR_SUBMIT = 'The app keeps checking. If the relay has not anchored it by its promised time, submit the batch on-chain yourself from here.';

function fail(check: AnchorCheck, message: string, hint: string, retryable = false): AnchorVerdict {
  return { ok: false, check, message, hint, retryable };
}

/**
 * Checks the relay's anchor claim for `submission`, cheapest first: the receipt is for this leaf,
 * the proof leads from the leaf to the root, the relay's module is the network's, and the root is
 * anchored under that module on-chain and not slashed.
 */
export async function verifyAnchor(submission: BatchSubmission, receiptId: Hex | null, claim: RelayAnchorClaim, deps: VerifyAnchorDeps): Promise<AnchorVerdict> {
  const leaf = submissionLeaf(submission);
  if (receiptId !== null && receiptId.toLowerCase() !== leaf) {
    return fail('receipt', 'The relay’s receipt is for a different batch than the one this phone sent.', WAIT_OR_SUBMIT);
  }
  if (claim.merkleProof === null) {
    return fail('proof', 'The relay’s receipt has no Merkle proof, so nothing shows this batch is in its anchor.', WAIT_OR_SUBMIT);
  }
  if (!verifyMerkleProof(claim.merkleProof, claim.merkleRoot, leaf)) {
    return fail('proof', 'The relay’s Merkle proof does not lead from this batch to the root it names: the batch is not shown to be in that anchor.', WAIT_OR_SUBMIT);
  }
  if (deps.expectedModuleId === null) {
    return fail('module', 'This network has no relay module in its address book, so the anchor cannot be checked on-chain.', 'Anchoring is checked on networks where BatchInbox is deployed (the local devnet today).');
  }
  if (deps.relayModuleId === null) {
    return fail('module', 'The relay does not say which module it anchors under (its /v1/info has no moduleId), so its anchor cannot be checked.', WAIT_OR_SUBMIT);
  }
  if (deps.relayModuleId !== deps.expectedModuleId) {
    return fail(
      'module',
      `The relay anchors under module ${deps.relayModuleId}, not under this network’s relay module ${deps.expectedModuleId}: its anchors are not backed by that module’s stake.`,
      'Use the network’s own relay (Settings), or submit the batch on-chain yourself from here.',
    );
  }
  let batch: AnchoredBatchView;
  try {
    batch = await deps.readBatch(BigInt(deps.expectedModuleId), claim.merkleRoot);
  } catch (error) {
    return fail('chain', 'BatchInbox could not be read on-chain to check the anchor.', `Check your connection; the app checks again shortly. (${firstLine(error)})`, true);
  }
  if (batch.anchoredAt === 0n) {
    return fail('onchain', `The root the relay names is not anchored on-chain under module ${deps.expectedModuleId}.`, WAIT_OR_SUBMIT);
  }
  if (batch.slashed) {
    return fail('slashed', 'The anchor holding this batch was successfully challenged on-chain (slashed): it no longer vouches for the batch.', 'Submit the batch on-chain yourself from here.');
  }
  return { ok: true, anchoredAt: Number(batch.anchoredAt), moduleId: deps.expectedModuleId };
}
