import type { Browser } from 'playwright-core';
import { bytesToHex, concat, keccak256, recoverAddress, stringToHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SimDevice } from '../../src/device/simulator/model.js';
import { readingsFingerprint } from './support/readingsFingerprint.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { deviceApiBundle } from './support/deviceApi.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { textMatching } from './support/appFlows.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
// DEV ONLY test keys for simulated devices.
const OUTPOST_KEY = `0x${'b2'.repeat(32)}` as Hex;
const IOCONNECT_KEY = `0x${'c3'.repeat(32)}` as Hex;
const keyBytes = (hex: Hex) => Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh app page whose Web Serial port is wired to `device`, on Devices with "USB serial" chosen. */
async function connectOverSerial(device: SimDevice) {
  const context = await newAppContext(browser);
  await installFakeSerial(context, device);
  const page = await context.newPage();
  const errors = trackPageErrors(page);
  await page.goto(`${appUrl}#/devices`);
  await page.getByTestId('connect-serial').click();
  return { context, page, errors };
}

describe('Devices over Web Serial (Web-Serial-shaped port bridged to the simulator)', () => {
  it('connects, checks authenticity, and pulls 500 readings across an unplugged cable', async () => {
    const account = privateKeyToAccount(OUTPOST_KEY);
    const device = new SimDevice({ name: 'serial-sim', secretKey: keyBytes(OUTPOST_KEY), initialReadings: 500 });
    const { context, page, errors } = await connectOverSerial(device);
    expect(await textMatching(page.getByTestId('device-did'), `did:io:${account.address.toLowerCase()}`, 30_000)).toBe(`did:io:${account.address.toLowerCase()}`);
    await expect(page.getByTestId('device-protocol').textContent()).resolves.toBe('Outpost v1');
    await expect(page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).textContent({ timeout: 30_000 })).resolves.toContain(device.did);
    const challenge = device.lastChallenge!;
    const digest = keccak256(concat([stringToHex('outpost:challenge:v1:'), bytesToHex(challenge.nonce)]));
    const sig = challenge.signature;
    await expect(recoverAddress({ hash: digest, signature: { r: bytesToHex(sig.subarray(0, 32)), s: bytesToHex(sig.subarray(32, 64)), yParity: sig[64]! } })).resolves.toBe(account.address);

    // The cable "unplugs" half-way through the third answer (status, batch 1, then batch 2).
    device.faults.dropMidMessage = 0;
    let answers = 0;
    const original = device.handleFrame.bind(device);
    device.handleFrame = (frame) => {
      if (++answers === 3) device.faults.dropMidMessage = 1;
      return original(frame);
    };
    await page.getByTestId('pull-readings').click();
    await page.getByTestId('sync-result').waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('sync-count').textContent()).resolves.toBe('500');
    await expect(page.getByTestId('sync-range').textContent()).resolves.toBe('0–499');
    await expect(page.getByTestId('sync-problems').textContent()).resolves.toBe('0 / 0');
    await expect(page.getByTestId('sync-signed').textContent()).resolves.toBe('8 of 8');
    await expect(page.getByTestId('sync-retries').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('sync-fingerprint').textContent()).resolves.toBe(readingsFingerprint(device.readings));
    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "connects, checks authenticity, and pulls 500 readings across an unp…"');
    await context.close();
  });

  it('sets up Wi-Fi the Improv way (button, wrong password, right one) and factory-resets the device', async () => {
    const device = new SimDevice({ name: 'wifi-sim', secretKey: keyBytes(OUTPOST_KEY), initialReadings: 100, requireAuthorization: true, wifiConnectMs: 300 });
    const { context, page, errors } = await connectOverSerial(device);
    const status = page.getByTestId('wifi-status');
    await textMatching(status, 'press its button', 30_000);

    const send = async (ssid: string, password: string) => {
      await page.getByTestId('wifi-ssid').fill(ssid);
      await page.getByTestId('wifi-password').fill(password);
      await page.getByTestId('wifi-submit').click();
    };
    // Not authorized yet: the device refuses, and the app says what to do.
    await send('Outpost-Lab', 'correct horse battery');
    await expect(status.filter({ hasText: 'not authorized' }).textContent({ timeout: 30_000 })).resolves.toContain('Press the button');
    // The password field never keeps what was typed.
    await expect(page.getByTestId('wifi-password').inputValue()).resolves.toBe('');

    device.pressButton();
    await send('Outpost-Lab', 'wrong password');
    await expect(status.filter({ hasText: 'could not join' }).textContent({ timeout: 30_000 })).resolves.toContain('“Outpost-Lab”');
    await send('Outpost-Lab', 'correct horse battery');
    // The device's own page address comes from the device model, not from the app.
    await expect(status.filter({ hasText: 'On Wi-Fi' }).textContent({ timeout: 30_000 })).resolves.toContain('http://wifi-sim.local/');

    expect(device.readings.length).toBe(100);
    await page.getByTestId('reset-start').click();
    await expect(page.getByTestId('reset-warning').textContent()).resolves.toContain('identity');
    await page.getByTestId('reset-confirm').click();
    await expect(page.getByTestId('reset-status').filter({ hasText: 'was reset' }).textContent({ timeout: 30_000 })).resolves.toBe('The device was reset.');
    expect(device.readings.length).toBe(0);
    await expect(status.textContent()).resolves.toContain('press its button');

    expect(errors).toEqual([]);
    await expectScreenOk(page, 'the last screen of "sets up Wi-Fi the Improv way (button, wrong password, right one) an…"');
    await context.close();
  });

  it('shows a counterfeit device as not verified', async () => {
    const device = new SimDevice({ name: 'fake', secretKey: keyBytes(OUTPOST_KEY), faults: { counterfeit: true } });
    const { context, page } = await connectOverSerial(device);
    await expect(page.getByTestId('authenticity').filter({ hasText: 'Not verified' }).textContent({ timeout: 30_000 })).resolves.toContain('does not come from');
    await expectScreenOk(page, 'the last screen of "shows a counterfeit device as not verified"');
    await context.close();
  });

  it('pairs an ioConnect-only device, lists what it lacks, and gets a valid signature over a given digest', async () => {
    const account = privateKeyToAccount(IOCONNECT_KEY);
    const device = new SimDevice({ name: 'ioconnect-sim', secretKey: keyBytes(IOCONNECT_KEY), mode: 'ioconnect' });
    const { context, page } = await connectOverSerial(device);
    expect(await textMatching(page.getByTestId('device-did'), `did:io:${account.address.toLowerCase()}`, 30_000)).toBe(`did:io:${account.address.toLowerCase()}`);
    await expect(page.getByTestId('device-protocol').textContent()).resolves.toBe('ioConnect (serial commands)');
    await expect(page.getByTestId('authenticity').filter({ hasText: 'Genuine' }).waitFor({ timeout: 30_000 })).resolves.toBeUndefined();
    const missing = await page.getByTestId('missing-features').textContent();
    expect(missing).toContain('Signed readings sync');
    expect(missing).toContain('Wi-Fi setup');
    expect(missing).not.toContain('ioID Permit signing');
    await page.getByRole('button', { name: 'Disconnect' }).click();

    // The same device through src/device's API in the page, signing a digest we choose.
    await page.addScriptTag({ content: await deviceApiBundle() });
    const digest = keccak256(stringToHex('an ioID Permit digest'));
    const signed = await page.evaluate(async (hash) => {
      const api = (window as unknown as { outpostDevice: typeof import('./support/deviceApiEntry.js') }).outpostDevice;
      const port = await (navigator as unknown as { serial: { requestPort(): Promise<never> } }).serial.requestPort();
      const link = await api.WebSerialLink.open(port);
      const connected = await api.detectDevice(link, { probeTimeoutMs: 500 });
      if (connected.protocol !== 'ioconnect') throw new Error(`detected ${connected.protocol}`);
      const signature = await connected.client.signDigest(hash as `0x${string}`);
      await link.close();
      return signature;
    }, digest);
    expect(signed.serialized).toBe(await account.sign({ hash: digest }));
    await expect(recoverAddress({ hash: digest, signature: signed.serialized })).resolves.toBe(account.address);
    await expectScreenOk(page, 'the last screen of "pairs an ioConnect-only device, lists what it lacks, and gets a val…"');
    await context.close();
  });
});
