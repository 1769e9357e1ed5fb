/**
 * The staking actions (src/core/staking/actions.ts) as transaction jobs on the devnet contracts
 * (Hardhat's EVM, deployed by the devnet plan with Multicall3 at its canonical address, as in
 * stakingClient.test.ts): each action's job runs through the real runner (`runJob`) with a viem
 * wallet client (`jobWalletFromClient`) and a memory store. The app's view of the chain is the
 * devnet chain definition, so several-bucket reads go through Multicall3.
 *
 * Expected figures come from the chain and the test's own arithmetic: bucket fields from
 * `bucketOf`, owners from `ownerOf`, balances before and after with gas from the receipts, and the
 * number of transactions the wallet sent. Every call a job sends is decoded with IoTeX's part of
 * the ABI (`systemStakingAbi`). Chain time is moved with evm_setNextBlockTimestamp, never waited.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPublicClient,
  custom,
  decodeFunctionData,
  maxUint256,
  parseEther,
  parseEventLogs,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { systemStakingAbi } from '../../src/core/abis/index.js';
import { createMemoryJobStore, runJob, type JobCall, type JobRecord, type JobStore, type JobWallet } from '../../src/core/jobs/index.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { checkStakingAction, prepareStakingJob, rebuildStakingJob, type StakingAction, type StakingJobContext } from '../../src/core/staking/actions.js';
import type { BucketFields } from '../../src/core/staking/bucketState.js';
import { listAccountBuckets, memoryBucketScanCache } from '../../src/core/staking/bucketIndex.js';
import { Crash, crashingView, diesAfterSending } from '../support/jobCrash.js';
import { countingWallet } from './helpers/countingWallet.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

const DAY = 86_400n;
const FREEZE = 3n * DAY;

let f: Fixture;
let snap: Hex;
let alice: Address;
let bob: Address;
let S: Address;
let d0: Address;
let d1: Address;
let client: PublicClient;
let ctx: StakingJobContext;

beforeAll(async () => {
  f = await deployFixture();
  alice = f.chain.accounts[2]!;
  bob = f.chain.accounts[3]!;
  S = f.c.systemStaking;
  [d0, d1] = f.delegates as [Address, Address];
  // The app's client: the devnet chain definition (contracts.multicall3) over the test chain.
  client = createPublicClient({ chain: toViemChain(NETWORKS.devnet), transport: custom(f.chain.provider, { retryCount: 0 }), pollingInterval: 5 }) as PublicClient;
  ctx = { account: alice, chainId: NETWORKS.devnet.chainId, systemStaking: S };
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

/** Alice's wallet, counting what it is asked to send. */
const aliceWallet = () => countingWallet(f.chain.provider, alice);

/** The functions of the sent calls, each decoded with IoTeX's ABI (throws on anything else), with their args. */
function decoded(sent: readonly JobCall[]) {
  return sent.map((call) => {
    expect(call.to).toBe(S);
    const { functionName, args } = decodeFunctionData({ abi: systemStakingAbi, data: call.data! });
    return { functionName, args: args as readonly unknown[], value: call.value ?? 0n };
  });
}

/** Runs the action's job start to finish: prepared at the current block, a fresh memory store unless given. */
async function runAction(action: StakingAction, wallet = aliceWallet(), store: JobStore = createMemoryJobStore()) {
  const spec = await prepareStakingJob(client, ctx, action);
  const progress: string[] = [];
  const record = await runJob(client, wallet, store, spec, { onProgress: (p) => progress.push(p.text), pollingIntervalMs: 5 });
  expect(record.status).toBe('done');
  return { record, wallet, progress, calls: decoded(wallet.sent) };
}

const stakedId = (receipt: TransactionReceipt) => parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
/** A bucket staked directly (not through a job), as another app would. */
const stakeDirect = async (amount: string, days: bigint, delegate: Address = d0, from: Address = alice) =>
  stakedId(await f.chain.write(S, systemStakingAbi, 'stake', [days * DAY, delegate], { from, value: parseEther(amount) }));
