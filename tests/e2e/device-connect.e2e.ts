/**
 * Issue 14's Devices polish, through the browser's own device APIs where Chromium can show them:
 * its Bluetooth emulation (CDP BluetoothEmulation: no adapter, no Low Energy, switched off) and
 * the Web-Serial-shaped port bridged to the device simulator (a silent device, then a real one).
 * Chromium's emulation crashes the browser when a GATT connect is refused, so the NetworkError
 * wording is covered by tests/unit/device/browserErrors.test.ts only.
 */
import type { Browser, CDPSession, Page } from 'playwright-core';
import type { Hex } from 'viem';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SimDevice } from '../../src/device/simulator/model.js';
import { launchChromium, newAppContext, trackPageErrors } from './harness/browser.js';
import { textMatching } from './support/appFlows.js';
import { installFakeSerial } from './support/fakeSerial.js';
import { expectScreenOk } from './support/screenChecks.js';

const appUrl = inject('appUrl');
// DEV ONLY test key for the simulated device.
const DEVICE_KEY = `0x${'d4'.repeat(32)}` as Hex;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh page on Devices with this browser's Bluetooth emulated in the given adapter state. */
async function withAdapter(state: 'absent' | 'powered-off' | 'powered-on', leSupported: boolean): Promise<{ page: Page; cdp: CDPSession; close: () => Promise<void> }> {
  const context = await newAppContext(browser);
  const page = await context.newPage();
  const cdp = await browser.newBrowserCDPSession();
  await cdp.send('BluetoothEmulation.enable', { state, leSupported });
  await page.goto(`${appUrl}#/devices`);
  // The first-run card and the outbox load lazily above and below the Connect card: wait for both,
  // so a click does not land while they move it (seen on a loaded machine as a click intercepted).
  await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
  await page.getByTestId('outbox').waitFor({ timeout: 30_000 });
  await page.getByTestId('connect-ble').waitFor();
  return {
    page,
    cdp,
    close: async () => {
      await cdp.send('BluetoothEmulation.disable').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
      await context.close();
    },
  };
}

