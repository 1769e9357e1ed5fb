import type { Address } from 'viem';
import { runCritical } from '../../core/criticalFlows.js';
import { OutpostDeviceClient, type VerifiedInfo } from '../../device/client.js';
import { connectCancelled, serialRequestError } from '../../device/browserErrors.js';
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

/** How the page reaches the device: the radio, a cable, or the simulated device running in a worker of this page (devnet only). */
export type DeviceTransport = 'ble' | 'serial' | 'simulated';

export type ConnectedDevice =
  | { protocol: 'outpost'; transport: DeviceTransport; link: DeviceLink; client: OutpostDeviceClient; info: VerifiedInfo; did: string; address: Address; features: DeviceFeatures }
  | { protocol: 'ioconnect'; transport: DeviceTransport; link: DeviceLink; client: IoConnectClient; identity: IoConnectIdentity; did: string; address: Address; features: DeviceFeatures };

type DetectOptions = { probeTimeoutMs?: number; allowIoConnect?: boolean; transport?: DeviceTransport };

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
 * `transport` defaults to what the link is (in-memory test links stand in for a cable).
 */
export async function detectDevice(link: DeviceLink, options: DetectOptions = {}): Promise<ConnectedDevice> {
  const probeTimeoutMs = options.probeTimeoutMs ?? 1_500;
  const transport = options.transport ?? (link.kind === 'ble' ? 'ble' : link.kind === 'worker' ? 'simulated' : 'serial');
  // Probe quickly and without retries; a device that answers gets the normal timeouts.
  const session = new DeviceSession(link, { timeoutMs: probeTimeoutMs, maxRetries: 0 });
  const client = new OutpostDeviceClient(session);
  try {
    const info = await client.info();
    session.settings = {};
    return { protocol: 'outpost', transport, link, client, info, did: info.did, address: info.address, features: outpostFeatures(info) };
  } catch (error) {
    if (!(error instanceof DeviceTimeoutError || error instanceof FrameError) || options.allowIoConnect === false) throw error;
  }
  const io = new IoConnectClient(link);
  try {
    const identity = await io.getDid(probeTimeoutMs * 2);
    return { protocol: 'ioconnect', transport, link, client: io, identity, did: identity.did, address: identity.address, features: IOCONNECT_FEATURES };
  } catch (error) {
    if (!(error instanceof DeviceTimeoutError)) throw error;
    throw new DeviceError('device.unknown', 'The device did not answer as an Outpost or ioConnect device.', {
      hint: 'Check it is powered and running Outpost-compatible or ioConnect firmware (in registration mode), and that the baud rate is 115200.',
      cause: error,
    });
  }
}

/**
 * A connection attempt the user can cancel: on abort it rejects at once with
 * `device.connect_cancelled`, and a device that still connects afterwards is let go of.
 */
async function cancellable(signal: AbortSignal | undefined, attempt: Promise<ConnectedDevice>): Promise<ConnectedDevice> {
  if (!signal) return attempt;
  return new Promise<ConnectedDevice>((resolve, reject) => {
    const onAbort = () => {
      reject(connectCancelled());
      attempt.then((device) => device.link.close(), () => undefined);
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    attempt.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Probes the device on a fresh link; an abort closes the link, which ends the probe early. */
async function detectOn(link: DeviceLink, signal: AbortSignal | undefined, options: DetectOptions): Promise<ConnectedDevice> {
  // Cancelled while the link was opening: an 'abort' listener added now would never fire, and the
  // probe would hold the port for seconds (a quick second Connect then found it taken).
  if (signal?.aborted) {
    await link.close();
    throw connectCancelled();
  }
  const closeOnAbort = () => void link.close();
  signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    return await detectDevice(link, options);
  } catch (error) {
    await link.close();
    throw error;
  } finally {
    signal?.removeEventListener('abort', closeOnAbort);
  }
}

/**
 * One connection attempt, the same for every transport: open the link, probe the device on it,
 * cancellable, and marked as a critical flow (an app update waits for it).
 */
export function connectOver(transport: DeviceTransport, signal: AbortSignal | undefined, open: () => Promise<DeviceLink>, options: Omit<DetectOptions, 'transport'> = {}): Promise<ConnectedDevice> {
  return runCritical('pairing a device', () => cancellable(signal, open().then((link) => detectOn(link, signal, { ...options, transport }))));
}

/** "Connect a device" over Bluetooth: the browser's chooser, then the Outpost protocol. */
export async function connectBluetooth(options: { signal?: AbortSignal } = {}): Promise<ConnectedDevice> {
  const bluetooth = bluetoothApi();
  if (!bluetooth) throw noApi('Bluetooth');
  const { signal } = options;
  return connectOver('ble', signal, () => WebBluetoothLink.request(bluetooth, signal), { allowIoConnect: false, probeTimeoutMs: 5_000 });
}

/** "Connect a device" over USB serial: the browser's port chooser, then Outpost or ioConnect. */
export async function connectSerial(options: { baudRate?: number; signal?: AbortSignal } = {}): Promise<ConnectedDevice> {
  const serial = serialApi();
  if (!serial) throw noApi('USB serial');
  const { signal } = options;
  return connectOver('serial', signal, async () => {
    let port: SerialPortLike;
    try {
      port = await serial.requestPort();
    } catch (error) {
      throw serialRequestError(error);
    }
    signal?.throwIfAborted();
    return WebSerialLink.open(port, options.baudRate ?? DEFAULT_BAUD_RATE);
  });
}

function noApi(what: string): BrowserSupportError {
  return new BrowserSupportError('device.browser_unsupported', `This browser cannot use ${what}.`, {
    hint: 'Use Chrome or Edge on a computer or Android phone. iPhone and iPad browsers have neither Bluetooth nor USB serial for websites.',
  });
}