const write = (fn: string, args: readonly unknown[], value?: bigint) => f.chain.write(S, systemStakingAbi, fn, args, { from: alice, ...(value ? { value } : {}) });
const bucketOf = (id: bigint) => f.chain.read<BucketFields>(S, systemStakingAbi, 'bucketOf', [id]);
const ownerOf = (id: bigint) => f.chain.read<Address>(S, systemStakingAbi, 'ownerOf', [id]);
const exists = async (id: bigint) => ownerOf(id).then(() => true, () => false);

/** IOTX spent on gas by the job's transactions (from their receipts). */
async function gasOf(record: JobRecord): Promise<bigint> {
  let total = 0n;
  for (const step of record.steps) {
    if (step.status.kind !== 'confirmed') continue;
    const receipt = await client.getTransactionReceipt({ hash: step.status.hash as Hash });
    total += receipt.gasUsed * receipt.effectiveGasPrice;
  }
  return total;
}

/** Buckets minted to alice since block 0 (each stake transaction mints one). */
async function stakesOfAlice(): Promise<number> {
  const mints = await client.getContractEvents({ address: S, abi: systemStakingAbi, eventName: 'Transfer', args: { from: '0x0000000000000000000000000000000000000000', to: alice }, fromBlock: 0n });
  return mints.length;
}

/** Lists alice's buckets as the screens do and checks the action against them (throws if refused). */
async function check(action: StakingAction) {
  const listed = await listAccountBuckets(client, { contract: S, account: alice, cache: memoryBucketScanCache() });
  checkStakingAction(action, listed.buckets, listed.timestamp);
}

describe('stake', () => {
  it('locked: one transaction, stake(duration, delegate) with the amount; a locked bucket with the amount, duration and delegate', async () => {
    const before = await f.chain.balance(alice);
    const action: StakingAction = { kind: 'stake', amount: parseEther('12'), durationDays: 30, delegate: d1, locked: true };
    await check(action);
    const { record, calls, progress } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'stake', args: [30n * DAY, d1], value: parseEther('12') }]);
    expect(progress).toContain('Step 1 of 1: Stake (waiting for the wallet)');
    const receipt = await client.getTransactionReceipt({ hash: (record.steps[0]!.status as { hash: Hash }).hash });
    const id = stakedId(receipt);
    expect(await bucketOf(id)).toEqual({ amount: parseEther('12'), duration: 30n * DAY, unlockedAt: maxUint256, unstakedAt: maxUint256, delegate: d1 });
    expect(await ownerOf(id)).toBe(alice);
    expect(await f.chain.balance(alice)).toBe(before - parseEther('12') - (await gasOf(record)));
  });

  it('unlocked: two steps, stake then unlock of the new bucket; the countdown runs from the unlock block', async () => {
    const { record, calls, progress } = await runAction({ kind: 'stake', amount: parseEther('5'), durationDays: 7, delegate: d0, locked: false });
    expect(calls.map((c) => c.functionName)).toEqual(['stake', 'unlock']);
    const id = stakedId(await client.getTransactionReceipt({ hash: (record.steps[0]!.status as { hash: Hash }).hash }));
    expect(calls[1]!.args).toEqual([[id]]);
    expect(progress).toContain('Step 2 of 2: Start the countdown (unlock) (waiting for the wallet)');
    const unlockReceipt = await client.getTransactionReceipt({ hash: (record.steps[1]!.status as { hash: Hash }).hash });
    const unlockTime = (await client.getBlock({ blockNumber: unlockReceipt.blockNumber })).timestamp;
    expect(await bucketOf(id)).toMatchObject({ amount: parseEther('5'), duration: 7n * DAY, unlockedAt: unlockTime, unstakedAt: maxUint256 });
  });

  it('an identical stake made before the job started is not taken for the job’s own', async () => {
    const older = await stakeDirect('5', 7n);
    const { record, calls } = await runAction({ kind: 'stake', amount: parseEther('5'), durationDays: 7, delegate: d0, locked: false });
    expect(calls.map((c) => c.functionName)).toEqual(['stake', 'unlock']);
    expect(calls[1]!.args).not.toEqual([[older]]);
    expect((await bucketOf(older)).unlockedAt).toBe(maxUint256);
    expect(record.steps.map((s) => s.status.kind)).toEqual(['confirmed', 'confirmed']);
  });
});

