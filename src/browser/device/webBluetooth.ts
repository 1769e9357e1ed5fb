import { bluetoothConnectError, bluetoothRequestError } from '../../device/browserErrors.js';
import { LinkError } from '../../device/errors.js';
import { newLinkStats, type DeviceLink, type LinkStats } from '../../device/link.js';
import { BLE_UUIDS, LIMITS } from '../../device/protocol/constants.js';
import type { BluetoothCharacteristicLike, BluetoothDeviceLike, BluetoothLike } from './webApis.js';

/** One GATT read or write normally takes milliseconds; this long means the link is gone. */
const GATT_OP_TIMEOUT_MS = 4_000;
/**
 * Connecting and discovering take longer than one operation, but a connect that never settles
 * (seen with Chromium's emulated peripherals right after a drop, and with real radios at the edge
 * of range) must end in an error the reconnect loop can retry, not in a pull that waits forever.
 */
const GATT_OPEN_TIMEOUT_MS = 10_000;

function lostError(details?: string): LinkError {
  return new LinkError('device.link_lost', 'The Bluetooth connection to the device was lost.', { hint: 'Keep the device close; Outpost reconnects by itself.', details });
}

/**
 * Our GATT service as a device link. Requests are written to `rx` in chunks; answers are read
 * from `tx` chunk by chunk (an empty read means "not ready yet", so we poll with a short
 * backoff). Notifications on `tx`, when the device offers them, only wake the poller early: the
 * protocol never depends on them. Every GATT operation goes through one queue, because
 * Chromium rejects overlapping operations ("GATT operation already in progress").
 */
export class WebBluetoothLink implements DeviceLink {
  readonly kind = 'ble' as const;
  readonly stats: LinkStats = newLinkStats();
  private chunkSize: number = LIMITS.defaultChunk;
  private rx: BluetoothCharacteristicLike | null = null;
  private tx: BluetoothCharacteristicLike | null = null;
  private ops: Promise<unknown> = Promise.resolve();
  private doorbell: (() => void) | null = null;
  private connected = false;
  /** Set by close(): a probe still retrying after a cancel must not reconnect behind the user's back. */
  private released = false;
  /** Rejects the GATT operation in flight: after a drop, Chromium may never settle it. */
  private abortOp: ((error: LinkError) => void) | null = null;
  private readonly onDisconnected = () => {
    this.connected = false;
    this.doorbell?.();
    this.abortOp?.(lostError());
  };

  private constructor(
    readonly device: BluetoothDeviceLike,
    private readonly bluetooth: BluetoothLike,
  ) {
    device.addEventListener('gattserverdisconnected', this.onDisconnected);
  }

  /**
   * Shows the browser's device chooser, filtered to Outpost devices, and connects. Aborting
   * `signal` while connecting lets go of the device (a pending GATT connect then rejects).
   */
  static async request(bluetooth: BluetoothLike, signal?: AbortSignal): Promise<WebBluetoothLink> {
    let device: BluetoothDeviceLike;
    try {
      device = await bluetooth.requestDevice({ filters: [{ services: [BLE_UUIDS.service] }] });
    } catch (error) {
      throw bluetoothRequestError(error);
    }
    const link = new WebBluetoothLink(device, bluetooth);
    signal?.throwIfAborted();
    signal?.addEventListener('abort', () => void link.close(), { once: true });
    await link.open();
    return link;
  }

  get chunk(): number {
    return this.chunkSize;
  }

  setChunkSize(size: number): void {
    this.chunkSize = Math.max(LIMITS.defaultChunk, Math.min(size, LIMITS.maxChunk));
  }

  private gattOp<T>(work: () => Promise<T>): Promise<T> {
    const run = this.ops.then(async () => {
      if (!this.connected) throw lostError();
      this.stats.operations++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const abandoned = new Promise<never>((_, reject) => {
        this.abortOp = reject;
        timer = setTimeout(() => reject(lostError('A Bluetooth operation did not finish in time.')), GATT_OP_TIMEOUT_MS);
      });
      try {
        return await Promise.race([work(), abandoned]);
      } catch (error) {
        if (error instanceof LinkError) {
          // A hung operation means the link is gone; start the reconnect from a clean state.
          this.connected = false;
          this.device.gatt?.disconnect();
        }
        if (error instanceof LinkError) throw error;
        this.connected = this.device.gatt?.connected ?? false;
        throw new LinkError('device.link_lost', 'A Bluetooth operation failed.', { details: error instanceof Error ? error.message : String(error), cause: error });
      } finally {
        clearTimeout(timer);
        this.abortOp = null;
      }
    });
    this.ops = run.catch(() => undefined);
    return run;
  }

