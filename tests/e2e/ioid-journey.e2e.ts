/**
 * A device owner's ioID journey on a phone (issue 15), against the devnet stack: a fresh embedded
 * wallet pairs a device (the in-page simulated device, a BLE-emulated one, an ioConnect board over
 * serial), proves it genuine and mints its ioID; My devices then shows what the chain says. A reload
 * between approval and register resumes at register; a link that drops while the device signs the
 * permit pauses the journey at that step; a device that already has an ioID is shown, not minted
 * again; a wallet on another network gets the named error. Expected values come from the chain
 * (tests/e2e/support/ioidChain.ts), never from the app.
 *
 * Boundary: the BLE device is Chromium's emulated peripheral driven over CDP, the serial one a
 * Web-Serial-shaped port bridged to the simulator; the simulated device runs in the app's own
 * worker with no test hook at all.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { erc721Abi, getAddress, keccak256, stringToBytes, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ioIDRegistryAbi } from '../../src/core/abis/index.js';
import { parseAddress } from '../../src/core/address.js';
import { SimDevice } from '../../src/device/simulator/model.js';
import { DEV_ONLY_KEYS, injectWallets, moveFixtureWalletToChain } from './fixtures/injectedWallet.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, textMatching } from './support/appFlows.js';
import { devnetClient } from './support/chainTime.js';
import { dropLinkWhileSigning, emulateBleDevice } from './support/bleEmulation.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { countApprovalForAll, countSentTransactions, readIoidOnChain } from './support/ioidChain.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const rpcUrl = inject('rpcUrl');
const devnet = JSON.parse(readFileSync(inject('devnetConfigPath'), 'utf8')) as { contracts: Record<string, Address>; extra: { deviceNFT: Address } };
const registry = devnet.contracts.ioIDRegistry!;
const demoNft = getAddress(devnet.extra.deviceNFT);
const PASSWORD = 'e2e ioid password';
// DEV ONLY test keys for simulated hardware (the BLE and serial devices); used by no other e2e file, whose ioIDs would be these devices' too (the chain is shared).
const BLE_KEY = `0x${'5c'.repeat(32)}` as Hex;
const IOCONNECT_KEY = `0x${'6d'.repeat(32)}` as Hex;
const registryRead = (functionName: 'documentHash' | 'documentURI', device: Address) =>
  devnetClient(rpcUrl).readContract({ address: registry, abi: ioIDRegistryAbi, functionName, args: [device] }) as Promise<string>;
const keyBytes = (hex: Hex) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

type Owner = { context: BrowserContext; page: Page; account: Address; errors: string[] };

/** A newcomer: a fresh context, a fresh embedded wallet funded by the devnet faucet (10 IOTX). */
async function newOwner(prepare?: (context: BrowserContext) => Promise<void>): Promise<Owner> {
  const context = await newAppContext(browser);
  await prepare?.(context);
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.goto(`${appUrl}#/wallet`);
  await createWallet(page, PASSWORD);
  const account = parseAddress((await page.getByTestId('account-io').first().textContent())!);
  await page.getByTestId('faucet').click();
  await page.locator('[data-testid="balance"]', { hasText: /^10$/ }).waitFor({ timeout: 30_000 });
  await page.goto(`${appUrl}#/devices`);
  return { context, page, account, errors };
}

/** The device page opened by pairing: its address, once the authenticity check says genuine. */
async function pairedDevice(page: Page): Promise<Address> {
  const address = getAddress(await textMatching(page.getByTestId('device-page-address'), /^0x[0-9a-fA-F]{40}$/, 30_000));
  await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
  return address;
}

const dialogOf = (page: Page, kind: 'job-step' | 'device-permit') => page.locator(`[data-testid="confirm"][data-kind="${kind}"]`);

/** Approves the job step on screen after checking its heading and that the simulation succeeded. */
async function approveStep(page: Page, heading: RegExp): Promise<void> {
  const dialog = dialogOf(page, 'job-step');
  await textMatching(dialog.getByTestId('confirm-job-step'), heading);
  await textMatching(dialog.getByTestId('confirm-simulation'), /Will succeed \(gas \d+\)/);
  await dialog.getByTestId('confirm-approve').click();
  await dialog.waitFor({ state: 'detached' });
}

