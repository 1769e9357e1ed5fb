import { BrowserSupportError, LinkError } from './errors.js';

/**
 * What Web Bluetooth and Web Serial throw, turned into errors that name the real problem. The
 * browsers say most of it through a DOMException's `name` and `message`: a NotFoundError is a
 * closed chooser, but also "Bluetooth adapter not available" (Chromium's words). Only `name` and
 * `message` are read, so this stays pure and the unit tests can feed it plain objects.
 */
type Thrown = { name: string; message: string };

function thrown(error: unknown): Thrown {
  if (typeof error === 'object' && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return { name: typeof name === 'string' ? name : '', message: typeof message === 'string' ? message : String(error) };
  }
  return { name: '', message: String(error) };
}

const USE_CABLE = 'Connect with a USB cable instead, or use a phone or computer whose Bluetooth works.';

/** The user pressed Cancel on our "Connecting…" button: not a failure, the UI shows it as a note. */
export function connectCancelled(): BrowserSupportError {
  return new BrowserSupportError('device.connect_cancelled', 'Connecting was cancelled.', { hint: 'Nothing was changed on the device. Connect again when it is ready.' });
}

/** `navigator.bluetooth.requestDevice` failed: no adapter, no Low Energy, switched off by policy, no permission, or the chooser closed. */
export function bluetoothRequestError(error: unknown): BrowserSupportError {
  const { name, message } = thrown(error);
  const options = { details: message, cause: error };
  if (name === 'NotFoundError' && /adapter/i.test(message)) {
    return new BrowserSupportError('device.ble_no_adapter', 'This phone or computer has no Bluetooth adapter the browser can use.', { ...options, hint: `Plug in or switch on a Bluetooth adapter. ${USE_CABLE}` });
  }
  if (name === 'NotFoundError' && /low energy/i.test(message)) {
    return new BrowserSupportError('device.ble_no_le', 'This Bluetooth adapter does not support Bluetooth Low Energy, which the device uses.', { ...options, hint: USE_CABLE });
  }
  if (name === 'NotFoundError' && /disabled|policy/i.test(message)) {
    return new BrowserSupportError('device.ble_disabled', 'Web Bluetooth is switched off in this browser, by its settings or by an administrator.', { ...options, hint: `Turn it on in the browser's settings if you may. ${USE_CABLE}` });
  }
  if (name === 'NotFoundError' && /permission|denied/i.test(message)) {
    return new BrowserSupportError('device.ble_permission', 'The browser is not allowed to look for Bluetooth devices.', {
      ...options,
      hint: 'Allow Bluetooth (on Android: "Nearby devices" or location) for the browser in the system settings, then try again.',
    });
  }
  if (name === 'NotFoundError') {
    return new BrowserSupportError('device.ble_cancelled', 'No device was chosen.', {
      ...options,
      hint: 'Put the device in pairing mode, keep it close, and choose it in the list. If the list said Bluetooth is off, turn it on first.',
    });
  }
  if (name === 'SecurityError' || name === 'NotAllowedError') {
    return new BrowserSupportError('device.ble_not_allowed', 'The browser did not let this page use Bluetooth.', {
      ...options,
      hint: 'Press Connect again (the browser asks only right after a tap), and open Outpost in its own tab over https, not inside another site.',
    });
  }
  return new BrowserSupportError('device.ble_request', 'Bluetooth could not look for devices.', { ...options, hint: 'Turn Bluetooth on and allow this site to use it.' });
}

/** Connecting to the chosen device's GATT server failed; a NetworkError is the radio, not the app. */
export function bluetoothConnectError(error: unknown): LinkError {
  const { name, message } = thrown(error);
  const unreachable = name === 'NetworkError';
  return new LinkError('device.ble_connect', unreachable ? 'The device did not take the Bluetooth connection.' : 'Could not connect to the device over Bluetooth.', {
    details: message,
    hint: unreachable
      ? 'It may be out of range, switched off, or connected to another phone or computer: bring it close, disconnect it there, and try again.'
      : 'Keep the device close and powered, then try again.',
    cause: error,
  });
}

/** `navigator.serial.requestPort` failed: the chooser closed, or the page may not use serial ports. */
export function serialRequestError(error: unknown): BrowserSupportError {
  const { name, message } = thrown(error);
  if (name === 'SecurityError' || name === 'NotAllowedError') {
    return new BrowserSupportError('device.serial_not_allowed', 'The browser did not let this page use USB serial ports.', {
      details: message,
      hint: 'Press Connect again (the browser asks only right after a tap), and open Outpost in its own tab over https, not inside another site.',
      cause: error,
    });
  }
  return new BrowserSupportError('device.serial_cancelled', 'No serial port was chosen.', {
    details: message,
    hint: 'Plug the device in with a data cable (some cables only charge) and choose its port in the list.',
    cause: error,
  });
}

/** Opening the chosen port failed; Chromium says NetworkError when another program holds it. */
export function serialOpenError(error: unknown): LinkError {
  const { name, message } = thrown(error);
  const busy = name === 'NetworkError' || name === 'InvalidStateError';
  return new LinkError('device.serial_open', busy ? 'The serial port is in use by another program or tab.' : 'Could not open the serial port.', {
    details: message,
    hint: 'Close other programs using the port (serial monitors, flashing tools) and other Outpost tabs, replug the device and try again.',
    cause: error,
  });
}
