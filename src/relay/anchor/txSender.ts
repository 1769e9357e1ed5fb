import { keccak256, parseTransaction, WaitForTransactionReceiptTimeoutError, type Address, type Hex, type TransactionReceipt } from 'viem';
import type { RelayChain } from '../chain.js';
import { toNumber, type Db, type Queryable } from '../db/db.js';
import type { Logger } from '../log.js';
import type { RelayMetrics } from '../metrics.js';

/**
 * The operator's transactions, exactly once even across crashes and relay instances:
 * - a transaction is queued in the same database transaction as the anchor (or reward root) it sends;
 * - an instance leases one open row at a time (`FOR UPDATE SKIP LOCKED`), so two never work on the same one;
 * - it is signed with a nonce allocated under a row lock on operator_nonces, and the signed bytes are
 *   stored before they are broadcast, so a restart re-sends the very same transaction (same nonce,
 *   same hash) and it can be mined at most once;
 * - only when the chain has used that nonce for some other transaction is it signed again;
 * - one that is not mined within the receipt timeout (under-priced when fees rose) is signed again
 *   for the same nonce with fees raised by 12.5% (nodes want at least 10% to replace); every earlier
 *   signing is remembered, since any of them may be the one that gets mined.
 */
export type TxSenderDeps = {
  db: Db;
  chain: RelayChain;
  instanceId: string;
  log: Logger;
  metrics: RelayMetrics;
  /** How long a lease lasts; a crashed instance's rows are picked up after it. */
  leaseSeconds: number;
  receiptTimeoutMs: number;
};

export async function enqueueTx(tx: Queryable, kind: 'anchor' | 'rewards', to: Address, data: Hex): Promise<number> {
  const rows = await tx.query<{ id: unknown }>('INSERT INTO chain_txs (kind, to_address, data) VALUES ($1, $2, $3) RETURNING id', [kind, to.toLowerCase(), data]);
  return toNumber(rows[0]!.id);
}

type TxRow = {
  id: unknown;
  kind: string;
  to_address: string;
  data: string;
  status: string;
  nonce: unknown;
  raw_tx: string | null;
  tx_hash: string | null;
  attempts: unknown;
  replaced_hashes: string;
};

/** Replacement fees: +12.5% over the pending signing (geth and Hardhat ask for at least +10%). */
const BUMP_NUMERATOR = 1125n;
const BUMP_DENOMINATOR = 1000n;
/** At most this many raises per transaction: 1.125^8 ≈ 2.6 times the first fees. */
const MAX_FEE_RAISES = 8;

async function claim(deps: TxSenderDeps): Promise<TxRow | null> {
  const rows = await deps.db.query<TxRow>(
    `UPDATE chain_txs SET lease_owner = $1, lease_until = now() + make_interval(secs => $2), updated_at = now()
      WHERE id = (SELECT id FROM chain_txs
                   WHERE status IN ('queued', 'sent') AND (lease_until IS NULL OR lease_until < now())
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, to_address, data, status, nonce, raw_tx, tx_hash, attempts, replaced_hashes`,
    [deps.instanceId, deps.leaseSeconds],
  );
  return rows[0] ?? null;
}

async function sign(deps: TxSenderDeps, row: TxRow): Promise<{ raw: Hex; hash: Hex }> {
  const { chain } = deps;
  const sender = chain.operator.address.toLowerCase();
  return deps.db.transaction(async (tx) => {
    await tx.query('INSERT INTO operator_nonces (address, next_nonce) VALUES ($1, 0) ON CONFLICT (address) DO NOTHING', [sender]);
    const [state] = await tx.query<{ next_nonce: unknown }>('SELECT next_nonce FROM operator_nonces WHERE address = $1 FOR UPDATE', [sender]);
    const chainNonce = await chain.client.getTransactionCount({ address: chain.operator.address, blockTag: 'pending' });
    const nonce = Math.max(chainNonce, toNumber(state!.next_nonce));
    const request = { account: chain.operator, to: row.to_address as Address, data: row.data as Hex };
    const gas = ((await chain.client.estimateGas(request)) * 12n) / 10n;
    const fees = await chain.client.estimateFeesPerGas();
    const raw = await chain.operator.signTransaction({
      type: 'eip1559',
      chainId: chain.chainId,
      to: request.to,
      data: request.data,
      nonce,
      gas,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    });
    const hash = keccak256(raw);
    await tx.query(
      `UPDATE chain_txs SET status = 'sent', sender = $2, nonce = $3, raw_tx = $4, tx_hash = $5, updated_at = now() WHERE id = $1`,
      [row.id, sender, nonce, raw, hash],
    );
    await tx.query('UPDATE operator_nonces SET next_nonce = $2 WHERE address = $1', [sender, nonce + 1]);
    return { raw, hash };
  });
}

/**
 * Signs the pending transaction again for the same nonce with higher fees, and stores it (with the
 * hash it replaces) before anything is broadcast, as sign() does.
 */
