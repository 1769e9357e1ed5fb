import { describe, expect, it } from 'vitest';
import { bluetoothConnectError, bluetoothRequestError, connectCancelled, serialOpenError, serialRequestError } from '../../../src/device/browserErrors.js';
import { BrowserSupportError, LinkError } from '../../../src/device/errors.js';

/** What Chromium throws, by name and message (copied from what Chromium 14x says; tests/e2e/device-connect.e2e.ts checks the live ones). */
const thrown = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('Web Bluetooth requestDevice errors', () => {
  it('tells a missing adapter, a missing Low Energy radio, a policy and a denied scan apart from a closed chooser', () => {
    const cases: Array<[string, string]> = [
      ['Bluetooth adapter not available.', 'device.ble_no_adapter'],
      ['Bluetooth Low Energy not available.', 'device.ble_no_le'],
      ['Web Bluetooth API globally disabled.', 'device.ble_disabled'],
      ['User or their enterprise policy has disabled Web Bluetooth.', 'device.ble_disabled'],
      ['User denied the browser permission to scan for Bluetooth devices.', 'device.ble_permission'],
      ['User cancelled the requestDevice() chooser.', 'device.ble_cancelled'],
    ];
    for (const [message, code] of cases) {
      const error = bluetoothRequestError(thrown('NotFoundError', message));
      expect(error, message).toBeInstanceOf(BrowserSupportError);
      expect(error.code, message).toBe(code);
      expect(error.details, message).toBe(message);
      expect(error.hint, message).toBeTruthy();
    }
  });

  it('says "no Bluetooth adapter", not "no device was chosen", when there is none', () => {
    const error = bluetoothRequestError(thrown('NotFoundError', 'Bluetooth adapter not available.'));
    expect(error.shortMessage).toBe('This phone or computer has no Bluetooth adapter the browser can use.');
    expect(error.hint).toContain('USB cable');
  });

  it('names a refused permission (no user gesture, cross-origin frame) as such', () => {
    for (const name of ['SecurityError', 'NotAllowedError']) {
      const error = bluetoothRequestError(thrown(name, 'Must be handling a user gesture to show a permission request.'));
      expect(error.code).toBe('device.ble_not_allowed');
      expect(error.hint).toContain('Press Connect again');
    }
  });

  it('keeps anything else as a generic Bluetooth failure with its cause', () => {
    const cause = thrown('NotSupportedError', 'Bluetooth is not supported on this platform.');
    const error = bluetoothRequestError(cause);
    expect(error.code).toBe('device.ble_request');
    expect(error.cause).toBe(cause);
    expect(bluetoothRequestError('weird').details).toBe('weird');
  });
});

describe('Web Bluetooth GATT connect errors', () => {
  it('words a NetworkError as the device not taking the connection, with out-of-range advice', () => {
    const error = bluetoothConnectError(thrown('NetworkError', 'Bluetooth Device is no longer in range.'));
    expect(error).toBeInstanceOf(LinkError);
    expect(error.code).toBe('device.ble_connect');
    expect(error.shortMessage).toBe('The device did not take the Bluetooth connection.');
    expect(error.hint).toContain('out of range');
  });

  it('keeps other failures generic', () => {
    const error = bluetoothConnectError(new Error('connecting and discovering the service took over 10 s (stuck connecting)'));
    expect(error.shortMessage).toBe('Could not connect to the device over Bluetooth.');
    expect(error.details).toContain('stuck connecting');
  });
});

describe('Web Serial errors', () => {
  it('tells a closed port chooser from a page that may not use serial ports', () => {
    expect(serialRequestError(thrown('NotFoundError', 'No port selected by the user.')).code).toBe('device.serial_cancelled');
    expect(serialRequestError(thrown('SecurityError', 'Access to the feature "serial" is disallowed by permissions policy.')).code).toBe('device.serial_not_allowed');
  });

  it('names a port held by another program when opening fails with NetworkError or InvalidStateError', () => {
    for (const name of ['NetworkError', 'InvalidStateError']) {
      const error = serialOpenError(thrown(name, 'Failed to open serial port.'));
      expect(error.code).toBe('device.serial_open');
      expect(error.shortMessage).toBe('The serial port is in use by another program or tab.');
    }
    expect(serialOpenError(new TypeError('baudRate is required')).shortMessage).toBe('Could not open the serial port.');
  });
});

describe('a cancelled connection', () => {
  it('has its own code, so the screen can show a note instead of an error', () => {
    const error = connectCancelled();
    expect(error.code).toBe('device.connect_cancelled');
    expect(error.shortMessage).toBe('Connecting was cancelled.');
  });
});
