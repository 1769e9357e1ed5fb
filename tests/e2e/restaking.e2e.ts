/**
 * Restaking as a staker does it on a phone (issue 16, Done-when 4, 5 and 6), against the devnet
 * stack: the two-step restake (approve + stake) with a page reload between the steps, where the
 * job resumes and approves nothing twice; the one-transaction restake (one prompt); unstake from the
 * module, the 7-day freeze moved past with evm_increaseTime, and the withdraw that gives the bucket
 * back. Every count comes from the chain: the account's nonce (its transactions), SystemStaking's
 * Approval events, ownerOf and restakeOf.
 *
 * The buckets to restake are staked in setup through the app's Stake screen, from the test's own
 * fresh embedded account (funded by the devnet faucet).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPublicClient, createWalletClient, http, parseEther, zeroAddress, type Address, type PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bucketStrategyDevnetAbi, strategyManagerAbi, systemStakingAbi } from '../../src/core/abis/index.js';
import { IOTX_REWARD_TOKEN } from '../../src/core/staking/restakingReads.js';
import { fromIoAddress } from '../../src/core/address.js';
import { parseDevnetConfig } from '../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, textMatching } from './support/appFlows.js';
import { advanceChainTime } from './support/chainTime.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnet = parseDevnetConfig(JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')));
const chain = toViemChain(NETWORKS.devnet, rpcUrl);
const client = createPublicClient({ chain, transport: http(rpcUrl) }) as PublicClient;
const staking = devnet.contracts.systemStaking!;
const strategy = devnet.contracts.bucketStrategy!;
const MODULE_ID = BigInt(devnet.extra!.moduleId as number);
/** The module's name as the deploy plan registered it (ModuleRegistered). */
const MODULE_NAME = devnet.extra!.moduleName as string;
const DELEGATE_NAME = (devnet.extra!.delegates as { name: string }[])[0]!.name;
const PASSWORD = 'e2e restaking password';
const DAY = 86_400;

const rpc = (method: string, params: unknown[]) => client.request({ method, params } as never) as Promise<unknown>;
const nonceOf = (account: Address) => client.getTransactionCount({ address: account, blockTag: 'latest' });
const ownerOf = (id: bigint) => client.readContract({ address: staking, abi: systemStakingAbi, functionName: 'ownerOf', args: [id] });
const restakeOf = (id: bigint) => client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'restakeOf', args: [id] });

async function approvalsToStrategy(id: bigint): Promise<number> {
  const logs = await client.getContractEvents({ address: staking, abi: systemStakingAbi, eventName: 'Approval', args: { tokenId: id }, fromBlock: 0n });
  return logs.filter((log) => log.args.approved?.toLowerCase() === strategy.toLowerCase()).length;
}

