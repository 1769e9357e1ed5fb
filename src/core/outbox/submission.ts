/**
 * Turning a proved batch into what the relay takes. Kept apart from batch.ts because it validates
 * with the relay's wire schemas (valibot), which the first screen should not have to load: the
 * Devices section imports this only once a proof is made.
 */
import * as v from 'valibot';
import { OutpostError } from '../errors.js';
import { BatchSubmissionSchema, issuesText, type BatchSubmission } from '../relayWire/schemas.js';
import type { BatchProof } from '../zk/proof.js';
import type { ProvableBatch } from './batch.js';

/**
 * The relay submission for a proved batch, checked against the relay's own schema: a batch the
 * relay would refuse as invalid_batch is caught here, where it was made, with what is wrong.
 */
export function batchSubmission(batch: ProvableBatch, proved: BatchProof): BatchSubmission {
  const parsed = v.safeParse(BatchSubmissionSchema, {
    device: batch.device,
    epoch: batch.epoch,
    commitment: batch.commitment.toString(),
    signature: batch.signature,
    proof: proved.proof,
    publicSignals: proved.publicSignals.map((value) => value.toString()),
  });
  if (!parsed.success) {
    throw new OutpostError('outbox.invalid_submission', 'The proved batch is not one a relay takes.', { details: issuesText(parsed.issues), hint: 'This is a bug in the app; please report it with these details.' });
  }
  return parsed.output;
}
