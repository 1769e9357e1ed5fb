/** What deviceApiBundle() exposes as window.outpostDevice (types for page.evaluate). */
export { detectDevice } from '../../../src/device/connect.js';
export { WebSerialLink } from '../../../src/device/transports/webSerial.js';
export { WebBluetoothLink } from '../../../src/device/transports/webBluetooth.js';
