import type { Config } from '@wagmi/core';
import type { Address, Hash, Hex, PublicClient, TransactionReceipt } from 'viem';
import { firstLine } from '../../core/errors.js';
import type { Network } from '../../core/networks.js';
import { RpcUnreachableError } from '../../core/rpcErrors.js';
import { NonceIgnoredError, ReplacementTooLateError, ReplacementUnknownTxError } from '../../core/wallet/historyErrors.js';
import { replacementFees, type FeeCaps } from '../../core/wallet/replacement.js';
import { trackTx, walletClientFor } from './chain.js';
import { currentFeeCaps, notFoundAsNull, receiptOrNull, settleNonceGroup } from './receipts.js';
import { putTx, type TxRecord } from './store.js';
import { sendWithActiveWallet } from './wagmi.js';

/**
 * Speed up and cancel for a pending transaction: the same nonce again with higher fees, either the
 * same call (speed up) or a 0-value transfer to oneself (cancel). Whichever of them is mined wins
 * the nonce; the others are then replaced, or, if sent after the winner, failed "too late".
 */
export type ReplacementKind = 'speedUp' | 'cancel';

type PreparedReplacement = {
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

/** What the confirmation shows for a replacement. */
type ReplacementCall = { title: string; to: Address; value: bigint; data?: Hex; fee: bigint; gas: bigint };

export type ReplaceOptions = {
  config: Config;
  network: Network;
  rpcUrl: string;
  walletName: string;
  original: TxRecord;
  kind: ReplacementKind;
  /** The app's confirmation; rejects if the user declines. */
  confirm: (call: ReplacementCall) => Promise<void>;
  /** The replacement's record, as soon as it is stored. */
  onRecord: (record: TxRecord) => void;
  /** Called once the nonce is settled (or following it gave up). */
  onSettled: () => void;
};

/**
 * The whole speed-up / cancel: price it, confirm it, send it with the active wallet at the original's
 * nonce, store it and follow the nonce. Throws NonceIgnoredError (after storing and following the
 * new transaction as a plain send) when the wallet picked its own nonce.
 */
export async function replaceTransaction(options: ReplaceOptions): Promise<Hash> {
  const { network, rpcUrl, original, kind } = options;
  const client = walletClientFor(network, rpcUrl);
  const prepared = await prepareReplacement(client, network, rpcUrl, original, kind);
  const call = { to: prepared.to, value: prepared.value, ...(prepared.data ? { data: prepared.data } : {}) };
  await options.confirm({ title: kind === 'cancel' ? 'Cancel a pending transaction' : 'Speed up a pending transaction', ...call, fee: prepared.fee, gas: prepared.gas });
  const hash = await sendWithActiveWallet(options.config, network, { ...call, gas: prepared.gas, nonce: prepared.nonce, ...prepared.fees }).catch((error: unknown) => {
    throw explainReplacementFailure(error);
  });
  const { record, nonceIgnored } = await recordReplacement(client, prepared, hash, options.walletName);
  options.onRecord(record);
  const settled = nonceIgnored ? trackTx(client, record) : followReplacement(client, [original, record]);
  void settled.finally(options.onSettled);
  if (nonceIgnored) throw nonceIgnored;
  return hash;
}

/** Reads the pending original from the node and prices its replacement; refuses if it was already mined or is gone. */
async function prepareReplacement(client: PublicClient, network: Network, rpcUrl: string, original: TxRecord, kind: ReplacementKind): Promise<PreparedReplacement> {
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
    throw new RpcUnreachableError(network, rpcUrl, firstLine(error));
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
async function recordReplacement(client: PublicClient, prepared: PreparedReplacement, hash: Hash, walletName: string): Promise<{ record: TxRecord; nonceIgnored: NonceIgnoredError | null }> {
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
function explainReplacementFailure(error: unknown): unknown {
  const text = error instanceof Error ? error.message : String(error);
  return /nonce too low|nonce has already been used|nonce is too low/i.test(text) ? new ReplacementTooLateError(firstLine(error)) : error;
}

/**
 * Follows a nonce's transactions until one is mined (or the nonce is used by another), then stores
 * each one's outcome. Polls: the node forgets a replaced transaction, so there is no receipt to wait for.
 */
async function followReplacement(client: PublicClient, group: TxRecord[], { pollMs = 1000, timeoutMs = 10 * 60_000 } = {}): Promise<TxRecord[] | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const settled = await settleNonceGroup(client, group).catch(() => null);
    if (settled) return settled;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return null;
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
