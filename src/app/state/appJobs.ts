import type { Address, Hash } from 'viem';
import type { JobCall, JobSpec, JobStore } from '../../core/jobs/types.js';
import type { ConfirmationQueue } from './confirmationQueue.svelte.js';
import { JobsState, setJobsState, type RunHooks } from './jobs.svelte.js';
import { networkState } from './network.svelte.js';
import type { TransactionHistory } from './transactionHistory.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/**
 * The app's one JobsState (docs/jobs.md, "In the app"): jobs stored in IndexedDB, run with the
 * active wallet of the moment (read at each run: a reconnected wallet is the one used), every step
 * confirmed in the confirmation queue and every sent transaction in History. The list follows the
 * active account and network. Call once, at the root, after provideWallet's pieces exist.
 */
export function provideJobs(session: WalletSession, history: TransactionHistory, confirmations: ConfirmationQueue): JobsState {
  const connect = async () => {
    const { rt, config } = await session.connection();
    const { network, rpcUrl } = networkState.context;
    return { client: rt.walletClientFor(network, rpcUrl), wallet: await rt.activeJobWallet(config, network) };
  };
  const jobs = setJobsState(new JobsState(lazyIndexedDbJobStore(), connect, (spec) => appHooks(spec, history, confirmations)));
  session.onActiveChange((active) => {
    if (active) void jobs.load(active.address, active.chainId).catch(() => jobs.reset());
    else jobs.reset();
  });
  return jobs;
}

/** Confirm through the queue; track each sent transaction in History with the call it sent (remembered from its confirmation). */
function appHooks(spec: JobSpec, history: TransactionHistory, confirmations: ConfirmationQueue): RunHooks {
  // Per run: the calls the user approved, by step label, so a sent hash is recorded with its target and value.
  const approved = new Map<string, JobCall>();
  return {
    confirm: async (request) => {
      await confirmations.confirmJobStep(request);
      for (const { label, call } of request.calls) approved.set(label, call);
    },
    onSent: (hash: Hash, step) => {
      const call = approved.get(step.label);
      const from: Address = spec.account;
      void history.track({ hash, from, to: call?.to ?? spec.account, value: call?.value ?? 0n, label: `${spec.title}: ${step.label}` }).catch(() => undefined);
    },
  };
}

/**
 * The IndexedDB job store, loaded on its first use (the first list after a wallet is active): the
 * first screen carries only this forwarding object, not the store and its record validation.
 */
function lazyIndexedDbJobStore(): JobStore {
  let store: Promise<JobStore> | null = null;
  const loaded = () => (store ??= import('../../browser/jobs/store.js').then((module) => module.createIndexedDbJobStore()));
  return {
    get: async (id) => (await loaded()).get(id),
    put: async (record) => (await loaded()).put(record),
    list: async (filter) => (await loaded()).list(filter),
    delete: async (id) => (await loaded()).delete(id),
    lock: async (id) => (await loaded()).lock(id),
  };
}
