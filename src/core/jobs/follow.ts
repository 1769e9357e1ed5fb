import type { Address, Hash, PublicClient, TransactionReceipt } from 'viem';

/**
 * Following one transaction by its hash, from this page or after a reload: it is mined, or its
 * nonce went to another transaction (replaced: a speed-up, a cancel, another app), or the network
 * forgot it (dropped), or it is still pending when time runs out. Chain reads only, no memory of
 * how it was sent, so a fresh runner follows a stored hash exactly as the one that sent it.
 */
export type FollowOutcome =
  | { kind: 'mined'; receipt: TransactionReceipt; nonce: number | null }
  | { kind: 'replaced'; nonce: number; newHash: Hash | null }
  | { kind: 'dropped' }
  | { kind: 'timeout'; nonce: number | null };

export type FollowOptions = {
  account: Address;
  /** The transaction's nonce if already known (stored with the hash). */
  nonce: number | null;
  /** A block at or before the one the transaction was sent in, to search for its replacement from. */
  fromBlock: number | null;
  pollingIntervalMs: number;
  timeoutMs: number;
  droppedAfterMs: number;
  signal?: AbortSignal;
  now: () => number;
  /** Told once the nonce is read from the pending transaction, so it can be stored. */
  onNonce?: (nonce: number) => Promise<void>;
};

export async function followTransaction(client: PublicClient, hash: Hash, options: FollowOptions): Promise<FollowOutcome> {
  const started = options.now();
  let nonce = options.nonce;
  let unknownSince: number | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const receipt = await receiptOf(client, hash);
    if (receipt) return { kind: 'mined', receipt, nonce };
    const tx = await client.getTransaction({ hash }).catch(() => null);
    if (tx) {
      unknownSince = null;
      if (nonce === null) {
        nonce = tx.nonce;
        await options.onNonce?.(nonce);
      }
    } else if (nonce !== null) {
      const [latest, pending] = await Promise.all([nonceAt(client, options.account, 'latest'), nonceAt(client, options.account, 'pending')]);
      if (latest !== null && latest > nonce) {
        // The nonce is used. Mined meanwhile under our hash, or by another transaction?
        const late = await receiptOf(client, hash);
        if (late) return { kind: 'mined', receipt: late, nonce };
        return { kind: 'replaced', nonce, newHash: await findReplacement(client, options.account, nonce, options.fromBlock) };
      }
      // A replacement waiting in the pool holds the nonce too (pending > nonce): not dropped, wait for it to be mined.
      if (pending !== null && pending > nonce) unknownSince = null;
      else unknownSince ??= options.now();
    } else {
      // Never seen: the node may not have it yet, or it is gone.
      unknownSince ??= options.now();
    }
    if (unknownSince !== null && options.now() - unknownSince >= options.droppedAfterMs) return { kind: 'dropped' };
    if (options.now() - started >= options.timeoutMs) return { kind: 'timeout', nonce };
    await sleep(options.pollingIntervalMs, options.signal);
  }
}

/**
 * Waits until the account's mined nonce passes `nonce` (an earlier transaction that may be ours
 * is mined, whatever it was), or gives up; true when it passed.
 */
export async function waitForNonce(client: PublicClient, account: Address, nonce: number, options: { pollingIntervalMs: number; timeoutMs: number; signal?: AbortSignal; now: () => number }): Promise<boolean> {
  const started = options.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const latest = await nonceAt(client, account, 'latest');
    if (latest !== null && latest > nonce) return true;
    if (options.now() - started >= options.timeoutMs) return false;
    await sleep(options.pollingIntervalMs, options.signal);
  }
}

export async function nonceAt(client: PublicClient, account: Address, blockTag: 'latest' | 'pending'): Promise<number | null> {
  return client.getTransactionCount({ address: account, blockTag }).catch(() => null);
}

async function receiptOf(client: PublicClient, hash: Hash): Promise<TransactionReceipt | null> {
  return client.getTransactionReceipt({ hash }).catch(() => null);
}

/**
 * The transaction that took `nonce`: a binary search for the first block where the account's
 * nonce passed it, then that block's transaction from the account with that nonce. Needs the
 * node to answer nonces at past blocks (archive state); where it cannot, the hash stays unknown.
 */
async function findReplacement(client: PublicClient, account: Address, nonce: number, fromBlock: number | null): Promise<Hash | null> {
  try {
    // Not viem's cached block number: it may be from before the replacement was mined.
    let high = await client.getBlockNumber({ cacheTime: 0 });
    let low = BigInt(Math.max(0, fromBlock ?? Number(high) - 64));
    if ((await client.getTransactionCount({ address: account, blockNumber: high })) <= nonce) return null;
    if ((await client.getTransactionCount({ address: account, blockNumber: low })) > nonce) return null;
    // Invariant: count(low) <= nonce < count(high).
    while (high - low > 1n) {
      const middle = (low + high) / 2n;
      if ((await client.getTransactionCount({ address: account, blockNumber: middle })) > nonce) high = middle;
      else low = middle;
    }
    const block = await client.getBlock({ blockNumber: high, includeTransactions: true });
    const found = block.transactions.find((tx) => tx.from.toLowerCase() === account.toLowerCase() && tx.nonce === nonce);
    return found?.hash ?? null;
  } catch {
    return null;
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
