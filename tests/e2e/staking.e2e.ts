/**
 * Staking as a person does it on a phone (issue 16): stake, the bucket's exact times, unlock →
 * countdown → unstake → freeze → withdraw with the balance read on chain at each step, merge /
 * expand / change the delegate of two at once, actions greyed out with their reason and date, and
 * a job that survives a reload between its steps. Everything runs on the real devnet with the
 * embedded wallet; chain time is moved by the test (evm_increaseTime + evm_mine), never waited for.
 * Expected values are worked out here from the chain (receipts, block timestamps, bucketOf).
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { maxUint256, parseEther, type Address, type Hash } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { delegateRegistryAbi, systemStakingAbi } from '../../src/core/abis/index.js';
import { parseAddress } from '../../src/core/address.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, textMatching } from './support/appFlows.js';
import { advanceChainTime, devnetClient, feeOf, minedAt, setDevnetBalance } from './support/chainTime.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const chain = devnetClient(rpcUrl);
const devnet = JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')) as { contracts: Record<string, Address | null> };
const staking = devnet.contracts.systemStaking!;
const PASSWORD = 'e2e staking password';
const DAY = 86_400n;

let browser: Browser;
let delegates: { name: string; address: Address }[];
beforeAll(async () => {
  browser = await launchChromium();
  const listed = await chain.readContract({ address: devnet.contracts.delegateRegistry!, abi: delegateRegistryAbi, functionName: 'delegates' });
  delegates = listed.map((d) => ({ name: d.name, address: d.owner }));
});
afterAll(async () => {
  await browser?.close();
});

const delegateNamed = (name: string) => delegates.find((d) => d.name === name)!.address;
const bucketOf = async (id: bigint) => {
  const { amount, duration, unlockedAt, unstakedAt, delegate } = await chain.readContract({ address: staking, abi: systemStakingAbi, functionName: 'bucketOf', args: [id] });
  return { amount, duration, unlockedAt, unstakedAt, delegate };
};
const ownerOf = (id: bigint) => chain.readContract({ address: staking, abi: systemStakingAbi, functionName: 'ownerOf', args: [id] }).catch(() => null);
const bucketsHeld = (account: Address) => chain.readContract({ address: staking, abi: systemStakingAbi, functionName: 'balanceOf', args: [account] });
const balance = (account: Address) => chain.getBalance({ address: account });

type Staker = { context: BrowserContext; page: Page; account: Address; errors: string[] };

/** A fresh embedded wallet funded by the devnet faucet (10 IOTX), or to `fund` through Hardhat. */
async function newStaker(fund?: bigint): Promise<Staker> {
  const context = await newAppContext(browser);
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.goto(`${appUrl}#/wallet`);
  await createWallet(page, PASSWORD);
  const account = parseAddress((await page.getByTestId('account-io').first().textContent())!);
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
  if (fund !== undefined) await setDevnetBalance(rpcUrl, account, fund);
  await goStaking(page, '');
  return { context, page, account, errors };
}

async function goStaking(page: Page, screen: string): Promise<void> {
  await page.evaluate((hash) => (location.hash = hash), screen ? `#/staking/${screen}` : '#/staking');
  if (!screen) await page.getByTestId('staking-totals').waitFor({ timeout: 30_000 });
}

/** Approves the job's confirmations one after another, checking each one's "Step n of m" and prompt count; returns when the job is done, with its transaction hashes. */
async function approveJob(page: Page, steps: { heading: RegExp; prompts: RegExp }[], where: string): Promise<Hash[]> {
  for (const [index, step] of steps.entries()) {
    const dialog = page.locator('[data-testid="confirm"][data-kind="job-step"]');
    await textMatching(dialog.getByTestId('confirm-job-step'), step.heading);
    await textMatching(dialog.getByTestId('confirm-prompts'), step.prompts);
    await textMatching(dialog.getByTestId('confirm-simulation'), /Will succeed \(gas \d+\)/);
    if (index === 0) await expectScreenOk(page, `${where}: confirmation`);
    await dialog.getByTestId('confirm-approve').click();
    await dialog.waitFor({ state: 'detached' });
  }
  const done = page.locator('[data-testid="job"][data-status="done"]').first();
  await done.waitFor({ timeout: 60_000 });
  await textMatching(done.getByTestId('job-headline'), /Done: all \d+ steps? on-chain/);
  await expectScreenOk(page, `${where}: job done`);
  return (await done.locator('[data-testid="job-step"] code').allTextContents()) as Hash[];
}

