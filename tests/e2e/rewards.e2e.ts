/**
 * The Rewards screen against the devnet stack, at a phone's width: a device's proven batches (real
 * Groth16 proofs, made in Node like the relay tests do) go to the real relay, which anchors them and
 * posts each epoch's reward root on DataRewards; the account also has restaking rewards pending on
 * the real BucketStrategy. The screen shows the data rewards per device and epoch and the restaking
 * rewards, "Claim all" claims both as ONE job with a reload between its steps and no double claim,
 * and the balance rises by exactly the claimed sum less the fees. A test-only relay proxy
 * (support/relayProxy.ts, mode 'wrong-reward-figure') then lies about the relay's per-device figure,
 * and the screen shows the mismatch with both numbers. Chain time is moved past the claim window at
 * the end, so this file runs with the chain-time movers (vitest.config.ts).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPublicClient, createWalletClient, formatEther, http, parseEther, parseEventLogs, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bucketStrategyAbi, dataRewardsAbi, ioIDRegistryAbi, ioIDAbi, strategyManagerAbi, systemStakingAbi } from '../../src/core/abis/index.js';
import { parseDevnetConfig } from '../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { IOTX_REWARD_TOKEN } from '../../src/core/staking/restakingReads.js';
import { RELAY_EPOCH_SECONDS } from '../../src/core/outbox/batch.js';
import { makeBatch, post, waitFor } from '../relay/helpers/batches.js';
import { devKey, registerDevice } from '../relay/helpers/chain.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { textMatching } from './support/appFlows.js';
import { advanceChainTime, feeOf, setDevnetBalance } from './support/chainTime.js';
import { startRelayProxy, type RelayProxy } from './support/relayProxy.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnetJson = JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')) as Record<string, unknown>;
const devnet = parseDevnetConfig(devnetJson);
const chain = toViemChain(NETWORKS.devnet, rpcUrl);
const client = createPublicClient({ chain, transport: http(rpcUrl) }) as PublicClient;
const dataRewards = devnet.contracts.dataRewards!;
const strategy = devnet.contracts.bucketStrategy!;
const PASSWORD = 'e2e rewards password';
// DEV ONLY test keys: the account whose rewards are claimed, and its device (no other e2e file uses them).
const OWNER_KEY = `0x${'7a'.repeat(32)}` as Hex;
const DEVICE_KEY = `0x${'7b'.repeat(32)}` as Hex;
const owner = privateKeyToAccount(OWNER_KEY);
const device = privateKeyToAccount(DEVICE_KEY).address;
/** The devnet relay pays 1 IOTX per epoch (src/relay/env.ts); the device is alone in its epochs, so it gets all of it. */
const EPOCH_REWARD = parseEther('1');
/**
 * Closed epochs no other e2e file uses: they submit to the current or the previous epoch, and the
 * relay computes an epoch's root once, after its first batch (later ones earn nothing: docs/relay.md).
 * The third epoch, used last, is now − 3: for another file's batch to land in it, the run would have
 * to cross two hour boundaries between that batch and this file's start (with now − 2 one sufficed,
 * and a CI run that crossed 05:00 found its root already posted for another device).
 */
const nowEpoch = Math.floor(Date.now() / 1000 / RELAY_EPOCH_SECONDS);
const EPOCHS = [nowEpoch - 5, nowEpoch - 4];
const LATE_EPOCH = nowEpoch - 3;

let browser: Browser;
let proxy: RelayProxy;
let context: BrowserContext;
let page: Page;

const ownerWallet = createWalletClient({ chain, transport: http(rpcUrl), account: owner });
const mined = async (hash: Hex) => {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
  return receipt;
};

/** The device's ioID, registered by dev account 4 as the pairing flow does, then handed to the owner. */
async function giveDeviceToOwner(): Promise<void> {
  await registerDevice({ rpcUrl, devnet, client, stop: async () => {} }, DEVICE_KEY, 4);
  const registry = devnet.contracts.ioIDRegistry!;
  const ioid = devnet.contracts.ioID!;
  const tokenId = await client.readContract({ address: registry, abi: ioIDRegistryAbi, functionName: 'deviceTokenId', args: [device] });
  const dev4 = createWalletClient({ chain, transport: http(rpcUrl), account: privateKeyToAccount(devKey(4)) });
  await mined(await dev4.writeContract({ address: ioid, abi: ioIDAbi, functionName: 'transferFrom', args: [dev4.account.address, owner.address, tokenId] }));
}