describe('Devices: connecting, as the browser allows it', () => {
  it('names a missing Bluetooth adapter and an adapter without Low Energy, not "no device was chosen"', async () => {
    const cases = [
      { state: 'absent', leSupported: true, message: 'This phone or computer has no Bluetooth adapter the browser can use.', where: 'no Bluetooth adapter' },
      { state: 'powered-on', leSupported: false, message: 'This Bluetooth adapter does not support Bluetooth Low Energy, which the device uses.', where: 'no Bluetooth Low Energy' },
    ] as const;
    for (const { state, leSupported, message, where } of cases) {
      const { page, close } = await withAdapter(state, leSupported);
      const errors = trackPageErrors(page);
      await page.getByTestId('connect-ble').click();
      const notice = page.getByTestId('device-error');
      expect(await textMatching(notice, message, 30_000)).toContain('USB cable');
      expect(await notice.textContent()).not.toContain('No device was chosen');
      await expect(page.getByTestId('connect-ble').isEnabled()).resolves.toBe(true);
      await expectScreenOk(page, `Devices, ${where}`);
      expect(errors).toEqual([]);
      await close();
    }
  });

  it('cancels a Bluetooth connection left waiting (adapter switched off) back to idle, with a note and no error', async () => {
    const { page, close } = await withAdapter('powered-off', true);
    await page.getByTestId('connect-ble').click();
    // Chromium waits for Bluetooth to come on; nothing else would end this attempt.
    await page.getByTestId('connect-cancel').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('connect-ble').textContent()).resolves.toBe('Connecting…');
    await expect(page.getByTestId('connect-ble').isDisabled()).resolves.toBe(true);
    await expectScreenOk(page, 'Devices, connecting');

    // Still waiting (nothing but Cancel ends this attempt): if it ended by itself, say what the screen shows.
    await expect(page.getByTestId('connect-cancel').count(), await page.getByTestId('connect-card').innerText()).resolves.toBe(1);
    // Dispatched, not clicked at a point: in a full run headless Chromium's pending Bluetooth chooser
    // sometimes takes the pointer ("html intercepts pointer events") and closes itself.
    await page.getByTestId('connect-cancel').dispatchEvent('click');
    await page.getByTestId('connect-cancelled').waitFor();
    await expect(page.getByTestId('connect-ble').textContent()).resolves.toBe('Connect over Bluetooth');
    await expect(page.getByTestId('connect-ble').isEnabled()).resolves.toBe(true);
    await expect(page.getByTestId('connect-cancel').count()).resolves.toBe(0);
    await expect(page.getByTestId('device-error').count()).resolves.toBe(0);
    await expectScreenOk(page, 'Devices, connection cancelled');
    await close();
  });

  it('cancels a silent device over USB, then connects, folds the Connect card and draws the pulled readings', async () => {
    const device = new SimDevice({ name: 'chart-sim', secretKey: Uint8Array.from(Buffer.from(DEVICE_KEY.slice(2), 'hex')), initialReadings: 200 });
    const context = await newAppContext(browser);
    const { endpoint } = await installFakeSerial(context, device);
    const page = await context.newPage();
    const errors = trackPageErrors(page);
    await page.goto(`${appUrl}#/devices`);
    // The lazily loaded cards around the Connect card must be in place before any click, or a click
    // can land while they move it (the same race as in withAdapter above).
    await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
    await page.getByTestId('outbox').waitFor({ timeout: 30_000 });

    // A device that does not answer (booting, wrong firmware): the app would wait out its probes.
    const answer = endpoint.receive.bind(endpoint);
    endpoint.receive = () => undefined;
    await page.getByTestId('connect-serial').click();
    await page.getByTestId('connect-cancel').click({ timeout: 30_000 });
    await page.getByTestId('connect-cancelled').waitFor();
    await expect(page.getByTestId('connect-serial').isEnabled()).resolves.toBe(true);
    // Cancelling lets go of the port (the fake port has no readable stream once closed)…
    // (Polled from here: waitForFunction takes an async predicate's Promise as a truthy answer.)
    const portClosed = () =>
      page.evaluate(async () => {
        const [port] = await (navigator as unknown as { serial: { getPorts(): Promise<Array<{ readable: unknown }>> } }).serial.getPorts();
        return port!.readable === null;
      });
    await expect.poll(portClosed, { timeout: 3_000 }).toBe(true);
    // …and the abandoned attempt ends without an error on screen.
    await expect(page.getByTestId('device-error').count()).resolves.toBe(0);
    await expect(page.getByTestId('connect-cancelled').isVisible()).resolves.toBe(true);

    endpoint.receive = answer;
    await page.getByTestId('connect-serial').click();
    await textMatching(page.getByTestId('authenticity'), 'Genuine', 30_000);
    // A connected device opens its own page (My devices keeps it); the cards live there.
    await page.waitForURL((url) => /^#\/devices\/device\/0x[0-9a-fA-F]{40}$/.test(url.hash));
    await expect(page.getByTestId('device-header').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('connect-serial').count()).resolves.toBe(0);
    await expect(page.getByTestId('connect-cancelled').count()).resolves.toBe(0);
    await expectScreenOk(page, 'Devices, connected (its own page)');

    await page.getByTestId('pull-readings').click();
    await page.getByTestId('sync-result').waitFor({ timeout: 60_000 });
    const charts = page.getByTestId('readings-chart');
    await charts.nth(1).waitFor();
    await expect(charts.count()).resolves.toBe(2);
    // What the device holds, in the units a person reads (Chromium here formats numbers as en-US).
    const last = device.readings.at(-1)!;
    const number = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
    await expect(page.getByTestId('chart-latest-temperature').textContent()).resolves.toBe(`${number(last.temperature / 100)} °C`);
    await expect(page.getByTestId('chart-latest-humidity').textContent()).resolves.toBe(`${number(last.humidity / 10)} %`);
    const temperatures = device.readings.map((r) => r.temperature / 100);
    const label = await charts.first().locator('svg').getAttribute('aria-label');
    expect(label).toContain(`of 200 readings, from ${number(Math.min(...temperatures))} to ${number(Math.max(...temperatures))} °C`);
    // One point per reading (200 fit the chart's cap).
    expect((await charts.first().locator('polyline').getAttribute('points'))!.split(' ')).toHaveLength(200);
    await expect(page.getByTestId('chart-span').textContent()).resolves.toContain('200 readings');
    await expectScreenOk(page, 'Devices, readings chart');

    // Back on My devices the Connect card is folded while a device is connected, and opens again.
    await page.getByTestId('back-to-devices').click();
    await page.getByTestId('connect-folded').waitFor();
    await page.getByTestId('connect-open').click();
    await page.getByTestId('connect-serial').waitFor();
    await expect(page.getByTestId('connect-folded').count()).resolves.toBe(0);
    await expect(page.getByTestId('my-device').count()).resolves.toBe(1);
    await expectScreenOk(page, 'Devices, Connect card opened again');
    expect(errors).toEqual([]);
    await context.close();
  });
});