async function stakeThroughApp(page: Page, input: { amount: string; days: string; delegate: string; unlocked: boolean }): Promise<void> {
  await goStaking(page, 'stake');
  await page.getByTestId('stake-amount').fill(input.amount);
  await page.getByTestId('stake-days').fill(input.days);
  await page.getByTestId('stake-delegate-search').fill(input.delegate);
  await page.locator(`[data-testid="stake-delegate-option"][data-name="${input.delegate}"]`).check({ timeout: 30_000 });
  await page.getByTestId(input.unlocked ? 'stake-unlocked' : 'stake-locked').check();
  await page.getByTestId('stake-submit').click();
}

/** The one bucket row the home shows for `id`, once the list has it. */
async function bucketIds(page: Page, count: number): Promise<bigint[]> {
  await goStaking(page, '');
  await textMatching(page.getByTestId('bucket-count'), `(${count})`);
  return (await page.getByTestId('bucket-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-bucket-id')!))).map(BigInt).sort((a, b) => (a < b ? -1 : 1));
}

async function openBucket(page: Page, id: bigint): Promise<void> {
  await goStaking(page, `bucket/${id}`);
  await textMatching(page.getByTestId('bucket-title'), `Bucket #${id}`);
}

/** The browser's own rendering of a chain time, as a person reads it ("12 Dec 2026, 14:03" in their locale). */
const shownDate = (page: Page, seconds: bigint) =>
  page.evaluate((ms) => new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(ms), Number(seconds) * 1000);

async function refreshUntil(page: Page, status: string): Promise<void> {
  await page.getByTestId('staking-refresh').click();
  await textMatching(page.getByTestId('detail-status'), status);
}

