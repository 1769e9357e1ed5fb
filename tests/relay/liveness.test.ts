/**
 * Liveness of the relay's anchoring and rewards on a real Hardhat node with the devnet deployment and
 * a real PGlite store: an anchor that BatchInbox refuses for good, or that is mined but reverted, never
 * stalls later work, and an earlier epoch's stuck anchor never holds back the rewards of later epochs.
 *
 * The workers (buildAnchor, processOneTx, computeNextEpoch) are driven one pass at a time so every
 * step is observable. Batches are written to the store directly: what the chain sees of them is only
 * their Merkle root, and ingest (signatures, proofs) is tested in relay.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWalletClient, getAddress, http, parseEther, parseEventLogs, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { batchInboxAbi, bucketStrategyDevnetAbi, dataRewardsAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { buildAnchor, type AnchorBuilderDeps } from '../../src/relay/anchor/builder.js';
import { MAX_ANCHOR_FAILURES, processOneTx, type TxSenderDeps } from '../../src/relay/anchor/txSender.js';
import { createRelayChain, type RelayChain } from '../../src/relay/chain.js';
import { openDb, toNumber, type Db } from '../../src/relay/db/db.js';
import { migrate } from '../../src/relay/db/migrations.js';
import { RelayMetrics } from '../../src/relay/metrics.js';
import { computeNextEpoch, type RewardsDeps } from '../../src/relay/rewards/worker.js';
import { devAccount } from '../../scripts/deploy/deployer.js';
import { seededHex } from '../support/seed.js';
import { devKey, startTestChain, type TestChain } from './helpers/chain.js';
import { freshDataDir, testRelayConfig } from './helpers/relay.js';

const EPOCH_SECONDS = 3600;
/** Closed epochs: E0 (already anchored elsewhere), E1 (reverts on-chain), E2 (healthy), E3 (refused for good), E4 (reward root posted elsewhere). */
const [E0, E1, E2, E3, E4] = [100, 101, 102, 103, 104];

let chain: TestChain;
let db: Db;
let relayChain: RelayChain;
let metrics: RelayMetrics;
let sender: TxSenderDeps;
let builder: AnchorBuilderDeps;
let rewards: RewardsDeps;
const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
const rpc = (method: string, params: unknown[] = []) => chain.client.request({ method, params } as never);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Public signal 2 of a batch that covers its whole (long past) epoch: start + end · 2^64. */
const windowOf = (epoch: number) => BigInt(epoch * EPOCH_SECONDS) + (BigInt(epoch * EPOCH_SECONDS + EPOCH_SECONDS - 1) << 64n);

