import type { Address, Hash, Hex, PublicClient, TransactionReceipt } from 'viem';
import { firstLine } from '../../core/errors.js';
import { toErrorRecord } from '../../core/errorReport.js';
import { RpcUnreachableError } from '../../core/rpc.js';
import { NonceIgnoredError, ReplacementTooLateError, ReplacementUnknownTxError } from '../../core/wallet/errors.js';
import { replacementFees, settleNonce, type FeeCaps } from '../../core/wallet/replacement.js';
import { currentFeeCaps, notFoundAsNull, receiptOrNull, settledFields } from './receipts.js';
import { putTx, type TxRecord } from './store.js';

/**
 * Speed up and cancel for a pending transaction: the same nonce again with higher fees, either the
 * same call (speed up) or a 0-value transfer to oneself (cancel). Whichever of them is mined wins
 * the nonce; the others are then replaced, or, if sent after the winner, failed "too late".
 */
export type ReplacementKind = 'speedUp' | 'cancel';

export type PreparedReplacement = {
  kind: ReplacementKind;
  original: TxRecord;
  to: Address;
  value: bigint;
  data?: Hex;
  gas: bigint;
  nonce: number;
  fees: FeeCaps;
  /** Upper bound of the fee: gas × maxFeePerGas. */
  fee: bigint;
};

/** A plain transfer's gas: a cancel sends nothing to oneself. */
const TRANSFER_GAS = 21_000n;

/** Reads the pending original from the node and prices its replacement; refuses if it was already mined or is gone. */
export async function prepareReplacement(client: PublicClient, rpcUrl: string, original: TxRecord, kind: ReplacementKind): Promise<PreparedReplacement> {
  let pending: Awaited<ReturnType<PublicClient['getTransaction']>> | null;
  let receipt: TransactionReceipt | null;
  let current: FeeCaps;
  try {
    [pending, receipt, current] = await Promise.all([
      client.getTransaction({ hash: original.hash }).catch(notFoundAsNull),
      receiptOrNull(client, original.hash),
      currentFeeCaps(client),
    ]);
  } catch (error) {
    throw new RpcUnreachableError(rpcUrl, firstLine(error));
  }
  if (receipt || pending?.blockNumber) throw new ReplacementTooLateError();
  if (!pending) throw new ReplacementUnknownTxError();
  // A legacy (type 0) original offers one gas price: it stands for both caps.
  const originalFees = pending.maxFeePerGas !== undefined && pending.maxPriorityFeePerGas !== undefined ? { maxFeePerGas: pending.maxFeePerGas, maxPriorityFeePerGas: pending.maxPriorityFeePerGas } : { maxFeePerGas: pending.gasPrice ?? 0n, maxPriorityFeePerGas: pending.gasPrice ?? 0n };
  const fees = replacementFees(originalFees, current);
  const call =
    kind === 'cancel'
      ? { to: original.from, value: 0n, gas: TRANSFER_GAS }
      : { to: pending.to ?? original.from, value: pending.value, gas: pending.gas, ...(pending.input && pending.input !== '0x' ? { data: pending.input } : {}) };
  return { kind, original, ...call, nonce: pending.nonce, fees, fee: call.gas * fees.maxFeePerGas };
}

/**
 * Stores a replacement the wallet just sent. A wallet may ignore the nonce it was given (some
 * extension wallets pick their own): then the transaction is a new one, stored as a plain send,
 * and `nonceIgnored` says so.
 */
export async function recordReplacement(client: PublicClient, prepared: PreparedReplacement, hash: Hash, walletName: string): Promise<{ record: TxRecord; nonceIgnored: NonceIgnoredError | null }> {
  const sent = await findTransaction(client, hash);
  const base: TxRecord = {
    hash,
    chainId: prepared.original.chainId,
    from: prepared.original.from,
    to: prepared.to,
    value: prepared.value.toString(),
    nonce: sent?.nonce ?? prepared.nonce,
    label: prepared.kind === 'cancel' ? 'Cancel' : 'Speed up',
    status: 'pending',
    createdAt: Date.now(),
  };
  if (sent && sent.nonce !== prepared.nonce) {
    const record = { ...base, label: 'Send' };
    await putTx(record);
    return { record, nonceIgnored: new NonceIgnoredError(walletName, prepared.nonce, sent.nonce) };
  }
  const record: TxRecord = { ...base, replaces: prepared.original.hash, replacement: prepared.kind };
  await putTx(record);
  return { record, nonceIgnored: null };
}

/** A node refusing the replacement because the nonce is already used means the original was mined meanwhile. */
export function explainReplacementFailure(error: unknown): unknown {
  const text = error instanceof Error ? error.message : String(error);
  return /nonce too low|nonce has already been used|nonce is too low/i.test(text) ? new ReplacementTooLateError(firstLine(error)) : error;
}

/**
 * Follows a nonce's transactions until one is mined (or the nonce is used by another), then stores
 * each one's outcome. Polls: the node forgets a replaced transaction, so there is no receipt to wait for.
 */
export async function followReplacement(client: PublicClient, group: TxRecord[], { pollMs = 1000, timeoutMs = 10 * 60_000 } = {}): Promise<TxRecord[] | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const settled = await settleNonceGroup(client, group).catch(() => null);
    if (settled) return settled;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return null;
}

/** One look at a nonce's transactions: their stored outcomes once the nonce is used, or null while it is not. */
export async function settleNonceGroup(client: PublicClient, group: TxRecord[]): Promise<TxRecord[] | null> {
  const first = group[0];
  if (!first) return [];
  const receipts = await Promise.all(group.map((tx) => receiptOrNull(client, tx.hash)));
  const winnerIndex = receipts.findIndex((receipt) => receipt !== null);
  const nonceUsed = winnerIndex >= 0 || (await client.getTransactionCount({ address: first.from, blockTag: 'latest' })) > first.nonce;
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

/** The transaction as the node has it; a wallet's node may take a moment to show a transaction it just took. */
async function findTransaction(client: PublicClient, hash: Hash): Promise<{ nonce: number } | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tx = await client.getTransaction({ hash }).catch(() => null);
    if (tx) return tx;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}