describe('several buckets in one call', () => {
  it('unlock 3: one unlock(uint256[]) with the three ids; all unlocked', async () => {
    const ids = [await stakeDirect('1', 10n), await stakeDirect('2', 10n), await stakeDirect('3', 10n)];
    await check({ kind: 'unlock', ids });
    const { calls } = await runAction({ kind: 'unlock', ids });
    expect(calls).toEqual([{ functionName: 'unlock', args: [ids], value: 0n }]);
    for (const id of ids) expect((await bucketOf(id)).unlockedAt).not.toBe(maxUint256);
  });

  it('a bucket unlocked elsewhere before the job runs is left out of the call', async () => {
    const ids = [await stakeDirect('1', 10n), await stakeDirect('2', 10n), await stakeDirect('3', 10n)];
    const spec = await prepareStakingJob(client, ctx, { kind: 'unlock', ids });
    await write('unlock', [ids[1]!]);
    const wallet = aliceWallet();
    await runJob(client, wallet, createMemoryJobStore(), spec, { pollingIntervalMs: 5 });
    expect(decoded(wallet.sent)).toEqual([{ functionName: 'unlock', args: [[ids[0], ids[2]]], value: 0n }]);
  });

  it('lock again after 2 days: lock(uint256[], duration) with 10 days ≥ the 8 left; both locked, stored duration unchanged', async () => {
    const ids = [await stakeDirect('1', 10n), await stakeDirect('2', 10n)];
    await write('unlock', [ids]);
    await f.chain.increaseTime(2n * DAY);
    const action: StakingAction = { kind: 'lock', ids, durationDays: 10 };
    await check(action);
    const { calls } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'lock', args: [ids, 10n * DAY], value: 0n }]);
    for (const id of ids) expect(await bucketOf(id)).toMatchObject({ unlockedAt: maxUint256, duration: 10n * DAY });
  });

  it('unstake 2 once their day has run: unstake(uint256[]); both unstaked at that block', async () => {
    const ids = [await stakeDirect('1', 1n), await stakeDirect('2', 1n)];
    await write('unlock', [ids]);
    await f.chain.increaseTime(DAY);
    const { record, calls } = await runAction({ kind: 'unstake', ids });
    expect(calls).toEqual([{ functionName: 'unstake', args: [ids], value: 0n }]);
    const block = await client.getBlock({ blockNumber: (await client.getTransactionReceipt({ hash: (record.steps[0]!.status as { hash: Hash }).hash })).blockNumber });
    for (const id of ids) expect((await bucketOf(id)).unstakedAt).toBe(block.timestamp);
  });

  it('change the delegate of two: changeDelegates(uint256[], delegate); both vote for the new one', async () => {
    const ids = [await stakeDirect('1', 10n, d0), await stakeDirect('2', 10n, d0)];
    const action: StakingAction = { kind: 'changeDelegate', ids, delegate: d1 };
    await check(action);
    const { calls } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'changeDelegates', args: [ids, d1], value: 0n }]);
    for (const id of ids) expect((await bucketOf(id)).delegate).toBe(d1);
  });
});

