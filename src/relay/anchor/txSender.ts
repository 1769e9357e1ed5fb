import { keccak256, type Address, type Hex } from 'viem';
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
 * - only when the chain has used that nonce for some other transaction is it signed again.
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
};

async function claim(deps: TxSenderDeps): Promise<TxRow | null> {
  const rows = await deps.db.query<TxRow>(
    `UPDATE chain_txs SET lease_owner = $1, lease_until = now() + make_interval(secs => $2), updated_at = now()
      WHERE id = (SELECT id FROM chain_txs
                   WHERE status IN ('queued', 'sent') AND (lease_until IS NULL OR lease_until < now())
                   ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, kind, to_address, data, status, nonce, raw_tx, tx_hash, attempts`,
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
  try {
    if (!raw || !hash) ({ raw, hash } = await sign(deps, row));
    try {
      await deps.chain.client.sendRawTransaction({ serializedTransaction: raw });
    } catch (error) {
      const text = error instanceof Error ? `${error.message} ${(error as { details?: string }).details ?? ''}` : String(error);
      if (NONCE_TOO_LOW.test(text)) {
        const mined = await deps.chain.client.getTransactionReceipt({ hash }).catch(() => null);
        if (!mined) {
          // The nonce went to another transaction, so this one can never be mined: sign it again.
          await deps.db.query(`UPDATE chain_txs SET status = 'queued', raw_tx = NULL, tx_hash = NULL, nonce = NULL, lease_until = NULL, last_error = $2 WHERE id = $1`, [row.id, 'nonce reused; re-signing']);
          deps.log('warn', 'operator nonce was used elsewhere; re-signing', { tx: toNumber(row.id), kind: row.kind });
          return true;
        }
      } else if (!ALREADY_KNOWN.test(text)) {
        throw error;
      }
    }
    const receipt = await deps.chain.client.waitForTransactionReceipt({ hash, timeout: deps.receiptTimeoutMs, pollingInterval: 250 });
    const status = receipt.status === 'success' ? 'confirmed' : 'reverted';
    await deps.db.query(
      `UPDATE chain_txs SET status = $2, block_number = $3, gas_used = $4, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [row.id, status, Number(receipt.blockNumber), Number(receipt.gasUsed)],
    );
    deps.metrics.anchors.inc({ kind: row.kind, outcome: status });
    deps.log(status === 'confirmed' ? 'info' : 'error', `${row.kind} transaction ${status}`, { tx: toNumber(row.id), hash, block: receipt.blockNumber, gasUsed: receipt.gasUsed });
    return true;
  } catch (error) {
    deps.metrics.anchors.inc({ kind: row.kind, outcome: 'retry' });
    deps.log('warn', `${row.kind} transaction failed; will retry`, { tx: toNumber(row.id), attempt: attempts + 1, backoffSeconds: backoff, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    await release(deps, row.id, error, backoff);
    return true;
  }
}
