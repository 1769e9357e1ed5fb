/** What deviceApiBundle() exposes as window.outpostDevice (types for page.evaluate). */
export { detectDevice } from '../../../src/browser/device/connect.js';
export { WebSerialLink } from '../../../src/browser/device/webSerial.js';
export { WebBluetoothLink } from '../../../src/browser/device/webBluetooth.js';
