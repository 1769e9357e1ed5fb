/**
 * The outbox's state machine over a real IndexedDB implementation (fake-indexeddb, the spec in
 * JS). The relay is the network boundary here: `fetchFn` answers as a relay would, or fails as an
 * unreachable one does. The real relay and Background Sync in Chromium are in tests/e2e/outbox.e2e.ts.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchSubmission } from '../../../src/core/outbox/batch.js';
import { BACKOFF, backoffDelay, drainOutbox, enqueueBatch, listOutbox, OutboxUnsentError, processOutbox, VERIFY_RECHECK_MS } from '../../../src/browser/outbox/outbox.js';
import { openOutpostDb } from '../../../src/browser/storage/db.js';

const QUEUED_FOR = 'http://relay-a.test';
const RECEIPT_ID = `0x${'ab'.repeat(32)}`;

function submission(epoch = 100): BatchSubmission {
  return {
    device: '0x00000000000000000000000000000000000000d1',
    epoch,
    commitment: '12345',
    signature: `0x${'11'.repeat(65)}`,
    proof: { pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['5', '6', '1'], protocol: 'groth16', curve: 'bn128' },
    publicSignals: ['1', '2', '3', '4'],
  } as BatchSubmission;
}

type Call = { url: string; method: string };

/** A relay at the far end of fetch: records each request and answers with `respond`. */
function relay(respond: (call: Call) => Response | Promise<Response>): { fetchFn: typeof fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = { url: String(input), method: init?.method ?? 'GET' };
    calls.push(call);
    return respond(call);
  }) as typeof fetch;
  return { fetchFn, calls };
}

const unreachable = () => {
  throw new TypeError('Failed to fetch');
};

function receiptResponse(status: 'accepted' | 'anchored', httpStatus = 201): Response {
  const anchor = status === 'anchored' ? { id: 1, epoch: 100, merkleRoot: RECEIPT_ID, uri: 'http://relay-a.test/v1/anchors/1', dataHash: `0x${'ef'.repeat(32)}`, status: 'confirmed', txHash: `0x${'cd'.repeat(32)}`, blockNumber: 7 } : null;
  const receipt = { id: RECEIPT_ID, device: submission().device, epoch: 100, commitment: '12345', readings: 64, receivedAt: '2026-11-22T00:00:00.000Z', status, anchor };
  // POST answers say whether the batch was already stored; GET answers are the receipt alone.
  return new Response(JSON.stringify({ receipt, duplicate: httpStatus === 200 }), { status: httpStatus, headers: { 'content-type': 'application/json' } });
}

beforeEach(async () => {
  const db = await openOutpostDb();
  await db.clear('outbox');
});

describe('backoff', () => {
  it('doubles from 2 s per attempt, caps at 5 minutes, and jitters within ±20 %', () => {
    const noJitter = () => 0.5;
    expect(backoffDelay(1, noJitter)).toBe(2_000);
    expect(backoffDelay(2, noJitter)).toBe(4_000);
    expect(backoffDelay(4, noJitter)).toBe(16_000);
    expect(backoffDelay(30, noJitter)).toBe(300_000);
    expect(BACKOFF.maxMs).toBe(300_000);
    expect(backoffDelay(3, () => 0)).toBe(6_400);
    expect(backoffDelay(3, () => 1)).toBe(9_600);
  });
});

