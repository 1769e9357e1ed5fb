import type { Address, Hash } from 'viem';
import { OutpostError, walkCauses, type OutpostErrorOptions } from '../errors.js';

/** Errors of the transaction-job runner; each names the job or step and what to do. */
class JobError extends OutpostError {
  override name = 'JobError';
}

/** Passed to `AbortController.abort()` to cancel a running job between steps (any other reason pauses it). */
export class JobCancelledError extends JobError {
  override name = 'JobCancelledError';
  constructor(title: string) {
    super('job.cancelled', `“${title}” was cancelled.`, { hint: 'Steps already sent stay on-chain; nothing else will be sent for this job.' });
  }
}

/** Passed to `abort()` to pause a running job (its screen was left); it resumes where it stopped. */
export class JobPausedError extends JobError {
  override name = 'JobPausedError';
  constructor(title: string) {
    super('job.paused', `“${title}” is paused.`, { hint: 'Resume it to carry on; steps already on-chain are not repeated.' });
  }
}

/** A stored job of a kind no journey of this version rebuilds. */
export class JobUnknownKindError extends JobError {
  override name = 'JobUnknownKindError';
  constructor(title: string, kind: string) {
    super('job.unknown_kind', `This version of the app cannot resume “${title}”.`, {
      details: `no journey registered for jobs of kind "${kind}"`,
      hint: 'Cancel it; steps already on-chain stay, and starting the action again skips them.',
    });
  }
}

export class JobBusyError extends JobError {
  override name = 'JobBusyError';
  constructor(title: string) {
    super('job.busy', `“${title}” is already running, in this tab or another one.`, { hint: 'Follow it there, or close the other tab and try again.' });
  }
}

export class JobNotCancellableError extends JobError {
  override name = 'JobNotCancellableError';
  constructor(title: string, status: string) {
    super('job.not_cancellable', `“${title}” cannot be cancelled: it is ${status}.`, { hint: 'Only a paused or failed job can be cancelled this way; a running one is cancelled from where it runs.' });
  }
}

export class JobSpecMismatchError extends JobError {
  override name = 'JobSpecMismatchError';
  constructor(id: string, details: string) {
    super('job.spec_mismatch', 'A saved job does not match the steps this version of the app builds for it.', {
      details: `${id}: ${details}`,
      hint: 'Cancel the saved job and start the action again; steps already on-chain are detected and not repeated.',
    });
  }
}

export class JobWrongAccountError extends JobError {
  override name = 'JobWrongAccountError';
  constructor(expected: Address, got: Address) {
    super('job.wrong_account', 'The connected account is not the one this job was started with.', {
      details: `job account ${expected}, connected ${got}`,
      hint: `Switch the wallet to ${expected} to continue this job.`,
    });
  }
}

export class JobWrongChainError extends JobError {
  override name = 'JobWrongChainError';
  constructor(expected: number, got: number) {
    super('job.wrong_chain', 'The network is not the one this job was started on.', {
      details: `job chain ${expected}, connected chain ${got}`,
      hint: 'Switch to the job’s network to continue it.',
    });
  }
}

/** A step's simulation reverted: nothing was sent. The decoded revert is the cause. */
export class JobSimulationRevertedError extends JobError {
  override name = 'JobSimulationRevertedError';
  constructor(step: string, explanation: { message: string; hint: string } | null, options: OutpostErrorOptions = {}) {
    super('job.simulation_reverted', `${step} would fail, so it was not sent: ${explanation?.message ?? 'the chain refused it in simulation.'}`, {
      hint: explanation?.hint ?? 'Nothing was sent. Check the inputs and the network, then try again.',
      ...options,
    });
  }
}

/** A sent transaction was mined but reverted, and the step's effect is not on-chain. */
export class JobRevertedError extends JobError {
  override name = 'JobRevertedError';
  constructor(step: string, hash: Hash, explanation: { message: string; hint: string } | null, options: OutpostErrorOptions = {}) {
    super('job.reverted', `${step} was mined but reverted${explanation ? `: ${explanation.message}` : '.'}`, {
      hint: explanation?.hint ?? 'Its fee was spent but nothing else changed. Check the step and resume to try again.',
      details: options.details ?? `transaction ${hash}`,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
  }
}

export class JobReceiptTimeoutError extends JobError {
  override name = 'JobReceiptTimeoutError';
  /** `sent`: what is being followed, e.g. `transaction 0x…` or `wallet batch <id>`. */
  constructor(step: string, sent: string) {
    super('job.receipt_timeout', `${step} is sent but not mined yet.`, {
      details: sent,
      hint: 'The job is paused and follows the same transaction when resumed. If it stays pending, speed it up in the wallet.',
    });
  }
}

export class JobDroppedError extends JobError {
  override name = 'JobDroppedError';
  constructor(step: string, hash: Hash) {
    super('job.dropped', `${step}: the network no longer knows its transaction, and it did not land.`, {
      details: `transaction ${hash}`,
      hint: 'Resume to send the step again (it is checked on-chain first), or cancel the job.',
    });
  }
}

/** After a reload the account has a transaction in flight that may be this step's; it did not settle in time. */
export class JobPendingElsewhereError extends JobError {
  override name = 'JobPendingElsewhereError';
  constructor(step: string, nonce: number) {
    super('job.pending_elsewhere', `${step} may already be on its way: the account has a pending transaction (nonce ${nonce}) that has not been mined.`, {
      hint: 'Wait for it to be mined (or speed it up in the wallet), then resume: the step is checked on-chain before anything is sent again.',
    });
  }
}

export class JobBatchFailedError extends JobError {
  override name = 'JobBatchFailedError';
  constructor(title: string, details: string) {
    super('job.batch_failed', `The wallet’s batch for “${title}” did not complete.`, {
      details,
      hint: 'Resume to send the steps that are not on-chain yet; each is checked on-chain first.',
    });
  }
}

/** EIP-1193's 4001, viem's UserRejectedRequestError, or ours (wallet.rejected), anywhere in the cause chain. */
export function isUserRejection(error: unknown): boolean {
  return walkCauses(error, (cause) => {
    const value = cause as { code?: unknown; name?: unknown } | null;
    return value?.code === 4001 || value?.code === 'wallet.rejected' || value?.name === 'UserRejectedRequestError';
  }) !== null;
}
