/**
 * The slices of Web Bluetooth and Web Serial that Outpost uses, narrowed with `Pick<>` from
 * @types/web-bluetooth and @types/w3c-web-serial (the browser tsconfig loads both), so a fake
 * needs only these members. Not every browser has these APIs, so every use checks first.
 */

export type BluetoothCharacteristicLike = Pick<
  BluetoothRemoteGATTCharacteristic,
  'properties' | 'value' | 'readValue' | 'writeValueWithResponse' | 'startNotifications' | 'addEventListener' | 'removeEventListener' | 'dispatchEvent'
>;

export type BluetoothDeviceLike = Pick<BluetoothDevice, 'id' | 'name' | 'gatt' | 'addEventListener' | 'removeEventListener' | 'dispatchEvent'>;

/** `getAvailability` and `getDevices` are missing in some browsers that have `requestDevice`. */
export type BluetoothLike = Pick<Bluetooth, 'requestDevice'> & Partial<Pick<Bluetooth, 'getAvailability' | 'getDevices'>>;

export type SerialPortLike = Pick<SerialPort, 'readable' | 'writable' | 'open' | 'close'> & Partial<Pick<SerialPort, 'getInfo'>>;

export type SerialLike = Pick<Serial, 'requestPort'> & Partial<Pick<Serial, 'getPorts'>>;

/** The typings declare `navigator.bluetooth` and `navigator.serial` always present; they are not. */
type NavigatorWithDevices = Partial<Pick<Navigator, 'bluetooth' | 'serial'>>;

export function bluetoothApi(): BluetoothLike | null {
  return typeof navigator !== 'undefined' ? ((navigator as NavigatorWithDevices).bluetooth ?? null) : null;
}

export function serialApi(): SerialLike | null {
  return typeof navigator !== 'undefined' ? ((navigator as NavigatorWithDevices).serial ?? null) : null;
}

/** Which device APIs this browser has; cheap, so the first screen can say it before any device code loads. */
export function browserSupport(): { bluetooth: boolean; serial: boolean } {
  return { bluetooth: bluetoothApi() !== null, serial: serialApi() !== null };
}
