/**
 * The outbox as the app runs it: loaded on demand (with src/core/outbox), it sends due batches,
 * rechecks receipts until anchored, and retries on start, on a timer (backoff), when the browser
 * comes back online, and where there is Background Sync, when the service worker is woken.
 */
import type { BatchSubmission } from '../../../core/outbox/batch.js';
import { describeError } from '../../../core/errors.js';
import { enqueueBatch, listOutbox, processOutbox, registerBackgroundSync, retryNow, type OutboxEntry } from '../../../core/outbox/outbox.js';
import { networkState } from '../../state/network.svelte.js';

class OutboxAppState {
  entries = $state.raw<OutboxEntry[]>([]);
  error = $state<string | null>(null);
  private started = false;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Starts the outbox once per page: shows the entries now, runs once the network (and so the
   * relay) is known, then again on 'online' and as entries fall due.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    addEventListener('online', () => void retryNow().then(() => this.run()));
    void this.refresh();
    void networkState.init().then(() => this.run());
  }

  async add(submission: BatchSubmission): Promise<void> {
    try {
      await enqueueBatch(submission, networkState.context.relayUrl);
      this.start();
      await this.refresh();
      await this.run();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  async retry(): Promise<void> {
    await retryNow(true);
    await this.run();
  }

  private async refresh(): Promise<void> {
    try {
      this.entries = await listOutbox();
    } catch (error) {
      this.error = describeError(error);
    }
  }

  /** One pass over due entries; a call during a pass makes one more pass after it. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          const result = await processOutbox(networkState.context.relayUrl, {});
          this.entries = result.entries;
          this.error = null;
          this.schedule(result.nextDueAt);
          // Batches still unsent: let the service worker send them once online, even if this page closes.
          if (result.entries.some((entry) => entry.state === 'queued')) void registerBackgroundSync();
        } catch (error) {
          this.error = describeError(error);
        }
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(nextDueAt: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = nextDueAt === null ? null : setTimeout(() => void this.run(), Math.max(250, nextDueAt - Date.now()));
  }
}

export const outboxState = new OutboxAppState();
