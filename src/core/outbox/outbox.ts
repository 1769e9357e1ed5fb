/**
 * The outbox: proven device batches waiting for, or tracked at, the relay. Each entry lives in
 * IndexedDB (store "outbox") so it survives reloads and restarts, and walks
 *   queued → sent (relay receipt) → anchored (on-chain transaction)
 * or ends as failed with the relay's reason. Sending is retried with exponential backoff; a
 * resend is harmless because the relay answers a retry with the same receipt.
 */
import type { Hex } from 'viem';
import { describeError, OutpostError } from '../errors.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';
import type { BatchSubmission } from './batch.js';
import { fetchReceipt, RelayClientError, submitBatch } from './relayClient.js';

export type OutboxState = 'queued' | 'sent' | 'anchored' | 'failed';

export type OutboxEntry = {
  id: string;
  submission: BatchSubmission;
  /** The relay the batch was queued for: the service worker sends it there with no page open. */
  relayUrl: string | null;
  state: OutboxState;
  /** Send (queued) or receipt-check (sent) attempts so far. */
  attempts: number;
  /** Unix ms before which the entry is not tried again. */
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
  receiptId: Hex | null;
  txHash: Hex | null;
  blockNumber: number | null;
  /** Why it failed for good (state failed), or the last temporary problem (queued/sent). */
  reason: string | null;
};

/** Background Sync rejected on purpose: batches are still waiting, so the browser should try again. */
export class OutboxUnsentError extends OutpostError {
  override name = 'OutboxUnsentError';
  constructor(count: number, lastReason: string | null) {
    super('outbox_unsent', `${count} queued batch${count === 1 ? '' : 'es'} could not be sent yet.`, {
      hint: 'They stay in the outbox and are sent when the relay can be reached.',
      ...(lastReason ? { details: lastReason } : {}),
    });
  }
}

export const BACKOFF = { baseMs: 2_000, maxMs: 5 * 60_000 } as const;
/** How often a sent batch's receipt is checked for its anchoring transaction. */
export const RECEIPT_POLL_MS = 3_000;
/** Background Sync tag the service worker is woken with (src/app/sw.ts). */
export const OUTBOX_SYNC_TAG = 'outpost-outbox';

