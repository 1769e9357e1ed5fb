import type { Address, PublicClient } from 'viem';
import { createContext } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import { isResumable } from '../../core/jobs/record.js';
import type { JobProgress, JobRecord, JobSpec, JobStore, JobWallet, StepConfirmation } from '../../core/jobs/types.js';

/** Rebuilds a job's spec from its stored record (`kind` and `params`); each journey registers its own. */
export type JobBuilder = (record: JobRecord) => JobSpec;

/** What a run needs, fetched when it starts: the wallet may have been reconnected since the last run. */
export type JobConnection = { client: PublicClient; wallet: JobWallet };

export type RunHooks = { confirm?: (request: StepConfirmation) => Promise<void>; onSent?: (hash: `0x${string}`, step: { id: string; label: string }) => void };

/**
 * The active account's transaction jobs for every journey: the stored list (to offer "resume"
 * after a reload or a reconnect), live progress of the ones running in this tab, and run, resume,
 * pause and cancel. Journeys register how to rebuild their kind of job; screens read the state.
 * Everything about a job's steps stays in src/core/jobs; this only holds what screens show.
 */
export class JobsState {
  /** The account's jobs on the chain, as stored, oldest first. */
  jobs = $state<JobRecord[]>([]);
  /** Progress of the jobs running in this tab, by job id ("Step 2 of 3: …"). */
  progress = $state<Record<string, JobProgress>>({});
  /** What stopped each job run here (paused or failed), as thrown: ErrorNotice shows it. */
  errors = $state<Record<string, unknown>>({});
  /** Jobs not done and not cancelled: a screen offers to resume these. */
  readonly resumable = $derived(this.jobs.filter(isResumable));

  readonly #store: JobStore;
  readonly #connect: () => Promise<JobConnection>;
  // Registered once by the journeys; nothing renders from it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #builders = new Map<string, JobBuilder>();
  /** Reactive: screens read `isRunning` to show a job as running here. */
  readonly #running = new SvelteMap<string, AbortController>();
  #owner: { account: Address; chainId: number } | null = null;
  /** The job errors, loaded with the first run (pause and cancel are immediate from then on). */
  #errors: typeof import('../../core/jobs/errors.js') | null = null;

  readonly #hooksFor: (spec: JobSpec) => RunHooks;

  /** `hooksFor`: the app's confirmation and history for each run (made per run, so it can tie a sent hash to its call); a run's own hooks take precedence. */
  constructor(store: JobStore, connect: () => Promise<JobConnection>, hooksFor: (spec: JobSpec) => RunHooks = () => ({})) {
    this.#store = store;
    this.#connect = connect;
    this.#hooksFor = hooksFor;
  }

  register(kind: string, build: JobBuilder): void {
    this.#builders.set(kind, build);
  }

  /** Reads the jobs of this account on this chain (on start, after a reload, after the account or network changed). */
  async load(account: Address, chainId: number): Promise<void> {
    this.#owner = { account, chainId };
    const jobs = await this.#store.list({ account, chainId });
    // A late answer for an account left behind does not replace the current one's list.
    if (this.#owner?.account === account && this.#owner.chainId === chainId) this.jobs = jobs;
  }

  /** No account (locked, disconnected): no jobs to show. */
  reset(): void {
    this.#owner = null;
    this.jobs = [];
  }

  isRunning(id: string): boolean {
    return this.#running.has(id);
  }

  /** Runs a job (new, or the same id again to resume it). Resolves with the record; a pause or failure is kept in `errors`. */
  async run(spec: JobSpec, hooks: RunHooks = {}): Promise<JobRecord | null> {
    if (this.#running.has(spec.id)) return null;
    const controller = new AbortController();
    this.#running.set(spec.id, controller);
    this.errors = withoutKey(this.errors, spec.id);
    try {
      // The runner loads with the first job, not with the first screen.
      const [{ client, wallet }, { runJob }, errors] = await Promise.all([this.#connect(), import('../../core/jobs/runner.js'), jobErrors()]);
      this.#errors = errors;
      return await runJob(client, wallet, this.#store, spec, {
        ...this.#hooksFor(spec),
        signal: controller.signal,
        onProgress: (progress, record) => {
          this.progress = { ...this.progress, [spec.id]: progress };
          this.#show(record);
        },
        ...hooks,
      });
    } catch (error) {
      this.errors = { ...this.errors, [spec.id]: error };
      return null;
    } finally {
      this.#running.delete(spec.id);
      this.progress = withoutKey(this.progress, spec.id);
      await this.#refresh(spec.id);
    }
  }

  /** Resumes a stored job with the spec its journey rebuilds from the record. */
  async resume(id: string, hooks: RunHooks = {}): Promise<JobRecord | null> {
    // The stored record, not the list: another tab may have moved the job on since the list was read.
    const record = await this.#store.get(id);
    if (!record) return null;
    const build = this.#builders.get(record.kind);
    if (!build) {
      const { JobUnknownKindError } = await jobErrors();
      this.errors = { ...this.errors, [id]: new JobUnknownKindError(record.title, record.kind) };
      return null;
    }
    return this.run(build(record), hooks);
  }

  /** Stops a job running here at its next safe point; it stays resumable. */
  pause(id: string): void {
    const record = this.jobs.find((job) => job.id === id);
    // Any reason but a cancel pauses (docs/jobs.md); the named one once loaded (it is, once a job runs).
    const reason = this.#errors ? new this.#errors.JobPausedError(record?.title ?? id) : new Error(`Paused: ${record?.title ?? id}`);
    this.#running.get(id)?.abort(reason);
  }

  /** Cancels between steps (running here) or at once (stored); steps already on-chain stay. */
  async cancel(id: string): Promise<void> {
    const running = this.#running.get(id);
    const record = this.jobs.find((job) => job.id === id);
    if (running) {
      const { JobCancelledError } = this.#errors ?? (await jobErrors());
      running.abort(new JobCancelledError(record?.title ?? id));
      return;
    }
    try {
      const { cancelStoredJob } = await import('../../core/jobs/runner.js');
      await cancelStoredJob(this.#store, id);
    } catch (error) {
      this.errors = { ...this.errors, [id]: error };
    }
    await this.#refresh(id);
  }

  async #refresh(id: string): Promise<void> {
    const record = await this.#store.get(id).catch(() => undefined);
    if (record) this.#show(record);
  }

  /** Puts a record into the list if it belongs to the account shown. */
  #show(record: JobRecord): void {
    const owner = this.#owner;
    if (!owner || owner.chainId !== record.chainId || owner.account.toLowerCase() !== record.account.toLowerCase()) return;
    const index = this.jobs.findIndex((job) => job.id === record.id);
    this.jobs = index === -1 ? [...this.jobs, record] : this.jobs.map((job, i) => (i === index ? record : job));
  }
}

/**
 * The job errors and the runner load with the first job, not with the first screen (JobsState is
 * created at the root); a job running here has loaded them already, so this answers at once.
 */
const jobErrors = () => import('../../core/jobs/errors.js');

function withoutKey<T>(map: Record<string, T>, key: string): Record<string, T> {
  const next = { ...map };
  delete next[key];
  return next;
}

export const [getJobsState, setJobsState] = createContext<JobsState>();