describe('outbox', () => {
  it('queues a batch once, remembering the relay it was queued for', async () => {
    const first = await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const again = await enqueueBatch(submission(), 'http://elsewhere.test', 2_000);
    expect(again).toEqual(first);
    const entries = await listOutbox();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ state: 'queued', relayUrl: QUEUED_FOR, attempts: 0, createdAt: 1_000 });
  });

  it('keeps a batch queued with the reason and a backoff while the relay is unreachable', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const down = relay(unreachable);
    const run = await processOutbox(null, { fetchFn: down.fetchFn, now: () => 1_000 });
    expect(down.calls).toEqual([{ url: `${QUEUED_FOR}/v1/batches`, method: 'POST' }]);
    expect(run.entries[0]).toMatchObject({ state: 'queued', attempts: 1, receiptId: null });
    expect(run.entries[0]!.reason).toContain('could not be reached');
    expect(run.entries[0]!.error?.code).toBe('outbox.relay_unreachable');
    // Not due again before its backoff: a second pass right away sends nothing.
    expect(run.nextDueAt).toBeGreaterThanOrEqual(1_000 + 0.8 * BACKOFF.baseMs);
    await processOutbox(null, { fetchFn: down.fetchFn, now: () => 1_001 });
    expect(down.calls).toHaveLength(1);
  });

  it('sends to the page’s current relay when it knows one', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const up = relay(() => receiptResponse('accepted'));
    await processOutbox('http://relay-b.test/', { fetchFn: up.fetchFn, now: () => 1_000 });
    expect(up.calls[0]!.url).toBe('http://relay-b.test/v1/batches');
  });

  it('Background Sync drain: rejects while the relay is down so the browser retries, sends once it is up', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    // A backoff from an earlier failure does not hold the drain back: connectivity is back now.
    await processOutbox(null, { fetchFn: relay(unreachable).fetchFn, now: () => 1_000 });

    const error = await drainOutbox({ fetchFn: relay(unreachable).fetchFn, now: () => 1_500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboxUnsentError);
    expect((error as OutboxUnsentError).shortMessage).toBe('1 queued batch could not be sent yet.');
    expect((await listOutbox())[0]).toMatchObject({ state: 'queued', attempts: 2 });

    const up = relay(() => receiptResponse('accepted'));
    const run = await drainOutbox({ fetchFn: up.fetchFn, now: () => 1_600 });
    expect(up.calls).toEqual([{ url: `${QUEUED_FOR}/v1/batches`, method: 'POST' }]);
    expect(run.entries[0]).toMatchObject({ state: 'sent', receiptId: RECEIPT_ID, reason: null, attempts: 0 });
  });

  it('shows a batch anchored only once its anchor is verified, never on the relay’s word alone', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    await processOutbox(null, { fetchFn: relay(() => receiptResponse('accepted')).fetchFn, now: () => 1_000, anchorWithinSeconds: 600 });
    expect((await listOutbox())[0]).toMatchObject({ state: 'sent', receivedAt: 1_000, anchorDeadline: 601_000 });

    // The service worker has no chain to check against: the relay's "anchored" stays a claim.
    const check = relay(() => receiptResponse('anchored', 200));
    let run = await processOutbox(null, { fetchFn: check.fetchFn, now: () => 10_000 });
    expect(check.calls).toEqual([{ url: `${QUEUED_FOR}/v1/batches/${RECEIPT_ID}`, method: 'GET' }]);
    expect(run.entries[0]).toMatchObject({ state: 'sent', claim: { merkleRoot: RECEIPT_ID, txHash: `0x${'cd'.repeat(32)}` } });
    expect(run.entries[0]!.reason).toContain('checks that on-chain');

    // A verifier that finds a failed check: still not anchored, and the failed check is kept to show.
    const seen: unknown[] = [];
    run = await processOutbox(null, {
      fetchFn: relay(() => receiptResponse('anchored', 200)).fetchFn,
      now: () => 20_000,
      verify: async (entry, claim) => {
        seen.push({ id: entry.id, root: claim.merkleRoot });
        return { ok: false, check: 'proof', message: 'The relay’s Merkle proof does not lead to its root.', hint: 'Wait.', retryable: false };
      },
    });
    expect(seen).toEqual([{ id: run.entries[0]!.id, root: RECEIPT_ID }]);
    expect(run.entries[0]).toMatchObject({ state: 'sent', check: { check: 'proof' }, anchoredAt: null, nextAttemptAt: 20_000 + VERIFY_RECHECK_MS });

    // Verified: anchored, with the relay's transaction and BatchInbox's anchoring time; no more polling.
    run = await processOutbox(null, {
      fetchFn: relay(() => receiptResponse('anchored', 200)).fetchFn,
      now: () => 40_000,
      verify: async () => ({ ok: true, anchoredAt: 1_700_000_000, moduleId: 1 }),
    });
    expect(run.entries[0]).toMatchObject({ state: 'anchored', txHash: `0x${'cd'.repeat(32)}`, blockNumber: 7, check: null, anchoredAt: 1_700_000_000 });
    expect(run.nextDueAt).toBeNull();
  });

  it('keeps the relay’s refusal code on a failed batch', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const refusing = relay(() => new Response(JSON.stringify({ error: { code: 'replay', message: 'Epoch 100 is older than the device’s newest batch.' } }), { status: 409 }));
    const run = await processOutbox(null, { fetchFn: refusing.fetchFn, now: () => 1_000 });
    expect(run.entries[0]).toMatchObject({ state: 'failed', refusal: 'replay' });
  });

  it('re-checks an entry an earlier version stored as anchored on the relay’s word', async () => {
    const queued = await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const db = await openOutpostDb();
    const legacy: Record<string, unknown> = { ...queued, state: 'anchored', receiptId: RECEIPT_ID, txHash: `0x${'cd'.repeat(32)}` };
    for (const key of ['refusal', 'receivedAt', 'anchorDeadline', 'claim', 'check', 'anchoredAt', 'direct']) delete legacy[key];
    await db.put('outbox', legacy, queued.id);
    expect((await listOutbox())[0]).toMatchObject({ state: 'sent', anchoredAt: null, direct: null });
  });

  it('fails a batch the relay refuses for good, with the relay’s reason, and the drain does not retry it', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const refusing = relay(() => new Response(JSON.stringify({ error: { code: 'bad_signature', message: 'The device signature does not match the device address.' } }), { status: 422 }));
    const run = await drainOutbox({ fetchFn: refusing.fetchFn, now: () => 1_000 });
    expect(run.entries[0]).toMatchObject({ state: 'failed', reason: 'The device signature does not match the device address.' });
    expect(run.nextDueAt).toBeNull();
    // Stored with its structure, and read back the same from storage.
    const structured = { code: 'relay.bad_signature', message: 'The device signature does not match the device address.', hint: null };
    expect(run.entries[0]!.error).toMatchObject(structured);
    expect((await listOutbox())[0]!.error).toMatchObject(structured);
  });

  it('treats a body that is not a receipt as a temporary fault, not a success', async () => {
    await enqueueBatch(submission(), QUEUED_FOR, 1_000);
    const odd = relay(() => new Response(JSON.stringify({ receipt: { id: 'nope' } }), { status: 201 }));
    const run = await processOutbox(null, { fetchFn: odd.fetchFn, now: () => 1_000 });
    expect(run.entries[0]).toMatchObject({ state: 'queued', receiptId: null, attempts: 1 });
    expect(run.entries[0]!.reason).toContain('not a receipt');
  });
});
