import { addressForms } from '../../../core/address.js';
import { formatIotx } from '../../../core/wallet/amount.js';
import { formatIotxSignificant, formatTxDate, formatTxTime } from '../../../core/wallet/txFormat.js';
import type { TxRecord } from '../../../browser/wallet/store.js';
import type { ConfirmationQueue } from '../../state/confirmationQueue.svelte.js';

/** What one History entry shows, worked out from its record; the component only lays it out. */
export function describeTx(tx: TxRecord, now: number) {
  const incoming = tx.direction === 'in';
  const counterpart = incoming ? tx.from : tx.to;
  const when = tx.minedAt ?? tx.createdAt;
  return {
    incoming,
    amount: `${incoming ? '+' : '−'}${formatIotx(BigInt(tx.value))} IOTX`,
    counterpart: counterpart ? `${incoming ? 'from' : 'to'} ${addressForms(counterpart).io}` : null,
    when: formatTxTime(when, { now }),
    whenFull: formatTxDate(when),
    whenIso: new Date(when).toISOString(),
    // The receiver of a transfer pays nothing: its sender paid the fee.
    fee: incoming ? 'No fee paid by you' : tx.fee !== undefined ? `Fee ${formatIotxSignificant(BigInt(tx.fee))} IOTX` : tx.status === 'pending' ? 'Fee known once mined' : null,
    replaces: tx.replaces ? `${tx.replacement === 'cancel' ? 'Cancels' : 'Speeds up'} ${tx.replaces.slice(0, 10)}…` : null,
    replacedBy: tx.replacedBy ? `${tx.replacedBy.slice(0, 10)}…` : null,
    canReplace: !incoming && tx.status === 'pending' && tx.nonce >= 0,
  };
}

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
