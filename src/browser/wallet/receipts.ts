import { TransactionNotFoundError, TransactionReceiptNotFoundError, type Hash, type PublicClient, type TransactionReceipt } from 'viem';
import { toErrorRecord } from '../../core/errorReport.js';
import { ReplacementTooLateError } from '../../core/wallet/historyErrors.js';
import { settleNonce, type FeeCaps } from '../../core/wallet/replacement.js';
import { putTx, type TxRecord } from './store.js';

/** Fee and receipt reads shared by sending, following and replacing transactions, and settling a replaced nonce. */

/** The network's fee caps now; on chains without EIP-1559 fee history the legacy gas price serves as both. */
export async function currentFeeCaps(client: PublicClient): Promise<FeeCaps> {
  return client.estimateFeesPerGas().catch(async () => {
    const gasPrice = await client.getGasPrice();
    return { maxFeePerGas: gasPrice, maxPriorityFeePerGas: gasPrice };
  });
}

/** A mined transaction's outcome for its record: status, block, when, and the fee its sender paid. */
export async function settledFields(client: PublicClient, receipt: TransactionReceipt): Promise<Pick<TxRecord, 'status' | 'blockNumber' | 'fee' | 'minedAt'>> {
  const block = await client.getBlock({ blockNumber: receipt.blockNumber }).catch(() => null);
  return {
    status: receipt.status === 'success' ? 'confirmed' : 'failed',
    blockNumber: receipt.blockNumber.toString(),
    fee: (receipt.gasUsed * receipt.effectiveGasPrice).toString(),
    ...(block ? { minedAt: Number(block.timestamp) * 1000 } : {}),
  };
}

export async function receiptOrNull(client: PublicClient, hash: Hash): Promise<TransactionReceipt | null> {
  return client.getTransactionReceipt({ hash }).catch(notFoundAsNull);
}

/** For `.catch`: "no such transaction (receipt)" is null; anything else (the RPC is down) is thrown on. */
export function notFoundAsNull(error: unknown): null {
  if (error instanceof TransactionReceiptNotFoundError || error instanceof TransactionNotFoundError) return null;
  throw error;
}

/** One look at a nonce's transactions: their stored outcomes once the nonce is used, or null while it is not. */
export async function settleNonceGroup(client: PublicClient, group: TxRecord[]): Promise<TxRecord[] | null> {
  const first = group[0];
  if (!first) return [];
  // The count first, then the receipts: a block mined between the two reads then shows up as a
  // winner (or not yet as used). The other order saw "no receipt" before the block and "nonce used"
  // after it, and settled our own mined transaction as replaced by an unknown one, for good.
  const usedBefore = (await client.getTransactionCount({ address: first.from, blockTag: 'latest' })) > first.nonce;
  const receipts = await Promise.all(group.map((tx) => receiptOrNull(client, tx.hash)));
  const winnerIndex = receipts.findIndex((receipt) => receipt !== null);
  const nonceUsed = winnerIndex >= 0 || usedBefore;
  const outcomes = settleNonce(group, winnerIndex >= 0 ? group[winnerIndex]!.hash : null, nonceUsed);
  if (!outcomes) return null;
  const settled = await Promise.all(
    outcomes.map(async (outcome, i): Promise<TxRecord> => {
      const tx = group[i]!;
      if (outcome.outcome === 'won') return { ...tx, ...(await settledFields(client, receipts[i]!)) };
      if (outcome.outcome === 'too-late') return { ...tx, status: 'failed', error: toErrorRecord(new ReplacementTooLateError()) };
      return { ...tx, status: 'replaced', ...(outcome.replacedBy ? { replacedBy: outcome.replacedBy as Hash } : {}) };
    }),
  );
  for (const tx of settled) await putTx(tx);
  return settled;
}
