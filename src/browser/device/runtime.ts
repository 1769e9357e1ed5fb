/**
 * The device code the Devices screen needs once the user connects: transports, protocol, the
 * device's signature checks (noble curves) and the readings commitment (Poseidon's constants).
 * It loads on "Connect", not with the first screen, which only needs to know which APIs exist
 * (webApis.ts). The service worker precaches it, so connecting offline works too.
 */
export { connectBluetooth, connectSerial, missingFeatures } from './connect.js';
// The devnet's simulated devices; their worker loads only when one connects.
export { connectSimulated, createSimulatedDevice, listSimulatedDevices, forgetSimulatedDevice } from './simulated/simulatedDevices.js';
export { readingsFingerprint, sequenceProblems } from '../../device/fingerprint.js';
export { findProvableBatch } from '../anchoring/provableBatch.js';
export { describeWifi } from '../../device/wifi.js';
