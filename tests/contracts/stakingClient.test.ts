/**
 * The staking data layer (src/core/staking) against the real devnet contracts on Hardhat's EVM,
 * deployed by the devnet plan (with Multicall3 at its canonical address): it lists an account's
 * buckets from Transfer logs in pages, reads them through Multicall3 and derives their states as
 * chain time moves. The client side uses ONLY IoTeX's part of the ABI (`systemStakingAbi`), and
 * so do the transactions the test sends. Expected values come from the test's own arithmetic and,
 * where the contract has a view for it (`timeToUnstake`, `timeToWithdraw`), from the contract.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createPublicClient, custom, parseEther, parseEventLogs, type Address, type EIP1193Provider, type TransactionReceipt } from 'viem';
import { bucketStrategyAbi, systemStakingAbi } from '../../src/core/abis/index.js';
import { MULTICALL3_ADDRESS, NETWORKS, toViemChain } from '../../src/core/networks.js';
import { listAccountBuckets, memoryBucketScanCache, type AccountBucket, type AccountBuckets, type BucketScanCache, type RestakedBucket } from '../../src/core/staking/bucketIndex.js';
import { delegateName, readDelegates } from '../../src/core/staking/delegates.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

const DAY = 86_400n;
const FREEZE = 3n * DAY;
/** MSP's freeze between unstaking from the strategy and withdrawing (7 days). */
const RESTAKE_FREEZE = 7n * DAY;

let f: Fixture;
let staker: Address;
let other: Address;
let S: Address;
const rpcCalls: string[] = [];

/** The app's view of the devnet: its chain definition (with contracts.multicall3) over the test chain, counting RPC methods. */
function appClient(provider: EIP1193Provider) {
  return createPublicClient({
    chain: toViemChain(NETWORKS.devnet),
    transport: custom({
      request: (args: { method: string; params?: unknown }) => {
        rpcCalls.push(args.method);
        return provider.request(args as never);
      },
    }, { retryCount: 0 }),
  });
}

const send = (fn: string, args: readonly unknown[], options: { from?: Address; value?: bigint } = {}) =>
  f.chain.write(S, systemStakingAbi, fn, args, { from: staker, ...options });
