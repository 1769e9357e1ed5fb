import type { Hash } from 'viem';
import type { JobRecord } from '../../../core/jobs/types.js';

/** What a screen says about one step (docs/jobs.md, "For a screen"). */
type StepState = 'waiting' | 'working' | 'pending' | 'confirmed' | 'failed' | 'replaced';

export type StepRow = { id: string; number: number; label: string; state: StepState; words: string; hash: Hash | null };

/**
 * The steps of a job record as rows: pending = sent (alone or in a batch), confirmed = mined or
 * found already on-chain, failed, replaced (by a speed-up that did the step, or by something that
 * did not, so the step goes again), and the ones still to come.
 */
export function jobSteps(record: JobRecord): StepRow[] {
  return record.steps.map((step, index) => {
    const base = { id: step.id, number: index + 1, label: step.label };
    const status = step.status;
    switch (status.kind) {
      case 'waiting':
        return { ...base, state: 'waiting', words: 'not started', hash: null };
      case 'simulating':
        return { ...base, state: 'working', words: 'simulating', hash: null };
      case 'awaiting-signature':
        return { ...base, state: 'working', words: 'waiting for the wallet', hash: null };
      case 'sent':
        return { ...base, state: 'pending', words: 'pending', hash: status.hash };
      case 'sent-in-batch':
        return { ...base, state: 'pending', words: 'pending (in a batch)', hash: null };
      case 'confirmed':
        return { ...base, state: 'confirmed', words: `confirmed in block ${status.block.toLocaleString('en-US')}`, hash: status.hash };
      case 'skipped-already-landed':
        return { ...base, state: 'confirmed', words: 'already on-chain', hash: null };
      case 'failed':
        return { ...base, state: 'failed', words: `failed: ${status.error.message}`, hash: status.hash ?? null };
      case 'replaced':
        return {
          ...base,
          state: 'replaced',
          words: status.landed ? 'replaced by another transaction that did it' : 'replaced by another transaction; it will be sent again',
          hash: status.newHash ?? status.hash,
        };
    }
  });
}
