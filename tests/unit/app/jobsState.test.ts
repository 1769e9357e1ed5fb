/**
 * The shared jobs state (src/app/state/jobs.svelte.ts) over the in-memory store and the chain
 * model of the runner's tests: the list a screen offers to resume, resume through the journey's
 * registered builder, pause and cancel from the screen, and named errors kept per job.
 */
import { describe, expect, it } from 'vitest';
import { JobsState } from '../../../src/app/state/jobs.svelte.js';
import { createMemoryJobStore, type JobRecord, type JobSpec } from '../../../src/core/jobs/index.js';
import { ALICE, CHAIN_ID, FakeChain, FakeWallet } from '../core/jobs/fakeChain.js';

function setup() {
  const chain = new FakeChain({ approve: { sets: 'approved' }, stake: { requires: ['approved'], sets: 'staked', clears: ['approved'] } });
  const wallet = new FakeWallet(chain);
  const store = createMemoryJobStore();
  const state = new JobsState(store, async () => ({ client: chain.client, wallet }));
  const build = (record: Pick<JobRecord, 'id'>): JobSpec => ({
    id: record.id,
    kind: 'restake',
    title: 'Restake bucket 3',
    account: ALICE,
    chainId: CHAIN_ID,
    params: { bucket: '3' },
    steps: [chain.step('approve', ['staked']), chain.step('stake')],
  });
  state.register('restake', build);
  return { chain, wallet, store, state, build };
}

const codeOf = (error: unknown) => (error as { code?: unknown } | undefined)?.code;

describe('JobsState', () => {
  it('a job refused in the wallet is listed as resumable with its error; resuming it through the registered builder finishes it', async () => {
    const { wallet, state, build } = setup();
    await state.load(ALICE, CHAIN_ID);
    expect(state.jobs).toEqual([]);
    wallet.beforeSend = (action) => {
      if (action === 'stake') throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
    };
    expect(await state.run(build({ id: 'job-a' }))).toBeNull();
    expect(state.resumable.map((job) => [job.id, job.status])).toEqual([['job-a', 'paused']]);
    expect((state.errors['job-a'] as Error).message).toBe('User rejected the request.');
    expect(state.progress['job-a']).toBeUndefined();

    // The user resumes it from the list.
    wallet.beforeSend = null;
    const record = await state.resume('job-a');
    expect(record?.status).toBe('done');
    expect(state.resumable).toEqual([]);
    expect(state.jobs.map((job) => job.status)).toEqual(['done']);
    expect(state.errors['job-a']).toBeUndefined();
    expect(wallet.sent).toEqual(['approve', 'stake']);
  });

  it('a new state over the same store (a reload) lists the stored jobs of the account on the chain only', async () => {
    const { wallet, store, state, build, chain } = setup();
    wallet.beforeSend = () => {
      throw Object.assign(new Error('rejected'), { code: 4001 });
    };
    await state.load(ALICE, CHAIN_ID);
    await state.run(build({ id: 'job-b' }));
    const reloaded = new JobsState(store, async () => ({ client: chain.client, wallet }));
    await reloaded.load(ALICE, CHAIN_ID);
    expect(reloaded.resumable.map((job) => job.id)).toEqual(['job-b']);
    await reloaded.load(ALICE, 4689);
    expect(reloaded.jobs).toEqual([]);
  });

  it('cancel from the confirmation of step 2 stops between steps: the job is cancelled, step 1 stays, step 2 is never sent', async () => {
    const { wallet, state, build } = setup();
    await state.load(ALICE, CHAIN_ID);
    const runningWhileConfirming: boolean[] = [];
    const record = await state.run(build({ id: 'job-c' }), {
      confirm: async (request) => {
        runningWhileConfirming.push(state.isRunning('job-c'));
        if (request.calls[0]!.step === 2) await state.cancel('job-c');
      },
    });
    expect(runningWhileConfirming).toEqual([true, true]);
    expect(state.isRunning('job-c')).toBe(false);
    expect(record?.status).toBe('cancelled');
    expect(wallet.sent).toEqual(['approve']);
    expect(state.jobs.find((job) => job.id === 'job-c')?.status).toBe('cancelled');
    expect(state.resumable).toEqual([]);
  });

  it('pause from the screen keeps the job resumable with job.paused; cancelling it then cancels the stored job', async () => {
    const { wallet, state, build } = setup();
    await state.load(ALICE, CHAIN_ID);
    await state.run(build({ id: 'job-d' }), {
      confirm: async (request) => {
        if (request.calls[0]!.step === 2) state.pause('job-d');
      },
    });
    expect(codeOf(state.errors['job-d'])).toBe('job.paused');
    expect(state.resumable.map((job) => job.id)).toEqual(['job-d']);
    await state.cancel('job-d');
    expect(state.jobs.find((job) => job.id === 'job-d')?.status).toBe('cancelled');
    expect(wallet.sent).toEqual(['approve']);
  });

  it('a stored job of a kind no journey registered is refused by name (job.unknown_kind), and nothing is sent', async () => {
    const { wallet, store, state, build } = setup();
    await state.load(ALICE, CHAIN_ID);
    wallet.beforeSend = () => {
      throw Object.assign(new Error('rejected'), { code: 4001 });
    };
    await state.run(build({ id: 'job-e' }));
    await store.put({ ...(await store.get('job-e'))!, kind: 'claim-all' });
    wallet.beforeSend = null;
    expect(await state.resume('job-e')).toBeNull();
    expect(codeOf(state.errors['job-e'])).toBe('job.unknown_kind');
    expect(wallet.sent).toEqual([]);
  });
});
