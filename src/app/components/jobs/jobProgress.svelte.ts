import { isResumable, jobSummary } from '../../../core/jobs/record.js';
import type { JobRecord } from '../../../core/jobs/types.js';
import type { JobsState } from '../../state/jobs.svelte.js';
import { jobSteps } from './jobSteps.js';

/**
 * One job as a screen shows it, read from the shared JobsState: the headline ("Step 2 of 3: …" while
 * it runs here, "Paused at step 2 of 3: …" once stored), the steps, the error, and Resume / Cancel.
 */
export class JobProgressState {
  readonly #jobs: JobsState;
  readonly #id: () => string;
  readonly #onSettled: (record: JobRecord | null) => void;

  constructor(jobs: JobsState, id: () => string, onSettled: (record: JobRecord | null) => void = () => undefined) {
    this.#jobs = jobs;
    this.#id = id;
    this.#onSettled = onSettled;
  }

  get record(): JobRecord | null {
    const id = this.#id();
    return this.#jobs.jobs.find((job) => job.id === id) ?? null;
  }

  get running(): boolean {
    return this.#jobs.isRunning(this.#id());
  }

  get headline(): string {
    const live = this.#jobs.progress[this.#id()];
    if (live) return live.text;
    return this.record ? jobSummary(this.record).text : '';
  }

  get steps() {
    return this.record ? jobSteps(this.record) : [];
  }

  /** What stopped it: thrown in this tab, or stored with the record (after a reload). */
  get error(): unknown {
    const id = this.#id();
    return this.#jobs.errors[id] ?? (this.running ? null : this.record?.error) ?? null;
  }

  /** Done or cancelled: nothing more will happen to it. */
  get finished(): boolean {
    return this.record?.status === 'done' || this.record?.status === 'cancelled';
  }

  get canResume(): boolean {
    return !this.running && this.record !== null && isResumable(this.record);
  }

  /** Running here: stops after the step in flight. Stored: cancels now. */
  get canCancel(): boolean {
    return this.running || (this.record !== null && isResumable(this.record));
  }

  async resume(): Promise<void> {
    this.#onSettled(await this.#jobs.resume(this.#id()));
  }

  async cancel(): Promise<void> {
    await this.#jobs.cancel(this.#id());
  }
}
