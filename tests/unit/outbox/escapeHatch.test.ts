/**
 * The escape hatch's decisions: when it opens (which relay refusals qualify, the relay's promised
 * anchoring time), the BatchInbox.submitBatch call it builds and how the confirmation decodes it,
 * what a simulated revert tells the owner, and how a submission is settled from the chain so that
 * one that landed is never sent twice. The chain is a fake here (a record of what it holds); the
 * real one is in tests/e2e/escape-hatch.e2e.ts.
 */
import { decodeFunctionData, type Address, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { batchInboxAbi } from '../../../src/core/abis/index.js';
import { hatchStatus, HATCH_REFUSALS } from '../../../src/browser/anchoring/hatch.js';
import { planDirect, revertAdvice, settleDirect, submitBatchCalldata, DIRECT_STALE_MS, DIRECT_UNSENT_MS, type DirectChain } from '../../../src/browser/anchoring/direct.js';
import type { OutboxEntry } from '../../../src/browser/outbox/outbox.js';
import { decodeCall, type DecodedField } from '../../../src/core/signing/decode.js';
import { seededHex } from '../../support/seed.js';
import { seededSubmission } from './fixtures.js';

const WINDOW_START = 1_800_000_000n - (1_800_000_000n % 3600n);
const WINDOW_END_MS = Number(WINDOW_START + 3599n) * 1000;
const submission = seededSubmission('hatch', { windowStart: WINDOW_START });
const INBOX = '0x00000000000000000000000000000000000000B1' as Address;
const WALLET = '0x00000000000000000000000000000000000000A1' as Address;

function entry(patch: Partial<OutboxEntry>): OutboxEntry {
  return {
    id: 'e1', submission, relayUrl: 'http://relay.test', state: 'sent', attempts: 0, nextAttemptAt: 0, createdAt: 0, updatedAt: 0,
    receiptId: null, txHash: null, blockNumber: null, reason: null, refusal: null, receivedAt: null, anchorDeadline: null, claim: null, check: null, anchoredAt: null, direct: null,
    ...patch,
  };
}

describe('when the escape hatch opens', () => {
  it('opens for refusals that are not the batch’s fault, never for its own faults', () => {
    const after = WINDOW_END_MS + 1_000;
    for (const code of ['replay', 'no_ioid', 'cors_forbidden', 'anchor_failed']) {
      expect(hatchStatus(entry({ state: 'failed', refusal: code }), after), code).toMatchObject({ open: true });
    }
    for (const code of ['bad_signature', 'bad_proof', 'tampered_public_signal', 'epoch_mismatch', 'window_in_future', 'invalid_batch', 'duplicate_conflict']) {
      expect(hatchStatus(entry({ state: 'failed', refusal: code }), after), code).toMatchObject({ open: false });
    }
    expect(hatchStatus(entry({ state: 'failed', refusal: 'bad_signature' }), after)).toMatchObject({ why: expect.stringContaining('its own fault') });
    expect([...HATCH_REFUSALS].sort()).toEqual(['anchor_failed', 'cors_forbidden', 'epoch_out_of_window', 'no_ioid', 'replay']);
  });

  it('opens for epoch_out_of_window only once the batch’s window has ended (too old, not ahead of the clock)', () => {
    const failed = entry({ state: 'failed', refusal: 'epoch_out_of_window' });
    expect(hatchStatus(failed, WINDOW_END_MS + 1_000)).toMatchObject({ open: true });
    expect(hatchStatus(failed, WINDOW_END_MS - 1_000)).toMatchObject({ open: false });
  });

  it('opens for a receipt not anchored by the relay’s promised time, and says when before it', () => {
    const sent = entry({ state: 'sent', receivedAt: 1_000, anchorDeadline: 601_000 });
    expect(hatchStatus(sent, 600_999)).toEqual({ open: false, why: null, opensAt: 601_000 });
    expect(hatchStatus(sent, 601_000)).toMatchObject({ open: true });
    expect(hatchStatus(entry({ state: 'sent', anchorDeadline: null }), 10 ** 13)).toMatchObject({ open: false });
    // A slashed anchor vouches for nothing: open at once.
    expect(hatchStatus(entry({ state: 'sent', anchorDeadline: 601_000, check: { check: 'slashed', message: '', hint: '' } }), 2_000)).toMatchObject({ open: true });
  });

  it('stays shut for batches that are anchored, submitted, on their way, or not sent yet', () => {
    for (const state of ['anchored', 'submitted', 'submitting', 'queued'] as const) {
      expect(hatchStatus(entry({ state, anchorDeadline: 1 }), 10 ** 13), state).toMatchObject({ open: false });
    }
  });
});

describe('the submitBatch call', () => {
  it('carries the device signature and the proof in the verifier’s order (pB coordinates swapped)', () => {
    const decoded = decodeFunctionData({ abi: batchInboxAbi, data: submitBatchCalldata(submission) });
    const b = submission.proof.pi_b;
    expect(decoded.functionName).toBe('submitBatch');
    expect(decoded.args).toEqual([
      submission.signature,
      [BigInt(submission.proof.pi_a[0]), BigInt(submission.proof.pi_a[1])],
      [
        [BigInt(b[0]![1]), BigInt(b[0]![0])],
        [BigInt(b[1]![1]), BigInt(b[1]![0])],
      ],
      [BigInt(submission.proof.pi_c[0]), BigInt(submission.proof.pi_c[1])],
      submission.publicSignals.map(BigInt),
    ]);
  });

  it('is named readably in the confirmation: every argument, arrays element by element', () => {
    const call = decodeCall({ to: INBOX, data: submitBatchCalldata(submission), abi: batchInboxAbi });
    expect(call.kind).toBe('call');
    if (call.kind !== 'call') return;
    expect(call.functionName).toBe('submitBatch');
    expect(call.args.map((field) => field.name)).toEqual(['signature', 'pA', 'pB', 'pC', 'pubSignals']);
    const byName = (fields: DecodedField[], name: string) => fields.find((field) => field.name === name)!;
    expect(byName(call.args, 'signature').value).toBe(submission.signature);
    const pB = byName(call.args, 'pB');
    expect(pB.fields!.map((row) => row.fields!.map((cell) => [cell.name, cell.value]))).toEqual([
      [['pB[0][0]', submission.proof.pi_b[0]![1]], ['pB[0][1]', submission.proof.pi_b[0]![0]]],
      [['pB[1][0]', submission.proof.pi_b[1]![1]], ['pB[1][1]', submission.proof.pi_b[1]![0]]],
    ]);
    expect(byName(call.args, 'pubSignals').fields!.map((field) => field.value)).toEqual(submission.publicSignals);
  });
});

describe('revert advice', () => {
  it('has a short message and what to do for each way submitBatch refuses', () => {
    for (const name of ['EpochAlreadySubmitted', 'InvalidWindow', 'DeviceNotRegistered', 'InvalidDeviceSignature', 'InvalidProof']) {
      const advice = revertAdvice(name, `${name}()`);
      expect(advice.message, name).not.toContain('would refuse');
      expect(advice.hint.length, name).toBeGreaterThan(10);
    }
    expect(revertAdvice('DeviceNotRegistered', '').message).toBe('The device has no ioID on-chain.');
    expect(revertAdvice(null, 'execution reverted').message).toBe('The chain would refuse this submission (execution reverted).');
    // Every error the advice names exists in BatchInbox's ABI.
    const errors = batchInboxAbi.filter((item) => item.type === 'error').map((item) => item.name);
    expect(errors).toEqual(expect.arrayContaining(['EpochAlreadySubmitted', 'InvalidWindow', 'DeviceNotRegistered', 'InvalidDeviceSignature', 'InvalidProof']));
  });
});

/** A fake BatchInbox that records which (device, epoch) it holds, and the transactions it mined. */
function fakeChain(init: { submitted?: boolean; receipts?: Record<Hex, { success: boolean; blockNumber: number; submitted: boolean }>; landed?: { txHash: Hex; blockNumber: number } | null } = {}) {
  const asked: string[] = [];
  const chain: DirectChain = {
    epochSeconds: async () => 3600n,
    directSubmitted: async (device, epoch) => {
      asked.push(`${device}:${epoch}`);
      return init.submitted ?? false;
    },
    receipt: async (hash) => init.receipts?.[hash] ?? null,
    findSubmitted: async () => init.landed ?? null,
  };
  return { chain, asked };
}

describe('planDirect: never sends a submission that landed', () => {
  it('records an already-landed batch instead of sending it, without simulating', async () => {
    const landed = { txHash: seededHex('landed'), blockNumber: 42 };
    const { chain, asked } = fakeChain({ submitted: true, landed });
    let simulated = 0;
    const plan = await planDirect(entry({ state: 'failed', refusal: 'replay' }), chain, async () => {
      simulated++;
      return { ok: true };
    });
    expect(plan).toEqual({ kind: 'already', ...landed });
    expect(simulated).toBe(0);
    // The contract's key: epoch = windowStart / epochSeconds.
    expect(asked).toEqual([`${submission.device}:${WINDOW_START / 3600n}`]);
  });

  it('explains a revert in simulation and sends nothing', async () => {
    const plan = await planDirect(entry({ state: 'failed', refusal: 'replay' }), fakeChain().chain, async () => ({ ok: false, errorName: 'InvalidProof', reason: 'InvalidProof()' }));
    expect(plan).toEqual({ kind: 'blocked', advice: revertAdvice('InvalidProof', '') });
  });

  it('hands over the submitBatch calldata when the chain would take it', async () => {
    const seen: Hex[] = [];
    const plan = await planDirect(entry({ state: 'failed', refusal: 'replay' }), fakeChain().chain, async (data) => {
      seen.push(data);
      return { ok: true, gas: 210_000n };
    });
    expect(plan).toEqual({ kind: 'ready', data: submitBatchCalldata(submission), gas: 210_000n });
    expect(seen).toEqual([submitBatchCalldata(submission)]);
  });
});

describe('settleDirect', () => {
  const txHash = seededHex('direct-tx');
  const submitting = (patch: Partial<NonNullable<OutboxEntry['direct']>> = {}) => entry({ state: 'submitting', direct: { txHash, from: WALLET, startedAt: 1_000, blockNumber: null, returnTo: 'failed', ...patch } });

  it('is submitted once mined with its BatchSubmitted event and directSubmitted(device, epoch)', async () => {
    const { chain } = fakeChain({ submitted: true, receipts: { [txHash]: { success: true, blockNumber: 12, submitted: true } } });
    await expect(settleDirect(submitting(), chain, 2_000)).resolves.toEqual({ kind: 'submitted', txHash, blockNumber: 12 });
  });

  it('is not submitted on a mined transaction whose logs lack the event, or while directSubmitted is false', async () => {
    expect((await settleDirect(submitting(), fakeChain({ submitted: true, receipts: { [txHash]: { success: true, blockNumber: 12, submitted: false } } }).chain, 2_000)).kind).toBe('pending');
    expect((await settleDirect(submitting(), fakeChain({ submitted: false, receipts: { [txHash]: { success: true, blockNumber: 12, submitted: true } } }).chain, 2_000)).kind).toBe('pending');
  });

  it('goes back with the reason when the transaction reverted', async () => {
    const settled = await settleDirect(submitting(), fakeChain({ receipts: { [txHash]: { success: false, blockNumber: 12, submitted: false } } }).chain, 2_000);
    expect(settled).toMatchObject({ kind: 'returned', reason: expect.stringContaining('reverted') });
  });

  it('waits for a pending transaction, then gives it up once stale with nothing on-chain', async () => {
    expect(await settleDirect(submitting(), fakeChain().chain, 1_000 + DIRECT_STALE_MS - 1)).toEqual({ kind: 'pending' });
    expect(await settleDirect(submitting(), fakeChain().chain, 1_000 + DIRECT_STALE_MS)).toMatchObject({ kind: 'returned' });
  });

  it('after a reload between sending and saving the hash, finds the landed submission instead of sending again', async () => {
    const landed = { txHash: seededHex('landed-elsewhere'), blockNumber: 30 };
    const noHash = submitting({ txHash: null });
    expect(await settleDirect(noHash, fakeChain({ submitted: true, landed }).chain, 1_000 + DIRECT_UNSENT_MS - 1)).toEqual({ kind: 'pending' });
    expect(await settleDirect(noHash, fakeChain({ submitted: true, landed }).chain, 1_000 + DIRECT_UNSENT_MS)).toEqual({ kind: 'submitted', ...landed });
    expect(await settleDirect(noHash, fakeChain({ submitted: false }).chain, 1_000 + DIRECT_UNSENT_MS)).toMatchObject({ kind: 'returned', reason: expect.stringContaining('not sent') });
  });
});
