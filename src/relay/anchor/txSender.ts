import { keccak256, parseTransaction, WaitForTransactionReceiptTimeoutError, type Address, type Hex, type TransactionReceipt } from 'viem';
import type { RelayChain, RevertReason } from '../chain.js';
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
 *
 * Liveness: a call the contract refuses never blocks later work. Before signing, the call is run at
 * the latest block; a transaction mined but reverted is run again to learn why. Then:
 * - an anchor refused with BatchAlreadyAnchored for our own module and root already landed (an earlier
 *   signing, or another instance): confirmed through BatchInbox.batchOf and settled as confirmed; a
 *   reward root refused with EpochAlreadyPosted whose on-chain root is ours likewise;
 * - any other refusal is final: the row becomes 'failed' (never retried), with an error log line and
 *   outpost_relay_anchor_txs_total{outcome="failed"}; an anchor's batches are released to be anchored
 *   again in a new anchor, until they have failed MAX_ANCHOR_FAILURES times, when they are given up
 *   (the rewards worker then counts them as settled, unpaid);
 * - a transaction that reverted on-chain although the call now succeeds (out of gas, a race) is signed
 *   again with a new nonce, at most MAX_ONCHAIN_REVERTS times, then failed as above.
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
/** A batch whose anchors failed for good this many times is given up (not anchored, not rewarded). */
export const MAX_ANCHOR_FAILURES = 3;
/** A transaction mined but reverted although the call succeeds on a re-run is re-sent at most this often. */
const MAX_ONCHAIN_REVERTS = 3;

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

function describe(reason: RevertReason): string {
  if (!reason.errorName) return reason.message;
  const args = reason.args.map((arg) => (typeof arg === 'bigint' ? arg.toString() : String(arg)));
  return `${reason.errorName}(${args.join(', ')})`;
}

/**
 * Settles a row the contract refuses for good (see the liveness rules above): confirmed when the
 * refusal means our anchor or reward root already landed, otherwise failed, releasing an anchor's batches.
 */