describe('staking on the devnet (phone viewport)', () => {
  it('stakes with the countdown started: the bucket appears with the times the chain gives', async () => {
    const { context, page, account, errors } = await newStaker();
    await expectScreenOk(page, 'My buckets, empty');
    await expect(page.getByTestId('no-buckets').textContent()).resolves.toContain('No buckets yet');

    // Below the contract's minimum: a clear error, nothing confirmed.
    const minimum = await chain.readContract({ address: staking, abi: systemStakingAbi, functionName: 'MIN_AMOUNT' });
    expect(minimum).toBe(parseEther('1'));
    await stakeThroughApp(page, { amount: '0.5', days: '7', delegate: 'outpost-beta', unlocked: true });
    await expect(page.getByTestId('stake-error').getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('staking.amount_below_minimum');
    await textMatching(page.getByTestId('stake-error'), 'The minimum stake is 1 IOTX');
    await textMatching(page.getByTestId('stake-balance'), /^10$/);
    expect(await page.getByTestId('confirm').count()).toBe(0);
    await expectScreenOk(page, 'stake form with the minimum error');

    await page.getByTestId('stake-amount').fill('2');
    await page.getByTestId('stake-submit').click();
    const [stakeHash, unlockHash] = await approveJob(page, [
      { heading: /^Step 1 of 2/, prompts: /1 wallet prompt now, then up to 1 more prompt/ },
      { heading: /^Step 2 of 2/, prompts: /^1 wallet prompt now$/ },
    ], 'stake unlocked');
    expect(stakeHash).toMatch(/^0x[0-9a-f]{64}$/);

    const [id] = await bucketIds(page, 1);
    expect(await ownerOf(id!)).toBe(account);
    const onChain = await bucketOf(id!);
    const unlockedAt = await minedAt(chain, unlockHash!);
    expect(onChain).toEqual({ amount: parseEther('2'), duration: 7n * DAY, unlockedAt, unstakedAt: maxUint256, delegate: delegateNamed('outpost-beta') });
    const row = page.locator(`[data-testid="bucket-row"][data-bucket-id="${id}"]`);
    await expect(row.getAttribute('data-status')).resolves.toBe('unlocking');
    await textMatching(row.getByTestId('bucket-delegate'), 'outpost-beta');
    await textMatching(row.getByTestId('bucket-next'), `Can be unstaked ${await shownDate(page, unlockedAt + 7n * DAY)}`);
    await textMatching(row.getByTestId('bucket-countdown'), /^\(in 6 d 2\d h|^\(in 7 d 00 h/);
    await expect(page.getByTestId('bucket-timeline').count()).resolves.toBe(1);
    await textMatching(page.getByTestId('total-staked'), '2 IOTX');
    await expectScreenOk(page, 'My buckets with one bucket');

    await openBucket(page, id!);
    await expect(page.getByTestId('detail-unstake-at').getAttribute('data-at')).resolves.toBe((unlockedAt + 7n * DAY).toString());
    await textMatching(page.getByTestId('detail-unlocked'), await shownDate(page, unlockedAt));
    await textMatching(page.getByTestId('detail-delegate'), 'outpost-beta');
    await expectScreenOk(page, 'bucket page, unlocking');

    // History lists the job's two transactions.
    await page.evaluate(() => (location.hash = '#/wallet/history'));
    for (const hash of [stakeHash!, unlockHash!]) await page.locator(`[data-hash="${hash}"]`).first().waitFor({ timeout: 30_000 });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('unlock → countdown → unstake → freeze → withdraw, the balance checked on chain at each step; refused actions say why and from when', async () => {
    const { context, page, account, errors } = await newStaker();
    let expected = await balance(account);

    await stakeThroughApp(page, { amount: '2', days: '1', delegate: 'outpost-alpha', unlocked: false });
    const [stakeHash] = await approveJob(page, [{ heading: /^Step 1 of 1/, prompts: /^1 wallet prompt now$/ }], 'stake locked');
    expected -= parseEther('2') + (await feeOf(chain, stakeHash!));
    expect(await balance(account)).toBe(expected);
    const [id] = await bucketIds(page, 1);

    // Locked: unstake and withdraw greyed out, with the reason and the date if unlocked now.
    await openBucket(page, id!);
    await textMatching(page.getByTestId('detail-status'), 'Locked');
    const unstakeCard = page.getByTestId('action-unstake');
    await expect(unstakeCard.getAttribute('data-allowed')).resolves.toBe('false');
    await expect(unstakeCard.getByTestId('action-run').isDisabled()).resolves.toBe(true);
    await textMatching(unstakeCard.getByTestId('action-reason'), 'The bucket is locked: unlock it first');
    await textMatching(unstakeCard.getByTestId('action-when'), /^Possible from .+ \(in 1 d 00 h|^Possible from .+ \(in 23 h/);
    await textMatching(unstakeCard.getByTestId('action-when'), 'if you unlock it now');
    await expect(page.getByTestId('action-withdraw').getByTestId('action-run').isDisabled()).resolves.toBe(true);
    await expectScreenOk(page, 'bucket page, locked');

    // Unlock: the countdown starts at the unlock's block time.
    await page.getByTestId('action-unlock').getByTestId('action-run').click();
    const [unlockHash] = await approveJob(page, [{ heading: /^Step 1 of 1: Unlock bucket #/, prompts: /^1 wallet prompt now$/ }], 'unlock');
    expected -= await feeOf(chain, unlockHash!);
    expect(await balance(account)).toBe(expected);
    const unstakeAt = (await minedAt(chain, unlockHash!)) + DAY;
    await textMatching(page.getByTestId('detail-status'), 'Unlocking');
    await expect(page.getByTestId('detail-unstake-at').getAttribute('data-at')).resolves.toBe(unstakeAt.toString());
    await textMatching(page.getByTestId('detail-unstake-countdown'), /^\(in 2\d h \d\d min \d\d s\)$/);
    await textMatching(unstakeCard.getByTestId('action-reason'), 'still running');
    await textMatching(unstakeCard.getByTestId('action-when'), `Possible from ${await shownDate(page, unstakeAt)}`);

    // A day later on the chain: unstake.
    await advanceChainTime(rpcUrl, DAY);
    await refreshUntil(page, 'Unstakeable');
    await expect(unstakeCard.getAttribute('data-allowed')).resolves.toBe('true');
    await unstakeCard.getByTestId('action-run').click();
    const [unstakeHash] = await approveJob(page, [{ heading: /^Step 1 of 1: Unstake bucket #/, prompts: /^1 wallet prompt now$/ }], 'unstake');
    expected -= await feeOf(chain, unstakeHash!);
    expect(await balance(account)).toBe(expected);

    // The freeze: withdraw greyed out with the exact date it ends.
    const withdrawAt = (await minedAt(chain, unstakeHash!)) + 3n * DAY;
    await textMatching(page.getByTestId('detail-status'), 'Unstaked');
    await expect(page.getByTestId('detail-withdraw-at').getAttribute('data-at')).resolves.toBe(withdrawAt.toString());
    const withdrawCard = page.getByTestId('action-withdraw');
    await textMatching(withdrawCard.getByTestId('action-reason'), 'unstake freeze');
    await textMatching(withdrawCard.getByTestId('action-when'), `Possible from ${await shownDate(page, withdrawAt)} (in 2 d 23 h`);
    await expect(withdrawCard.getByTestId('action-run').isDisabled()).resolves.toBe(true);
    await expectScreenOk(page, 'bucket page, in the freeze');

    // Three days later: withdraw to the account itself; the 2 IOTX come back, less the fee.
    await advanceChainTime(rpcUrl, 3n * DAY);
    await refreshUntil(page, 'Withdrawable');
    await withdrawCard.getByTestId('action-run').click();
    const [withdrawHash] = await approveJob(page, [{ heading: /^Step 1 of 1: Withdraw bucket #/, prompts: /^1 wallet prompt now$/ }], 'withdraw');
    expected += parseEther('2') - (await feeOf(chain, withdrawHash!));
    expect(await balance(account)).toBe(expected);
    expect(await ownerOf(id!)).toBeNull();
    await page.getByTestId('bucket-missing').waitFor({ timeout: 30_000 });

    expect(errors).toEqual([]);
    await context.close();
  });

  it('merges two buckets, expands one, and changes the delegate of two at once (bucketOf on chain after each)', async () => {
    const { context, page, account, errors } = await newStaker(parseEther('100'));
    for (let i = 0; i < 3; i++) {
      await stakeThroughApp(page, { amount: '1', days: '1', delegate: 'outpost-alpha', unlocked: false });
      await approveJob(page, [{ heading: /^Step 1 of 1/, prompts: /^1 wallet prompt now$/ }], `stake ${i + 1} of 3`);
    }
    const [a, b, c] = await bucketIds(page, 3);
    expect(await bucketsHeld(account)).toBe(3n);

    // Merge B into A for 2 days.
    await openBucket(page, a!);
    const merge = page.getByTestId('action-merge');
    await merge.locator(`[data-testid="merge-with"][data-bucket-id="${b}"]`).check();
    await merge.getByTestId('merge-days').fill('2');
    await merge.getByTestId('action-run').click();
    await approveJob(page, [{ heading: /^Step 1 of 1: Merge/, prompts: /^1 wallet prompt now$/ }], 'merge');
    expect(await bucketOf(a!)).toMatchObject({ amount: parseEther('2'), duration: 2n * DAY });
    expect(await ownerOf(b!)).toBeNull();

    // Expand A: 3 days and 1 IOTX more.
    const expand = page.getByTestId('action-expand');
    await expand.getByTestId('expand-days').fill('3');
    await expand.getByTestId('expand-add').fill('1');
    await expand.getByTestId('action-run').click();
    await approveJob(page, [{ heading: /^Step 1 of 1: Expand/, prompts: /^1 wallet prompt now$/ }], 'expand');
    expect(await bucketOf(a!)).toMatchObject({ amount: parseEther('3'), duration: 3n * DAY });

    // A and C to outpost-gamma in one job.
    await bucketIds(page, 2);
    for (const id of [a!, c!]) await page.locator(`[data-testid="bucket-row"][data-bucket-id="${id}"] [data-testid="bucket-select"]`).check();
    await textMatching(page.getByTestId('batch-selected'), '2 selected');
    await page.getByTestId('batch-delegate-open').click();
    await page.getByTestId('batch-delegate-search').fill('gamma');
    await page.locator('[data-testid="batch-delegate-option"][data-name="outpost-gamma"]').check();
    await expectScreenOk(page, 'My buckets, two selected, delegate picker');
    await page.getByTestId('batch-delegate-submit').click();
    await approveJob(page, [{ heading: /^Step 1 of 1/, prompts: /^1 wallet prompt now$/ }], 'change delegate of two');
    const gamma = delegateNamed('outpost-gamma');
    expect((await bucketOf(a!)).delegate).toBe(gamma);
    expect((await bucketOf(c!)).delegate).toBe(gamma);

    expect(errors).toEqual([]);
    await context.close();
  });

  it('a stake with the countdown started resumes after a reload between its two steps, without staking twice', async () => {
    const { context, page, account, errors } = await newStaker();
    await stakeThroughApp(page, { amount: '1', days: '2', delegate: 'outpost-alpha', unlocked: true });
    const dialog = page.locator('[data-testid="confirm"][data-kind="job-step"]');
    await textMatching(dialog.getByTestId('confirm-job-step'), /^Step 1 of 2/);
    await dialog.getByTestId('confirm-approve').click();
    await textMatching(dialog.getByTestId('confirm-job-step'), /^Step 2 of 2/);
    expect(await bucketsHeld(account)).toBe(1n);

    // The tab reloads with the second step unconfirmed: the wallet is locked again.
    await page.reload();
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await goStaking(page, '');
    const unfinished = page.getByTestId('jobs-unfinished');
    await textMatching(unfinished.getByTestId('job-headline'), /Unfinished: Stake .*step 2 of 2/);
    await expectScreenOk(page, 'My buckets with an unfinished job');
    await unfinished.getByTestId('job-resume').click();
    await approveJob(page, [{ heading: /^Step 2 of 2/, prompts: /^1 wallet prompt now$/ }], 'resumed stake');

    // One bucket on chain, unlocked: the stake was not sent again.
    expect(await bucketsHeld(account)).toBe(1n);
    const [id] = await bucketIds(page, 1);
    expect((await bucketOf(id!)).unlockedAt).not.toBe(maxUint256);
    await expect(page.locator('[data-testid="jobs-unfinished"] [data-testid="job"]').getAttribute('data-status')).resolves.toBe('done');
    expect(await page.getByTestId('job-resume').count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  });
});
