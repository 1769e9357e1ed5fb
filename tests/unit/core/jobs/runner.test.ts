/**
 * The job runner's state machine over an in-memory store and a small chain model (fakeChain.ts):
 * order, resume from every point a tab can die at, steps found on-chain, cancel and pause,
 * named failures, replaced and dropped transactions, EIP-5792 batches. The same rules against
 * Hardhat's EVM and our contracts: tests/contracts/jobs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  atomicFrom,
  cancelStoredJob,
  createMemoryJobStore,
  isResumable,
  jobSummary,
  JobCancelledError,
  readJobRecord,
  runJob,
  type JobProgress,
  type JobRecord,
  type JobSpec,
  type JobStore,
  type StepConfirmation,
} from '../../../../src/core/jobs/index.js';
import { Crash, crashingView } from '../../../support/jobCrash.js';
import { ALICE, CHAIN_ID, FakeBatchWallet, FakeChain, FakeWallet } from './fakeChain.js';

/** approve → stake (needs the approval, consumes it) → claim (needs the stake, once). */
function restakeChain(): FakeChain {
  return new FakeChain({
    approve: { sets: 'approved' },
    stake: { requires: ['approved'], sets: 'staked', clears: ['approved'] },
    claim: { requires: ['staked'], sets: 'claimed', once: 'claimed' },
  });
}

function restakeJob(chain: FakeChain, id = 'job-1'): JobSpec<{ bucket: string }> {
  return {
    id,
    kind: 'restake',
    title: 'Restake bucket 7',
    account: ALICE,
    chainId: CHAIN_ID,
    params: { bucket: '7' },
    // The approval counts as landed once the stake has used it.
    steps: [chain.step('approve', ['staked']), chain.step('stake'), chain.step('claim')],
  };
}

const statuses = (record: JobRecord | undefined) => record?.steps.map((step) => step.status.kind);

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A first run (automine off) dies after the wallet sent the approval, before its hash was stored. */
async function diesWithApprovalPendingAndHashUnknown() {
  const chain = restakeChain();
  const store = createMemoryJobStore();
  const first = new FakeWallet(chain);
  chain.automine = false;
  first.afterSend = () => {
    throw new Crash('closed while the wallet answered');
  };
  expect(await rejects(runJob(chain.client, first, store, restakeJob(chain)))).toBeInstanceOf(Crash);
  expect(chain.pool.size).toBe(1); // the approval is on its way, and the record does not know its hash
  return { chain, store };
}

