import type { Browser } from 'playwright-core';
import { bytesToHex, concat, keccak256, recoverAddress, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SimDevice } from '../../src/device/simulator/model.js';
import { readingsFingerprint } from './support/readingsFingerprint.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { emulateBleDevice } from './support/bleEmulation.js';
import { textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'a1'.repeat(32)}` as Hex;
const account = privateKeyToAccount(DEVICE_KEY);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('Devices over Web Bluetooth (Chromium emulated peripheral)', () => {
  it('chooses the simulated device, reads its info, checks its challenge, and pulls 500 readings across a forced disconnect', async () => {
    const device = new SimDevice({ name: 'Outpost-BLE-Sim', secretKey: Uint8Array.from(Buffer.from(DEVICE_KEY.slice(2), 'hex')), initialReadings: 500, maxChunk: 185 });
    const context = await newAppContext(browser);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    const ble = await emulateBleDevice(browser, page, device);

    await page.getByTestId('connect-ble').click();
    expect(await textMatching(page.getByTestId('device-did'), `did:io:${account.address.toLowerCase()}`, 30_000)).toBe(`did:io:${account.address.toLowerCase()}`);
    await expect(page.getByTestId('device-protocol').textContent()).resolves.toBe('Outpost v1');
    await expect(page.getByTestId('device-firmware').textContent()).resolves.toBe('1.0.0-sim');
    await expect(page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).textContent({ timeout: 30_000 })).resolves.toContain(device.did);

    // The challenge the app sent was answered with the device key: check it here, independently.
    const challenge = device.lastChallenge!;
    const digest = keccak256(concat([stringToHex('outpost:challenge:v1:'), bytesToHex(challenge.nonce)]));
    const sig = challenge.signature;
    await expect(recoverAddress({ hash: digest, signature: { r: bytesToHex(sig.subarray(0, 32)), s: bytesToHex(sig.subarray(32, 64)), yParity: sig[64]! } })).resolves.toBe(account.address);

    // Pull, and drop the Bluetooth link in the middle of an answer once a batch has arrived.
    await page.getByTestId('pull-readings').click();
    await page.getByTestId('sync-status').filter({ hasText: /Pulling… (6[4-9]|[1-9]\d\d)/ }).waitFor({ timeout: 60_000 });
    device.faults.dropMidMessage = 1;
    // Ends in the result or in an error the app shows; an error fails here with its text.
    const outcome = page.getByTestId('sync-result').or(page.locator('.error[data-testid="sync-status"]'));
    await outcome.waitFor({ timeout: 120_000 });
    await expect(page.locator('.error[data-testid="sync-status"]').count(), (await page.locator('.error[data-testid="sync-status"]').allTextContents()).join(' ')).resolves.toBe(0);

    await expect(page.getByTestId('sync-count').textContent()).resolves.toBe('500');
    await expect(page.getByTestId('sync-range').textContent()).resolves.toBe('0–499');
    await expect(page.getByTestId('sync-problems').textContent()).resolves.toBe('0 / 0');
    await expect(page.getByTestId('sync-signed').textContent()).resolves.toBe('8 of 8');
    await expect(page.getByTestId('sync-fingerprint').textContent()).resolves.toBe(readingsFingerprint(device.readings));
    expect(Number(await page.getByTestId('sync-retries').textContent())).toBeGreaterThanOrEqual(1);
    expect(device.faults.dropMidMessage).toBe(0);
    expect(ble.bridge.connections).toBeGreaterThanOrEqual(2);

    expect(errors).toEqual([]);
    await ble.close();
    await expectScreenOk(page, 'the last screen of "chooses the simulated device, reads its info, checks its challenge,…"');
    await context.close();
  });
});
