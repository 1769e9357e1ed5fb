/**
 * src/core/rewards on Hardhat's EVM with the devnet's contracts: roots posted for two epochs from
 * trees built with src/core/batch/merkle.ts, the relay played by a fake fetch serving its JSON,
 * readRewardsOverview checking every proof against the chain, and rewardsClaimJob run through the
 * real job runner. Expected amounts are the ones posted (written out here); payments and gas are
 * read from the chain (balances, receipts, RewardClaimed/ClaimReward logs), never from the code
 * under test.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getAddress, parseEther, parseEventLogs, type Address, type Hash, type Hex, type PublicClient } from 'viem';
import { hardhat } from 'viem/chains';
import { bucketStrategyDevnetAbi, dataRewardsAbi, strategyManagerDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { buildMerkleTree, rewardLeaf } from '../../src/core/batch/merkle.js';
import { JobPausedError } from '../../src/core/jobs/errors.js';
import { createMemoryJobStore, runJob, type JobRecord } from '../../src/core/jobs/index.js';
import { MULTICALL3_ADDRESS } from '../../src/core/networks.js';
import { estimateClaimGas, rebuildRewardsClaimJob, rewardsClaimJob } from '../../src/core/rewards/claimJob.js';
import { devicesOwnedBy, readRewardsOverview } from '../../src/core/rewards/read.js';
import type { RewardsContracts } from '../../src/core/rewards/types.js';
import { restakeJob } from '../../src/core/staking/restakingJobs.js';
import { IOTX_REWARD_TOKEN } from '../../src/core/staking/restakingReads.js';
import { countingWallet } from './helpers/countingWallet.js';
import { newDevice } from './helpers/device.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';
import { registerNewDevice } from './helpers/ioid.js';

let f: Fixture;
let snap: Hex;
let alice: Address;
let bob: Address;
let d1: Address;
let d2: Address;
let bobsDevice: Address;
let contracts: RewardsContracts;
const DAY = 86_400n;
/** The devnet's claim window (scripts/deploy/devnet.ts rewardClaimWindow). */
const WINDOW = 30n * DAY;

beforeAll(async () => {
  f = await deployFixture();
  [alice, bob] = [f.chain.accounts[2]!, f.chain.accounts[3]!];
  d1 = getAddress((await registerNewDevice(f, alice)).device.address);
  d2 = getAddress((await registerNewDevice(f, alice)).device.address);
  bobsDevice = getAddress((await registerNewDevice(f, bob)).device.address);
  contracts = { dataRewards: f.c.dataRewards, ioidRegistry: f.c.ioIDRegistry, ioid: f.c.ioID, bucketStrategy: f.c.bucketStrategy };
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});

const client = (): PublicClient => f.chain.publicClient;
type Entry = { device: Address; amount: bigint; figures?: { weight: string; epochWeight: string; pool: string } | null };
type RelayReward = { epoch: number; device: Address; amount: string; root: Hex; leaf: Hex; proof: Hex[]; status: string; txHash: Hex | null; figures: Entry['figures'] };

/** What the relay would serve per device, built like src/relay/rewards/worker.ts builds it. */
const served = new Map<string, RelayReward[]>();

async function postEpoch(epoch: number, entries: readonly Entry[], options: { post?: boolean } = {}): Promise<void> {
  const leaves = entries.map((entry) => rewardLeaf(BigInt(epoch), entry.device, entry.amount));
  const tree = buildMerkleTree(leaves);
  if (options.post !== false) {
    const total = entries.reduce((sum, entry) => sum + entry.amount, 0n);
    await f.chain.write(f.c.dataRewards, dataRewardsAbi, 'postRewardRoot', [BigInt(epoch), tree.root, total], { from: f.operator });
  }
  entries.forEach((entry, i) => {
    const key = entry.device.toLowerCase();
    served.set(key, [
      ...(served.get(key) ?? []),
      { epoch, device: entry.device, amount: entry.amount.toString(), root: tree.root, leaf: leaves[i]!, proof: tree.proof(i), status: options.post === false ? 'queued' : 'confirmed', txHash: null, figures: entry.figures ?? null },
    ]);
  });
}

