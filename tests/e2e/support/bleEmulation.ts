import type { Browser, CDPSession, Page } from 'playwright-core';
import { BleCdpBridge } from '../../../src/node/deviceSim/bleCdpBridge.js';
import type { SimDevice } from '../../../src/device/simulator/model.js';

/**
 * Test fixture: a simulated device as a Bluetooth peripheral of this browser (Chromium's
 * BluetoothEmulation on a browser-level CDP session), plus an automatic answer to the page's
 * device chooser (DeviceAccess on the page session) that picks it by name.
 */
export async function emulateBleDevice(browser: Browser, page: Page, device: SimDevice, options: { chunkSize?: number; address?: string } = {}) {
  const cdp = await browser.newBrowserCDPSession();
  await BleCdpBridge.enable(cdp);
  const bridge = await BleCdpBridge.attach(cdp, device, { chunkSize: options.chunkSize ?? device.maxChunk, address: options.address ?? '09:09:09:09:09:01' });
  const pageCdp = await page.context().newCDPSession(page);

  await autoChoose(pageCdp, bridge.address);
  return {
    bridge,
    close: async () => {
      bridge.detach();
      await pageCdp.detach().catch(() => undefined);
      await cdp.send('BluetoothEmulation.disable').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    },
  };
}

/**
 * Answers each chooser prompt once, when it lists the device with `deviceId` (for emulated
 * peripherals the id is the address; the chooser shows an empty name for them).
 */
export async function autoChoose(pageCdp: CDPSession, deviceId: string): Promise<void> {
  await pageCdp.send('DeviceAccess.enable');
  const answered = new Set<string>();
  pageCdp.on('DeviceAccess.deviceRequestPrompted', (event: { id: string; devices: Array<{ id: string; name: string }> }) => {
    const choice = event.devices.find((d) => d.id === deviceId);
    if (!choice || answered.has(event.id)) return;
    answered.add(event.id);
    void pageCdp.send('DeviceAccess.selectPrompt', { id: event.id, deviceId: choice.id }).catch(() => undefined);
  });
}