describe('withdraw', () => {
  /** Two unstaked buckets (4 and 6 IOTX) past their freeze. */
  async function withdrawable(): Promise<bigint[]> {
    const ids = [await stakeDirect('4', 1n), await stakeDirect('6', 1n)];
    await write('unlock', [ids]);
    await f.chain.increaseTime(DAY);
    await write('unstake', [ids]);
    await f.chain.increaseTime(FREEZE);
    return ids;
  }

  it('to self: withdraw(uint256[], alice); alice gets 10 IOTX less the gas; both burned', async () => {
    const ids = await withdrawable();
    const before = await f.chain.balance(alice);
    const action: StakingAction = { kind: 'withdraw', ids, recipient: alice };
    await check(action);
    const { record, calls } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'withdraw', args: [ids, alice], value: 0n }]);
    expect(await f.chain.balance(alice)).toBe(before + parseEther('10') - (await gasOf(record)));
    for (const id of ids) expect(await exists(id)).toBe(false);
  });

  it('to another address: bob gets exactly 10 IOTX, alice pays only the gas', async () => {
    const ids = await withdrawable();
    const [aliceBefore, bobBefore] = [await f.chain.balance(alice), await f.chain.balance(bob)];
    const { record, calls } = await runAction({ kind: 'withdraw', ids, recipient: bob });
    expect(calls).toEqual([{ functionName: 'withdraw', args: [ids, bob], value: 0n }]);
    expect(await f.chain.balance(bob)).toBe(bobBefore + parseEther('10'));
    expect(await f.chain.balance(alice)).toBe(aliceBefore - (await gasOf(record)));
  });

  it('without Multicall3 in the chain definition the reads go one by one, and a burned bucket still reads as withdrawn', async () => {
    const ids = await withdrawable();
    // viem's plain hardhat chain has no contracts.multicall3.
    const plain = f.chain.publicClient;
    expect(plain.chain?.contracts?.multicall3).toBeUndefined();
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(plain, ctx, { kind: 'withdraw', ids, recipient: alice });
    await expect(runJob(plain, diesAfterSending(aliceWallet()), store, spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    const second = aliceWallet();
    const record = await runJob(plain, second, store, spec, { pollingIntervalMs: 5 });
    expect(record.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(second.sent).toHaveLength(0);
    for (const id of ids) expect(await exists(id)).toBe(false);
  });
});

describe('merge, expand, transfer', () => {
  it('merge 10 IOTX/10 days and 20 IOTX/5 days for 10 days adding 5 IOTX: the first holds 35 IOTX for 10 days, locked; the second is burned', async () => {
    const a = await stakeDirect('10', 10n);
    const b = await stakeDirect('20', 5n);
    const before = await f.chain.balance(alice);
    const action: StakingAction = { kind: 'merge', ids: [a, b], durationDays: 10, addAmount: parseEther('5') };
    await check(action);
    const { record, calls } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'merge', args: [[a, b], 10n * DAY], value: parseEther('5') }]);
    expect(await bucketOf(a)).toMatchObject({ amount: parseEther('35'), duration: 10n * DAY, unlockedAt: maxUint256 });
    expect(await exists(b)).toBe(false);
    expect(await f.chain.balance(alice)).toBe(before - parseEther('5') - (await gasOf(record)));
  });

  it('expand 10 IOTX/10 days to 20 days adding 3 IOTX: expandBucket(id, 20 days) with 3 IOTX; 13 IOTX for 20 days', async () => {
    const id = await stakeDirect('10', 10n);
    const action: StakingAction = { kind: 'expand', id, durationDays: 20, addAmount: parseEther('3') };
    await check(action);
    const { calls } = await runAction(action);
    expect(calls).toEqual([{ functionName: 'expandBucket', args: [id, 20n * DAY], value: parseEther('3') }]);
    expect(await bucketOf(id)).toMatchObject({ amount: parseEther('13'), duration: 20n * DAY, unlockedAt: maxUint256 });
  });

  it('transfer: safeTransferFrom(alice, bob, id); bob holds it', async () => {
    const id = await stakeDirect('1', 10n);
    const { calls } = await runAction({ kind: 'transfer', id, to: bob });
    expect(calls).toEqual([{ functionName: 'safeTransferFrom', args: [alice, bob, id], value: 0n }]);
    expect(await ownerOf(id)).toBe(bob);
  });

  it('transfer to a contract that cannot receive ERC-721 tokens is refused in simulation; nothing is sent', async () => {
    const id = await stakeDirect('1', 10n);
    // The DelegateRegistry has no onERC721Received: safeTransferFrom reverts, so the job fails before the wallet.
    const spec = await prepareStakingJob(client, ctx, { kind: 'transfer', id, to: f.c.delegateRegistry });
    const wallet = aliceWallet();
    await expect(runJob(client, wallet, createMemoryJobStore(), spec, { pollingIntervalMs: 5 })).rejects.toMatchObject({ code: 'job.simulation_reverted' });
    expect(wallet.sent).toHaveLength(0);
    expect(await ownerOf(id)).toBe(alice);
  });
});