  /** Connects and (re)discovers the service and characteristics: after any reconnect they are new objects. */
  private async open(): Promise<void> {
    const gatt = this.device.gatt;
    if (!gatt) throw new LinkError('device.ble_no_gatt', 'This Bluetooth device has no GATT server.');
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Which step a stuck attempt was on: the error says so, for users' bug reports and for us.
    let step = 'connecting';
    try {
      const discover = async () => {
        const server = await gatt.connect();
        step = 'finding the Outpost service';
        const service = await server.getPrimaryService(BLE_UUIDS.service);
        step = 'finding its characteristics';
        return [await service.getCharacteristic(BLE_UUIDS.rx), await service.getCharacteristic(BLE_UUIDS.tx)] as const;
      };
      const hung = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Abandon the stuck attempt (a pending connect rejects) so the next one starts clean.
          gatt.disconnect();
          reject(new Error(`connecting and discovering the service took over ${GATT_OPEN_TIMEOUT_MS / 1000} s (stuck ${step})`));
        }, GATT_OPEN_TIMEOUT_MS);
      });
      [this.rx, this.tx] = await Promise.race([discover(), hung]);
    } catch (error) {
      throw bluetoothConnectError(error);
    } finally {
      clearTimeout(timer);
    }
    this.connected = true;
    if (this.tx.properties.notify) {
      try {
        await this.tx.startNotifications();
        this.tx.addEventListener('characteristicvaluechanged', () => this.doorbell?.());
      } catch {
        // Optional: without notifications we poll.
      }
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    for (let offset = 0; offset < bytes.length; offset += this.chunkSize) {
      const chunk = bytes.slice(offset, offset + this.chunkSize);
      await this.gattOp(() => this.rx!.writeValueWithResponse(chunk));
      this.stats.bytesWritten += chunk.length;
    }
  }

  async read(signal: AbortSignal): Promise<Uint8Array> {
    let backoff = 0;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const view = await this.gattOp(() => this.tx!.readValue());
      if (view.byteLength > 0) {
        this.stats.bytesRead += view.byteLength;
        return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
      }
      backoff = Math.min(32, backoff === 0 ? 2 : backoff * 2);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, backoff);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        this.doorbell = done;
        signal.addEventListener('abort', done, { once: true });
      });
      this.doorbell = null;
    }
  }

  /** Reconnects to the same device without the chooser; falls back to getDevices() for a remembered one. */
  async reconnect(): Promise<void> {
    let lastError: unknown = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.released) throw new LinkError('device.link_closed', 'This Bluetooth connection was closed.', { hint: 'Connect the device again.' });
      try {
        await this.open();
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      }
    }
    throw lastError instanceof LinkError ? lastError : new LinkError('device.ble_reconnect', 'Could not reconnect to the device.', { cause: lastError });
  }

  /** A device this site was allowed to use before (Chromium's getDevices), for reconnect after a reload. */
  static async remembered(bluetooth: BluetoothLike, id: string): Promise<WebBluetoothLink | null> {
    const devices = (await bluetooth.getDevices?.()) ?? [];
    const device = devices.find((d) => d.id === id);
    if (!device) return null;
    const link = new WebBluetoothLink(device, bluetooth);
    await link.open();
    return link;
  }

  /** Lets go of the device for good: a later reconnect() fails with device.link_closed. */
  async close(): Promise<void> {
    this.released = true;
    this.device.removeEventListener('gattserverdisconnected', this.onDisconnected);
    this.connected = false;
    this.device.gatt?.disconnect();
    // An operation in flight would otherwise wait out its timeout (a cancelled connect's probe).
    this.abortOp?.(lostError());
  }

  get bluetoothApi(): BluetoothLike {
    return this.bluetooth;
  }
}
