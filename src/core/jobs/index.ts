/** The transaction-job runner: what a journey imports (docs/jobs.md). */
export { runJob, cancelStoredJob } from './runner.js';
export { createMemoryJobStore } from './memoryStore.js';
export { atomicFrom, jobWalletFromClient } from './wallet.js';
export { isResumable, jobSummary, readJobRecord } from './record.js';
export { JobCancelledError } from './errors.js';
export type { JobCall, JobProgress, JobRecord, JobSpec, JobStore, JobWallet, StepConfirmation, StepSpec } from './types.js';
