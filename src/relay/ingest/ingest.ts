import * as v from 'valibot';
import type { Hex } from 'viem';
import type { BatchProof } from '../../core/zk/proof.js';
import { unpackPublicSignals, type BatchPublicSignals, type PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import { batchLeaf } from '../../core/batch/merkle.js';
import { toSolidityProof } from '../../core/zk/proof.js';
import { toNumber, type Db } from '../db/db.js';
import { epochBounds, epochOf } from '../../core/relayWire/epoch.js';
import { BatchSubmissionSchema, issuesText, type BatchSubmission, type Receipt } from '../../core/relayWire/schemas.js';
import { RelayRejection } from '../errors.js';
import { judgeLeaf } from '../verify/judge.js';
import type { Verifier } from '../verify/pool.js';
import type { BatchWriter } from './batchWriter.js';
import { findBatchOrEpoch, newestEpochOf, receiptFromRow } from './receipts.js';

export type IngestDeps = {
  db: Db;
  /** Stores new batches, concurrent ones together (group commit); one per relay, over `db`. */
  writer: BatchWriter;
  /** Signature recovery and the Groth16 check against the committed key, on the verification threads. */
  verifier: Pick<Verifier, 'recoverSigner' | 'verifyProof'>;
  ioidExists: (device: BatchSubmission['device']) => Promise<boolean>;
  epochSeconds: number;
  maxEpochLag: number;
  now: () => number;
  /**
   * Per-device rate limit. Spent only by a batch whose signature and proof both verified and that
   * is not a re-send of a stored batch: anything earlier would let anyone who knows a device's
   * address (or replays one of its published signatures, or re-randomises one of its published
   * proofs) spend the genuine device's budget and lock it out. The per-client limit in front of
   * ingest bounds the work junk can cause.
   */
  allowDevice: (device: string) => boolean | Promise<boolean>;
};

export type IngestResult = { receipt: Receipt; duplicate: boolean; readings: number };

/**
 * Checks one submission, cheapest first, and stores it durably before answering:
 *   1. schema, sizes and number ranges (the body cap is applied by the HTTP layer before parsing);
 *   2. epoch inside the accepted window (current epoch and `maxEpochLag` before it);
 *   — an exact retry of a stored batch (same leaf, which binds every field) returns its receipt here;
 *   3. the device has an ioID (ioIDRegistry.exists, cached);
 *   4. the body agrees with the leaf: commitment = public signal 0, and the window starts in `epoch`;
 *   5. the leaf is one BatchInbox.challenge would call valid (judgeLeaf, in the contract's order):
 *      device signal, window (one epoch, ended by now), device signature, Groth16 proof;
 *   6. the per-device rate limit (see IngestDeps.allowDevice);
 *   7. duplicates: another batch for the same device and epoch is a conflict; a batch for an epoch
 *      older than the device's newest stored one is a replay.
 * Throws RelayRejection with the code of the first failed check.
 */
export async function ingestBatch(deps: IngestDeps, body: unknown): Promise<IngestResult> {
  const parsed = v.safeParse(BatchSubmissionSchema, body);
  if (!parsed.success) throw new RelayRejection('invalid_batch', 'The batch does not match the submission schema.', { details: issuesText(parsed.issues), hint: 'See /openapi.json for the body of POST /v1/batches.' });
  const submission = parsed.output;

  const current = epochOf(deps.now(), deps.epochSeconds);
  if (submission.epoch > current || submission.epoch < current - deps.maxEpochLag) {
    throw new RelayRejection('epoch_out_of_window', `Epoch ${submission.epoch} is outside the accepted window ${current - deps.maxEpochLag}…${current}.`, {
      hint: submission.epoch > current ? 'The device clock may be ahead; check its time.' : 'The batch is too old for this relay; it can still be submitted on-chain directly.',
    });
  }

  const publicSignals = submission.publicSignals.map((value) => BigInt(value)) as unknown as PublicSignalsTuple;
  const batch: BatchProof = { proof: submission.proof, publicSignals };
  const { pA, pB, pC, pubSignals } = toSolidityProof(batch);
  const id = batchLeaf({ device: submission.device, pubSignals, signature: submission.signature, pA, pB, pC }).toLowerCase() as Hex;
  // One read answers both re-sends: the exact retry here, the same readings re-signed or re-proved after verification.
  const device = submission.device.toLowerCase();
  const { byId, sameEpoch } = await findBatchOrEpoch(deps.db, id, device, submission.epoch);
  if (byId) return { receipt: receiptFromRow(byId), duplicate: true, readings: toNumber(byId.readings) };

  if (!(await deps.ioidExists(submission.device))) {
    throw new RelayRejection('no_ioid', `Device ${submission.device} has no ioID on-chain.`, { hint: 'Give the device an ioID on-chain (ioIDRegistry.register) before sending its data.' });
  }

  if (BigInt(submission.commitment) !== publicSignals[0]) {
    throw new RelayRejection('tampered_public_signal', 'Public signal 0 (commitment) differs from the signed commitment.');
  }
  const windowStart = publicSignals[2] & ((1n << 64n) - 1n);
  if (windowStart / BigInt(deps.epochSeconds) !== BigInt(submission.epoch)) {
    const bounds = epochBounds(submission.epoch, deps.epochSeconds);
    throw new RelayRejection('epoch_mismatch', `The proved window starts at ${windowStart}, not inside epoch ${submission.epoch} (${bounds.start}…${bounds.end}).`, {
      hint: 'Prove the batch with its epoch’s window.',
    });
  }

  const verdict = await judgeLeaf({ device: submission.device, signature: submission.signature, proof: submission.proof, publicSignals }, { epochSeconds: deps.epochSeconds, now: deps.now(), verifier: deps.verifier });
  if (!verdict.ok) throw verdict.rejection;

  let signals: BatchPublicSignals;
  try {
    signals = unpackPublicSignals(publicSignals);
  } catch (error) {
    // The proof verified, so the circuit produced this statement; a relay that cannot read it refuses (safe) rather than stores it.
    throw new RelayRejection('tampered_public_signal', 'The public signals are not a valid Outpost batch statement.', { details: error instanceof Error ? error.message : String(error) });
  }

  // A re-send of a stored batch (same readings, re-signed or re-proved) is answered without spending the budget.
  if (sameEpoch && sameEpoch.commitment === submission.commitment) return { receipt: receiptFromRow(sameEpoch), duplicate: true, readings: toNumber(sameEpoch.readings) };
  if (!(await deps.allowDevice(device))) {
    throw new RelayRejection('rate_limited', 'This device is sending batches too fast.', { hint: 'Retry later with backoff.' });
  }

  const readings = signals.statement.count;
  const row = await deps.writer.insert({
    id,
    device,
    epoch: submission.epoch,
    commitment: submission.commitment,
    signature: submission.signature.toLowerCase(),
    proof: JSON.stringify(submission.proof),
    publicSignals: JSON.stringify(submission.publicSignals),
    readings,
    changes: signals.statement.changes,
    encryptedReadings: submission.encryptedReadings ?? null,
  });
  if (row) return { receipt: receiptFromRow(row), duplicate: false, readings };
  return explainRefusal(deps.db, id, submission, readings);
}

/**
 * The writer (batchWriter.ts) refused the insert: the device has a batch for this epoch or a later
 * one, maybe stored just now by a concurrent request or another instance. Batches are never
 * deleted, so what refused the insert is still there to say which answer it is.
 */
async function explainRefusal(db: Db, id: Hex, submission: BatchSubmission, readings: number): Promise<IngestResult> {
  const device = submission.device.toLowerCase();
  const { byId, sameEpoch: same } = await findBatchOrEpoch(db, id, device, submission.epoch);
  if (byId) return { receipt: receiptFromRow(byId), duplicate: true, readings };
  if (same) {
    if (same.commitment === submission.commitment) {
      // Same readings, re-signed or re-proved: still the same batch, so the stored receipt answers.
      return { receipt: receiptFromRow(same), duplicate: true, readings };
    }
    throw new RelayRejection('duplicate_conflict', `Device ${submission.device} already has a different batch for epoch ${submission.epoch}.`, {
      details: `stored ${same.id}`,
      hint: 'One batch per device per epoch: put every reading of the epoch into one batch.',
    });
  }
  const newestEpoch = await newestEpochOf(db, device);
  throw new RelayRejection('replay', `Device ${submission.device} already submitted epoch ${newestEpoch}; epoch ${submission.epoch} comes too late.`, {
    hint: 'Batches are accepted in epoch order per device. Submit an older batch on-chain directly (BatchInbox) if it matters.',
  });
}
