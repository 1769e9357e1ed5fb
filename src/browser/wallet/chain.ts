import { firstLine } from '../../core/errors.js';
import { toErrorRecord } from '../../core/errorReport.js';
import { numberToHex, parseEther, type Address, type Hash, type PublicClient } from 'viem';
import { parseAddress } from '../../core/address.js';
import type { Network } from '../../core/networks.js';
import { ContractRevertError, findRevert } from '../../core/reverts/index.js';
import { createNetworkClient } from '../../core/rpc.js';
import { RpcUnreachableError, WrongChainError } from '../../core/rpcErrors.js';
import { assertAffordable, formatFee, formatIotx, maxSendable, parseAmount } from '../../core/wallet/amount.js';
import { FaucetUnavailableError, InsufficientFundsError } from '../../core/wallet/errors.js';
import { currentFeeCaps, settledFields, settleNonceGroup } from './receipts.js';
import { listTxs, putTx, type TxRecord } from './store.js';

/** Chain reads and the send/history logic the Wallet screen uses, for any active wallet. */
export function walletClientFor(network: Network, rpcUrl: string): PublicClient {
  return createNetworkClient(network, rpcUrl, 8000);
}

/** The balance, or RpcUnreachableError / WrongChainError: never a wait without end. */
export async function readBalance(client: PublicClient, network: Network, rpcUrl: string, address: Address): Promise<bigint> {
  let chainId: number;
  let balance: bigint;
  try {
    [chainId, balance] = await Promise.all([client.getChainId(), client.getBalance({ address })]);
  } catch (error) {
    throw new RpcUnreachableError(network, rpcUrl, firstLine(error));
  }
  if (chainId !== network.chainId) throw new WrongChainError(network, rpcUrl, chainId);
  return balance;
}

export type PreparedSend = {
  from: Address;
  to: Address;
  value: bigint;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** Upper bound of the fee: gas × maxFeePerGas. */
  fee: bigint;
  balance: bigint;
};

type FeeQuote = { gas: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint; fee: bigint };

/** Gas for the transfer and the fee caps at current gas prices; the fee is their product, an upper bound. */
async function quoteFee(client: PublicClient, network: Network, rpcUrl: string, from: Address, to: Address | null, value: bigint): Promise<FeeQuote> {
  try {
    const [gas, fees] = await Promise.all([
      // With no recipient yet, a plain transfer's gas is fixed by the protocol.
      to ? client.estimateGas({ account: from, to, value }) : Promise.resolve(PLAIN_TRANSFER_GAS),
      currentFeeCaps(client),
    ]);
    return { gas, ...fees, fee: gas * fees.maxFeePerGas };
  } catch (error) {
    // A contract that refuses IOTX makes the estimate revert: that is its answer, not a network failure.
    const revert = findRevert(error);
    if (revert) throw new ContractRevertError(revert, { cause: error, action: 'The recipient refuses this transfer' });
    throw new RpcUnreachableError(network, rpcUrl, firstLine(error));
  }
}

const PLAIN_TRANSFER_GAS = 21_000n;

/**
 * Validates recipient and amount, estimates gas and fees, and checks they fit the balance.
 * `amount: 'max'` sends the balance less the fee at current gas prices (priced now, not when Max
 * was pressed, so a fee that moved in between cannot make it unaffordable).
 */
export async function prepareSend(
  client: PublicClient,
  network: Network,
  rpcUrl: string,
  input: { from: Address; to: string; amount: string | 'max' },
): Promise<PreparedSend> {
  const to = parseAddress(input.to);
  const balance = await readBalance(client, network, rpcUrl, input.from);
  if (input.amount === 'max') {
    // Gas priced with no value: the value is what is left once the fee is known.
    const quote = await quoteFee(client, network, rpcUrl, input.from, to, 0n);
    const value = maxSendable(balance, quote.fee);
    if (value === 0n) {
      throw new InsufficientFundsError(`The balance (${formatIotx(balance)} IOTX) does not cover the network fee (${formatFee(quote.fee)}): nothing can be sent.`, quote.fee, balance);
    }
    return { from: input.from, to, value, ...quote, balance };
  }
  const value = parseAmount(input.amount);
  assertAffordable(value, 0n, balance);
  const quote = await quoteFee(client, network, rpcUrl, input.from, to, value);
  assertAffordable(value, quote.fee, balance);
  return { from: input.from, to, value, ...quote, balance };
}

/** What Max would send now and the fee it keeps back, for the Send form before anything is confirmed. */
export async function quoteMaxSend(
  client: PublicClient,
  network: Network,
  rpcUrl: string,
  input: { from: Address; to: Address | null },
): Promise<{ balance: bigint; fee: bigint; max: bigint }> {
  const balance = await readBalance(client, network, rpcUrl, input.from);
  const { fee } = await quoteFee(client, network, rpcUrl, input.from, input.to, 0n);
  return { balance, fee, max: maxSendable(balance, fee) };
}

/**
 * What a recipient is, read from the chain: the sender itself, or a contract (bytecode at the
 * address), which may keep IOTX sent to it with no way to get it back.
 */
