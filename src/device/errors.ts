import { OutpostError, type OutpostErrorCode, type OutpostErrorOptions } from '../core/errors.js';

/**
 * Errors from talking to a device. Each subclass names one layer (framing, link, session,
 * device answer, ioConnect, browser support) so the UI can say which part failed instead of one
 * blanket "device not found".
 */
export class DeviceError extends OutpostError {
  override name = 'DeviceError';
}

/** A frame on the wire was malformed (bad header, CRC, length). The decoder skips it and resyncs. */
export class FrameError extends DeviceError {
  override name = 'FrameError';
}

/** A message payload did not match its declared type's layout. */
export class MessageFormatError extends DeviceError {
  override name = 'MessageFormatError';
}

/** The link to the device dropped or could not be opened. Safe requests are retried after reconnect. */
export class LinkError extends DeviceError {
  override name = 'LinkError';
}

/** The device did not answer in time. */
export class DeviceTimeoutError extends DeviceError {
  override name = 'DeviceTimeoutError';
}

/** The device answered with a protocol error code (see DEVICE_ERROR in protocol/constants.ts). */
export class DeviceRejectedError extends DeviceError {
  override name = 'DeviceRejectedError';
  readonly deviceCode: number;
  constructor(deviceCode: number, code: OutpostErrorCode, shortMessage: string, options: OutpostErrorOptions = {}) {
    super(code, shortMessage, options);
    this.deviceCode = deviceCode;
  }
}

/** A signature or identity the device gave does not check out. */
export class AuthenticityError extends DeviceError {
  override name = 'AuthenticityError';
}

/** The device does not offer what was asked (an ioConnect device has no readings sync, …). */
export class UnsupportedFeatureError extends DeviceError {
  override name = 'UnsupportedFeatureError';
}

/** This browser has no Web Bluetooth / Web Serial, or the user closed the chooser. */
export class BrowserSupportError extends DeviceError {
  override name = 'BrowserSupportError';
}
