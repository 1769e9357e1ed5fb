/**
 * The outbox: proven device batches waiting for, or tracked at, the relay. Each entry lives in
 * IndexedDB (store "outbox") so it survives reloads and restarts, and walks
 *   queued → sent (relay receipt) → anchored (checked by this app on-chain, src/core/anchoring/verify.ts)
 * or ends as failed with the relay's reason. A batch the relay refused without cause, or did not
 * anchor in the time it promised, can go on-chain directly (the escape hatch):
 *   sent | failed → submitting (wallet transaction) → submitted (read back from the chain)
 * Sending is retried with exponential backoff; a resend is harmless because the relay answers a
 * retry with the same receipt.
 */
import type { Address, Hex } from 'viem';
import type { AnchorVerdict } from '../../core/anchoring/verify.js';
import { readErrorRecord, toErrorRecord, type ErrorRecord } from '../../core/errorReport.js';
import { describeError, OutpostError } from '../../core/errors.js';
import { openOutpostDb, storageErrorFrom } from '../storage/db.js';
import type { BatchSubmission } from '../../core/outbox/batch.js';
import { fetchReceipt, RelayClientError, submitBatch, type RelayAnchorClaim, type RelayReceipt } from '../../core/outbox/relayClient.js';

type OutboxState = 'queued' | 'sent' | 'anchored' | 'failed' | 'submitting' | 'submitted';

/** A failed anchor check, as shown to the owner (src/core/anchoring/verify.ts names them). */
type AnchorCheckFailure = { check: string; message: string; hint: string };

/** The escape hatch's transaction: BatchInbox.submitBatch sent from this app's wallet. */
type DirectSubmission = {
  /** Null between asking the wallet and getting the hash back (a reload there is settled from the chain). */
  txHash: Hex | null;
  from: Address | null;
  /** Unix ms the submission was started. */
  startedAt: number;
  blockNumber: number | null;
  /** Where the entry goes back to if the transaction does not land. */
  returnTo: 'sent' | 'failed';
};

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
  /** The same problem with its structure (code, message, fix), for the screen and a copied report. */
  error?: ErrorRecord | null;
  /** The relay's refusal code when it refused the batch (docs/relay.md), e.g. `replay`. */
  refusal?: string | null;
  /** Unix ms of the relay's first receipt. */
  receivedAt?: number | null;
  /** Unix ms by which the relay promised the anchor (receipt + /v1/info anchorWithinSeconds). */
  anchorDeadline?: number | null;
  /** What the relay claims about the anchor; only shown as anchored once verified. */
  claim?: RelayAnchorClaim | null;
  /** The first anchor check that failed on the last verification, or null. */
  check?: AnchorCheckFailure | null;
  /** BatchInbox's anchoredAt (unix seconds) once verified. */
  anchoredAt?: number | null;
  /** The escape hatch's transaction, once started. */
  direct?: DirectSubmission | null;
};

/** Background Sync rejected on purpose: batches are still waiting, so the browser should try again. */
export class OutboxUnsentError extends OutpostError {
  override name = 'OutboxUnsentError';
  constructor(count: number, lastReason: string | null) {
    super('outbox.unsent', `${count} queued batch${count === 1 ? '' : 'es'} could not be sent yet.`, {
      hint: 'They stay in the outbox and are sent when the relay can be reached.',
      ...(lastReason ? { details: lastReason } : {}),
    });
  }
}

export const BACKOFF = { baseMs: 2_000, maxMs: 5 * 60_000 } as const;
/** How often a sent batch's receipt is checked for its anchoring transaction. */
const RECEIPT_POLL_MS = 3_000;
/** Background Sync tag the service worker is woken with (src/app/sw.ts). */
export const OUTBOX_SYNC_TAG = 'outpost-outbox';