describe('with a wallet that batches (EIP-5792)', () => {
  /**
   * TEST-ONLY: a JobWallet that says it runs calls atomically and sends a batch's calls one after
   * another from alice (automine mines each); the status comes from their receipts.
   */
  function batchingWallet(): JobWallet & { sent: JobCall[]; batches: JobCall[][] } {
    const base = aliceWallet();
    const batches: JobCall[][] = [];
    const hashes = new Map<string, Hash[]>();
    return {
      address: alice,
      sent: base.sent,
      batches,
      sendTransaction: (call) => base.sendTransaction(call),
      supportsAtomicBatch: async () => true,
      async sendCalls(calls) {
        batches.push([...calls]);
        const id = `batch-${batches.length}`;
        const sentHashes: Hash[] = [];
        for (const call of calls) sentHashes.push(await base.sendTransaction(call));
        hashes.set(id, sentHashes);
        return id;
      },
      async getCallsStatus(id) {
        const receipts = await Promise.all(hashes.get(id)!.map((hash) => client.getTransactionReceipt({ hash })));
        return { status: receipts.every((r) => r.status === 'success') ? 'success' : 'failure', receipts: receipts.map((r) => ({ transactionHash: r.transactionHash, blockNumber: r.blockNumber, status: r.status })) };
      },
    };
  }

  it('an unlocked stake is not batched with its unlock (the unlock needs the new bucket’s id): stake, then unlock, one each', async () => {
    const wallet = batchingWallet();
    const spec = await prepareStakingJob(client, ctx, { kind: 'stake', amount: parseEther('2'), durationDays: 3, delegate: d0, locked: false });
    const record = await runJob(client, wallet, createMemoryJobStore(), spec, { pollingIntervalMs: 5 });
    expect(record.status).toBe('done');
    expect(wallet.batches).toHaveLength(0);
    expect(decoded(wallet.sent).map((c) => c.functionName)).toEqual(['stake', 'unlock']);
    expect(await stakesOfAlice()).toBe(1);
  });
});

