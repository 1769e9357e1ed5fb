/** The transaction-job runner: what a journey imports (docs/jobs.md). */
export { runJob, cancelStoredJob } from './runner.js';
export { createMemoryJobStore } from './memoryStore.js';
export { jobWalletFromClient } from './wallet.js';
export { isResumable, isStepDone, jobSummary, readJobRecord } from './record.js';
export { JobCancelledError, JobError } from './errors.js';
export type { JobCall, JobPhase, JobProgress, JobRecord, JobSpec, JobStatus, JobStore, JobWallet, RunJobOptions, StepConfirmation, StepRecord, StepSpec, StepStatus } from './types.js';