/** Delay before attempt `attempts + 1`: base · 2^(attempts−1), capped, with ±20 % jitter so clients do not retry in step. */
export function backoffDelay(attempts: number, random: () => number = Math.random): number {
  const raw = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export function entryId(submission: BatchSubmission): string {
  return `${submission.device.toLowerCase()}:${submission.epoch}:${submission.commitment}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const entry = value as Partial<OutboxEntry> | null;
  return !!entry && typeof entry.id === 'string' && typeof entry.state === 'string' && typeof entry.submission === 'object' && typeof entry.nextAttemptAt === 'number';
}

/** Entries queued before relayUrl was recorded read as "no relay known"; the page supplies its own. */
function normalised(entry: OutboxEntry): OutboxEntry {
  return typeof entry.relayUrl === 'string' ? entry : { ...entry, relayUrl: null };
}

export async function listOutbox(): Promise<OutboxEntry[]> {
  try {
    const db = await openOutpostDb();
    const values = await db.getAll('outbox');
    return values.filter(isEntry).map(normalised).sort((a, b) => a.createdAt - b.createdAt);
  } catch (error) {
    throw storageErrorFrom(error, 'read the outbox');
  }
}

async function saveEntry(entry: OutboxEntry): Promise<void> {
  try {
    const db = await openOutpostDb();
    await db.put('outbox', entry, entry.id);
  } catch (error) {
    throw storageErrorFrom(error, 'save a batch in the outbox');
  }
}

/** Queues a proven batch for `relayUrl`. Queuing the same batch again keeps the existing entry. */
export async function enqueueBatch(submission: BatchSubmission, relayUrl: string | null, now = Date.now()): Promise<OutboxEntry> {
  const id = entryId(submission);
  try {
    const db = await openOutpostDb();
    const tx = db.transaction('outbox', 'readwrite');
    const existing = await tx.store.get(id);
    if (isEntry(existing)) {
      await tx.done;
      return normalised(existing);
    }
    const entry: OutboxEntry = { id, submission, relayUrl, state: 'queued', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, receiptId: null, txHash: null, blockNumber: null, reason: null };
    await tx.store.put(entry, id);
    await tx.done;
    return entry;
  } catch (error) {
    throw storageErrorFrom(error, 'queue the batch');
  }
}

/** Makes every waiting entry due now (coming back online, a manual retry); failed ones go back to queued when `includeFailed`. */
export async function retryNow(includeFailed = false, now = Date.now()): Promise<void> {
  for (const entry of await listOutbox()) {
    if (entry.state === 'queued' || entry.state === 'sent') await saveEntry({ ...entry, nextAttemptAt: now, updatedAt: now });
    else if (entry.state === 'failed' && includeFailed) await saveEntry({ ...entry, state: entry.receiptId ? 'sent' : 'queued', attempts: 0, nextAttemptAt: now, updatedAt: now, reason: null });
  }
}

/** One step for one due entry: send it (queued) or check its receipt (sent). */
async function step(entry: OutboxEntry, relayUrl: string, fetchFn: typeof fetch, now: number): Promise<OutboxEntry> {
  const attempts = entry.attempts + 1;
  try {
    if (entry.state === 'queued') {
      const receipt = await submitBatch(relayUrl, entry.submission, fetchFn);
      const anchored = receipt.status === 'anchored' && receipt.txHash !== null;
      return { ...entry, state: anchored ? 'anchored' : 'sent', attempts: 0, nextAttemptAt: now + RECEIPT_POLL_MS, updatedAt: now, receiptId: receipt.id, txHash: receipt.txHash, blockNumber: receipt.blockNumber, reason: null };
    }
    const receipt = await fetchReceipt(relayUrl, entry.receiptId!, fetchFn);
    if (receipt.status === 'anchor_failed') {
      return { ...entry, state: 'failed', updatedAt: now, txHash: receipt.txHash, reason: 'The relay’s anchoring transaction reverted.' };
    }
    const anchored = receipt.status === 'anchored' && receipt.txHash !== null;
    return { ...entry, state: anchored ? 'anchored' : 'sent', attempts: 0, nextAttemptAt: now + RECEIPT_POLL_MS, updatedAt: now, txHash: receipt.txHash, blockNumber: receipt.blockNumber, reason: null };
  } catch (error) {
    const retryable = !(error instanceof RelayClientError) || error.retryable;
    if (!retryable) return { ...entry, state: 'failed', attempts, updatedAt: now, reason: describeError(error) };
    return { ...entry, attempts, nextAttemptAt: now + backoffDelay(attempts), updatedAt: now, reason: describeError(error) };
  }
}

export type OutboxRun = { entries: OutboxEntry[]; /** Unix ms of the next due entry, or null when nothing is waiting. */ nextDueAt: number | null };

/**
 * Sends or checks every due entry once, in order, and saves each outcome. `relayUrl` is the
 * current network's relay (the page knows it, and it wins: a devnet restarted on another port);
 * without one each entry goes to the relay it was queued for. With neither, entries stay queued
 * with that reason.
 */
export async function processOutbox(relayUrl: string | null, { fetchFn = fetch, now = () => Date.now() }: { fetchFn?: typeof fetch; now?: () => number } = {}): Promise<OutboxRun> {
  const targetOf = (entry: OutboxEntry): string | null => relayUrl ?? entry.relayUrl;
  for (const entry of await listOutbox()) {
    if ((entry.state !== 'queued' && entry.state !== 'sent') || entry.nextAttemptAt > now()) continue;
    const target = targetOf(entry);
    if (!target) {
      if (entry.reason === null) await saveEntry({ ...entry, reason: 'This network has no relay configured.' });
      continue;
    }
    await saveEntry(await step(entry, target, fetchFn, now()));
  }
  const entries = await listOutbox();
  const waiting = entries.filter((entry) => (entry.state === 'queued' || entry.state === 'sent') && targetOf(entry)).map((entry) => entry.nextAttemptAt);
  return { entries, nextDueAt: waiting.length > 0 ? Math.min(...waiting) : null };
}

/**
 * What the service worker runs when Background Sync wakes it (connectivity is back, possibly with
 * no page open): every waiting entry is tried now, each at the relay it was queued for. Rejects
 * while batches are still unsent, so the browser schedules the sync again with its own backoff.
 */
export async function drainOutbox(options: { fetchFn?: typeof fetch; now?: () => number } = {}): Promise<OutboxRun> {
  await retryNow(false, (options.now ?? Date.now)());
  const run = await processOutbox(null, options);
  const unsent = run.entries.filter((entry) => entry.state === 'queued' && entry.relayUrl);
  if (unsent.length > 0) {
    throw new OutboxUnsentError(unsent.length, unsent[0]!.reason);
  }
  return run;
}

/**
 * Asks the browser to wake the service worker with OUTBOX_SYNC_TAG once it is online (Background
 * Sync; Chromium only). Returns whether it was registered; elsewhere the page's own retries
 * (on 'online' and on start) carry the outbox.
 */
export async function registerBackgroundSync(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  try {
    const registration = (await Promise.race([
      navigator.serviceWorker.ready,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2_000)),
    ])) as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | null;
    if (!registration?.sync) return false;
    await registration.sync.register(OUTBOX_SYNC_TAG);
    return true;
  } catch {
    return false; // permission denied or not allowed here: the page retries on its own
  }
}