/** The permit is shown before the device is asked: it names this device and this owner. */
async function approvePermit(page: Page, device: Address, owner: Address): Promise<void> {
  const dialog = dialogOf(page, 'device-permit');
  await textMatching(dialog.getByTestId('permit-device'), device);
  await textMatching(dialog.getByTestId('field-owner'), owner);
  await textMatching(dialog.getByTestId('permit-digest'), /^0x[0-9a-f]{64}$/);
  await dialog.getByTestId('confirm-approve').click();
  await dialog.waitFor({ state: 'detached' });
}

/** The ioID card once minted, checked against the chain: token, owner, ERC-6551 wallet holding the device NFT, DID. */
async function expectMinted(page: Page, device: Address, owner: Address): Promise<void> {
  await page.getByTestId('ioid-minted').waitFor({ timeout: 60_000 });
  const chain = await readIoidOnChain(device);
  expect(chain.exists).toBe(true);
  expect(chain.owner).toBe(owner);
  expect(chain.did).toBe(`did:io:${device.toLowerCase()}`);
  expect(chain.deviceNFT).toBe(demoNft);
  expect(chain.nftHolder).toBe(chain.wallet);
  await expect(page.getByTestId('ioid-token').textContent()).resolves.toContain(`#${chain.ioidTokenId}`);
  await expect(page.getByTestId('ioid-owner').textContent()).resolves.toBe(owner);
  await expect(page.getByTestId('ioid-wallet').textContent()).resolves.toBe(chain.wallet);
  await expect(page.getByTestId('ioid-did').textContent()).resolves.toBe(chain.did);
  await expect(page.getByTestId('ioid-device-nft').textContent()).resolves.toContain(`#${chain.deviceTokenId} of ${demoNft}`);
}

/** The journey for an account's first device on the devnet: demo NFT, approval, the permit, register. */
async function mintFirstDevice(page: Page, device: Address, owner: Address): Promise<void> {
  await page.getByTestId('journey-start').click();
  await approveStep(page, /^Step 1 of 3: Mint a demo device NFT/);
  await approveStep(page, /^Step 2 of 3: Allow the ioID registry/);
  await approvePermit(page, device, owner);
  await approveStep(page, /^Step 3 of 3: Register/);
  await expectMinted(page, device, owner);
}

