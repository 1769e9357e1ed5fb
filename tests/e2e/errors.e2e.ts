import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SimDevice } from '../../src/device/simulator/model.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { createWallet, proveBatchThroughApp } from './support/appFlows.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { simInPreviousEpoch } from './support/simEpoch.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
const PASSWORD = 'e2e errors password';
const WRONG = 'hunter2 wrong password';
// DEV ONLY test keys for simulated devices: one with no ioID anywhere, one whose answers arrive damaged.
const UNREGISTERED_DEVICE_KEY = `0x${'f1'.repeat(32)}` as Hex;
const DAMAGED_LINK_DEVICE_KEY = `0x${'f2'.repeat(32)}` as Hex;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A phone-sized app context that may read back what "Copy details" put on the clipboard. */
async function copyingContext(): Promise<BrowserContext> {
  const context = await newAppContext(browser);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl).origin });
  return context;
}

/** Presses the notice's "Copy details" and returns the copied report, checking the screen shows the same text. */
async function copyReport(page: Page, testid: string): Promise<string> {
  await page.getByTestId(`${testid}-copy`).first().click();
  const shown = (await page.getByTestId(`${testid}-report`).first().textContent({ timeout: 10_000 }))!;
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(shown);
  return copied;
}

/** The report's cause chain, one entry per link ("Name [code]: message"), outermost first. */
function causeChainOf(report: string): string[] {
  const lines = report.split('\n');
  const start = lines.indexOf('cause chain:');
  if (start === -1) return [];
  return lines.slice(start + 1).filter((line) => /^ {2}\d+\. /.test(line)).map((line) => line.replace(/^ {2}\d+\. /, ''));
}

