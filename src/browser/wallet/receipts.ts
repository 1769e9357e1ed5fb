import { TransactionNotFoundError, TransactionReceiptNotFoundError, type Hash, type PublicClient, type TransactionReceipt } from 'viem';
import type { FeeCaps } from '../../core/wallet/replacement.js';
import type { TxRecord } from './store.js';

/** Fee and receipt reads shared by sending, following and replacing transactions. */

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
