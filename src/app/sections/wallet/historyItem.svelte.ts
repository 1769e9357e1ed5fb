import type { TxRecord } from '../../../browser/wallet/store.js';
import type { ConfirmationQueue } from '../../state/confirmationQueue.svelte.js';

/** A speed-up or cancel asked from one entry: busy while it runs, then its error, or a neutral "not sent". */
export class ReplaceAction {
  busy = $state<'speedUp' | 'cancel' | null>(null);
  error = $state<unknown>(null);
  declined = $state(false);

  readonly #queue: ConfirmationQueue;
  constructor(queue: ConfirmationQueue) {
    this.#queue = queue;
  }

  async run(tx: TxRecord, kind: 'speedUp' | 'cancel'): Promise<void> {
    this.busy = kind;
    this.error = null;
    this.declined = false;
    try {
      await this.#queue.requestReplacement(tx, kind);
    } catch (error) {
      // Saying no in the confirmation is a choice, not a failure.
      if ((error as { code?: unknown } | null)?.code === 'wallet.rejected') this.declined = true;
      else this.error = error;
    } finally {
      this.busy = null;
    }
  }
}