async function settleRefused(deps: TxSenderDeps, row: TxRow, reason: RevertReason, minedHash: Hex | null): Promise<void> {
  const id = toNumber(row.id);
  if (row.kind === 'anchor' && reason.errorName === 'BatchAlreadyAnchored') {
    const [anchor] = await deps.db.query<{ id: unknown; merkle_root: string }>('SELECT id, merkle_root FROM anchors WHERE tx_id = $1', [row.id]);
    const root = anchor?.merkle_root as Hex | undefined;
    const [moduleId, refusedRoot] = reason.args as [bigint | undefined, Hex | undefined];
    const ours = root !== undefined && moduleId === BigInt(deps.chain.moduleId) && refusedRoot?.toLowerCase() === root.toLowerCase();
    const onChain = ours && root ? await deps.chain.anchorOnChain(root) : null;
    if (onChain) {
      const landed = await deps.chain.anchorTransaction(root!).catch(() => null);
      await deps.db.query(
        `UPDATE chain_txs SET status = 'confirmed', tx_hash = COALESCE($2, tx_hash), block_number = $3, last_error = $4, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
        [row.id, landed?.txHash ?? null, landed ? Number(landed.blockNumber) : null, 'already anchored on-chain (BatchAlreadyAnchored); confirmed through batchOf'],
      );
      deps.metrics.anchors.inc({ kind: row.kind, outcome: 'already_anchored' });
      deps.log('info', 'anchor already on-chain: settled as anchored', { tx: id, anchor: toNumber(anchor!.id), root, anchoredAt: onChain.anchoredAt, landedIn: landed?.txHash ?? null });
      return;
    }
  }
  if (row.kind === 'rewards' && reason.errorName === 'EpochAlreadyPosted') {
    // Our own root for the epoch already landed (an earlier signing): settled. Someone else's would be a failure.
    const [posted] = await deps.db.query<{ epoch: unknown; root: string }>('SELECT epoch, root FROM reward_epochs WHERE tx_id = $1', [row.id]);
    const onChain = posted ? await deps.chain.rewardRootOnChain(toNumber(posted.epoch)) : null;
    if (posted && onChain?.toLowerCase() === posted.root.toLowerCase()) {
      await deps.db.query(
        `UPDATE chain_txs SET status = 'confirmed', last_error = $2, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
        [row.id, 'reward root already posted on-chain (EpochAlreadyPosted); confirmed through epochOf'],
      );
      deps.metrics.anchors.inc({ kind: row.kind, outcome: 'already_posted' });
      deps.log('info', 'reward root already on-chain: settled as posted', { tx: id, epoch: toNumber(posted.epoch), root: posted.root });
      return;
    }
  }
  const why = describe(reason);
  await deps.db.query(
    `UPDATE chain_txs SET status = 'failed', tx_hash = COALESCE($3, tx_hash), last_error = $2, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
    [row.id, `refused for good: ${why}`.slice(0, 500), minedHash],
  );
  deps.metrics.anchors.inc({ kind: row.kind, outcome: 'failed' });
  if (row.kind !== 'anchor') {
    deps.log('error', `${row.kind} transaction failed for good: the contract refuses it (${why}); it will not be retried`, { tx: id, reverted: minedHash });
    return;
  }
  // Release the anchor's batches so a new anchor takes them, unless they have failed too often.
  const released = await deps.db.transaction(async (tx) => {
    const [anchor] = await tx.query<{ id: unknown }>('SELECT id FROM anchors WHERE tx_id = $1', [row.id]);
    if (!anchor) return { anchor: null, retried: 0, givenUp: 0 };
    const rows = await tx.query<{ anchor_failures: unknown }>(
      `UPDATE batches SET anchor_id = NULL, leaf_index = NULL, anchor_failures = anchor_failures + 1 WHERE anchor_id = $1 RETURNING anchor_failures`,
      [anchor.id],
    );
    const givenUp = rows.filter((r) => toNumber(r.anchor_failures) >= MAX_ANCHOR_FAILURES).length;
    return { anchor: toNumber(anchor.id), retried: rows.length - givenUp, givenUp };
  });
  deps.log('error', `anchor transaction failed for good: BatchInbox refuses it (${why}); ${released.retried} batches go into a new anchor, ${released.givenUp} are given up after ${MAX_ANCHOR_FAILURES} failed anchors`, {
    tx: id,
    anchor: released.anchor,
    reverted: minedHash,
    reason: why,
  });
}

/** A mined transaction reverted: learn why by running it again, and settle or re-send it. */
async function settleReverted(deps: TxSenderDeps, row: TxRow, receipt: TransactionReceipt): Promise<void> {
  const reason = await deps.chain.wouldRevert(row.to_address as Address, row.data as Hex);
  if (reason) return settleRefused(deps, row, reason, receipt.transactionHash);
  const reverts = toNumber(row.attempts) + 1;
  if (reverts >= MAX_ONCHAIN_REVERTS) {
    return settleRefused(deps, row, { errorName: null, args: [], data: null, message: `reverted on-chain ${reverts} times although the call succeeds when run again` }, receipt.transactionHash);
  }
  // The call succeeds now (the mined one ran out of gas, or lost a race): sign it again with a new nonce.
  await deps.db.query(
    `UPDATE chain_txs SET status = 'queued', raw_tx = NULL, tx_hash = NULL, nonce = NULL, replaced_hashes = '[]', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, last_error = $2, updated_at = now() WHERE id = $1`,
    [row.id, `reverted on-chain in ${receipt.transactionHash}; re-sending`],
  );
  deps.metrics.anchors.inc({ kind: row.kind, outcome: 'reverted' });
  deps.log('warn', `${row.kind} transaction reverted on-chain but succeeds when run again; re-sending it`, { tx: toNumber(row.id), hash: receipt.transactionHash, block: receipt.blockNumber });
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
    if (!raw || !hash) {
      // Refused calls are settled here, before a nonce or any gas is spent on them.
      const refusal = await deps.chain.wouldRevert(row.to_address as Address, row.data as Hex);
      if (refusal) {
        await settleRefused(deps, row, refusal, null);
        return true;
      }
      ({ raw, hash } = await sign(deps, row));
    }
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
    if (receipt.status !== 'success') {
      await deps.db.query(`UPDATE chain_txs SET block_number = $2, gas_used = $3, tx_hash = $4 WHERE id = $1`, [row.id, Number(receipt.blockNumber), Number(receipt.gasUsed), receipt.transactionHash]);
      await settleReverted(deps, row, receipt);
      return true;
    }
    await deps.db.query(
      `UPDATE chain_txs SET status = 'confirmed', block_number = $2, gas_used = $3, tx_hash = $4, lease_owner = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
      [row.id, Number(receipt.blockNumber), Number(receipt.gasUsed), receipt.transactionHash],
    );
    deps.metrics.anchors.inc({ kind: row.kind, outcome: 'confirmed' });
    deps.log('info', `${row.kind} transaction confirmed`, { tx: toNumber(row.id), hash: receipt.transactionHash, block: receipt.blockNumber, gasUsed: receipt.gasUsed });
    return true;
  } catch (error) {
    deps.metrics.anchors.inc({ kind: row.kind, outcome: 'retry' });
    deps.log('warn', `${row.kind} transaction failed; will retry`, { tx: toNumber(row.id), attempt: attempts + 1, backoffSeconds: backoff, error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    await release(deps, row.id, error, backoff);
    return true;
  }
}
