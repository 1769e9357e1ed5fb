import { BLE_UUIDS } from '../../device/protocol/constants.js';
import { SimGattPeripheral } from '../../device/simulator/endpoint.js';
import type { SimDevice } from '../../device/simulator/model.js';

/**
 * A CDP event handler. Each event has its own params type, and playwright's CDPSession types its
 * listener's payload as `any` for names outside its protocol table (BluetoothEmulation is one), so
 * only `any` lets both CDPSession and these typed handlers fit.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: playwright's listener payload is any
type CdpEventHandler = (params: any) => void;

/** The part of a CDP session the bridge needs (playwright's CDPSession fits). */
export interface CdpSessionLike {
  send(method: string, params?: Record<string, unknown>): Promise<unknown>;
  on(event: string, handler: CdpEventHandler): unknown;
  off?(event: string, handler: CdpEventHandler): unknown;
}

export type BleBridgeOptions = { address?: string; name?: string; chunkSize?: number };

/** How long a requested drop waits for the page's next read before it drops regardless. */
const DROP_WAIT_MS = 250;

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

/**
 * Puts a SimDevice behind Chromium's Bluetooth emulation: a preconnected peripheral with our
 * GATT service, whose characteristic reads and writes (CDP events) are answered by the same
 * device model the TCP and serial transports use. Needs a browser-level CDP session (the
 * BluetoothEmulation domain does not exist on page sessions); see shared/notes/toolchain.md.
 */
export class BleCdpBridge {
  readonly peripheral: SimGattPeripheral;
  readonly address: string;
  readonly name: string;
  private serviceId = '';
  private readonly rxIds = new Set<string>();
  private readonly txIds = new Set<string>();
  private readonly handlers: Array<[string, CdpEventHandler]> = [];
  /** GATT connections the page opened (the first plus every reconnect). */
  connections = 0;
  /** A drop waiting for the page's next read (see disconnect). */
  private drop: { now: () => void; done: Promise<void> } | null = null;

  private constructor(
    private readonly cdp: CdpSessionLike,
    readonly device: SimDevice,
    options: BleBridgeOptions,
  ) {
    this.address = options.address ?? '09:09:09:09:09:01';
    this.name = options.name ?? device.name;
    this.peripheral = new SimGattPeripheral(device, () => void this.disconnect(), options.chunkSize ?? device.maxChunk);
  }

  static async attach(cdp: CdpSessionLike, device: SimDevice, options: BleBridgeOptions = {}): Promise<BleCdpBridge> {
    const bridge = new BleCdpBridge(cdp, device, options);
    await bridge.setUp();
    return bridge;
  }

  /** Enables emulation on this session; call once per browser session before attaching devices. */
  static async enable(cdp: CdpSessionLike): Promise<void> {
    await cdp.send('BluetoothEmulation.enable', { state: 'powered-on', leSupported: true });
  }

  private listen(event: string, handler: CdpEventHandler): void {
    this.handlers.push([event, handler]);
    this.cdp.on(event, handler);
  }

  private async setUp(): Promise<void> {
    await this.cdp.send('BluetoothEmulation.simulatePreconnectedPeripheral', {
      address: this.address,
      name: this.name,
      manufacturerData: [],
      knownServiceUuids: [BLE_UUIDS.service],
    });
    await this.addGattDatabase();

    this.listen('BluetoothEmulation.gattOperationReceived', (params: { address: string; type: string }) => {
      if (params.address !== this.address) return;
      void (async () => {
        if (params.type === 'connection') {
          this.connections++;
          this.peripheral.disconnected(); // a new connection starts with empty buffers
          // Chromium's emulation forgets a peripheral's services when its link drops, so
          // every reconnection gets the GATT database again (as a device rebooting would).
          if (this.connections > 1) await this.addGattDatabase().catch(() => undefined);
        }
        await this.cdp.send('BluetoothEmulation.simulateGATTOperationResponse', { address: this.address, type: params.type, code: 0 }).catch(() => undefined);
      })();
    });
    this.listen('BluetoothEmulation.characteristicOperationReceived', (params: { characteristicId: string; type: string; data?: string }) => {
      const id = params.characteristicId;
      if (this.rxIds.has(id) && params.type === 'write') {
        // Acknowledge first: a fault in handling the write may drop the link, as a radio would.
        void this.cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: id, type: 'write', code: 0 }).catch(() => undefined);
        this.peripheral.write(fromBase64(params.data ?? ''));
      } else if (this.txIds.has(id) && params.type === 'read') {
        if (this.drop) {
          // Answer this read (nothing to read: the answer was cut) and drop in the same breath, so
          // the page's next operation cannot be in flight when the link goes.
          void this.cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: id, type: 'read', code: 0, data: '' }).catch(() => undefined);
          this.drop.now();
          return;
        }
        const data = this.peripheral.read();
        void this.cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: id, type: 'read', code: 0, data: toBase64(data) }).catch(() => undefined);
      } else if (this.rxIds.has(id) || this.txIds.has(id)) {
        // Operations our service does not offer: ATT "Request Not Supported".
        void this.cdp.send('BluetoothEmulation.simulateCharacteristicOperationResponse', { characteristicId: params.characteristicId, type: params.type, code: 0x06 }).catch(() => undefined);
      }
    });
  }

  /** Our service with its write (rx) and read (tx) characteristics; replaces an earlier copy. */
  private async addGattDatabase(): Promise<void> {
    if (this.serviceId) await this.cdp.send('BluetoothEmulation.removeService', { serviceId: this.serviceId }).catch(() => undefined);
    const { serviceId } = (await this.cdp.send('BluetoothEmulation.addService', { address: this.address, serviceUuid: BLE_UUIDS.service })) as { serviceId: string };
    this.serviceId = serviceId;
    const add = async (uuid: string, properties: Record<string, boolean>) =>
      ((await this.cdp.send('BluetoothEmulation.addCharacteristic', { serviceId, characteristicUuid: uuid, properties })) as { characteristicId: string }).characteristicId;
    this.rxIds.add(await add(BLE_UUIDS.rx, { write: true }));
    this.txIds.add(await add(BLE_UUIDS.tx, { read: true }));
  }

  /**
   * Drops the link the way a device walking out of range would. Chromium's emulation wedges (no
   * later connect ever reaches the peripheral) if a characteristic operation is still pending when
   * the link drops, and the page polls the answer characteristic every few milliseconds. So the
   * drop waits for the page's next read, answers it, and disconnects right behind that answer;
   * if no read comes soon, it drops anyway.
   */
  disconnect(): Promise<void> {
    this.peripheral.disconnected();
    if (this.drop) return this.drop.done;
    let now!: () => void;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => now(), DROP_WAIT_MS);
      now = () => {
        clearTimeout(timer);
        this.drop = null;
        void this.cdp.send('BluetoothEmulation.simulateGATTDisconnection', { address: this.address }).then(() => resolve(), () => resolve());
      };
    });
    this.drop = { now, done };
    return done;
  }

  detach(): void {
    for (const [event, handler] of this.handlers) this.cdp.off?.(event, handler);
    this.handlers.length = 0;
  }
}
