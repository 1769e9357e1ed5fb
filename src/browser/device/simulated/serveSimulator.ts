import { hexToBytes, type Hex } from 'viem';
import { addressFromPublicKey, publicKeyOf } from '../../../device/identity.js';
import { SimEndpoint } from '../../../device/simulator/endpoint.js';
import { SimDevice, type SimMode } from '../../../device/simulator/model.js';

/**
 * The device side of the in-page simulator: a SimDevice behind a SimEndpoint, moving raw bytes
 * over a message port. The page's half of the port is an ordinary DeviceLink (WorkerLink), so
 * framing, session and clients are exactly those used with real hardware. It runs in a worker
 * (simulator.worker.ts), and in unit tests over Node's MessageChannel.
 */

/** Page → simulator: the first message, then bytes (Uint8Array) or a reset. */
export type SimulatorStart = {
  type: 'start';
  /** DEV-ONLY key of a simulated device (devnet only). */
  secretKey: Hex;
  mode: SimMode;
  name: string;
  /** When the device was created (ms): anchors its readings history, so every connection sees the same readings. */
  createdAt?: number;
};
/** The link was reopened: the device forgets half-received input and answers still pending. */
type SimulatorReset = { type: 'reset' };
export type PageToSimulator = SimulatorStart | SimulatorReset | Uint8Array;

/** Simulator → page: `ready` once it serves (or `failed`), then bytes. */
export type SimulatorToPage = { type: 'ready'; did: string } | { type: 'failed'; message: string } | Uint8Array;

/** What serveSimulator needs of a port: a worker's global scope and a MessagePort (browser or Node) both fit. */
export type SimulatorPort = {
  postMessage(message: SimulatorToPage, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  start?(): void;
};

/**
 * One reading every 10 s, as the e2e simulator does: 64 readings (one signed batch) then span about
 * 11 minutes, so most batches lie inside one relay epoch (an hour) and can be proved. At one a
 * minute no batch of 64 would ever fit one epoch.
 */
const READING_INTERVAL_SEC = 10;
/** Readings the device keeps (two hours): a pull stays short, and a new device has data at once. */
const KEPT_READINGS = 720;

export type ServedSimulator = { device: SimDevice; stop(): void };

/**
 * Serves one simulated device on `port` until `stop()`. Readings follow a fixed timeline from
 * `createdAt` (seq 0 lies KEPT_READINGS intervals before it), and the sensor is seeded by the
 * device's address, so a device shows the same readings with the same seqs on every connection,
 * as a real one that kept running would.
 */
export function serveSimulator(port: SimulatorPort, options: { secretKey: Hex; mode: SimMode; name: string; createdAt?: number; now?: () => number }): ServedSimulator {
  const now = options.now ?? (() => Date.now());
  const secretKey = hexToBytes(options.secretKey);
  const address = addressFromPublicKey(publicKeyOf(secretKey));
  const device = new SimDevice({ name: options.name, secretKey, mode: options.mode, sensorSeed: address.toLowerCase(), now });
  const endpoint = new SimEndpoint(device, {
    send: (bytes) => {
      // A copy of our own to hand over: the endpoint's buffer may be a view into a larger one.
      const copy = bytes.slice();
      port.postMessage(copy, [copy.buffer]);
    },
    // No fault injection here, so the endpoint never drops the link by itself.
    drop: () => undefined,
  });

  const originSec = Math.floor((options.createdAt ?? now()) / 1000) - KEPT_READINGS * READING_INTERVAL_SEC;
  let recorded = 0;
  const dueAt = (seq: number) => originSec + seq * READING_INTERVAL_SEC;
  const catchUp = () => {
    const nowSec = Math.floor(now() / 1000);
    while (dueAt(recorded) <= nowSec) {
      device.record(dueAt(recorded));
      recorded++;
      // Trim in steps, not per reading: an old device replays a long timeline at start.
      if (device.readings.length >= 2 * KEPT_READINGS) device.readings.splice(0, device.readings.length - KEPT_READINGS);
    }
    if (device.readings.length > KEPT_READINGS) device.readings.splice(0, device.readings.length - KEPT_READINGS);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    timer = setTimeout(
      () => {
        catchUp();
        schedule();
      },
      Math.max(0, dueAt(recorded) * 1000 - now()),
    );
  };
  catchUp();
  schedule();

  const onMessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (data instanceof Uint8Array) endpoint.receive(data);
    else if (isReset(data)) endpoint.reset();
  };
  port.addEventListener('message', onMessage);
  port.start?.();
  port.postMessage({ type: 'ready', did: device.did }, []);
  return {
    device,
    stop() {
      clearTimeout(timer);
      port.removeEventListener('message', onMessage);
    },
  };
}

function isReset(data: unknown): data is SimulatorReset {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'reset';
}
