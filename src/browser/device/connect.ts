import type { Address } from 'viem';
import { runCritical } from '../../core/criticalFlows.js';
import { OutpostDeviceClient, type VerifiedInfo } from '../../device/client.js';
import { BrowserSupportError, DeviceError, DeviceTimeoutError, FrameError } from '../../device/errors.js';
import { IoConnectClient, type IoConnectIdentity } from '../../device/ioconnect.js';
import type { DeviceLink } from '../../device/link.js';
import { CAP } from '../../device/protocol/constants.js';
import { DeviceSession } from '../../device/session.js';
import { WebBluetoothLink } from './webBluetooth.js';
import { DEFAULT_BAUD_RATE, WebSerialLink } from './webSerial.js';
import { bluetoothApi, serialApi, type SerialPortLike } from './webApis.js';

/** What the app may offer for a device; the UI lists the false ones as "not supported by this device". */
export type DeviceFeatures = {
  identity: boolean;
  authenticity: boolean;
  permitSigning: boolean;
  readings: boolean;
  wifi: boolean;
  identify: boolean;
  factoryReset: boolean;
};

const FEATURE_LABELS: Record<keyof DeviceFeatures, string> = {
  identity: 'Identity (did:io)',
  authenticity: 'Authenticity check',
  permitSigning: 'ioID Permit signing',
  readings: 'Signed readings sync',
  wifi: 'Wi-Fi setup',
  identify: 'Identify (blink)',
  factoryReset: 'Factory reset',
};

export type ConnectedDevice =
  | { protocol: 'outpost'; link: DeviceLink; client: OutpostDeviceClient; info: VerifiedInfo; did: string; address: Address; features: DeviceFeatures }
  | { protocol: 'ioconnect'; link: DeviceLink; client: IoConnectClient; identity: IoConnectIdentity; did: string; address: Address; features: DeviceFeatures };

export type BrowserSupport = { bluetooth: boolean; serial: boolean };

export function browserSupport(): BrowserSupport {
  return { bluetooth: bluetoothApi() !== null, serial: serialApi() !== null };
}

export function missingFeatures(features: DeviceFeatures): string[] {
  return (Object.keys(features) as Array<keyof DeviceFeatures>).filter((key) => !features[key]).map((key) => FEATURE_LABELS[key]);
}

function outpostFeatures(info: VerifiedInfo): DeviceFeatures {
  const has = (bit: number) => (info.capabilities & bit) !== 0;
  return {
    identity: true,
    authenticity: has(CAP.challenge),
    permitSigning: has(CAP.signDigest),
    readings: has(CAP.readings),
    wifi: has(CAP.wifi),
    identify: has(CAP.identify),
    factoryReset: has(CAP.factoryReset),
  };
}

const IOCONNECT_FEATURES: DeviceFeatures = { identity: true, authenticity: true, permitSigning: true, readings: false, wifi: false, identify: false, factoryReset: false };

/**
 * Finds out what the device on `link` speaks: the Outpost protocol first (device info), then,
 * on serial, ioConnect's `getdid`. A silent or unknown device gets one error that says which.
 */
export async function detectDevice(link: DeviceLink, options: { probeTimeoutMs?: number; allowIoConnect?: boolean } = {}): Promise<ConnectedDevice> {
  const probeTimeoutMs = options.probeTimeoutMs ?? 1_500;
  // Probe quickly and without retries; a device that answers gets the normal timeouts.
  const session = new DeviceSession(link, { timeoutMs: probeTimeoutMs, maxRetries: 0 });
  const client = new OutpostDeviceClient(session);
  try {
    const info = await client.info();
    session.settings = {};
    return { protocol: 'outpost', link, client, info, did: info.did, address: info.address, features: outpostFeatures(info) };
  } catch (error) {
    if (!(error instanceof DeviceTimeoutError || error instanceof FrameError) || options.allowIoConnect === false) throw error;
  }
  const io = new IoConnectClient(link);
  try {
    const identity = await io.getDid(probeTimeoutMs * 2);
    return { protocol: 'ioconnect', link, client: io, identity, did: identity.did, address: identity.address, features: IOCONNECT_FEATURES };
  } catch (error) {
    if (!(error instanceof DeviceTimeoutError)) throw error;
    throw new DeviceError('device.unknown', 'The device did not answer as an Outpost or ioConnect device.', {
      hint: 'Check it is powered and running Outpost-compatible or ioConnect firmware (in registration mode), and that the baud rate is 115200.',
      cause: error,
    });
  }
}

/** "Connect a device" over Bluetooth: the browser's chooser, then the Outpost protocol. */
export async function connectBluetooth(): Promise<ConnectedDevice> {
  const bluetooth = bluetoothApi();
  if (!bluetooth) throw noApi('Bluetooth');
  return runCritical('pairing a device', async () => {
    const link = await WebBluetoothLink.request(bluetooth);
    try {
      return await detectDevice(link, { allowIoConnect: false, probeTimeoutMs: 5_000 });
    } catch (error) {
      await link.close();
      throw error;
    }
  });
}

/** "Connect a device" over USB serial: the browser's port chooser, then Outpost or ioConnect. */
export async function connectSerial(baudRate = DEFAULT_BAUD_RATE): Promise<ConnectedDevice> {
  const serial = serialApi();
  if (!serial) throw noApi('USB serial');
  return runCritical('pairing a device', async () => {
    let port: SerialPortLike;
    try {
      port = await serial.requestPort();
    } catch (error) {
      throw new BrowserSupportError('device.serial_cancelled', 'No serial port was chosen.', {
        hint: 'Plug the device in with a data cable and choose its port in the list.',
        cause: error,
      });
    }
    const link = await WebSerialLink.open(port, baudRate);
    try {
      return await detectDevice(link);
    } catch (error) {
      await link.close();
      throw error;
    }
  });
}

function noApi(what: string): BrowserSupportError {
  return new BrowserSupportError('device.browser_unsupported', `This browser cannot use ${what}.`, {
    hint: 'Use Chrome or Edge on a computer or Android phone. iPhone and iPad browsers have neither Bluetooth nor USB serial for websites.',
  });
}

