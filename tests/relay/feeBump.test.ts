/**
 * An operator transaction that is not mined in time (fees rose under it) is signed again for the
 * same nonce with higher fees; whichever signing the chain mines settles the row, and the payload
 * is never sent twice. Real Hardhat node with automine off (the stuck mempool), real PGlite store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTransaction, type Hex } from 'viem';
import { enqueueTx, processOneTx, type TxSenderDeps } from '../../src/relay/anchor/txSender.js';
import { createRelayChain } from '../../src/relay/chain.js';
import { openDb, type Db } from '../../src/relay/db/db.js';
import { migrate } from '../../src/relay/db/migrations.js';
import { RelayMetrics } from '../../src/relay/metrics.js';
import { startTestChain, type TestChain } from './helpers/chain.js';
import { freshDataDir, testRelayConfig } from './helpers/relay.js';

let chain: TestChain;
let db: Db;
let deps: TxSenderDeps;
const rpc = (method: string, params: unknown[] = []) => chain.client.request({ method, params } as never);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Row = { status: string; nonce: unknown; raw_tx: Hex; tx_hash: Hex; replaced_hashes: string };
const rowOf = async (id: number) => (await db.query<Row>('SELECT status, nonce, raw_tx, tx_hash, replaced_hashes FROM chain_txs WHERE id = $1', [id]))[0]!;
/** One pass of the sender after the previous pass's lease (its retry backoff) ran out. */
const nextPass = async () => {
  await db.query('UPDATE chain_txs SET lease_until = NULL');
  return processOneTx(deps);
};

beforeAll(async () => {
  chain = await startTestChain();
  db = await openDb({ dataDir: freshDataDir('fee-bump') });
  await migrate(db);
  const relayChain = createRelayChain(testRelayConfig(chain));
  deps = { db, chain: relayChain, instanceId: 'fee-bump-test', log: () => undefined, metrics: new RelayMetrics(), leaseSeconds: 60, receiptTimeoutMs: 600 };
  await rpc('evm_setAutomine', [false]);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await chain?.stop();
});

describe('operator transactions stuck in the mempool', () => {
  it('replaces a stuck transaction with +12.5% fees for the same nonce, and settles on the one mined', async () => {
    const id = await db.transaction((tx) => enqueueTx(tx, 'anchor', '0x000000000000000000000000000000000000dEaD', '0x'));
    await processOneTx(deps); // signs, broadcasts, times out waiting, signs a replacement
    const first = await rowOf(id);
    expect(first.status).toBe('sent');
    const [original] = JSON.parse(first.replaced_hashes) as Hex[];
    expect(original).toBeDefined();
    const originalTx = await chain.client.getTransaction({ hash: original! });
    const replacement = parseTransaction(first.raw_tx);
    expect(replacement.nonce).toBe(originalTx.nonce);
    expect(replacement.maxFeePerGas! * 1000n).toBeGreaterThanOrEqual(originalTx.maxFeePerGas! * 1125n);
    expect(replacement.maxPriorityFeePerGas! * 1000n).toBeGreaterThanOrEqual(originalTx.maxPriorityFeePerGas! * 1125n);

    // The replacement goes out on the next pass; mine while the sender waits for it.
    const mining = sleep(200).then(() => rpc('evm_mine'));
    await nextPass();
    await mining;
    const settled = await rowOf(id);
    expect(settled.status).toBe('confirmed');
    expect(settled.tx_hash).toBe(first.tx_hash);
    const mined = await chain.client.getTransaction({ hash: settled.tx_hash });
    expect(mined.maxFeePerGas).toBe(replacement.maxFeePerGas);
    // Exactly one transaction used the nonce, and it was the replacement.
    await expect(chain.client.getTransactionReceipt({ hash: original! })).rejects.toThrow();
    const operator = deps.chain.operator.address;
    await expect(chain.client.getTransactionCount({ address: operator })).resolves.toBe(Number(originalTx.nonce) + 1);
  });

  it('settles on an earlier signing that got mined after all, and does not send the payload again', async () => {
    const id = await db.transaction((tx) => enqueueTx(tx, 'anchor', '0x000000000000000000000000000000000000bEEF', '0x'));
    await processOneTx(deps); // broadcast the first signing, timed out, replacement stored but not yet broadcast
    const stuck = await rowOf(id);
    const [original] = JSON.parse(stuck.replaced_hashes) as Hex[];
    await rpc('evm_mine'); // the first signing (still in the mempool) is mined
    await expect(chain.client.getTransactionReceipt({ hash: original! })).resolves.toMatchObject({ status: 'success' });

    await nextPass();
    const settled = await rowOf(id);
    expect(settled.status).toBe('confirmed');
    expect(settled.tx_hash).toBe(original);
    // Nothing else is pending for the operator: the replacement never went out, nothing was re-queued.
    const operator = deps.chain.operator.address;
    await expect(chain.client.getTransactionCount({ address: operator, blockTag: 'pending' })).resolves.toBe(await chain.client.getTransactionCount({ address: operator }));
    await expect(db.query("SELECT id FROM chain_txs WHERE status IN ('queued', 'sent')")).resolves.toEqual([]);
  });
});