/** A locked bucket of the owner restaked into the strategy (IoTeX's approve + stake), then a distribution. */
async function restakeAndDistribute(): Promise<bigint> {
  const staking = devnet.contracts.systemStaking!;
  const delegate = (devnet.extra!.delegates as { address: Address }[])[0]!.address;
  const receipt = await mined(await ownerWallet.writeContract({ address: staking, abi: systemStakingAbi, functionName: 'stake', args: [30n * 86_400n, delegate], value: parseEther('5') }));
  const staked = parseEventLogs({ abi: systemStakingAbi, eventName: 'Staked', logs: receipt.logs })[0]!.args.id;
  await mined(await ownerWallet.writeContract({ address: staking, abi: systemStakingAbi, functionName: 'approve', args: [strategy, staked] }));
  await mined(await ownerWallet.writeContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'stake', args: [staked] }));
  const deployer = devnet.extra!.deployer as Address;
  await client.request({ method: 'hardhat_impersonateAccount', params: [deployer] } as never);
  await mined(
    await createWalletClient({ chain, transport: http(rpcUrl), account: deployer }).writeContract({
      address: devnet.contracts.strategyManager!,
      abi: strategyManagerAbi,
      functionName: 'distributeRewards',
      args: [IOTX_REWARD_TOKEN, parseEther('3')],
      value: parseEther('3'),
    }),
  );
  await client.request({ method: 'hardhat_stopImpersonatingAccount', params: [deployer] } as never);
  const [pending] = await client.readContract({ address: strategy, abi: bucketStrategyAbi, functionName: 'pendingRewards', args: [owner.address] });
  return pending!;
}

type RelayReward = { epoch: number; amount: string; status: string };

async function relayRewards(): Promise<RelayReward[]> {
  const response = await fetch(`${devnet.relayUrl}/v1/rewards/${device}`);
  return ((await response.json()) as { rewards: RelayReward[] }).rewards;
}

async function approveStep(step: RegExp): Promise<void> {
  await textMatching(page.getByTestId('confirm-job-step'), step, 60_000);
  await page.getByTestId('confirm-approve').click();
}

async function importOwner(target: Page): Promise<void> {
  await target.goto(`${appUrl}#/wallet`);
  await target.getByTestId('onboard-privateKey').click();
  await target.getByTestId('import-key').fill(OWNER_KEY);
  await target.getByTestId('new-password').fill(PASSWORD);
  await target.getByTestId('new-password-repeat').fill(PASSWORD);
  await target.getByTestId('onboard-submit').click();
  await target.getByTestId('account-io').first().waitFor({ timeout: 30_000 });
}

async function unlock(): Promise<void> {
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
}

const claimedEvents = () => client.getContractEvents({ address: dataRewards, abi: dataRewardsAbi, eventName: 'RewardClaimed', args: { device }, fromBlock: 0n });
const restakingClaims = () => client.getContractEvents({ address: strategy, abi: bucketStrategyAbi, eventName: 'ClaimReward', args: { staker: owner.address }, fromBlock: 0n });

beforeAll(async () => {
  browser = await launchChromium();
  proxy = await startRelayProxy(devnet.relayUrl!);
  await setDevnetBalance(rpcUrl, owner.address, parseEther('100'));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await proxy?.close();
});