export async function inspectRecipient(client: PublicClient, network: Network, rpcUrl: string, from: Address, to: Address): Promise<{ self: boolean; contract: boolean }> {
  let code: string | undefined;
  try {
    code = await client.getCode({ address: to });
  } catch (error) {
    throw new RpcUnreachableError(network, rpcUrl, firstLine(error));
  }
  return { self: to.toLowerCase() === from.toLowerCase(), contract: code !== undefined && code !== '0x' };
}

/** Records a just-sent transaction as pending; the history then follows it to its end. */
export async function recordSent(client: PublicClient, network: Network, input: { hash: Hash; from: Address; to: Address | null; value: bigint; label: string }): Promise<TxRecord> {
  const tx = await client.getTransaction({ hash: input.hash }).catch(() => null);
  const record: TxRecord = {
    hash: input.hash,
    chainId: network.chainId,
    from: input.from,
    to: input.to,
    value: input.value.toString(),
    nonce: tx?.nonce ?? -1,
    label: input.label,
    status: 'pending',
    createdAt: Date.now(),
  };
  await putTx(record);
  return record;
}

/** Waits for a pending transaction's outcome and stores it: confirmed, failed or replaced. */
export async function trackTx(client: PublicClient, record: TxRecord, timeoutMs = 120_000): Promise<TxRecord> {
  let replacedBy: Hash | undefined;
  try {
    const receipt = await client.waitForTransactionReceipt({
      hash: record.hash,
      timeout: timeoutMs,
      onReplaced: (replacement) => {
        replacedBy = replacement.transaction.hash;
      },
    });
    const next: TxRecord = replacedBy
      ? { ...record, status: 'replaced', replacedBy, blockNumber: receipt.blockNumber.toString() }
      : { ...record, ...(await settledFields(client, receipt)) };
    await putTx(next);
    return next;
  } catch (error) {
    return refreshTx(client, record, error);
  }
}

/**
 * Re-checks a stored pending transaction (after a reload): mined → its status; gone and its nonce
 * used by another → replaced; otherwise still pending.
 */
export async function refreshTx(client: PublicClient, record: TxRecord, cause?: unknown): Promise<TxRecord> {
  const receipt = await client.getTransactionReceipt({ hash: record.hash }).catch(() => null);
  let next = record;
  if (receipt) {
    next = { ...record, ...(await settledFields(client, receipt)) };
  } else if (record.nonce >= 0) {
    const [known, mined] = await Promise.all([
      client.getTransaction({ hash: record.hash }).then(() => true, () => false),
      client.getTransactionCount({ address: record.from, blockTag: 'latest' }).catch(() => -1),
    ]);
    if (!known && mined > record.nonce) next = { ...record, status: 'replaced' };
  }
  if (next === record && cause) next = { ...record, error: toErrorRecord(cause) };
  if (next !== record) await putTx(next);
  return next;
}

/**
 * The account's stored history with its pending transactions re-checked: a nonce with a speed-up
 * or cancel is settled as a group (which of them won), a lone one as before.
 */
export async function loadHistory(client: PublicClient | null, network: Network, account: Address): Promise<TxRecord[]> {
  const stored = await listTxs(network.chainId, account);
  if (!client) return stored;
  const pending = stored.filter((tx) => tx.status === 'pending' && tx.direction !== 'in');
  const updated = new Map<Hash, TxRecord>();
  for (const tx of pending) {
    if (updated.has(tx.hash)) continue;
    const group = replacementGroup(stored, tx);
    if (group.length > 1) {
      const settled = await settleNonceGroup(client, group).catch(() => null);
      for (const record of settled ?? group) updated.set(record.hash, record);
    } else {
      updated.set(tx.hash, await refreshTx(client, tx));
    }
  }
  return stored.map((tx) => updated.get(tx.hash) ?? tx);
}

/** A transaction with its speed-ups and cancels (and theirs): every record that traces back, by `replaces`, to the same first one. */
function replacementGroup(stored: TxRecord[], tx: TxRecord): TxRecord[] {
  const byHash = new Map(stored.map((record) => [record.hash, record]));
  const root = (record: TxRecord): Hash => {
    let current = record;
    // Bounded: a stored record pointing in a circle must not hang the history.
    for (let step = 0; step < 16 && current.replaces && byHash.has(current.replaces); step++) current = byHash.get(current.replaces)!;
    return current.hash;
  };
  const mine = root(tx);
  return stored.filter((record) => record.direction !== 'in' && root(record) === mine);
}

/** DEV ONLY: Hardhat dev account #0, which the local Hardhat node holds unlocked; no key is shipped. */
export const DEV_ONLY_FAUCET_ACCOUNT: Address = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
export const FAUCET_AMOUNT = parseEther('10');

/**
 * DEV ONLY devnet faucet: asks the local Hardhat node to send from its unlocked dev account #0.
 * Refuses on any network but the devnet (chain 31337).
 */
export async function requestDevnetFunds(client: PublicClient, network: Network, rpcUrl: string, to: Address): Promise<Hash> {
  if (network.id !== 'devnet' || network.chainId !== 31337) throw new FaucetUnavailableError(network.name);
  await readBalance(client, network, rpcUrl, to);
  const hash = (await client.request({
    method: 'eth_sendTransaction',
    params: [{ from: DEV_ONLY_FAUCET_ACCOUNT, to, value: numberToHex(FAUCET_AMOUNT) }],
  } as never)) as Hash;
  return hash;
}