/** Delay before attempt `attempts + 1`: base · 2^(attempts−1), capped, with ±20 % jitter so clients do not retry in step. */
export function backoffDelay(attempts: number, random: () => number = Math.random): number {
  const raw = Math.min(BACKOFF.maxMs, BACKOFF.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

function entryId(submission: BatchSubmission): string {
  return `${submission.device.toLowerCase()}:${submission.epoch}:${submission.commitment}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  const entry = value as Partial<OutboxEntry> | null;
  return !!entry && typeof entry.id === 'string' && typeof entry.state === 'string' && typeof entry.submission === 'object' && typeof entry.nextAttemptAt === 'number';
}

/** Entries stored by earlier versions lack the newer fields: they read as "not known yet". */
function normalised(entry: OutboxEntry): OutboxEntry {
  return {
    ...entry,
    // An entry an earlier version marked anchored on the relay's word alone is checked again.
    state: entry.state === 'anchored' && typeof entry.anchoredAt !== 'number' ? 'sent' : entry.state,
    relayUrl: typeof entry.relayUrl === 'string' ? entry.relayUrl : null,
    refusal: entry.refusal ?? null,
    // Entries stored before errors were structured have only the sentence: keep it as the message.
    error: readErrorRecord(entry.error ?? entry.reason),
    receivedAt: entry.receivedAt ?? null,
    anchorDeadline: entry.anchorDeadline ?? null,
    claim: entry.claim ?? null,
    check: entry.check ?? null,
    anchoredAt: entry.anchoredAt ?? null,
    direct: entry.direct ?? null,
  };
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

/** Reads one entry (null when there is none). */
export async function getEntry(id: string): Promise<OutboxEntry | null> {
  try {
    const db = await openOutpostDb();
    const value = await db.get('outbox', id);
    return isEntry(value) ? normalised(value) : null;
  } catch (error) {
    throw storageErrorFrom(error, 'read the outbox');
  }
}

/** Stores an entry as given (the escape hatch's steps, src/app/sections/devices/outboxState). */
export async function saveEntry(entry: OutboxEntry): Promise<void> {
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
    const entry: OutboxEntry = normalised({ id, submission, relayUrl, state: 'queued', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now, receiptId: null, txHash: null, blockNumber: null, reason: null, error: null });
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
    else if (entry.state === 'failed' && includeFailed) await saveEntry({ ...entry, state: entry.receiptId ? 'sent' : 'queued', attempts: 0, nextAttemptAt: now, updatedAt: now, reason: null, error: null, refusal: null });
  }
}

/** How often a receipt whose anchor did not verify is checked again (the relay may still anchor it). */
export const VERIFY_RECHECK_MS = 6_000;

/**
 * Checks the relay's anchor claim for an entry; the page passes src/core/anchoring/verify.ts with
 * the chain. Without one (the service worker), a claimed anchor stays "sent" until a page checks it.
 */
export type AnchorVerifier = (entry: OutboxEntry, claim: RelayAnchorClaim) => Promise<AnchorVerdict>;

type StepOptions = {
  verify: AnchorVerifier | null;
  /** The relay's promise (GET /v1/info anchorWithinSeconds), when known. */
  anchorWithinSeconds: number | null;
};

/** What a receipt means for the entry: anchored only once verified, otherwise sent with what is known. */
async function fromReceipt(entry: OutboxEntry, receipt: RelayReceipt, now: number, options: StepOptions): Promise<OutboxEntry> {
  const receivedAt = entry.receivedAt ?? now;
  const anchorDeadline = entry.anchorDeadline ?? (options.anchorWithinSeconds !== null ? receivedAt + options.anchorWithinSeconds * 1000 : null);
  const base: OutboxEntry = {
    ...entry,
    state: 'sent',
    attempts: 0,
    nextAttemptAt: now + RECEIPT_POLL_MS,
    updatedAt: now,
    receiptId: receipt.id,
    txHash: receipt.txHash,
    blockNumber: receipt.blockNumber,
    reason: null, error: null,
    refusal: null,
    receivedAt,
    anchorDeadline,
    claim: receipt.anchor,
  };
  if (receipt.status === 'anchor_failed') {
    return { ...base, state: 'failed', refusal: 'anchor_failed', reason: 'The relay’s anchoring transaction reverted.' };
  }
  if (receipt.status !== 'anchored' || !receipt.anchor || receipt.txHash === null) return { ...base, check: null };
  if (!options.verify) {
    return { ...base, reason: 'The relay says it is anchored; the app checks that on-chain when it is open.' };
  }
  const verdict = await options.verify(base, receipt.anchor);
  if (verdict.ok) return { ...base, state: 'anchored', check: null, anchoredAt: verdict.anchoredAt };
  return {
    ...base,
    check: { check: verdict.check, message: verdict.message, hint: verdict.hint },
    nextAttemptAt: now + (verdict.retryable ? RECEIPT_POLL_MS : VERIFY_RECHECK_MS),
  };
}

/** One step for one due entry: send it (queued) or check its receipt (sent). */
async function step(entry: OutboxEntry, relayUrl: string, fetchFn: typeof fetch, now: number, options: StepOptions): Promise<OutboxEntry> {
  const attempts = entry.attempts + 1;
  try {
    if (entry.state === 'queued') {
      return await fromReceipt(entry, await submitBatch(relayUrl, entry.submission, fetchFn), now, options);
    }
    return await fromReceipt(entry, await fetchReceipt(relayUrl, entry.receiptId!, fetchFn), now, options);
  } catch (error) {
    const retryable = !(error instanceof RelayClientError) || error.retryable;
    const refusal = error instanceof RelayClientError ? error.relayCode : null;
    if (!retryable) return { ...entry, state: 'failed', attempts, updatedAt: now, reason: describeError(error), error: toErrorRecord(error), refusal };
    return { ...entry, attempts, nextAttemptAt: now + backoffDelay(attempts), updatedAt: now, reason: describeError(error), error: toErrorRecord(error) };
  }
}

export type OutboxRun = { entries: OutboxEntry[]; /** Unix ms of the next due entry, or null when nothing is waiting. */ nextDueAt: number | null };

/**
 * Sends or checks every due entry once, in order, and saves each outcome. `relayUrl` is the
 * current network's relay (the page knows it, and it wins: a devnet restarted on another port);
 * without one each entry goes to the relay it was queued for. With neither, entries stay queued
 * with that reason.
 */
export type ProcessOptions = {
  fetchFn?: typeof fetch;
  now?: () => number;
  /** Verifies claimed anchors on-chain (the page); without it claimed anchors stay "sent". */
  verify?: AnchorVerifier | null;
  anchorWithinSeconds?: number | null;
};

export async function processOutbox(relayUrl: string | null, { fetchFn = fetch, now = () => Date.now(), verify = null, anchorWithinSeconds = null }: ProcessOptions = {}): Promise<OutboxRun> {
  const targetOf = (entry: OutboxEntry): string | null => relayUrl ?? entry.relayUrl;
  for (const entry of await listOutbox()) {
    if ((entry.state !== 'queued' && entry.state !== 'sent') || entry.nextAttemptAt > now()) continue;
    const target = targetOf(entry);
    if (!target) {
      if (entry.reason === null) await saveEntry({ ...entry, reason: 'This network has no relay configured.' });
      continue;
    }
    const next = await step(entry, target, fetchFn, now(), { verify, anchorWithinSeconds });
    // The page may have started the escape hatch on this entry while the relay was asked: its state wins.
    const latest = await getEntry(entry.id);
    if (latest && latest.updatedAt !== entry.updatedAt) continue;
    await saveEntry(next);
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