describe('runJob: in order, each step simulated, progress', () => {
  it('runs approve → stake → claim once each, simulating each before the wallet is asked, and reports "Step n of 3"', async () => {
    const chain = restakeChain();
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const progress: JobProgress[] = [];
    const confirmations: StepConfirmation[] = [];
    const record = await runJob(chain.client, wallet, store, restakeJob(chain), {
      onProgress: (p) => progress.push(p),
      confirm: async (request) => {
        confirmations.push(request);
      },
    });
    expect(record.status).toBe('done');
    expect(statuses(record)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(wallet.sent).toEqual(['approve', 'stake', 'claim']);
    expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
    expect(confirmations.map((c) => [c.batch, c.calls.map((call) => `${call.step}/${call.total} ${call.label} gas ${call.gas}`)])).toEqual([
      [false, ['1/3 Approve gas 50000']],
      [false, ['2/3 Stake gas 50000']],
      [false, ['3/3 Claim gas 50000']],
    ]);
    // Per step: simulated, then confirmed by the user, then the wallet asked.
    const phases = (step: number) => progress.filter((p) => p.step === step).map((p) => p.phase);
    for (const step of [1, 2, 3]) expect(phases(step).slice(0, 5)).toEqual(['checking', 'simulating', 'confirming', 'awaiting-signature', 'pending']);
    expect(progress.find((p) => p.step === 2 && p.phase === 'awaiting-signature')?.text).toBe('Step 2 of 3: Stake (waiting for the wallet)');
    expect(progress.at(-1)?.phase).toBe('finished');
    // The stored record is the one returned.
    expect(await store.get('job-1')).toEqual(record);
    expect(jobSummary(record).text).toBe('Done: all 3 steps on-chain');
  });

  it('skips a step whose effect is already on-chain, and one whose effect a later step has used', async () => {
    const chain = restakeChain();
    chain.flags.add('staked'); // staked elsewhere before: the approval was used by it
    const wallet = new FakeWallet(chain);
    const record = await runJob(chain.client, wallet, createMemoryJobStore(), restakeJob(chain));
    expect(statuses(record)).toEqual(['skipped-already-landed', 'skipped-already-landed', 'confirmed']);
    expect(wallet.sent).toEqual(['claim']);
  });

  it('a job already done is returned as stored: nothing is read or sent again', async () => {
    const chain = restakeChain();
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    await runJob(chain.client, wallet, store, restakeJob(chain));
    const again = await runJob(chain.client, wallet, store, restakeJob(chain));
    expect(again.status).toBe('done');
    expect(wallet.sent).toHaveLength(3);
  });
});

/**
 * Every write the runner makes is a point a tab can close at. For each one, the run dies right
 * after that write; a fresh runner on the same store then finishes the job, and every action is
 * mined exactly once.
 */
describe('resume after the tab dies at any point', () => {
  type Point = { name: string; after: (record: JobRecord) => boolean };
  const at = (step: number, kind: string): Point => ({ name: `step ${step + 1} ${kind}`, after: (record) => record.steps[step]?.status.kind === kind });
  const points: Point[] = [
    { name: 'job created', after: (record) => record.status === 'running' && record.steps.every((s) => s.status.kind === 'waiting') },
    ...[0, 1, 2].flatMap((step) => ['simulating', 'awaiting-signature', 'sent', 'confirmed'].map((kind) => at(step, kind))),
  ];

  for (const point of points) {
    it(`dies after "${point.name}" is stored, resumes, every action mined once`, async () => {
      const chain = restakeChain();
      const base = createMemoryJobStore();
      const firstWallet = new FakeWallet(chain);
      const dying = crashingView(base, point.after);
      expect(await rejects(runJob(chain.client, firstWallet, dying, restakeJob(chain)))).toBeInstanceOf(Crash);
      expect(dying.crashed()).toBe(true);

      const secondWallet = new FakeWallet(chain);
      const record = await runJob(chain.client, secondWallet, base, restakeJob(chain));
      expect(record.status).toBe('done');
      expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
      expect([...firstWallet.sent, ...secondWallet.sent]).toEqual(['approve', 'stake', 'claim']);
    });
  }

  it('dies after the wallet sent but before the hash was stored (mined): the chain shows the step landed, it is not sent again', async () => {
    const chain = restakeChain();
    const store = createMemoryJobStore();
    const first = new FakeWallet(chain);
    first.afterSend = (hash) => {
      if (chain.mined.has(hash) && first.sent.at(-1) === 'stake') throw new Crash('closed while the wallet answered');
    };
    expect(await rejects(runJob(chain.client, first, store, restakeJob(chain)))).toBeInstanceOf(Crash);
    expect(statuses(await store.get('job-1'))).toEqual(['confirmed', 'awaiting-signature', 'waiting']);

    const second = new FakeWallet(chain);
    const record = await runJob(chain.client, second, store, restakeJob(chain));
    expect(statuses(record)).toEqual(['confirmed', 'skipped-already-landed', 'confirmed']);
    expect(second.sent).toEqual(['claim']);
    expect(chain.timesMined('stake')).toBe(1);
  });

  it('dies after the wallet sent but before the hash was stored (still pending): the resume waits for the account’s pending transaction, then finds the step landed', async () => {
    const { chain, store } = await diesWithApprovalPendingAndHashUnknown();
    chain.automine = true;

    const second = new FakeWallet(chain);
    const phases: string[] = [];
    const record = await runJob(chain.client, second, store, restakeJob(chain), {
      onProgress: (p) => {
        phases.push(`${p.step}:${p.phase}`);
        // The earlier transaction is mined while the runner waits for it.
        if (p.phase === 'waiting-for-earlier-transaction') chain.mine();
      },
    });
    expect(phases).toContain('1:waiting-for-earlier-transaction');
    expect(statuses(record)).toEqual(['skipped-already-landed', 'confirmed', 'confirmed']);
    expect(second.sent).toEqual(['stake', 'claim']);
    expect(chain.timesMined('approve')).toBe(1);
  });

  it('a pending transaction of the account that was not the step: once mined, the step is sent (landed says no)', async () => {
    const chain = restakeChain();
    const store = createMemoryJobStore();
    const first = new FakeWallet(chain);
    // The wallet is asked, the tab dies before it answers; meanwhile another app sends from the account.
    first.beforeSend = () => {
      chain.automine = false;
      chain.send({ from: ALICE, to: ALICE, data: '0x', value: 0n });
      throw new Crash('closed with the prompt open');
    };
    expect(await rejects(runJob(chain.client, first, store, restakeJob(chain)))).toBeInstanceOf(Crash);
    chain.automine = true;
    const second = new FakeWallet(chain);
    const record = await runJob(chain.client, second, store, restakeJob(chain), { onProgress: (p) => p.phase === 'waiting-for-earlier-transaction' && chain.mine() });
    expect(record.status).toBe('done');
    expect(second.sent).toEqual(['approve', 'stake', 'claim']);
  });

  it('an earlier transaction that stays pending pauses the job (job.pending_elsewhere) instead of sending again', async () => {
    const { chain, store } = await diesWithApprovalPendingAndHashUnknown();
    const second = new FakeWallet(chain);
    const error = await rejects(runJob(chain.client, second, store, restakeJob(chain), { receiptTimeoutMs: 0 }));
    expect((error as { code?: string }).code).toBe('job.pending_elsewhere');
    expect(second.sent).toEqual([]);
    expect((await store.get('job-1'))?.status).toBe('paused');
  });
});

describe('cancel and pause between steps', () => {
  it('aborting with JobCancelledError after step 1 ends the job cancelled: step 1 stays done, nothing else is sent, a later run does nothing', async () => {
    const chain = restakeChain();
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const controller = new AbortController();
    const spec = restakeJob(chain);
    const record = await runJob(chain.client, wallet, store, spec, {
      signal: controller.signal,
      onProgress: (p) => p.step === 1 && p.phase === 'step-done' && controller.abort(new JobCancelledError(spec.title)),
    });
    expect(record.status).toBe('cancelled');
    expect(record.error?.code).toBe('job.cancelled');
    expect(statuses(record)).toEqual(['confirmed', 'waiting', 'waiting']);
    expect(wallet.sent).toEqual(['approve']);
    expect(isResumable(record)).toBe(false);
    const again = await runJob(chain.client, wallet, store, spec);
    expect(again.status).toBe('cancelled');
    expect(wallet.sent).toEqual(['approve']);
  });

  it('aborting for any other reason pauses the job while its transaction is pending; a resume follows the same hash', async () => {
    const chain = restakeChain();
    chain.automine = false;
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const controller = new AbortController();
    const leaving = new Error('page hidden');
    const error = await rejects(runJob(chain.client, wallet, store, restakeJob(chain), { signal: controller.signal, onProgress: (p) => p.phase === 'pending' && controller.abort(leaving) }));
    expect(error).toBe(leaving);
    const paused = await store.get('job-1');
    expect(paused?.status).toBe('paused');
    expect(statuses(paused)).toEqual(['sent', 'waiting', 'waiting']);
    expect(isResumable(paused!)).toBe(true);
    expect(jobSummary(paused!).text).toBe('Paused at step 1 of 3: Approve');
    chain.mine();
    chain.automine = true;
    const record = await runJob(chain.client, wallet, store, restakeJob(chain));
    expect(record.status).toBe('done');
    expect(wallet.sent).toEqual(['approve', 'stake', 'claim']);
    const sent = paused!.steps[0]!.status;
    expect(record.steps[0]!.status).toMatchObject({ kind: 'confirmed', hash: sent.kind === 'sent' ? sent.hash : 'missing' });
  });

  it('cancelStoredJob cancels a paused job, refuses a done one, and refuses one running now', async () => {
    const chain = restakeChain();
    const store = createMemoryJobStore();
    const wallet = new FakeWallet(chain);
    wallet.beforeSend = () => {
      throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
    };
    await rejects(runJob(chain.client, wallet, store, restakeJob(chain)));
    expect((await store.get('job-1'))?.status).toBe('paused');
    expect((await cancelStoredJob(store, 'job-1'))?.status).toBe('cancelled');

    wallet.beforeSend = null;
    await runJob(chain.client, wallet, store, restakeJob(chain, 'job-2'));
    expect(((await rejects(cancelStoredJob(store, 'job-2'))) as { code?: string }).code).toBe('job.not_cancellable');

    const release = await store.lock('job-3');
    expect(((await rejects(cancelStoredJob(store, 'job-3'))) as { code?: string }).code).toBe('job.busy');
    release?.();
  });
});

describe('named failures', () => {
  it('a step that reverts in simulation fails the job with job.simulation_reverted and the decoded reason; nothing is sent for it', async () => {
    const chain = restakeChain();
    chain.flags.add('claimed'); // claimed before; `landed` of this job's claim step is written wrong on purpose (it ignores that)
    const spec = restakeJob(chain);
    const wrongClaim = { ...spec.steps[2]!, landed: async () => false };
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const error = await rejects(runJob(chain.client, wallet, store, { ...spec, steps: [spec.steps[0]!, spec.steps[1]!, wrongClaim] }));
    expect((error as { code?: string }).code).toBe('job.simulation_reverted');
    expect((error as { details?: string }).details).toContain('"claimed"');
    expect(wallet.sent).toEqual(['approve', 'stake']);
    const record = await store.get('job-1');
    expect(record?.status).toBe('failed');
    expect(record?.error?.code).toBe('job.simulation_reverted');
    expect(record?.steps[2]?.status).toMatchObject({ kind: 'failed', error: { code: 'job.simulation_reverted' } });
    expect(jobSummary(record!).text).toBe('Failed at step 3 of 3: Claim');
  });

  it('a step mined but reverted fails the job with job.reverted and keeps the hash', async () => {
    const chain = new FakeChain({ approve: { sets: 'approved', revertsWhenMined: true } });
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const spec: JobSpec = { ...restakeJob(chain), steps: [chain.step('approve')] };
    const error = await rejects(runJob(chain.client, wallet, store, spec));
    expect((error as { code?: string }).code).toBe('job.reverted');
    const step = (await store.get('job-1'))!.steps[0]!.status;
    expect(step.kind).toBe('failed');
    expect(step.kind === 'failed' && step.hash && chain.mined.get(step.hash)?.status).toBe('reverted');
  });

  it('a step mined but reverted because someone did it first counts as landed', async () => {
    const chain = restakeChain();
    const wallet = new FakeWallet(chain);
    // Between simulation and mining, another transaction claims first.
    wallet.beforeSend = (action) => {
      if (action === 'claim') chain.flags.add('claimed');
    };
    const record = await runJob(chain.client, wallet, createMemoryJobStore(), restakeJob(chain));
    expect(record.status).toBe('done');
    expect(record.steps[2]!.status.kind).toBe('skipped-already-landed');
    expect(record.steps[2]!.history.map((s) => s.kind)).toEqual(['failed']);
  });

  it('the wallet refusing pauses the job with the step back to waiting; a resume sends it', async () => {
    const chain = restakeChain();
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    wallet.beforeSend = (action) => {
      if (action === 'stake') throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
    };
    await rejects(runJob(chain.client, wallet, store, restakeJob(chain)));
    const paused = await store.get('job-1');
    expect(paused?.status).toBe('paused');
    expect(statuses(paused)).toEqual(['confirmed', 'waiting', 'waiting']);
    wallet.beforeSend = null;
    expect((await runJob(chain.client, wallet, store, restakeJob(chain))).status).toBe('done');
    expect(wallet.sent).toEqual(['approve', 'stake', 'claim']);
  });

  it('refuses another account (job.wrong_account), another chain (job.wrong_chain), a second runner (job.busy) and a changed spec (job.spec_mismatch)', async () => {
    const chain = restakeChain();
    const store = createMemoryJobStore();
    const wallet = new FakeWallet(chain);
    const spec = restakeJob(chain);
    const code = async (promise: Promise<unknown>) => ((await rejects(promise)) as { code?: string }).code;
    expect(await code(runJob(chain.client, wallet, store, { ...spec, account: '0x000000000000000000000000000000000000b0b0' }))).toBe('job.wrong_account');
    expect(await code(runJob(chain.client, wallet, store, { ...spec, chainId: 4689 }))).toBe('job.wrong_chain');

    const release = await store.lock(spec.id);
    expect(await code(runJob(chain.client, wallet, store, spec))).toBe('job.busy');
    release?.();

    wallet.beforeSend = () => {
      throw Object.assign(new Error('rejected'), { code: 4001 });
    };
    await rejects(runJob(chain.client, wallet, store, spec));
    expect(await code(runJob(chain.client, wallet, store, { ...spec, steps: [spec.steps[1]!, spec.steps[0]!, spec.steps[2]!] }))).toBe('job.spec_mismatch');
    expect(await code(runJob(chain.client, wallet, store, { ...spec, kind: 'claim-all' }))).toBe('job.spec_mismatch');
    // The same id built for another account (a journey deriving ids without the account) is refused, not run for the stored one.
    const otherWallet = Object.assign(new FakeWallet(chain), { address: '0x000000000000000000000000000000000000b0b0' as const });
    expect(await code(runJob(chain.client, otherWallet, store, { ...spec, account: otherWallet.address }))).toBe('job.spec_mismatch');
    expect(wallet.sent).toEqual([]);
  });
});

describe('replaced and dropped transactions', () => {
  async function runWithReplacement(replacement: 'speed-up' | 'cancel') {
    const chain = restakeChain();
    chain.automine = false;
    const wallet = new FakeWallet(chain);
    let replaced = false;
    const record = await runJob(chain.client, wallet, createMemoryJobStore(), restakeJob(chain), {
      onProgress: (p) => {
        if (p.step !== 1 || p.phase !== 'pending' || replaced) return;
        replaced = true;
        // The user replaces the pending approval in their wallet (same nonce), then it is mined.
        const pending = [...chain.pool.values()][0]!;
        chain.send({ from: ALICE, to: replacement === 'speed-up' ? pending.to : ALICE, data: replacement === 'speed-up' ? pending.data : '0x', value: 0n, nonce: pending.nonce });
        chain.mine();
        chain.automine = true;
      },
    });
    return { chain, wallet, record };
  }

  it('a speed-up (same call, same nonce) is reported as replaced with the new hash, and counts as the step because landed() says so', async () => {
    const { chain, wallet, record } = await runWithReplacement('speed-up');
    const status = record.steps[0]!.status;
    expect(status.kind).toBe('replaced');
    expect(status.kind === 'replaced' && status.landed).toBe(true);
    expect(status.kind === 'replaced' && status.newHash).toBe([...chain.mined.values()][0]!.tx.hash);
    expect(wallet.sent).toEqual(['approve', 'stake', 'claim']);
    expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
    expect(record.status).toBe('done');
  });

  it('a cancel (same nonce, no call) is reported as replaced and, not landed, the step is sent again', async () => {
    const { chain, wallet, record } = await runWithReplacement('cancel');
    expect(record.steps[0]!.history.map((s) => s.kind)).toEqual(['replaced']);
    expect(record.steps[0]!.history[0]).toMatchObject({ kind: 'replaced', landed: false });
    expect(record.steps[0]!.status.kind).toBe('confirmed');
    expect(wallet.sent).toEqual(['approve', 'approve', 'stake', 'claim']);
    expect(chain.timesMined('approve')).toBe(1);
    expect(record.status).toBe('done');
  });

  it('a transaction the network forgets pauses the job with job.dropped; the resume sends it again', async () => {
    const chain = restakeChain();
    chain.automine = false;
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    wallet.afterSend = (hash) => chain.drop(hash);
    const error = await rejects(runJob(chain.client, wallet, store, restakeJob(chain), { droppedAfterMs: 0 }));
    expect((error as { code?: string }).code).toBe('job.dropped');
    expect(statuses(await store.get('job-1'))).toEqual(['waiting', 'waiting', 'waiting']);
    wallet.afterSend = null;
    chain.automine = true;
    expect((await runJob(chain.client, wallet, store, restakeJob(chain))).status).toBe('done');
    expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
  });

  it('a transaction still pending when the wait runs out pauses the job (job.receipt_timeout) with the hash kept', async () => {
    const chain = restakeChain();
    chain.automine = false;
    const wallet = new FakeWallet(chain);
    const store = createMemoryJobStore();
    const error = await rejects(runJob(chain.client, wallet, store, restakeJob(chain), { receiptTimeoutMs: 0 }));
    expect((error as { code?: string }).code).toBe('job.receipt_timeout');
    const status = (await store.get('job-1'))!.steps[0]!.status;
    expect(status).toMatchObject({ kind: 'sent', nonce: 0 });
  });
});

describe('EIP-5792 batches', () => {
  it('reads atomic support from a chain’s wallet_getCapabilities answer, current and older shapes', () => {
    expect(atomicFrom({ atomic: { status: 'supported' } })).toBe(true);
    expect(atomicFrom({ atomic: { status: 'ready' } })).toBe(true);
    expect(atomicFrom({ atomic: { status: 'unsupported' } })).toBe(false);
    expect(atomicFrom({ atomicBatch: { supported: true } })).toBe(true);
    expect(atomicFrom({ atomicBatch: { supported: false } })).toBe(false);
    expect(atomicFrom({ paymasterService: { supported: true } })).toBe(false);
    expect(atomicFrom(undefined)).toBe(false);
  });

  it('a wallet that runs calls atomically gets every step in one wallet_sendCalls, confirmed once', async () => {
    const chain = restakeChain();
    const wallet = new FakeBatchWallet(chain);
    const confirmations: StepConfirmation[] = [];
    const record = await runJob(chain.client, wallet, createMemoryJobStore(), restakeJob(chain), { confirm: async (c) => void confirmations.push(c) });
    expect(record.status).toBe('done');
    expect(wallet.batchCalls).toBe(1);
    expect(wallet.sent).toEqual(['batch:approve', 'batch:stake', 'batch:claim']);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.batch).toBe(true);
    expect(confirmations[0]!.calls.map((c) => c.label)).toEqual(['Approve', 'Stake', 'Claim']);
    expect(statuses(record)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(record.batch).toBeNull();
  });

  it('batches only the steps not on-chain, and goes one by one when only one is left or the wallet is not atomic', async () => {
    const chain = restakeChain();
    chain.flags.add('approved');
    const wallet = new FakeBatchWallet(chain);
    await runJob(chain.client, wallet, createMemoryJobStore(), restakeJob(chain));
    expect(wallet.sent).toEqual(['batch:stake', 'batch:claim']);

    const chain2 = restakeChain();
    chain2.flags.add('staked');
    const wallet2 = new FakeBatchWallet(chain2);
    await runJob(chain2.client, wallet2, createMemoryJobStore(), restakeJob(chain2));
    expect(wallet2.sent).toEqual(['claim']);

    const chain3 = restakeChain();
    const wallet3 = new FakeBatchWallet(chain3);
    wallet3.atomic = false;
    await runJob(chain3.client, wallet3, createMemoryJobStore(), restakeJob(chain3));
    expect(wallet3.sent).toEqual(['approve', 'stake', 'claim']);
    expect(wallet3.capabilityQueries).toBe(1);
  });

  it('dies after the batch id is stored: the resume follows the batch by its id and sends nothing', async () => {
    const chain = restakeChain();
    const base = createMemoryJobStore();
    const first = new FakeBatchWallet(chain);
    await rejects(runJob(chain.client, first, crashingView(base, (record) => record.batch !== null), restakeJob(chain)));
    const second = new FakeBatchWallet(chain);
    second.batches.set('batch-1', first.batches.get('batch-1')!);
    const record = await runJob(chain.client, second, base, restakeJob(chain));
    expect(record.status).toBe('done');
    expect(statuses(record)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(second.batchCalls + second.sent.length).toBe(0);
  });

  it('dies after the batch id is stored and the wallet no longer knows it (another wallet): landed() decides, nothing is sent twice', async () => {
    const chain = restakeChain();
    const base = createMemoryJobStore();
    await rejects(runJob(chain.client, new FakeBatchWallet(chain), crashingView(base, (record) => record.batch !== null), restakeJob(chain)));
    const plain = new FakeWallet(chain);
    const record = await runJob(chain.client, plain, base, restakeJob(chain));
    expect(statuses(record)).toEqual(['skipped-already-landed', 'skipped-already-landed', 'skipped-already-landed']);
    expect(plain.sent).toEqual([]);
    expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
  });

  it('dies between the wallet executing the batch and its id being stored: landed() decides, nothing is sent twice', async () => {
    const chain = restakeChain();
    const store = createMemoryJobStore();
    const first = new FakeBatchWallet(chain);
    first.afterSendCalls = () => {
      throw new Crash('closed while the wallet answered');
    };
    await rejects(runJob(chain.client, first, store, restakeJob(chain)));
    expect(statuses(await store.get('job-1'))).toEqual(['awaiting-signature', 'awaiting-signature', 'awaiting-signature']);
    const second = new FakeBatchWallet(chain);
    const record = await runJob(chain.client, second, store, restakeJob(chain));
    expect(record.status).toBe('done');
    expect(second.batchCalls).toBe(0);
    expect(chain.minedActions).toEqual(['approve', 'stake', 'claim']);
  });

  it('a batch the wallet reports failed fails the job with job.batch_failed; nothing landed, so a resume sends the steps again', async () => {
    const chain = new FakeChain({
      approve: { sets: 'approved' },
      stake: { requires: ['approved'], sets: 'staked', clears: ['approved'], revertsWhenMined: true },
    });
    const wallet = new FakeBatchWallet(chain);
    const store = createMemoryJobStore();
    const spec: JobSpec = { ...restakeJob(chain), steps: [chain.step('approve', ['staked']), chain.step('stake')] };
    const error = await rejects(runJob(chain.client, wallet, store, spec));
    expect((error as { code?: string }).code).toBe('job.batch_failed');
    const record = await store.get('job-1');
    expect(record?.status).toBe('failed');
    expect(statuses(record)).toEqual(['waiting', 'waiting']);
    expect(chain.minedActions).toEqual([]);
  });
});

describe('stored records', () => {
  it('readJobRecord accepts a record the runner wrote and refuses damaged ones', async () => {
    const chain = restakeChain();
    const store: JobStore = createMemoryJobStore();
    const record = await runJob(chain.client, new FakeWallet(chain), store, restakeJob(chain));
    expect(readJobRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(readJobRecord(null)).toBeNull();
    expect(readJobRecord({ ...record, account: 'io1notanaddress' })).toBeNull();
    expect(readJobRecord({ ...record, status: 'half-done' })).toBeNull();
    expect(readJobRecord({ ...record, steps: [{ id: 'approve', label: 'Approve', status: { kind: 'teleported' }, history: [] }] })).toBeNull();
  });
});