/** Stakes a locked bucket through the app's Stake screen (2 IOTX, 30 days, the first devnet delegate) and returns its id, read from the chain. */
async function stakeThroughApp(): Promise<bigint> {
  const before = await heldIds();
  await page.evaluate(() => (location.hash = '#/staking/stake'));
  await page.getByTestId('stake-amount').fill('2');
  await page.getByTestId('stake-days').fill('30');
  await page.getByTestId('stake-delegate-search').fill(DELEGATE_NAME);
  await page.locator(`[data-testid="stake-delegate-option"][data-name="${DELEGATE_NAME}"]`).check({ timeout: 30_000 });
  await page.getByTestId('stake-locked').check();
  await page.getByTestId('stake-submit').click();
  await approveStep(/Step 1 of 1/);
  // The job's receipt and the chain agree within a poll or two; 150 polls bound it.
  for (let poll = 0; poll < 150; poll++) {
    const added = (await heldIds()).filter((id) => !before.includes(id));
    if (added.length > 0) return added[0]!;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the staked bucket never appeared on the chain');
}

/** Bucket ids minted to the account (Transfer from zero), from the chain. */
async function heldIds(): Promise<bigint[]> {
  const logs = await client.getContractEvents({ address: staking, abi: systemStakingAbi, eventName: 'Transfer', args: { from: zeroAddress, to: account }, fromBlock: 0n });
  return logs.map((log) => log.args.tokenId!);
}

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let account: Address;
let buckets: bigint[];

beforeAll(async () => {
  browser = await launchChromium();
  context = await newAppContext(browser);
  page = await context.newPage();
  errors = trackPageErrors(page);
  await page.goto(`${appUrl}#/wallet`);
  await createWallet(page, PASSWORD);
  account = fromIoAddress((await page.getByTestId('account-io').first().textContent())!.trim());
  // The faucet's 10 IOTX, as the app reads it: enough for two 2 IOTX buckets and every fee below.
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
  buckets = [await stakeThroughApp(), await stakeThroughApp()];
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function openRestake(): Promise<void> {
  await page.evaluate(() => (location.hash = '#/staking/restake'));
  await page.getByTestId('restake-form').waitFor({ timeout: 30_000 });
}

/** After a reload the embedded wallet is locked: unlock it where the screen asks. */
async function unlockHere(): Promise<void> {
  await page.getByTestId('unlock-password').fill(PASSWORD);
  await page.getByTestId('unlock-submit').click();
}

async function chooseBucket(id: bigint): Promise<void> {
  const select = page.getByTestId('restake-bucket');
  await select.locator(`option[value="${id}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  await select.selectOption(id.toString());
}

/** Approves the confirmation showing `step` ("Step 1 of 2"). */
async function approveStep(step: RegExp): Promise<void> {
  await textMatching(page.getByTestId('confirm-job-step'), step);
  await page.getByTestId('confirm-approve').click();
}

describe('restaking through the app', () => {
  it('4: approve + stake into the module with a reload between the steps: the job resumes, one approval, two transactions', async () => {
    const [bucket] = buckets;
    await openRestake();
    await expectScreenOk(page, 'restake');
    await chooseBucket(bucket!);
    await page.getByTestId('restake-module').selectOption(MODULE_ID.toString());
    await page.getByTestId('restake-mode-two').check();
    await textMatching(page.getByTestId('restake-prompts'), '2 wallet prompts');
    const before = await nonceOf(account);

    await page.getByTestId('restake-submit').click();
    await approveStep(/Step 1 of 2/);
    // The approval is on-chain and the wallet asks for step 2: the page is reloaded instead.
    await textMatching(page.getByTestId('confirm-job-step'), /Step 2 of 2/);
    await expectScreenOk(page, 'restake, step 2 confirmation');
    expect(await nonceOf(account)).toBe(before + 1);
    expect(await approvalsToStrategy(bucket!)).toBe(1);
    await page.reload();
    await unlockHere();

    // The unfinished job is offered; resuming it asks only for the stake.
    const unfinished = page.getByTestId('restaking-unfinished');
    await unfinished.getByTestId('job-resume').click({ timeout: 30_000 });
    await expectScreenOk(page, 'restake, resumed job');
    await approveStep(/Step 2 of 2/);
    await page.locator('[data-testid="restaked-bucket"][data-bucket-id="' + bucket + '"][data-state="restaked"]').waitFor({ timeout: 30_000 });
    expect(await nonceOf(account)).toBe(before + 2);
    expect(await approvalsToStrategy(bucket!)).toBe(1);
    expect(await ownerOf(bucket!)).toBe(strategy);
    const [staker, moduleId] = await restakeOf(bucket!);
    expect([staker, moduleId]).toEqual([account, MODULE_ID]);
    await textMatching(page.locator(`[data-bucket-id="${bucket}"] [data-testid="restaked-module"]`), `Module ${MODULE_ID}`);
    await expectScreenOk(page, 'restake, bucket restaked');
  });

  it('5: one-transaction restake: one prompt, no approval', async () => {
    const [, bucket] = buckets;
    await openRestake();
    await chooseBucket(bucket!);
    await page.getByTestId('restake-module').selectOption(MODULE_ID.toString());
    await page.getByTestId('restake-mode-one').check();
    await textMatching(page.getByTestId('restake-prompts'), /^1 wallet prompt$/);
    const before = await nonceOf(account);
    await page.getByTestId('restake-submit').click();
    await approveStep(/Step 1 of 1/);
    await page.locator(`[data-testid="job"][data-status="done"]`).waitFor({ timeout: 30_000 });
    await page.locator(`[data-testid="restaked-bucket"][data-bucket-id="${bucket}"][data-state="restaked"]`).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('confirm').count()).toBe(0);
    expect(await nonceOf(account)).toBe(before + 1);
    expect(await approvalsToStrategy(bucket!)).toBe(0);
    expect(await ownerOf(bucket!)).toBe(strategy);
    expect((await restakeOf(bucket!))[1]).toBe(MODULE_ID);
    await expectScreenOk(page, 'restake, one transaction done');

    // My buckets names the module the bucket now backs.
    await page.evaluate(() => (location.hash = '#/staking'));
    await textMatching(page.locator(`[data-testid="restaked-row"][data-bucket-id="${bucket}"] [data-testid="restaked-status"]`), `Restaked in ${MODULE_NAME}`);
    await expectScreenOk(page, 'my buckets with a bucket restaked in a module');
    await openRestake();
  });

  it('6: unstake from the module, the 7-day freeze with its countdown, then withdraw: the bucket is the account’s again', async () => {
    const [bucket] = buckets;
    const row = () => page.locator(`[data-testid="restaked-bucket"][data-bucket-id="${bucket}"]`);
    await row().getByTestId('restaked-unstake').click();
    await approveStep(/Step 1 of 1/);
    await page.locator(`[data-testid="restaked-bucket"][data-bucket-id="${bucket}"][data-state="unstaking"]`).waitFor({ timeout: 30_000 });
    await textMatching(row().getByTestId('restaked-countdown'), /Withdrawable in 6 d 23 h/);
    expect(await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'stakeStatus', args: [bucket!] })).toBe(2);
    await expectScreenOk(page, 'restaked bucket unstaking');

    // The freeze, moved past on the chain; the app reads the chain's time again on reload.
    await advanceChainTime(rpcUrl, 7 * DAY + 1);
    await page.reload();
    await unlockHere();
    await page.locator(`[data-testid="restaked-bucket"][data-bucket-id="${bucket}"][data-state="withdrawable"]`).waitFor({ timeout: 30_000 });
    await expectScreenOk(page, 'restaked bucket withdrawable');
    await row().getByTestId('restaked-withdraw').click();
    await approveStep(/Step 1 of 1/);
    await row().waitFor({ state: 'detached', timeout: 30_000 });
    expect(await ownerOf(bucket!)).toBe(account);
    expect(await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'stakeStatus', args: [bucket!] })).toBe(0);
  });

  it('the Modules screen: the module with its operator and weight read from the chain, and the reward-rate estimate labelled as one', async () => {
    // At least a day of chain history, so the estimate scales to a year whatever ran before.
    await advanceChainTime(rpcUrl, DAY);
    await page.evaluate(() => (location.hash = '#/staking/modules'));
    const card = page.locator(`[data-testid="module"][data-module-id="${MODULE_ID}"]`);
    await card.waitFor({ timeout: 30_000 });
    const weight = await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'moduleWeight', args: [MODULE_ID] });
    const [, operator] = await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'moduleInfo', args: [MODULE_ID] });
    expect(operator).toBe(devnet.extra!.operator);
    // Other e2e files share the chain (and may restake or slash here): the weight is the chain's now, in whole IOTX and up to 6 decimals.
    expect(weight > 0n).toBe(true);
    await textMatching(card.getByTestId('module-weight'), new RegExp(`^${weight / 10n ** 18n}(\\.\\d{1,6})? IOTX$`));
    await textMatching(card.getByTestId('module-operator'), /^io1/);
    await textMatching(page.getByTestId('reward-rate').first(), /Estimated reward rate: .* a year .*an estimate from the/);
    await expectScreenOk(page, 'modules');
  });

  it('claims restaking rewards after a distribution: the balance grows by what was pending, less the fee', async () => {
    // A distribution through StrategyManager, as the devnet's deployer (impersonated: the stack's own account).
    const deployer = devnet.extra!.deployer as Address;
    await rpc('hardhat_impersonateAccount', [deployer]);
    const manager = devnet.contracts.strategyManager!;
    const hash = await createWalletClient({ chain, transport: http(rpcUrl), account: deployer }).writeContract({
      address: manager,
      abi: strategyManagerAbi,
      functionName: 'distributeRewards',
      args: [IOTX_REWARD_TOKEN, parseEther('10')],
      value: parseEther('10'),
    });
    await client.waitForTransactionReceipt({ hash });
    await rpc('hardhat_stopImpersonatingAccount', [deployer]);
    const [pending] = await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'pendingRewards', args: [account] });
    expect(pending! > 0n).toBe(true);

    await page.evaluate(() => (location.hash = '#/staking/restake'));
    await page.reload();
    await unlockHere();
    await textMatching(page.getByTestId('restaking-pending'), new RegExp(`^${pending! / 10n ** 18n}\\.\\d{1,6} IOTX pending$`));
    await expectScreenOk(page, 'restaking rewards pending');
    const balance = await client.getBalance({ address: account });
    await page.getByTestId('restaking-claim').click();
    await approveStep(/Step 1 of 1/);
    await page.locator('[data-testid="job"][data-status="done"]').waitFor({ timeout: 30_000 });
    const claims = await client.getContractEvents({ address: strategy, abi: bucketStrategyDevnetAbi, eventName: 'ClaimReward', args: { staker: account }, fromBlock: 0n });
    // Earlier restake and unstake transactions may have settled rewards too: the claim is the latest payment.
    const claim = claims.at(-1);
    expect(claim!.args.amount).toBe(pending);
    const receipt = await client.getTransactionReceipt({ hash: claim!.transactionHash });
    expect(await client.getBalance({ address: account })).toBe(balance + pending! - receipt.gasUsed * receipt.effectiveGasPrice);
    expect(await client.readContract({ address: strategy, abi: bucketStrategyDevnetAbi, functionName: 'pendingRewards', args: [account] })).toEqual([0n]);
  });

  it('on IoTeX Testnet the Modules screen says modules are devnet only (the testnet RPC is unreachable here: the request is refused by the test)', async () => {
    // The boundary: IoTeX's public RPC cannot be reached from this machine, so the test refuses it outright.
    await context.route('https://babel-api.testnet.iotex.io/**', (route) => route.abort('connectionrefused'));
    await page.evaluate(() => (location.hash = '#/settings'));
    await page.getByTestId('network-select').selectOption('testnet');
    await page.evaluate(() => (location.hash = '#/staking/modules'));
    await textMatching(page.getByTestId('modules-devnet-only'), 'restaking a data module is on the local devnet only');
    expect(await page.getByTestId('module').count()).toBe(0);
    await expectScreenOk(page, 'modules on IoTeX Testnet');
    await page.evaluate(() => (location.hash = '#/settings'));
    await page.getByTestId('network-select').selectOption('devnet');
    expect(errors).toEqual([]);
  });
});