const relayFetch = (async (url: string) => {
  const device = url.split('/').at(-1)!;
  return new Response(JSON.stringify({ device, rewards: served.get(device.toLowerCase()) ?? [] }), { status: 200 });
}) as unknown as typeof fetch;

const overview = (fetchFn: typeof fetch = relayFetch) =>
  readRewardsOverview(client(), { account: alice, chainId: hardhat.id, contracts, relayUrl: 'http://relay.test', fetchFn, multicallAddress: MULTICALL3_ADDRESS });

/** The fee of every transaction the job confirmed, from the receipts. */
async function feesOf(record: JobRecord): Promise<bigint> {
  let fees = 0n;
  for (const step of record.steps) {
    if (step.status.kind !== 'confirmed' || !step.status.hash) continue;
    const receipt = await client().getTransactionReceipt({ hash: step.status.hash });
    fees += receipt.gasUsed * receipt.effectiveGasPrice;
  }
  return fees;
}

describe('rewards overview and claim job', () => {
  beforeEach(() => served.clear());

  it('checks the relay against the roots, claims every verified reward in one transaction, and a second run claims nothing', async () => {
    // Epoch 41: 1.2 + 0.5 IOTX for alice's devices (the relay's figures for d1 say 1.3: 13 of 100 weight of a 10 IOTX pool), 0.3 for bob's.
    await postEpoch(41, [
      { device: d1, amount: parseEther('1.2'), figures: { weight: '13', epochWeight: '100', pool: parseEther('10').toString() } },
      { device: d2, amount: parseEther('0.5') },
      { device: bobsDevice, amount: parseEther('0.3') },
    ]);
    // Epoch 42: 0.7 IOTX for d1; d2's leaf is posted at 0.4, and the relay then serves it at 0.9.
    await postEpoch(42, [{ device: d1, amount: parseEther('0.7') }, { device: d2, amount: parseEther('0.4') }]);
    served.get(d2.toLowerCase())!.at(-1)!.amount = parseEther('0.9').toString();
    // Epoch 43: computed by the relay, its root not sent yet.
    await postEpoch(43, [{ device: d1, amount: parseEther('2') }], { post: false });

    const before = await overview();
    expect(before.relayError).toBeNull();
    expect(before.devices).toEqual([d1, d2]);
    const states = before.data.map((r) => [r.epoch, r.device, r.amount, r.state]);
    expect(states).toEqual([
      [41, d1, parseEther('1.2'), 'claimable'],
      [42, d1, parseEther('0.7'), 'claimable'],
      [43, d1, parseEther('2'), 'unverified'],
      [41, d2, parseEther('0.5'), 'claimable'],
      [42, d2, parseEther('0.9'), 'unverified'],
    ]);
    const postedAt41 = before.data[0]!.postedAt!;
    expect(before.data[0]!.closesAt).toBe(postedAt41 + Number(WINDOW));
    expect(before.findings.map((x) => [x.kind, x.epoch, x.device])).toEqual([
      ['relay-figure-mismatch', 41, d1],
      ['root-missing', 43, d1],
      ['proof-not-on-chain', 42, d2],
    ]);
    expect(before.findings[0]!.text).toBe(`The relay computed 1.3 IOTX for epoch 41 (device ${d1.slice(0, 6)}…${d1.slice(-4)}); the posted root pays 1.2 IOTX.`);
    expect(before.data[0]!.relayFigure).toBe(parseEther('1.3'));
    expect(before.findings[1]!.severity).toBe('warn');
    expect(before.history).toEqual([]);

    const store = createMemoryJobStore();
    const spec = rewardsClaimJob({ account: alice, chainId: hardhat.id, contracts, fromBlock: before.block }, { data: before.data, restaking: false });
    const call = await spec.steps[0]!.request(client());
    expect(await estimateClaimGas(client(), alice, call)).toBeGreaterThan(21_000n);
    const balance = await f.chain.balance(alice);
    const wallet = countingWallet(f.chain.provider, alice);
    const record = await runJob(client(), wallet, store, spec);
    expect(record.status).toBe('done');
    expect(wallet.sent).toHaveLength(1);
    // 1.2 + 0.7 + 0.5 IOTX, less the one fee.
    expect(await f.chain.balance(alice)).toBe(balance + parseEther('2.4') - (await feesOf(record)));

    const after = await overview();
    expect(after.data.map((r) => r.state)).toEqual(['claimed', 'claimed', 'unverified', 'claimed', 'unverified']);
    const hash = record.steps[0]!.status.kind === 'confirmed' ? record.steps[0]!.status.hash : null;
    expect(after.data[0]!.claimedTx).toBe(hash);
    // One transaction, one RewardClaimed per claim (in the job's order: epoch, then device).
    const byEpochAndDevice = (a: { epoch: number | null; device: Address | null }, b: typeof a) => a.epoch! - b.epoch! || a.device!.toLowerCase().localeCompare(b.device!.toLowerCase());
    expect([...after.history].sort(byEpochAndDevice).map((h) => [h.source, h.epoch, h.device, h.amount, h.txHash])).toEqual(
      [
        ['data', 41, d1, parseEther('1.2'), hash],
        ['data', 41, d2, parseEther('0.5'), hash],
        ['data', 42, d1, parseEther('0.7'), hash],
      ].sort((a, b) => byEpochAndDevice({ epoch: a[1] as number, device: a[2] as Address }, { epoch: b[1] as number, device: b[2] as Address })),
    );
    const block = await client().getBlock({ blockHash: (await client().getTransactionReceipt({ hash: hash as Hash })).blockHash });
    expect(after.history[0]!.at).toBe(Number(block.timestamp));
    expect(after.findings.filter((x) => x.kind === 'paid').map((x) => [x.epoch, x.device, x.actual])).toEqual([
      [41, d1, parseEther('1.2')],
      [42, d1, parseEther('0.7')],
      [41, d2, parseEther('0.5')],
    ]);

    // Claiming the same selection again: a new round, found landed, nothing sent.
    const again = rewardsClaimJob({ account: alice, chainId: hardhat.id, contracts, fromBlock: after.block, jobs: await store.list({ account: alice, chainId: hardhat.id }) }, { data: before.data, restaking: false });
    expect(again.id).not.toBe(spec.id);
    const second = countingWallet(f.chain.provider, alice);
    const balanceBefore = await f.chain.balance(alice);
    const done = await runJob(client(), second, store, again);
    expect(done.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(second.sent).toHaveLength(0);
    expect(await f.chain.balance(alice)).toBe(balanceBefore);
    // And from the current overview there is nothing claimable left.
    expect(() => rewardsClaimJob({ account: alice, chainId: hardhat.id, contracts, fromBlock: after.block }, { data: after.data, restaking: false })).toThrow(
      expect.objectContaining({ code: 'rewards.nothing_to_claim' }),
    );
  });

  it('"claim all" with restaking: paused after the data step, rebuilt from the stored record, it sends only the restaking claim', async () => {
    await postEpoch(41, [{ device: d1, amount: parseEther('1') }, { device: newDevice().address, amount: parseEther('2') }]);
    // Alice restakes a bucket; 50 IOTX is distributed to the strategy.
    const bucketReceipt = await f.chain.write(f.c.systemStaking, systemStakingDevnetAbi, 'stake', [30n * DAY, f.delegates[0]], { from: alice, value: parseEther('10') });
    const bucket = parseEventLogs({ abi: systemStakingDevnetAbi, logs: bucketReceipt.logs, eventName: 'Staked' })[0]!.args.id;
    await runJob(client(), countingWallet(f.chain.provider, alice), createMemoryJobStore(), restakeJob({ account: alice, chainId: hardhat.id, systemStaking: f.c.systemStaking, bucketStrategy: f.c.bucketStrategy }, { bucketId: bucket, moduleId: null, mode: 'approve-and-stake' }));
    await f.chain.write(f.c.strategyManager, strategyManagerDevnetAbi, 'distributeRewards', [IOTX_REWARD_TOKEN, parseEther('50')], { value: parseEther('50') });

    const before = await overview();
    const iotxPending = before.restaking.find((r) => r.token.toLowerCase() === IOTX_REWARD_TOKEN)!;
    expect(iotxPending.symbol).toBe('IOTX');
    expect(iotxPending.pending).toBeGreaterThan(0n);

    const store = createMemoryJobStore();
    const spec = rewardsClaimJob({ account: alice, chainId: hardhat.id, contracts, fromBlock: before.block }, { data: before.data, restaking: true });
    expect(spec.steps.map((s) => s.id)).toEqual(['data', 'restaking']);
    const balance = await f.chain.balance(alice);
    const controller = new AbortController();
    const first = countingWallet(f.chain.provider, alice);
    await expect(
      runJob(client(), first, store, spec, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 1 && p.phase === 'step-done') controller.abort(new JobPausedError(spec.title));
        },
      }),
    ).rejects.toBeInstanceOf(JobPausedError);
    expect(first.sent).toHaveLength(1);

    // After a reload: the record is all there is.
    const stored = JSON.parse(JSON.stringify(await store.get(spec.id))) as JobRecord;
    const second = countingWallet(f.chain.provider, alice);
    const record = await runJob(client(), second, store, rebuildRewardsClaimJob(stored));
    expect(record.status).toBe('done');
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]!.to).toBe(f.c.bucketStrategy);
    const restakingHash = record.steps[1]!.status.kind === 'confirmed' ? record.steps[1]!.status.hash! : null;
    const claimed = parseEventLogs({ abi: bucketStrategyDevnetAbi, logs: (await client().getTransactionReceipt({ hash: restakingHash! })).logs, eventName: 'ClaimReward' });
    const restakingPaid = claimed.reduce((sum, log) => sum + log.args.amount, 0n);
    expect(restakingPaid).toBeGreaterThan(0n);
    expect(await f.chain.balance(alice)).toBe(balance + parseEther('1') + restakingPaid - (await feesOf(record)));

    const after = await overview();
    expect(after.history.map((h) => [h.source, h.amount])).toEqual([
      ['data', parseEther('1')],
      ...claimed.map((log) => ['restaking', log.args.amount]),
    ]);
  });

  it('an epoch whose window closed unclaimed is expired; a job built before the window closed finds nothing to send', async () => {
    await postEpoch(41, [{ device: d1, amount: parseEther('1') }]);
    const open = await overview();
    expect(open.data[0]!.state).toBe('claimable');
    const spec = rewardsClaimJob({ account: alice, chainId: hardhat.id, contracts, fromBlock: open.block }, { data: open.data, restaking: false });
    await f.chain.increaseTime(WINDOW + 1n);

    const closed = await overview();
    expect(closed.data[0]!.state).toBe('expired');
    expect(closed.findings.map((x) => [x.kind, x.expected, x.text])).toEqual([['expired', parseEther('1'), `Epoch 41, device ${d1.slice(0, 6)}…${d1.slice(-4)}: 1 IOTX was not claimed before the claim window closed.`]]);
    const wallet = countingWallet(f.chain.provider, alice);
    const record = await runJob(client(), wallet, createMemoryJobStore(), spec);
    expect(record.steps[0]!.status.kind).toBe('skipped-already-landed');
    expect(wallet.sent).toHaveLength(0);
  });

  it('devicesOwnedBy: each ioID of the account names its device through wallet(id)’s DID', async () => {
    expect(await devicesOwnedBy(client(), { account: bob, contracts, multicallAddress: MULTICALL3_ADDRESS })).toEqual([bobsDevice]);
    expect(await devicesOwnedBy(client(), { account: alice, contracts })).toEqual([d1, d2]);
    expect(await devicesOwnedBy(client(), { account: f.chain.accounts[5]!, contracts })).toEqual([]);
    expect(await devicesOwnedBy(client(), { account: alice, contracts: { ...contracts, ioid: null } })).toEqual([]);
  });

  it('with the relay down the chain parts still come back, and the error is named', async () => {
    await postEpoch(41, [{ device: d1, amount: parseEther('1') }]);
    const down = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    const result = await overview(down);
    expect(result.relayError).toMatchObject({ code: 'rewards.relay_unreachable' });
    expect(result.devices).toEqual([d1, d2]);
    expect(result.data).toEqual([]);
    expect(result.restaking.map((r) => r.token.toLowerCase())).toContain(IOTX_REWARD_TOKEN);
  });
});