let seq = 0;
/** A stored, verified batch of `device` for `epoch` (the leaf id is what the anchor's tree is built over). */
async function storeBatch(epoch: number, readings = 64, changes = 40): Promise<Hex> {
  const n = seq++;
  const id = seededHex(`liveness batch ${n}`);
  const device = getAddress(privateKeyToAccount(seededHex(`liveness device ${n}`)).address);
  await db.query(
    `INSERT INTO batches (id, device, epoch, commitment, signature, proof, public_signals, readings, changes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [id, device.toLowerCase(), epoch, String(n + 1), '0x', '{}', JSON.stringify(['0', '0', String(windowOf(epoch)), '0']), readings, changes],
  );
  return id;
}

type TxState = { id: unknown; status: string; tx_hash: string | null; block_number: unknown; last_error: string | null };
const txOfAnchor = async (anchorId: number) =>
  (await db.query<TxState>('SELECT t.id, t.status, t.tx_hash, t.block_number, t.last_error FROM anchors a JOIN chain_txs t ON t.id = a.tx_id WHERE a.id = $1', [anchorId]))[0]!;
const rootOf = async (anchorId: number) => (await db.query<{ merkle_root: Hex }>('SELECT merkle_root FROM anchors WHERE id = $1', [anchorId]))[0]!.merkle_root;
const batchesOf = async (epoch: number) =>
  db.query<{ anchor_id: unknown; anchor_failures: unknown }>('SELECT anchor_id, anchor_failures FROM batches WHERE epoch = $1 ORDER BY seq', [epoch]);
/** Sends every open operator transaction until none is left (each pass lifts the previous pass's backoff). */
async function drainTxs(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await db.query(`UPDATE chain_txs SET lease_until = NULL WHERE status IN ('queued', 'sent')`);
    if (!(await processOneTx(sender))) return;
  }
  throw new Error('operator transactions did not settle in 20 passes');
}

function wallet(index: number) {
  return createWalletClient({ chain: toViemChain(NETWORKS.devnet, chain.rpcUrl), transport: http(chain.rpcUrl), account: privateKeyToAccount(devKey(index)) });
}
async function mined(hash: Hex) {
  const receipt = await chain.client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

beforeAll(async () => {
  chain = await startTestChain();
  db = await openDb({ dataDir: freshDataDir('liveness') });
  await migrate(db);
  const config = testRelayConfig(chain);
  relayChain = createRelayChain(config);
  metrics = new RelayMetrics();
  const log = (level: string, message: string, fields: Record<string, unknown> = {}) => void lines.push({ level, message, fields });
  sender = { db, chain: relayChain, instanceId: 'liveness-test', log, metrics, leaseSeconds: 60, receiptTimeoutMs: 4000 };
  builder = { db, chain: relayChain, batchInbox: config.contracts.batchInbox, publicUrl: 'http://relay.test', anchorBatchSize: 2, anchorIntervalMs: 60_000, log };
  rewards = { db, chain: relayChain, dataRewards: config.contracts.dataRewards!, pool: parseEther('1'), epochSeconds: EPOCH_SECONDS, delaySeconds: 0, now: () => (E4 + 1) * EPOCH_SECONDS, log };
}, 300_000);

afterAll(async () => {
  await db?.close();
  await chain?.stop();
});

describe('anchoring liveness', () => {
  it('an anchor refused with BatchAlreadyAnchored for our module and root already landed: settled as anchored, confirmed via batchOf', async () => {
    await storeBatch(E0);
    await storeBatch(E0);
    const anchorId = (await buildAnchor(builder))!;
    const root = await rootOf(anchorId);
    // The same anchor lands first from the operator's key outside this instance (an earlier signing
    // whose record was lost, or a second relay instance that built the same tree).
    const inbox = chain.devnet.contracts.batchInbox!;
    const document = (await db.query<{ data_hash: Hex; uri: string; count: unknown }>('SELECT data_hash, uri, count FROM anchors WHERE id = $1', [anchorId]))[0]!;
    const landed = await mined(await wallet(1).writeContract({ address: inbox, abi: batchInboxAbi, functionName: 'anchor', args: [BigInt(relayChain.moduleId), BigInt(E0), root, toNumber(document.count), document.data_hash, document.uri] }));

    await drainTxs();
    const tx = await txOfAnchor(anchorId);
    expect(tx.status).toBe('confirmed');
    expect(tx.tx_hash).toBe(landed.transactionHash);
    expect(toNumber(tx.block_number)).toBe(Number(landed.blockNumber));
    expect(tx.last_error).toContain('BatchAlreadyAnchored');
    const [epoch, count, anchoredAt, slashed] = await chain.client.readContract({ address: inbox, abi: batchInboxAbi, functionName: 'batchOf', args: [BigInt(relayChain.moduleId), root] });
    expect([epoch, count, anchoredAt > 0n, slashed]).toEqual([BigInt(E0), 2n, true, false]);
    expect(metrics.anchors.values.get('kind="anchor",outcome="already_anchored"')).toBe(1);
  });

  it('an anchor mined but reverted is failed for good and rebuilt; the later epoch is rewarded meanwhile', async () => {
    const inbox = chain.devnet.contracts.batchInbox!;
    const strategy = chain.devnet.contracts.bucketStrategy!;
    const staking = chain.devnet.contracts.systemStaking!;
    const owner = wallet(0);
    await storeBatch(E1);
    await storeBatch(E1);
    const stuck = (await buildAnchor(builder))!;
    await storeBatch(E2);
    await storeBatch(E2);
    const healthy = (await buildAnchor(builder))!;
    expect(healthy).not.toBe(stuck);

    // The relay's anchor goes out with automine off; in the same block, mined first for its higher tip,
    // the module owner unstakes the module's only bucket, so the anchor reverts (ModuleUnderstaked).
    await rpc('evm_setAutomine', [false]);
    try {
      await db.query(`UPDATE chain_txs SET lease_until = NULL`);
      const pass = processOneTx(sender);
      const operator = relayChain.operator.address;
      for (let i = 0; i < 100 && (await chain.client.getTransactionCount({ address: operator, blockTag: 'pending' })) === (await chain.client.getTransactionCount({ address: operator })); i++) await sleep(50);
      const fees = await chain.client.estimateFeesPerGas();
      const unstake = await owner.writeContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'unstake', args: [[1n]], maxPriorityFeePerGas: fees.maxPriorityFeePerGas * 10n, maxFeePerGas: fees.maxFeePerGas * 10n });
      await rpc('evm_mine');
      await pass;
      expect((await chain.client.getTransactionReceipt({ hash: unstake })).status).toBe('success');
    } finally {
      await rpc('evm_setAutomine', [true]);
    }
    const reverted = await txOfAnchor(stuck);
    expect(reverted.status).toBe('failed');
    expect(reverted.last_error).toContain('ModuleUnderstaked');
    expect((await chain.client.getTransactionReceipt({ hash: reverted.tx_hash as Hex })).status).toBe('reverted');
    expect(lines.some((l) => l.level === 'error' && l.message.includes('failed for good') && l.message.includes('ModuleUnderstaked'))).toBe(true);
    expect(metrics.anchors.values.get('kind="anchor",outcome="failed"')).toBe(1);
    // Its batches are released for a new anchor, one failure on their record.
    expect((await batchesOf(E1)).map((b) => [b.anchor_id, toNumber(b.anchor_failures)])).toEqual([[null, 1], [null, 1]]);

    // The module owner restakes; the later epoch's anchor goes through and E2 is rewarded while E1 waits.
    const stakeHash = await owner.writeContract({ address: staking, abi: systemStakingDevnetAbi, functionName: 'stake', args: [0n, getAddress(devAccount(5).address)], value: parseEther('10') });
    const bucket = parseEventLogs({ abi: systemStakingDevnetAbi, logs: (await mined(stakeHash)).logs, eventName: 'Staked' })[0]!.args.id;
    await mined(await owner.writeContract({ address: staking, abi: systemStakingDevnetAbi, functionName: 'approve', args: [strategy, bucket] }));
    await mined(await owner.writeContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'stake', args: [bucket, BigInt(relayChain.moduleId)] }));
    await drainTxs();
    expect((await txOfAnchor(healthy)).status).toBe('confirmed');
    expect(await computeNextEpoch(rewards)).toBe(E0);
    expect(await computeNextEpoch(rewards)).toBe(E2);
    expect(await computeNextEpoch(rewards)).toBeNull();

    // E1 is rebuilt from its batches, anchored, and rewarded in turn.
    const rebuilt = (await buildAnchor(builder))!;
    expect(rebuilt).not.toBe(stuck);
    await drainTxs();
    expect((await txOfAnchor(rebuilt)).status).toBe('confirmed');
    const [, , anchoredAt] = await chain.client.readContract({ address: inbox, abi: batchInboxAbi, functionName: 'batchOf', args: [BigInt(relayChain.moduleId), await rootOf(rebuilt)] });
    expect(anchoredAt).toBeGreaterThan(0n);
    expect(await computeNextEpoch(rewards)).toBe(E1);
    const posted = await db.query<{ epoch: unknown; status: string }>('SELECT e.epoch, t.status FROM reward_epochs e JOIN chain_txs t ON t.id = e.tx_id ORDER BY e.epoch');
    expect(posted.map((p) => [toNumber(p.epoch), p.status])).toEqual([[E0, 'confirmed'], [E1, 'queued'], [E2, 'confirmed']]);
  });

  it(`an anchor refused for good is rebuilt at most ${MAX_ANCHOR_FAILURES} times, then its batches are given up and the epoch skipped`, async () => {
    const strategy = chain.devnet.contracts.bucketStrategy!;
    await drainTxs();
    await storeBatch(E3);
    await storeBatch(E3);
    // The module owner hands the module to another operator: BatchInbox refuses the relay (NotModuleOperator).
    await mined(await wallet(0).writeContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'setOperator', args: [BigInt(relayChain.moduleId), devAccount(9).address] }));
    const nonceBefore = await chain.client.getTransactionCount({ address: relayChain.operator.address });
    const failedBefore = metrics.anchors.values.get('kind="anchor",outcome="failed"') ?? 0;
    const anchors: number[] = [];
    for (let i = 0; i < MAX_ANCHOR_FAILURES + 1; i++) {
      const id = await buildAnchor(builder);
      if (id === null) break;
      anchors.push(id);
      await drainTxs();
      expect((await txOfAnchor(id)).status).toBe('failed');
    }
    expect(anchors).toHaveLength(MAX_ANCHOR_FAILURES);
    expect(await buildAnchor(builder)).toBeNull();
    // Refused before signing: no nonce, no gas spent on them.
    expect(await chain.client.getTransactionCount({ address: relayChain.operator.address })).toBe(nonceBefore);
    expect(metrics.anchors.values.get('kind="anchor",outcome="failed"')).toBe(failedBefore + MAX_ANCHOR_FAILURES);
    expect((await batchesOf(E3)).map((b) => [b.anchor_id, toNumber(b.anchor_failures)])).toEqual([[null, MAX_ANCHOR_FAILURES], [null, MAX_ANCHOR_FAILURES]]);
    expect(lines.filter((l) => l.message.includes('NotModuleOperator')).at(-1)?.message).toContain('2 are given up');
    // The epoch has nothing anchored to pay: recorded as skipped, so it holds nothing back.
    expect(await computeNextEpoch(rewards)).toBe(E3);
    expect(await db.query('SELECT epoch FROM reward_epochs WHERE epoch = $1', [E3])).toEqual([]);
    expect((await db.query<{ reason: string }>('SELECT reason FROM reward_epochs_skipped WHERE epoch = $1', [E3]))[0]?.reason).toContain('given up');
    expect(await computeNextEpoch(rewards)).toBeNull();
    // The module owner gives the module back to the relay.
    await mined(await wallet(0).writeContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'setOperator', args: [BigInt(relayChain.moduleId), relayChain.operator.address] }));
  });

  it('a reward root refused with EpochAlreadyPosted, whose on-chain root is ours, is settled as posted', async () => {
    await storeBatch(E4);
    await storeBatch(E4);
    const anchorId = (await buildAnchor(builder))!;
    await drainTxs();
    expect((await txOfAnchor(anchorId)).status).toBe('confirmed');
    expect(await computeNextEpoch(rewards)).toBe(E4);
    const [posted] = await db.query<{ root: Hex; total: string; tx_id: unknown }>('SELECT root, total, tx_id FROM reward_epochs WHERE epoch = $1', [E4]);
    // The same root lands first from the operator's key outside this instance.
    const dataRewards = chain.devnet.contracts.dataRewards!;
    await mined(await wallet(1).writeContract({ address: dataRewards, abi: dataRewardsAbi, functionName: 'postRewardRoot', args: [BigInt(E4), posted!.root, BigInt(posted!.total)] }));
    await drainTxs();
    const [tx] = await db.query<{ status: string; last_error: string }>('SELECT status, last_error FROM chain_txs WHERE id = $1', [posted!.tx_id]);
    expect(tx!.status).toBe('confirmed');
    expect(tx!.last_error).toContain('EpochAlreadyPosted');
    expect(metrics.anchors.values.get('kind="rewards",outcome="already_posted"')).toBe(1);
  });
  it('anchors a batch only once the chain’s clock has passed the end of its window (challenge would say BadWindow)', async () => {
    const pending = (await chain.client.getBlock({ blockTag: 'pending' })).timestamp;
    const epoch = Number(pending / BigInt(EPOCH_SECONDS)) + 2; // windows that end two epochs after the chain's now
    await storeBatch(epoch);
    await storeBatch(epoch);
    expect(await buildAnchor(builder)).toBeNull();
    await rpc('evm_setNextBlockTimestamp', [(epoch + 1) * EPOCH_SECONDS - 1]);
    await rpc('evm_mine');
    const anchorId = await buildAnchor(builder);
    expect(anchorId).not.toBeNull();
    await drainTxs();
    expect((await txOfAnchor(anchorId!)).status).toBe('confirmed');
  });
});