describe('errors reach the screen as short message, fix and copyable details (390×844)', () => {
  it('a wallet refusal: wrong password on unlock', async () => {
    const context = await copyingContext();
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);
    const words = await createWallet(page, PASSWORD);

    await page.reload();
    await page.getByTestId('unlock').waitFor({ timeout: 30_000 });
    await page.getByTestId('unlock-password').fill(WRONG);
    await page.getByTestId('unlock-submit').click();

    const notice = page.getByTestId('unlock-error');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('wallet.wrong_password');
    await expect(notice.locator('[data-part="message"]').textContent()).resolves.toBe('That password does not unlock this wallet.');
    await expect(notice.locator('[data-part="hint"]').textContent()).resolves.toBe('Check the password (it is case-sensitive) and try again.');

    const copied = await copyReport(page, 'unlock-error');
    expect(copied).toContain('code: wallet.wrong_password');
    expect(copied).toContain('fix: Check the password');
    expect(copied).toContain('screen: wallet/unlock');
    expect(copied).toMatch(/network: \w+/);
    expect(copied).toMatch(/app version: \S+/);
    // Nothing secret went along: neither password nor the recovery phrase.
    expect(copied).not.toContain(WRONG);
    expect(copied).not.toContain(PASSWORD);
    expect(copied).not.toContain(words.join(' '));
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "a wallet refusal: wrong password on unlock"');
    await context.close();
  });

  it('an input refusal on Settings: a mistyped address', async () => {
    const context = await newAppContext(browser);
    const page = await context.newPage();
    await page.goto(`${appUrl}#/settings`);
    const input = page.getByLabel('Paste an io1… or 0x… address');
    await input.fill('io17w0adeg64ky0daxwd2ugyuneellmjgnxa07fhq');
    const notice = page.getByTestId('address-error');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('address.bad_bech32_checksum');
    await expect(notice.locator('[data-part="hint"]').textContent()).resolves.toContain('io1');
    await page.getByTestId('address-error-copy').click();
    await expect(page.getByTestId('address-error-report').textContent({ timeout: 10_000 })).resolves.toContain('code: address.bad_bech32_checksum');
    await expectScreenOk(page, 'the last screen of "an input refusal on Settings: a mistyped address"');
    await context.close();
  });

  it('a device error: every answer over the serial cable arrives with a bad CRC', async () => {
    const device = new SimDevice({ name: 'errors-damaged-sim', secretKey: Uint8Array.from(Buffer.from(DAMAGED_LINK_DEVICE_KEY.slice(2), 'hex')), initialReadings: 8 });
    const context = await copyingContext();
    await installFakeSerial(context, device);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    await page.getByTestId('connect-serial').click();
    await page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 });

    // From here on the cable damages more answers than the app will ever ask for: its retries run out.
    device.faults.corruptNext = 1_000;
    await page.getByTestId('pull-readings').click();
    // "sync-status" shows the progress first, then the notice (an alert) once the pull has failed.
    const notice = page.locator('[data-testid="sync-status"][role="alert"]');
    await expect(notice.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('device.frame_crc');
    await expect(notice.locator('[data-part="message"]').textContent()).resolves.toMatch(/^The device's answer arrived damaged on all \d+ tries\.$/);
    await expect(notice.locator('[data-part="hint"]').textContent()).resolves.toContain('Check the cable');

    const copied = await copyReport(page, 'sync-status');
    expect(copied).toContain('code: device.frame_crc');
    expect(copied).toContain('fix: Check the cable');
    expect(copied).toContain('screen: devices/sync');
    // The chain: the app's summary, then the decoder's own finding about the frame.
    expect(causeChainOf(copied)).toEqual([
      expect.stringMatching(/^FrameError \[device\.frame_crc\]: The device's answer arrived damaged/),
      'FrameError [device.frame_crc]: Skipped a frame whose CRC does not match (corrupted on the way).',
    ]);
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "a device error: every answer over the serial cable arrives with a b…"');
    await context.close();
  });

  it('a relay refusal and a contract revert: a device with no ioID, refused by the relay and then by BatchInbox', async () => {
    const context = await copyingContext();
    await installFakeSerial(context, simInPreviousEpoch('errors-unregistered-sim', UNREGISTERED_DEVICE_KEY));
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/wallet`);
    const words = await createWallet(page, PASSWORD);

    await page.getByTestId('nav-devices').click();
    const sent = await proveBatchThroughApp(page);
    expect(sent.device).toBe(privateKeyToAccount(UNREGISTERED_DEVICE_KEY).address);

    // The relay (the real one) refuses it: the device has no ioID.
    await page.locator('[data-testid="outbox-entry"][data-state="failed"]').waitFor({ timeout: 60_000 });
    const refusal = page.getByTestId('outbox-reason');
    await expect(refusal.getAttribute('data-code')).resolves.toBe('relay.no_ioid');
    await expect(refusal.locator('[data-part="message"]').textContent()).resolves.toContain('has no ioID');
    await expect(refusal.locator('[data-part="hint"]').textContent()).resolves.toContain('ioIDRegistry.register');
    const refusalReport = await copyReport(page, 'outbox-reason');
    expect(refusalReport).toContain('code: relay.no_ioid');
    expect(refusalReport).toContain('fix: Give the device an ioID');
    // What the relay answered, as the wire carried it: status and wire code.
    expect(refusalReport).toContain('details: HTTP 403 no_ioid');
    expect(refusalReport).toContain('screen: devices/outbox');

    // The escape hatch asks the chain, which refuses it too: BatchInbox's DeviceNotRegistered, decoded.
    await page.getByTestId('outbox-submit-direct').click();
    const revert = page.getByTestId('outbox-direct-notice');
    await expect(revert.getAttribute('data-code', { timeout: 30_000 })).resolves.toBe('chain.reverted');
    await expect(revert.locator('[data-part="message"]').textContent()).resolves.toBe('The device has no ioID on-chain.');
    await expect(revert.locator('[data-part="hint"]').textContent()).resolves.toContain('ioIDRegistry.register');
    const revertReport = await copyReport(page, 'outbox-direct-notice');
    expect(revertReport).toContain('code: chain.reverted');
    expect(revertReport).toMatch(new RegExp(`^details: .*DeviceNotRegistered\\(${sent.device}\\)`, 'm'));
    expect(revertReport).toContain('fix: Give the device an ioID');
    // The chain: the outbox's advice, the decoded revert, then what viem and the node said.
    const chain = causeChainOf(revertReport);
    expect(chain[0]).toBe('OutpostError [chain.reverted]: The device has no ioID on-chain.');
    expect(chain[1]).toMatch(/^ContractRevertError \[chain\.reverted\]: Simulation failed: /);
    expect(chain.slice(2).some((link) => /DeviceNotRegistered/.test(link))).toBe(true);

    // Nothing secret in either report: not the wallet's password or phrase.
    for (const report of [refusalReport, revertReport]) {
      expect(report).not.toContain(PASSWORD);
      expect(report).not.toContain(words.join(' '));
    }
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "a relay refusal and a contract revert: a device with no ioID, refus…"');
    await context.close();
  });
});
