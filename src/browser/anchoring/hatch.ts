/**
 * When the escape hatch is open for an outbox entry: pure, with no chain code, so the outbox can
 * show it without loading viem's client (the first screen's budget, tests/e2e/bundle-budget.e2e.ts).
 * The call itself is in direct.ts.
 */
import type { OutboxEntry } from '../outbox/outbox.js';
import type { BatchSubmission } from '../../core/outbox/batch.js';

/**
 * Relay refusals that say nothing against the batch itself, so the chain would take it:
 * - `replay`: an older epoch after a newer one. The relay's own ordering rule; BatchInbox takes
 *   one direct batch per (device, epoch) in any order.
 * - `epoch_out_of_window` for an epoch that has ended: too old for this relay, not for the chain.
 * - `no_ioid`: the relay's (cached) view; the chain checks the ioID itself and the simulation shows it.
 * - `cors_forbidden`: the relay refuses this app, not the batch.
 * - `anchor_failed`: the relay's anchoring transaction reverted.
 * Never the batch's own faults (bad_signature, bad_proof, tampered_public_signal, epoch_mismatch,
 * window_in_future, invalid_batch, …): BatchInbox refuses those too, and nothing is gained.
 * Not `duplicate_conflict` either: the relay holds another batch of this device for this epoch.
 */
export const HATCH_REFUSALS = ['replay', 'epoch_out_of_window', 'no_ioid', 'cors_forbidden', 'anchor_failed'] as const;

/** Refusals that are the batch's own fault, named so the outbox can say why the hatch stays shut. */
const OWN_FAULT_REFUSALS = ['bad_signature', 'bad_proof', 'tampered_public_signal', 'epoch_mismatch', 'window_in_future', 'invalid_batch', 'malformed_json', 'body_too_large', 'unsupported_media_type'] as const;

export type BatchWindowSeconds = { windowStart: bigint; windowEnd: bigint };

/** The proved window, read from public signal 2 as BatchInbox reads it (start: low 64 bits, end: the rest). */
export function submissionWindow(submission: BatchSubmission): BatchWindowSeconds {
  const packed = BigInt(submission.publicSignals[2]);
  return { windowStart: packed & ((1n << 64n) - 1n), windowEnd: packed >> 64n };
}

export type HatchStatus =
  | { open: true; why: string }
  | { open: false; why: string | null; /** Unix ms when it opens by itself (the relay's promised time), if it will. */ opensAt: number | null };

/** Whether the escape hatch is open for an entry at `now` (unix ms). */
export function hatchStatus(entry: OutboxEntry, now: number): HatchStatus {
  switch (entry.state) {
    case 'queued':
      return { open: false, why: null, opensAt: null };
    case 'anchored':
    case 'submitted':
      return { open: false, why: null, opensAt: null };
    case 'submitting':
      return { open: false, why: 'A direct submission is on its way.', opensAt: null };
    case 'failed': {
      const code = entry.refusal ?? null;
      if (code === 'epoch_out_of_window') {
        const ended = submissionWindow(entry.submission).windowEnd * 1000n < BigInt(now);
        return ended
          ? { open: true, why: 'The relay refused the batch as too old; the chain still takes it.' }
          : { open: false, why: 'The relay refused the batch as ahead of its clock: wait until its time window has ended.', opensAt: null };
      }
      if (code !== null && (HATCH_REFUSALS as readonly string[]).includes(code)) {
        return { open: true, why: `The relay refused the batch (${code}) for a reason that is not the batch’s fault.` };
      }
      if (code !== null && (OWN_FAULT_REFUSALS as readonly string[]).includes(code)) {
        return { open: false, why: `The relay refused the batch for its own fault (${code}); the chain would refuse it too.`, opensAt: null };
      }
      return { open: false, why: code ? `The relay refused the batch (${code}).` : null, opensAt: null };
    }
    case 'sent': {
      if (entry.check?.check === 'slashed') return { open: true, why: 'The anchor that held this batch was slashed.' };
      const deadline = entry.anchorDeadline ?? null;
      if (deadline === null) return { open: false, why: 'Waiting for the relay to anchor it (its promised time is not known yet).', opensAt: null };
      if (now >= deadline) return { open: true, why: 'The relay did not anchor the batch in the time it promised.' };
      return { open: false, why: null, opensAt: deadline };
    }
  }
}