describe('resume without sending a step twice', () => {
  it('stopped after the stake was confirmed: the next run sends only the unlock (2 sends in all, 1 stake on chain)', async () => {
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(client, ctx, { kind: 'stake', amount: parseEther('3'), durationDays: 2, delegate: d1, locked: false });
    const first = aliceWallet();
    await expect(runJob(client, first, crashingView(store, (r) => r.steps[0]!.status.kind === 'confirmed'), spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    expect(decoded(first.sent).map((c) => c.functionName)).toEqual(['stake']);

    // A reload: the spec comes back from the stored record.
    const stored = (await store.get(spec.id))!;
    const second = aliceWallet();
    const record = await runJob(client, second, store, rebuildStakingJob(stored), { pollingIntervalMs: 5 });
    expect(record.status).toBe('done');
    expect(decoded(second.sent).map((c) => c.functionName)).toEqual(['unlock']);
    expect(await stakesOfAlice()).toBe(1);
  });

  it('the wallet sent the stake but the page closed before its hash was stored: the stake is found on chain, not sent again', async () => {
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(client, ctx, { kind: 'stake', amount: parseEther('3'), durationDays: 2, delegate: d1, locked: false });
    const first = aliceWallet();
    await expect(runJob(client, diesAfterSending(first), store, spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    expect((await store.get(spec.id))!.steps[0]!.status.kind).toBe('awaiting-signature');

    const second = aliceWallet();
    const record = await runJob(client, second, store, rebuildStakingJob((await store.get(spec.id))!), { pollingIntervalMs: 5 });
    expect(record.steps.map((s) => s.status.kind)).toEqual(['skipped-already-landed', 'confirmed']);
    expect(decoded([...first.sent, ...second.sent]).map((c) => c.functionName)).toEqual(['stake', 'unlock']);
    expect(await stakesOfAlice()).toBe(1);
  });

  /** Each one-step action, set up so it can run; its job is stopped after the wallet sent, then run again. */
  const oneStep: [string, () => Promise<StakingAction>][] = [
    ['lock', async () => {
      const id = await stakeDirect('1', 10n);
      await write('unlock', [[id]]);
      return { kind: 'lock', ids: [id], durationDays: 10 };
    }],
    ['unstake', async () => {
      const id = await stakeDirect('1', 1n);
      await write('unlock', [[id]]);
      await f.chain.increaseTime(DAY);
      return { kind: 'unstake', ids: [id] };
    }],
    ['withdraw', async () => {
      const id = await stakeDirect('1', 1n);
      await write('unlock', [[id]]);
      await f.chain.increaseTime(DAY);
      await write('unstake', [[id]]);
      await f.chain.increaseTime(FREEZE);
      return { kind: 'withdraw', ids: [id], recipient: bob };
    }],
    ['merge', async () => ({ kind: 'merge', ids: [await stakeDirect('1', 5n), await stakeDirect('2', 5n)], durationDays: 5, addAmount: 0n })],
    ['expand', async () => ({ kind: 'expand', id: await stakeDirect('1', 5n), durationDays: 5, addAmount: parseEther('1') })],
    ['changeDelegate', async () => ({ kind: 'changeDelegate', ids: [await stakeDirect('1', 5n, d0)], delegate: d1 })],
    ['transfer', async () => ({ kind: 'transfer', id: await stakeDirect('1', 5n), to: bob })],
  ];
  it.each(oneStep)('%s stopped after the wallet sent it: the rerun finds it landed from the chain and sends nothing', async (_, setUp) => {
    const action = await setUp();
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(client, ctx, action);
    const first = aliceWallet();
    await expect(runJob(client, diesAfterSending(first), store, spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    const nonce = await client.getTransactionCount({ address: alice });
    const second = aliceWallet();
    const record = await runJob(client, second, store, rebuildStakingJob((await store.get(spec.id))!), { pollingIntervalMs: 5 });
    expect(record.steps.map((s) => s.status.kind)).toEqual(['skipped-already-landed']);
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(0);
    expect(await client.getTransactionCount({ address: alice })).toBe(nonce);
  });

  it('a transfer whose recipient has moved the bucket on still counts as landed (the Transfer to it is in the logs)', async () => {
    const id = await stakeDirect('1', 5n);
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(client, ctx, { kind: 'transfer', id, to: bob });
    await expect(runJob(client, diesAfterSending(aliceWallet()), store, spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    await f.chain.write(S, systemStakingAbi, 'transferFrom', [bob, f.chain.accounts[4]!, id], { from: bob });
    const second = aliceWallet();
    const record = await runJob(client, second, store, spec, { pollingIntervalMs: 5 });
    expect(record.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(second.sent).toHaveLength(0);
  });

  it('an unlock of 3 stopped after its send: the rerun finds it landed and sends nothing', async () => {
    const ids = [await stakeDirect('1', 10n), await stakeDirect('2', 10n), await stakeDirect('3', 10n)];
    const store = createMemoryJobStore();
    const spec = await prepareStakingJob(client, ctx, { kind: 'unlock', ids });
    const first = aliceWallet();
    await expect(runJob(client, diesAfterSending(first), store, spec, { pollingIntervalMs: 5 })).rejects.toBeInstanceOf(Crash);
    const second = aliceWallet();
    const record = await runJob(client, second, store, spec, { pollingIntervalMs: 5 });
    expect(record.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(first.sent).toHaveLength(1);
    expect(second.sent).toHaveLength(0);
    const unlocked = await client.getContractEvents({ address: S, abi: systemStakingAbi, eventName: 'Unlocked', fromBlock: 0n });
    expect(unlocked.map((log) => log.args.id)).toEqual(ids);
  });
});
