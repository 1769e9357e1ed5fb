import type { Browser, CDPSession, Page } from 'playwright-core';
import { bytesToHex, type Hex } from 'viem';
import { LIMITS, MSG } from '../../../src/device/protocol/constants.js';
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

/**
 * Drops the link half-way through the device's answers to its next `times` digest-signing requests
 * (the ioID Permit): the device signed, the app never hears it, as when the phone leaves radio range
 * mid-answer. Signing is safe to repeat, so the app's session reconnects and asks again up to
 * LIMITS.maxRetries times: `times: 1` is a drop the app rides over; the default outlasts every retry,
 * so the signer fails and the ioID job pauses at register (`ioid.device_unreachable`); a resume asks
 * the device again. Outpost protocol only (ioConnect answers are text lines, not frames), on any
 * transport of the SimDevice: this BLE bridge, the fake serial port, a MemoryLink.
 * `signed` lists the digests the device was asked to sign while dropping.
 */
export function dropLinkWhileSigning(device: SimDevice, times: number = LIMITS.maxRetries + 1): { signed: Hex[] } {
  const signed: Hex[] = [];
  const handle = device.handleFrame.bind(device);
  device.handleFrame = (frame) => {
    if (frame.type === MSG.signDigest && signed.length < times) {
      signed.push(bytesToHex(frame.payload));
      // The endpoint reads this after the answer is built: it sends half of it, then drops the link.
      device.faults.dropMidMessage++;
      if (signed.length === times) device.handleFrame = handle;
    }
    return handle(frame);
  };
  return { signed };
}