async function signReplacement(deps: TxSenderDeps, row: TxRow, raw: Hex, hash: Hex): Promise<void> {
  const pending = parseTransaction(raw);
  if (pending.type !== 'eip1559' || pending.nonce === undefined || pending.maxFeePerGas === undefined || pending.maxPriorityFeePerGas === undefined) {
    throw new Error(`stored operator transaction ${String(row.id)} is not an EIP-1559 transaction`);
  }
  const raise = (value: bigint) => (value * BUMP_NUMERATOR + BUMP_DENOMINATOR - 1n) / BUMP_DENOMINATOR;
  const fees = await deps.chain.client.estimateFeesPerGas();
  const maxPriorityFeePerGas = [raise(pending.maxPriorityFeePerGas), fees.maxPriorityFeePerGas].reduce((a, b) => (a > b ? a : b));
  const maxFeePerGas = [raise(pending.maxFeePerGas), fees.maxFeePerGas, maxPriorityFeePerGas].reduce((a, b) => (a > b ? a : b));
  const replacement = await deps.chain.operator.signTransaction({
    type: 'eip1559',
    chainId: deps.chain.chainId,
    to: pending.to!,
    data: pending.data ?? '0x',
    nonce: pending.nonce,
    gas: pending.gas!,
    maxFeePerGas,
    maxPriorityFeePerGas,
  });
  const replaced = [...(JSON.parse(row.replaced_hashes) as Hex[]), hash];
  await deps.db.query(`UPDATE chain_txs SET raw_tx = $2, tx_hash = $3, replaced_hashes = $4, updated_at = now() WHERE id = $1`, [row.id, replacement, keccak256(replacement), JSON.stringify(replaced)]);
  deps.log('warn', `${row.kind} transaction not mined in time; replaced with higher fees`, { tx: toNumber(row.id), nonce: pending.nonce, replaces: hash, maxFeePerGas: maxFeePerGas.toString() });
}

/** The receipt of whichever signing of this row's nonce was mined, if one was. */
async function minedVersion(deps: TxSenderDeps, hashes: readonly Hex[]): Promise<TransactionReceipt | null> {
  for (const candidate of hashes) {
    const receipt = await deps.chain.client.getTransactionReceipt({ hash: candidate }).catch(() => null);
    if (receipt) return receipt;
  }
  return null;
}

const ALREADY_KNOWN = /already known|known transaction|already imported/i;
const NONCE_TOO_LOW = /nonce too low|nonce has already been used/i;

async function release(deps: TxSenderDeps, id: unknown, error: unknown, backoffSeconds: number): Promise<void> {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  await deps.db.query(
    `UPDATE chain_txs SET attempts = attempts + 1, last_error = $2, lease_until = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1`,
    [id, message.slice(0, 500), backoffSeconds],
  );
}

/** Moves one open transaction forward (sign, broadcast, confirm). Returns whether there was one. */
export async function processOneTx(deps: TxSenderDeps): Promise<boolean> {
  const row = await claim(deps);
  if (!row) return false;
  const attempts = toNumber(row.attempts);
  const backoff = Math.min(60, 2 ** Math.min(attempts, 6));
  let raw = row.raw_tx as Hex | null;
  let hash = row.tx_hash as Hex | null;
  const replaced = JSON.parse(row.replaced_hashes) as Hex[];
  try {
    if (!raw || !hash) ({ raw, hash } = await sign(deps, row));
    // An earlier signing may have been mined while this one waited: that settles the row.
    let receipt = replaced.length > 0 ? await minedVersion(deps, replaced) : null;
    if (!receipt) {
      try {
        await deps.chain.client.sendRawTransaction({ serializedTransaction: raw });
      } catch (error) {
        const text = error instanceof Error ? `${error.message} ${(error as { details?: string }).details ?? ''}` : String(error);
        if (NONCE_TOO_LOW.test(text)) {
          receipt = await minedVersion(deps, [hash, ...replaced]);
          if (!receipt) {
            // The nonce went to another transaction, so this one can never be mined: sign it again.
            await deps.db.query(`UPDATE chain_txs SET status = 'queued', raw_tx = NULL, tx_hash = NULL, nonce = NULL, replaced_hashes = '[]', lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, 'nonce reused; re-signing']);
            deps.log('warn', 'operator nonce was used elsewhere; re-signing', { tx: toNumber(row.id), kind: row.kind });
            return true;
          }
        } else if (!ALREADY_KNOWN.test(text)) {
          throw error;
        }
      }
    }
    if (!receipt) {
      try {
        receipt = await deps.chain.client.waitForTransactionReceipt({ hash, timeout: deps.receiptTimeoutMs, pollingInterval: 250 });
      } catch (error) {
        if (!(error instanceof WaitForTransactionReceiptTimeoutError)) throw error;
        receipt = await minedVersion(deps, replaced);
        if (!receipt) {
          // Raising without end would let a fee spike drain the operator: after a few raises it waits.
          if (replaced.length < MAX_FEE_RAISES) await signReplacement(deps, row, raw, hash);
          else deps.log('error', `${row.kind} transaction still not mined after ${MAX_FEE_RAISES} fee raises; re-sending it as is`, { tx: toNumber(row.id), hash });
          throw error;
        }
      }
    }
    const status = receipt.status === 'success' ? 'confirmed' : 'reverted';
    await deps.db.query(
      `UPDATE chain_txs SET status = $2, block_number = $3, gas_used = $4, tx_hash = $5, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [row.id, status, Number(receipt.blockNumber), Number(receipt.gasUsed), receipt.transactionHash],
    );
    deps.metrics.anchors.inc({ kind: row.kind, outcome: status });
    deps.log(status === 'confirmed' ? 'info' : 'error', `${row.kind} transaction ${status}`, { tx: toNumber(row.id), hash: receipt.transactionHash, block: receipt.blockNumber, gasUsed: receipt.gasUsed });
    return true;
  } catch (error) {
    deps.metrics.anchors.inc({ kind: row.kind, outcome: 'retry' });
    deps.log('warn', `${row.kind} transaction failed; will retry`, { tx: toNumber(row.id), attempt: attempts + 1, backoffSeconds: backoff, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    await release(deps, row.id, error, backoff);
    return true;
  }
}
