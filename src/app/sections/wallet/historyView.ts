import { addressForms } from '../../../core/address.js';
import { formatDateTime, formatRelativeTime } from '../../../core/humanTime.js';
import { formatIotx, formatIotxSignificant } from '../../../core/wallet/amount.js';
import type { TxRecord } from '../../../browser/wallet/store.js';

/** What one History entry shows, worked out from its record; the component only lays it out. */
export function describeTx(tx: TxRecord, now: number) {
  const incoming = tx.direction === 'in';
  const counterpart = incoming ? tx.from : tx.to;
  const when = tx.minedAt ?? tx.createdAt;
  return {
    incoming,
    amount: `${incoming ? '+' : '−'}${formatIotx(BigInt(tx.value))} IOTX`,
    counterpart: counterpart ? `${incoming ? 'from' : 'to'} ${addressForms(counterpart).io}` : null,
    when: formatRelativeTime(when, now),
    whenFull: formatDateTime(when),
    whenIso: new Date(when).toISOString(),
    // The receiver of a transfer pays nothing: its sender paid the fee.
    fee: incoming ? 'No fee paid by you' : tx.fee !== undefined ? `Fee ${formatIotxSignificant(BigInt(tx.fee))} IOTX` : tx.status === 'pending' ? 'Fee known once mined' : null,
    replaces: tx.replaces ? `${tx.replacement === 'cancel' ? 'Cancels' : 'Speeds up'} ${tx.replaces.slice(0, 10)}…` : null,
    replacedBy: tx.replacedBy ? `${tx.replacedBy.slice(0, 10)}…` : null,
    canReplace: !incoming && tx.status === 'pending' && tx.nonce >= 0,
  };
}