const stakedId = (receipt: TransactionReceipt) => {
  const staked = parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' });
  return staked[0]!.args.id;
};
const blockTime = async (receipt: TransactionReceipt) => (await f.chain.publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp;
async function mineAt(timestamp: bigint) {
  await f.chain.provider.request({ method: 'evm_setNextBlockTimestamp', params: [Number(timestamp)] } as never);
  await f.chain.provider.request({ method: 'evm_mine', params: [] } as never);
}

let client: ReturnType<typeof appClient>;
let cache: BucketScanCache;
let ids: { a: bigint; b: bigint; c: bigint; d: bigint; e: bigint };
const list = (pageSize = 4n): Promise<AccountBuckets> => listAccountBuckets(client, { contract: S, account: staker, cache, pageSize });
const byId = (listed: AccountBuckets, id: bigint): AccountBucket | undefined => listed.buckets.find((bucket) => bucket.id === id);

beforeAll(async () => {
  f = await deployFixture();
  staker = f.chain.accounts[2]!;
  other = f.chain.accounts[3]!;
  S = f.c.systemStaking;
  client = appClient(f.chain.provider);
  cache = memoryBucketScanCache();
  const [d0, d1, d2] = f.delegates as [Address, Address, Address];
  // a: 10 IOTX for 10 days; b: 20 for 5 days; c: 30 for 7 days; d: 5 for 1 day (sent away);
  // e: 40 for 30 days staked by `other` and given to the staker. Then b and c merge into b for 7 days.
  ids = {
    a: stakedId(await send('stake', [10n * DAY, d0], { value: parseEther('10') })),
    b: stakedId(await send('stake', [5n * DAY, d1], { value: parseEther('20') })),
    c: stakedId(await send('stake', [7n * DAY, d2], { value: parseEther('30') })),
    d: stakedId(await send('stake', [1n * DAY, d0], { value: parseEther('5') })),
    e: stakedId(await send('stake', [30n * DAY, d1], { from: other, value: parseEther('40') })),
  };
  await send('transferFrom', [staker, other, ids.d]);
  await send('transferFrom', [other, staker, ids.e], { from: other });
  await send('merge', [[ids.b, ids.c], 7n * DAY]);
});

describe('staking client on the devnet contracts', () => {
  it('Multicall3 is at its canonical address and in the devnet chain definition', async () => {
    expect(client.chain.contracts?.multicall3?.address).toBe(MULTICALL3_ADDRESS);
    const code = await f.chain.publicClient.getCode({ address: MULTICALL3_ADDRESS });
    expect(code && code.length > 2).toBe(true);
  });

  it('lists the staker’s buckets (stakes, one sent away, one received, a merge) through paged logs and one Multicall3 call', async () => {
    rpcCalls.length = 0;
    const head = await f.chain.publicClient.getBlockNumber();
    const listed = await list();
    // Held: a, b (merged, c burned into it), e (received); d was sent away.
    expect(listed.buckets.map((bucket) => bucket.id)).toEqual([ids.a, ids.b, ids.e].sort((x, y) => (x < y ? -1 : 1)));
    // Blocks 0..head in pages of 4 blocks: ceil((head + 1) / 4) pages, two log queries each.
    const pages = Number((head + 1n + 3n) / 4n);
    expect(listed.scan).toMatchObject({ pages, resumed: false, scannedTo: head });
    expect(rpcCalls.filter((m) => m === 'eth_getLogs')).toHaveLength(pages * 2);
    // All reads in one aggregate3 call: no per-bucket eth_call.
    expect(rpcCalls.filter((m) => m === 'eth_call')).toHaveLength(1);

    expect(byId(listed, ids.a)!.fields).toMatchObject({ amount: parseEther('10'), duration: 10n * DAY, delegate: f.delegates[0] });
    // b + c: 20 + 30 IOTX, 7 days, locked again by the merge.
    expect(byId(listed, ids.b)!.fields).toMatchObject({ amount: parseEther('50'), duration: 7n * DAY, delegate: f.delegates[1] });
    expect(byId(listed, ids.e)!.fields).toMatchObject({ amount: parseEther('40'), duration: 30n * DAY });
    for (const bucket of listed.buckets) expect(bucket.view.status).toBe('locked');
    expect(listed.totals).toEqual({ staked: parseEther('100'), withdrawable: 0n, restaked: 0n });
    expect(listed.paused).toBe(false);
  });

  it('delegates come from the DelegateRegistry, with the devnet’s names', async () => {
    const delegates = await readDelegates(client, { delegateRegistry: f.c.delegateRegistry });
    expect(delegates.map((d) => d.name)).toEqual(['outpost-alpha', 'outpost-beta', 'outpost-gamma']);
    expect(delegateName(delegates, f.delegates[1]!)).toBe('outpost-beta');
  });

  it('derives unlocking → unstakeable → unstaked → withdrawable at the exact seconds, matching the contract’s own views', async () => {
    const unlockedAt = await blockTime(await send('unlock', [ids.a]));
    const unstakeAt = unlockedAt + 10n * DAY;

    await mineAt(unstakeAt - 1n);
    let listed = await list();
    let a = byId(listed, ids.a)!;
    expect(listed.timestamp).toBe(unstakeAt - 1n);
    expect(a.view).toMatchObject({ status: 'unlocking', unlockedAt, unstakeAt, timeToUnstake: 1n });
    expect(a.view.timeToUnstake).toBe(await f.chain.read<bigint>(S, systemStakingAbi, 'timeToUnstake', [ids.a]));
    expect(a.view.actions.unstake).toMatchObject({ allowed: false, possibleAt: unstakeAt });
    // The scan resumed from its cursor: only the blocks since (the unlock and the mined block).
    expect(listed.scan.resumed).toBe(true);

    await mineAt(unstakeAt);
    a = byId(await list(), ids.a)!;
    expect(a.view.status).toBe('unstakeable');
    expect(a.view.actions.unstake).toEqual({ allowed: true });
    expect(await f.chain.read<bigint>(S, systemStakingAbi, 'timeToUnstake', [ids.a])).toBe(0n);

    const unstakedAt = await blockTime(await send('unstake', [ids.a]));
    const withdrawAt = unstakedAt + FREEZE;
    await mineAt(withdrawAt - 1n);
    listed = await list();
    a = byId(listed, ids.a)!;
    expect(a.view).toMatchObject({ status: 'unstaked', unstakedAt, withdrawAt, timeToWithdraw: 1n });
    expect(a.view.timeToWithdraw).toBe(await f.chain.read<bigint>(S, systemStakingAbi, 'timeToWithdraw', [ids.a]));
    expect(a.view.actions.withdraw).toMatchObject({ allowed: false, blockedBy: 'frozen', possibleAt: withdrawAt });
    expect(listed.totals.withdrawable).toBe(0n);

    await mineAt(withdrawAt);
    listed = await list();
    expect(byId(listed, ids.a)!.view.status).toBe('withdrawable');
    expect(listed.totals).toEqual({ staked: parseEther('100'), withdrawable: parseEther('10'), restaked: 0n });

    const before = await f.chain.balance(staker);
    const receipt = await send('withdraw', [ids.a, staker]);
    const gas = receipt.gasUsed * receipt.effectiveGasPrice;
    expect(await f.chain.balance(staker)).toBe(before + parseEther('10') - gas);
    listed = await list();
    // Withdrawn (burned): gone from the list, read from the new blocks only.
    expect(listed.buckets.map((bucket) => bucket.id)).toEqual([ids.b, ids.e].sort((x, y) => (x < y ? -1 : 1)));
    expect(listed.totals).toEqual({ staked: parseEther('90'), withdrawable: 0n, restaked: 0n });
    expect(listed.scan.pages).toBe(1);
  });

  it('restaking (approve + stake, IoTeX’s MSP calls): the bucket shows as restaked, then unstaking with its freeze, then back', async () => {
    const strategy = f.c.bucketStrategy;
    const listRestaking = () => listAccountBuckets(client, { contract: S, account: staker, cache, pageSize: 4n, strategy });
    await send('approve', [strategy, ids.e]);
    await f.chain.write(strategy, bucketStrategyAbi, 'stake', [ids.e], { from: staker });

    let listed = await listRestaking();
    expect(listed.buckets.map((bucket) => bucket.id)).toEqual([ids.b]);
    expect(listed.restaked.map((bucket) => bucket.id)).toEqual([ids.e]);
    let e: RestakedBucket = listed.restaked[0]!;
    expect(e.restake.status).toBe('restaked');
    expect(e.fields.amount).toBe(parseEther('40'));
    // The interface's formula, checked against the contract's own: 40 IOTX for 30 days.
    expect(e.weight).toBe(parseEther('40') + (parseEther('40') * 10n * 30n) / 9_100n);
    expect(e.weight).toBe(await f.chain.read<bigint>(strategy, bucketStrategyAbi, 'calculateBucketRestakeAmount', [30n * DAY, parseEther('40')]));
    expect(e.view.actions.unlock).toMatchObject({ allowed: false, blockedBy: 'not_owner' });
    expect(listed.totals).toEqual({ staked: parseEther('50'), withdrawable: 0n, restaked: parseEther('40') });

    const unstakedAt = await blockTime(await f.chain.write(strategy, bucketStrategyAbi, 'unstake', [[ids.e]], { from: staker }));
    await mineAt(unstakedAt + RESTAKE_FREEZE - 1n);
    listed = await listRestaking();
    e = listed.restaked[0]!;
    expect(e.restake).toMatchObject({ status: 'unstaking', unstakedAt, withdrawAt: unstakedAt + RESTAKE_FREEZE });
    expect(e.restake.actions.withdraw).toMatchObject({ allowed: false, possibleAt: unstakedAt + RESTAKE_FREEZE });
    expect(listed.totals.restaked).toBe(0n);

    await mineAt(unstakedAt + RESTAKE_FREEZE);
    expect((await listRestaking()).restaked[0]!.restake.status).toBe('withdrawable');

    await f.chain.write(strategy, bucketStrategyAbi, 'withdraw', [[ids.e], staker], { from: staker });
    listed = await listRestaking();
    expect(listed.restaked).toEqual([]);
    expect(listed.buckets.map((bucket) => bucket.id)).toEqual([ids.b, ids.e].sort((x, y) => (x < y ? -1 : 1)));
  });

  it('a fresh cache for another account finds only that account’s buckets', async () => {
    const listed = await listAccountBuckets(client, { contract: S, account: other, cache, pageSize: 1_000n });
    // other: minted e (given away) and received d.
    expect(listed.buckets.map((bucket) => bucket.id)).toEqual([ids.d]);
    expect(listed.scan).toMatchObject({ resumed: false, pages: 1 });
  });
});
