/**
 * The slices of Web Bluetooth and Web Serial that Outpost uses. TypeScript's DOM library does not
 * ship these (they are not on every browser), so they are declared here, narrowly, and every use
 * checks that the API exists first.
 */

export interface BluetoothCharacteristicLike extends EventTarget {
  readonly properties: { readonly notify: boolean; readonly write: boolean; readonly read: boolean };
  readonly value?: DataView | null;
  readValue(): Promise<DataView>;
  writeValueWithResponse(value: BufferSource): Promise<void>;
  startNotifications(): Promise<BluetoothCharacteristicLike>;
}

export interface BluetoothServiceLike {
  getCharacteristic(uuid: string): Promise<BluetoothCharacteristicLike>;
}

export interface BluetoothGattLike {
  readonly connected: boolean;
  connect(): Promise<BluetoothGattLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<BluetoothServiceLike>;
}

export interface BluetoothDeviceLike extends EventTarget {
  readonly id: string;
  readonly name?: string;
  readonly gatt?: BluetoothGattLike;
}

export interface BluetoothLike {
  getAvailability?(): Promise<boolean>;
  requestDevice(options: { filters: Array<{ services?: string[]; namePrefix?: string }>; optionalServices?: string[] }): Promise<BluetoothDeviceLike>;
  getDevices?(): Promise<BluetoothDeviceLike[]>;
}

export interface SerialPortLike {
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  open(options: { baudRate: number; dataBits?: number; stopBits?: number; parity?: 'none' | 'even' | 'odd'; bufferSize?: number }): Promise<void>;
  close(): Promise<void>;
  getInfo?(): { usbVendorId?: number; usbProductId?: number };
}

export interface SerialLike {
  requestPort(options?: { filters?: Array<{ usbVendorId?: number; usbProductId?: number }> }): Promise<SerialPortLike>;
  getPorts?(): Promise<SerialPortLike[]>;
}

type NavigatorWithDevices = Navigator & { bluetooth?: BluetoothLike; serial?: SerialLike };

export function bluetoothApi(): BluetoothLike | null {
  return typeof navigator !== 'undefined' ? ((navigator as NavigatorWithDevices).bluetooth ?? null) : null;
}

export function serialApi(): SerialLike | null {
  return typeof navigator !== 'undefined' ? ((navigator as NavigatorWithDevices).serial ?? null) : null;
}