describe('Rewards (phone 390×844, devnet)', () => {
  let pendingRestaking = 0n;

  it('1–2: proven batches anchored, epoch roots posted; the screen shows them per device and epoch, and the restaking rewards', async () => {
    await giveDeviceToOwner();
    for (const [index, epoch] of EPOCHS.entries()) {
      const answer = await post(devnet.relayUrl!, await makeBatch(DEVICE_KEY, epoch, 70 + index));
      expect(answer.status, JSON.stringify(answer.json)).toBe(201);
    }
    // The relay anchors every 10 s, then posts each closed epoch's root once its batches are anchored.
    const posted = await waitFor('both epoch roots confirmed', async () => {
      const rewards = await relayRewards();
      return rewards.filter((reward) => reward.status === 'confirmed').length === EPOCHS.length ? rewards : null;
    }, 120_000);
    expect(posted.map((reward) => [reward.epoch, BigInt(reward.amount)])).toEqual(EPOCHS.map((epoch) => [epoch, EPOCH_REWARD]));
    pendingRestaking = await restakeAndDistribute();
    expect(pendingRestaking > 0n).toBe(true);

    context = await newAppContext(browser);
    page = await context.newPage();
    const errors = trackPageErrors(page);
    await importOwner(page);
    await page.evaluate(() => (location.hash = '#/rewards'));
    const group = page.locator(`[data-testid="device-rewards"][data-device="${device}"]`);
    await group.waitFor({ timeout: 60_000 });
    for (const epoch of EPOCHS) {
      const row = group.locator(`[data-testid="reward-row"][data-epoch="${epoch}"]`);
      await expect(row.getAttribute('data-state')).resolves.toBe('claimable');
      await textMatching(row.getByTestId('reward-amount'), /^1(\.0+)? IOTX$/);
    }
    await textMatching(page.getByTestId('rewards-claimable-data'), /^2(\.0+)? IOTX$/);
    await textMatching(page.getByTestId('rewards-restaking-pending'), `${formatEther(pendingRestaking).slice(0, 4)}`);
    await textMatching(page.getByTestId('reconcile-ok'), 'matches the root posted on-chain');
    // The fee of "Claim all" against what it pays: a few thousandths of an IOTX on the devnet, worth it.
    const cost = page.getByTestId('rewards-totals').getByTestId('claim-cost');
    await textMatching(cost, /^Network fee about 0\.0\d+ IOTX for 2\.\d+ IOTX\.$/);
    await expect(cost.getAttribute('data-level')).resolves.toBe('ok');
    await expectScreenOk(page, 'rewards claimable');
    expect(errors).toEqual([]);
  });

  it('3–4: "Claim all" is one job (data, then restaking); a reload between its steps resumes it with no double claim; the balance rises by exactly the claimed sum', async () => {
    const before = await client.getBalance({ address: owner.address });
    const restakingBefore = (await restakingClaims()).length;
    await page.getByTestId('rewards-claim-all').click();
    await approveStep(/^Step 1 of 2/);
    await waitFor('the data claims on-chain', async () => (await claimedEvents()).length === EPOCHS.length);
    // The wallet now asks for step 2: the tab reloads instead.
    await textMatching(page.getByTestId('confirm-job-step'), /^Step 2 of 2/, 60_000);
    await page.reload();
    await unlock();
    await page.getByTestId('job-resume').first().click();
    await approveStep(/^Step 2 of 2/);
    await page.locator('[data-testid="job"][data-status="done"]').first().waitFor({ timeout: 60_000 });

    const data = await claimedEvents();
    expect(data.map((log) => [Number(log.args.epoch), log.args.amount])).toEqual(EPOCHS.map((epoch) => [epoch, EPOCH_REWARD]));
    const restaking = (await restakingClaims()).slice(restakingBefore);
    expect(restaking).toHaveLength(1);
    const paidRestaking = restaking[0]!.args.amount!;
    expect(paidRestaking >= pendingRestaking).toBe(true);
    const hashes = [...new Set([...data.map((log) => log.transactionHash), restaking[0]!.transactionHash])];
    expect(hashes).toHaveLength(2);
    let fees = 0n;
    for (const hash of hashes) fees += await feeOf(client, hash);
    expect(await client.getBalance({ address: owner.address })).toBe(before + 2n * EPOCH_REWARD + paidRestaking - fees);

    await textMatching(page.getByTestId('rewards-claimed'), /IOTX/);
    for (const epoch of EPOCHS) {
      await expect(page.locator(`[data-testid="reward-row"][data-epoch="${epoch}"]`).getAttribute('data-state')).resolves.toBe('claimed');
    }
    // The screen reads the chain again once the job is done; the restaking claim joins the history then.
    await page.locator('[data-testid="rewards-history-row"][data-source="restaking"]').first().waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('rewards-history-row').count()).resolves.toBe(3);
    await expectScreenOk(page, 'rewards claimed');
  });

  it('5: a relay that lies about its per-device figure (test fixture) is shown as a mismatch with both numbers', async () => {
    proxy.mode = 'wrong-reward-figure';
    const lied = await newAppContext(browser);
    await lied.route(`${appUrl}devnet.json`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', headers: { 'cache-control': 'no-store' }, body: JSON.stringify({ ...devnetJson, relayUrl: proxy.url }) }),
    );
    const other = await lied.newPage();
    await importOwner(other);
    await other.evaluate(() => (location.hash = '#/rewards'));
    const finding = other.locator('[data-testid="reconcile-finding"][data-kind="relay-figure-mismatch"]').first();
    // The fixture says 1.2× the weight: the relay's figure 1.2 IOTX against the 1 IOTX the posted root pays.
    const text = await textMatching(finding, /1\.2 IOTX/, 60_000);
    expect(text).toMatch(/\b1(\.0+)? IOTX/);
    expect(text).toContain(`epoch ${EPOCHS[0]}`);
    await other.getByTestId('reconcile-report-copy').waitFor();
    await expectScreenOk(other, 'rewards mismatch');
    await lied.close();
    proxy.mode = 'honest';
  });

  it('an epoch whose claim window has closed is shown expired, not claimable', async () => {
    const epoch = LATE_EPOCH;
    expect((await post(devnet.relayUrl!, await makeBatch(DEVICE_KEY, epoch, 72))).status).toBe(201);
    await waitFor('the third root confirmed', async () => (await relayRewards()).some((reward) => reward.epoch === epoch && reward.status === 'confirmed'), 120_000);
    const window = BigInt(devnet.extra!.rewardClaimWindowSeconds as number);
    await advanceChainTime(rpcUrl, window + 60n);
    await page.getByTestId('rewards-refresh').click();
    const row = page.locator(`[data-testid="reward-row"][data-epoch="${epoch}"]`);
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 30_000 }).toBe('expired');
    await textMatching(page.getByTestId('rewards-expired'), /^1(\.0+)? IOTX$/);
    await expect(page.getByTestId('reward-claim').count()).resolves.toBe(0);
  });
});
