import { isAddress, type Hash } from 'viem';
import type { JobPhase, JobProgress, JobRecord, JobSpec, JobStatus, StepStatus } from './types.js';

/** A fresh record for a spec: every step waiting. */
export function newJobRecord(spec: JobSpec, now: number): JobRecord {
  return {
    id: spec.id,
    kind: spec.kind,
    title: spec.title,
    account: spec.account,
    chainId: spec.chainId,
    params: spec.params,
    status: 'running',
    steps: spec.steps.map((step) => ({ id: step.id, label: step.label, status: { kind: 'waiting' }, history: [] })),
    error: null,
    batch: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** A step whose effect is on-chain: the runner moves past it. */
export function isStepDone(status: StepStatus): boolean {
  return status.kind === 'confirmed' || status.kind === 'skipped-already-landed' || (status.kind === 'replaced' && status.landed);
}

/** Nothing in flight for the step: it may start (or join a batch). */
export function isFresh(status: StepStatus): boolean {
  return status.kind === 'waiting' || status.kind === 'simulating' || status.kind === 'failed' || (status.kind === 'replaced' && !status.landed);
}

/** Jobs a screen offers to resume: not done and not cancelled. (A `running` one whose tab closed is resumable too.) */
export function isResumable(record: JobRecord): boolean {
  return record.status === 'running' || record.status === 'paused' || record.status === 'failed';
}

const PHASE_TEXT: Record<JobPhase, string> = {
  checking: 'checking the chain',
  simulating: 'simulating',
  confirming: 'waiting for your confirmation',
  'awaiting-signature': 'waiting for the wallet',
  pending: 'pending',
  'waiting-for-earlier-transaction': 'waiting for an earlier transaction from this account',
  'step-done': 'done',
  finished: 'done',
};

export function progressOf(record: JobRecord, index: number, phase: JobPhase, hash?: Hash): JobProgress {
  const total = record.steps.length;
  const step = Math.min(index + 1, total);
  const label = record.steps[step - 1]?.label ?? '';
  return { step, total, label, phase, ...(hash ? { hash } : {}), text: `Step ${step} of ${total}: ${label} (${PHASE_TEXT[phase]})` };
}

/** Where a stored job stands, for a list or a resumed screen: "Step 2 of 3: Stake", or how it ended. */
export function jobSummary(record: JobRecord): { done: number; total: number; current: number | null; text: string } {
  const total = record.steps.length;
  const done = record.steps.filter((step) => isStepDone(step.status)).length;
  const currentIndex = record.steps.findIndex((step) => !isStepDone(step.status));
  const current = currentIndex === -1 ? null : currentIndex + 1;
  const where = current === null ? `all ${total} steps done` : `step ${current} of ${total}: ${record.steps[currentIndex]!.label}`;
  const text: Record<JobStatus, string> = {
    running: `Running, ${where}`,
    paused: `Paused at ${where}`,
    failed: `Failed at ${where}`,
    cancelled: `Cancelled at ${where}`,
    done: `Done: all ${total} steps on-chain`,
  };
  return { done, total, current, text: text[record.status] };
}

const JOB_STATUSES = new Set<string>(['running', 'paused', 'cancelled', 'failed', 'done']);
const STEP_KINDS = new Set<string>(['waiting', 'simulating', 'awaiting-signature', 'sent', 'sent-in-batch', 'confirmed', 'failed', 'replaced', 'skipped-already-landed']);

/**
 * A record read back from storage, checked for the shape the runner relies on; anything else
 * (damaged, or from a version that stored something different) reads as absent.
 */
export function readJobRecord(value: unknown): JobRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Partial<JobRecord>;
  if (typeof record.id !== 'string' || typeof record.kind !== 'string' || typeof record.title !== 'string') return null;
  if (typeof record.account !== 'string' || !isAddress(record.account, { strict: false })) return null;
  if (typeof record.chainId !== 'number' || typeof record.status !== 'string' || !JOB_STATUSES.has(record.status)) return null;
  if (!Array.isArray(record.steps)) return null;
  for (const step of record.steps as unknown[]) {
    const s = step as { id?: unknown; label?: unknown; status?: { kind?: unknown }; history?: unknown };
    if (typeof s?.id !== 'string' || typeof s.label !== 'string' || !Array.isArray(s.history)) return null;
    if (typeof s.status?.kind !== 'string' || !STEP_KINDS.has(s.status.kind)) return null;
  }
  return { ...(record as JobRecord), error: record.error ?? null, batch: record.batch ?? null };
}