describe('ioID journey (phone 390×844, devnet)', () => {
  it('"Add a simulated device" walks the whole journey with no emulation hooks: 3 confirmations for the first device, 2 for the next; My devices matches the chain', async () => {
    const { context, page, account, errors } = await newOwner();
    await page.getByTestId('connect-simulated').click();
    const first = await pairedDevice(page);
    await expect(page.getByTestId('simulated-badge').textContent()).resolves.toContain('Simulated device');
    await textMatching(page.getByTestId('journey-prompts'), /^3 wallet confirmations for this device/);
    await expect(page.locator('[data-testid="journey-row"][data-row="genuine"]').getAttribute('data-state')).resolves.toBe('done');
    await expectScreenOk(page, 'the device page before minting');

    await mintFirstDevice(page, first, account);
    expect(await countSentTransactions(account)).toBe(3);
    expect(await countApprovalForAll(account, registry, demoNft)).toBe(1);
    await expectScreenOk(page, 'the device page with its ioID');

    // My devices lists it, simulated, with the ioID the chain gives it.
    await page.getByTestId('back-to-devices').click();
    const row = page.locator(`[data-testid="my-device"][data-address="${first}"]`);
    const chain = await readIoidOnChain(first);
    await textMatching(row.getByTestId('my-device-ioid'), `ioID #${chain.ioidTokenId}`);
    await expect(row.getByTestId('simulated-badge').count()).resolves.toBe(1);

    // A second device: the approval stays, so only the demo mint and register are asked for.
    await page.getByTestId('connect-open').click();
    await page.getByTestId('connect-simulated').click();
    await page.waitForURL((url) => !url.hash.endsWith(first));
    const second = await pairedDevice(page);
    expect(second).not.toBe(first);
    await textMatching(page.getByTestId('journey-prompts'), /^2 wallet confirmations for this device/);
    await page.getByTestId('journey-start').click();
    await approveStep(page, /^Step 1 of 3: Mint a demo device NFT/);
    await approvePermit(page, second, account);
    await approveStep(page, /^Step 3 of 3: Register/);
    await expectMinted(page, second, account);
    expect(await countSentTransactions(account)).toBe(5);
    expect(await countApprovalForAll(account, registry, demoNft)).toBe(1);
    await page.getByTestId('back-to-devices').click();
    await expect(page.getByTestId('my-device').count()).resolves.toBe(2);
    await expectScreenOk(page, 'My devices with two minted devices');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('manages the ioID: a new document (the device signs a fresh permit), the device NFT taken out of its account, the ioID transferred', async () => {
    const { context, page, account, errors } = await newOwner();
    await page.getByTestId('connect-simulated').click();
    const device = await pairedDevice(page);
    await mintFirstDevice(page, device, account);
    const minted = await readIoidOnChain(device);
    const manage = page.getByTestId('ioid-manage');
    await manage.locator('summary').click();
    // The finished job is looked for in the whole ioID card: after a transfer the manage form is
    // gone (the ioID is someone else's) and the card keeps the job that gave it away.
    const card = page.getByTestId('ioid-card');
    const runAndApprove = async (heading: RegExp, permit: boolean) => {
      await manage.getByTestId('manage-run').click();
      if (permit) await approvePermit(page, device, account);
      await approveStep(page, heading);
      await card.locator('[data-testid="job"][data-status="done"]').waitFor({ timeout: 60_000 });
    };

    // A new DID document: hash and URI on the registry, signed for by the device.
    const documentHash = keccak256(stringToBytes('an e2e DID document'));
    await manage.getByTestId('manage-kind').selectOption('update');
    await manage.getByTestId('manage-uri').fill('ipfs://e2e-did-document');
    await manage.getByTestId('manage-hash').fill(documentHash);
    await runAndApprove(/^Step 1 of 1: Set the DID document/, true);
    await expect(registryRead('documentHash', device)).resolves.toBe(documentHash);
    await expect(registryRead('documentURI', device)).resolves.toBe('ipfs://e2e-did-document');
    await expectScreenOk(page, 'manage: document updated');

    // The device NFT back to the owner, out of the ioID's ERC-6551 account.
    await manage.getByTestId('manage-kind').selectOption('withdraw-nft');
    await manage.getByTestId('manage-to').fill(account);
    await runAndApprove(/^Step 1 of 1: Move device NFT/, false);
    const holder = await devnetClient(rpcUrl).readContract({ address: demoNft, abi: erc721Abi, functionName: 'ownerOf', args: [minted.deviceTokenId!] });
    expect(holder).toBe(account);
    await textMatching(page.getByTestId('ioid-device-nft'), 'Not in the ioID’s account');

    // The ioID itself to another address: the page then shows it as someone else's.
    const other = privateKeyToAccount(DEV_ONLY_KEYS.one).address;
    await manage.getByTestId('manage-kind').selectOption('transfer');
    await manage.getByTestId('manage-to').fill(other);
    await runAndApprove(/^Step 1 of 1: Transfer/, false);
    expect((await readIoidOnChain(device)).owner).toBe(other);
    await textMatching(page.getByTestId('ioid-elsewhere'), other);
    await expect(manage.count()).resolves.toBe(0);
    await textMatching(card.getByTestId('job-headline'), 'Done: all 1 steps on-chain');
    await textMatching(card.getByTestId('job-step'), /Transfer/);
    expect(await countSentTransactions(account)).toBe(6);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a reload between approval and register resumes at register: no second approval, the device asked again', async () => {
    const { context, page, account, errors } = await newOwner();
    await page.getByTestId('connect-simulated').click();
    const device = await pairedDevice(page);
    await page.getByTestId('journey-start').click();
    await approveStep(page, /^Step 1 of 3/);
    await approveStep(page, /^Step 2 of 3/);
    await dialogOf(page, 'device-permit').waitFor();
    expect(await countApprovalForAll(account, registry, demoNft)).toBe(1);

    // The tab reloads with the permit on screen: the wallet is locked, the device disconnected.
    await page.reload();
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByTestId('unlock-submit').click();
    await page.getByTestId('reconnect-simulated').click();
    await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-testid="journey-row"][data-row="approval"]').getAttribute('data-state')).resolves.toBe('done');
    await textMatching(page.getByTestId('job-headline'), /step 3 of 3/i);
    await page.getByTestId('job-resume').click();
    await approvePermit(page, device, account);
    await approveStep(page, /^Step 3 of 3: Register/);
    await expectMinted(page, device, account);
    expect(await countApprovalForAll(account, registry, demoNft)).toBe(1);
    expect(await countSentTransactions(account)).toBe(3);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('pairs the BLE-emulated device and mints its ioID; the link drops while it signs the permit and the journey pauses at that step, then resumes there', async () => {
    const { context, page, account, errors } = await newOwner();
    const sim = new SimDevice({ name: 'Outpost-ioID-BLE', secretKey: keyBytes(BLE_KEY), initialReadings: 10, maxChunk: 185 });
    const ble = await emulateBleDevice(browser, page, sim);
    await page.getByTestId('connect-ble').click();
    const device = await pairedDevice(page);
    expect(device).toBe(privateKeyToAccount(BLE_KEY).address);

    await page.getByTestId('journey-start').click();
    await approveStep(page, /^Step 1 of 3/);
    await approveStep(page, /^Step 2 of 3/);
    // Every answer to the signing request is cut half-way, past the session's retries.
    const dropped = dropLinkWhileSigning(sim);
    await approvePermit(page, device, account);
    await textMatching(page.getByTestId('job-error'), 'The device did not sign the permit');
    await expect(page.locator('[data-testid="journey-row"][data-row="permit"]').getAttribute('data-state')).resolves.toBe('failed');
    expect(dropped.signed.length).toBeGreaterThan(0);
    expect(await readIoidOnChain(device)).toMatchObject({ exists: false });
    await expectScreenOk(page, 'the journey paused at the permit');

    // Resume asks the device again, at the same step; nothing before it is repeated.
    await page.getByTestId('job-resume').click();
    await approvePermit(page, device, account);
    await approveStep(page, /^Step 3 of 3: Register/);
    await expectMinted(page, device, account);
    expect(await countSentTransactions(account)).toBe(3);
    expect(errors).toEqual([]);
    await ble.close();
    await context.close();
  });

  it('a device that already has an ioID is shown with its owner, not minted again', async () => {
    const earlier = await readIoidOnChain(privateKeyToAccount(BLE_KEY).address);
    expect(earlier.exists).toBe(true);
    const { context, page, account, errors } = await newOwner();
    const sim = new SimDevice({ name: 'Outpost-ioID-BLE', secretKey: keyBytes(BLE_KEY), initialReadings: 10, maxChunk: 185 });
    const ble = await emulateBleDevice(browser, page, sim);
    await page.getByTestId('connect-ble').click();
    await pairedDevice(page);
    const said = await textMatching(page.getByTestId('ioid-elsewhere'), 'already has an ioID');
    expect(said).toContain(`(#${earlier.ioidTokenId})`);
    expect(said).toContain(earlier.owner!);
    await expect(page.getByTestId('journey-start').count()).resolves.toBe(0);
    expect(await countSentTransactions(account)).toBe(0);
    await expectScreenOk(page, 'a device whose ioID belongs to someone else');
    expect(errors).toEqual([]);
    await ble.close();
    await context.close();
  });

  it('an ioConnect-mode board over USB serial mints its ioID (the digest signed, v recovered)', async () => {
    const sim = new SimDevice({ name: 'ioconnect-ioid', secretKey: keyBytes(IOCONNECT_KEY), mode: 'ioconnect' });
    const { context, page, account, errors } = await newOwner((ctx) => installFakeSerial(ctx, sim).then(() => undefined));
    await page.getByTestId('connect-serial').click();
    const device = await pairedDevice(page);
    expect(device).toBe(privateKeyToAccount(IOCONNECT_KEY).address);
    await expect(page.getByTestId('device-protocol').textContent()).resolves.toBe('ioConnect (serial commands)');
    await mintFirstDevice(page, device, account);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a browser wallet moved to another network gets the named error, and nothing is sent', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await injectWallets(page, rpcUrl, [{ name: 'Fixture Wallet Two', rdns: 'test.outpost.two', privateKey: DEV_ONLY_KEYS.two }]);
    await page.goto(`${appUrl}#/wallet/wallets`);
    await page.locator('[data-testid="wallet-option"][data-name="Fixture Wallet Two"]').click({ timeout: 30_000 });
    await textMatching(page.getByTestId('active-wallet'), 'Fixture Wallet Two');
    const account = privateKeyToAccount(DEV_ONLY_KEYS.two).address;
    const sentBefore = await countSentTransactions(account);
    await page.goto(`${appUrl}#/devices`);
    await page.getByTestId('connect-simulated').click();
    await pairedDevice(page);
    // In the wallet, the user switches to IoTeX Testnet (chain 4690).
    await moveFixtureWalletToChain(page, 'Fixture Wallet Two', 4690);
    await page.getByTestId('journey-start').click();
    const said = await textMatching(page.getByTestId('journey-error'), 'is on chain 4690');
    expect(said).toContain('Devnet (local) (chain 31337)');
    expect(await countSentTransactions(account)).toBe(sentBefore);
    await expectScreenOk(page, 'the journey refused for a wallet on another network');
    expect(errors).toEqual([]);
    await context.close();
  });
});
