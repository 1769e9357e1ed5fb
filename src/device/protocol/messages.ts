import type { Reading } from '../../core/readings.js';
import { MessageFormatError } from '../errors.js';
import { ByteReader, ByteWriter } from './bytes.js';
import { LIMITS, WIFI_STATE, type WifiStateCode } from './constants.js';

/**
 * Payload layouts of protocol v1 (docs/protocol.md § Messages). Each message has an encode used
 * by the sender and a decode used by the receiver; app, simulator and tests share them.
 */

/** A secp256k1 signature as bytes: r (32) ‖ s (32) ‖ yParity (1, 0 or 1). */
export type SignatureBytes = Uint8Array;
const SIGNATURE_SIZE = 65;
const PUBLIC_KEY_SIZE = 65;

export type DeviceInfo = {
  protocolVersion: number;
  capabilities: number;
  /** Largest chunk the device accepts per BLE write (ATT_MTU − 3); serial ignores it. */
  maxChunk: number;
  /** Uncompressed secp256k1 public key (0x04 ‖ X ‖ Y). */
  publicKey: Uint8Array;
  model: string;
  firmware: string;
  did: string;
};

export function encodeInfo(info: DeviceInfo): Uint8Array {
  return new ByteWriter()
    .u8(info.protocolVersion)
    .u32(info.capabilities)
    .u16(info.maxChunk)
    .bytes(info.publicKey)
    .str8(info.model, 'model')
    .str8(info.firmware, 'firmware')
    .str8(info.did, 'did')
    .finish();
}

export function decodeInfo(payload: Uint8Array): DeviceInfo {
  const r = new ByteReader(payload, 'device info');
  const info: DeviceInfo = {
    protocolVersion: r.u8('protocol version'),
    capabilities: r.u32('capabilities'),
    maxChunk: r.u16('max chunk'),
    publicKey: r.bytes(PUBLIC_KEY_SIZE, 'public key'),
    model: r.str8('model'),
    firmware: r.str8('firmware'),
    did: r.str8('did'),
  };
  r.end();
  return info;
}

/** 32 bytes: the challenge nonce or the digest to sign. */
export function encodeBytes32(value: Uint8Array): Uint8Array {
  if (value.length !== 32) throw new MessageFormatError('device.message_bytes32', `Expected 32 bytes, got ${value.length}.`);
  return value.slice();
}

export function decodeBytes32(payload: Uint8Array, message: string): Uint8Array {
  const r = new ByteReader(payload, message);
  const value = r.bytes(32, 'value');
  r.end();
  return value;
}

export function decodeSignature(payload: Uint8Array, message: string): SignatureBytes {
  const r = new ByteReader(payload, message);
  const sig = r.bytes(SIGNATURE_SIZE, 'signature');
  r.end();
  if (sig[64]! > 1) throw new MessageFormatError('device.message_parity', `The device's ${message} signature has recovery byte ${sig[64]} (expected 0 or 1).`);
  return sig;
}

export type WifiStatus = { state: WifiStateCode; error: number; ssid: string; url: string };

export function encodeWifiStatus(status: WifiStatus): Uint8Array {
  return new ByteWriter().u8(status.state).u8(status.error).str8(status.ssid, 'ssid').str8(status.url, 'url').finish();
}

export function decodeWifiStatus(payload: Uint8Array): WifiStatus {
  const r = new ByteReader(payload, 'Wi-Fi status');
  const state = r.u8('state');
  if (!Object.values(WIFI_STATE).includes(state as WifiStateCode)) {
    throw new MessageFormatError('device.message_wifi_state', `The device reported an unknown Wi-Fi state ${state}.`);
  }
  const status: WifiStatus = { state: state as WifiStateCode, error: r.u8('error'), ssid: r.str8('ssid'), url: r.str8('url') };
  r.end();
  return status;
}

export type WifiCredentials = { ssid: string; password: string };

export function encodeWifiSet({ ssid, password }: WifiCredentials): Uint8Array {
  const ssidBytes = new TextEncoder().encode(ssid).length;
  const passwordBytes = new TextEncoder().encode(password).length;
  if (ssidBytes === 0 || ssidBytes > LIMITS.maxSsid) {
    throw new MessageFormatError('device.wifi_ssid', `A Wi-Fi network name must be 1 to ${LIMITS.maxSsid} bytes; this one is ${ssidBytes}.`);
  }
  if (passwordBytes > LIMITS.maxPassword) {
    throw new MessageFormatError('device.wifi_password', `A Wi-Fi password must be at most ${LIMITS.maxPassword} bytes; this one is ${passwordBytes}.`);
  }
  return new ByteWriter().str8(ssid, 'ssid').str8(password, 'password').finish();
}

export function decodeWifiSet(payload: Uint8Array): WifiCredentials {
  const r = new ByteReader(payload, 'Wi-Fi settings');
  const value = { ssid: r.str8('ssid'), password: r.str8('password') };
  r.end();
  return value;
}

export type ReadingsStatus = { firstSeq: number; nextSeq: number; schemes: number[] };

export function encodeReadingsStatus(status: ReadingsStatus): Uint8Array {
  const w = new ByteWriter().u32(status.firstSeq).u32(status.nextSeq).u8(status.schemes.length);
  for (const scheme of status.schemes) w.u8(scheme);
  return w.finish();
}

export function decodeReadingsStatus(payload: Uint8Array): ReadingsStatus {
  const r = new ByteReader(payload, 'readings status');
  const firstSeq = r.u32('first seq');
  const nextSeq = r.u32('next seq');
  const count = r.u8('scheme count');
  const schemes = [...r.bytes(count, 'schemes')];
  r.end();
  return { firstSeq, nextSeq, schemes };
}

export type PullRequest = { fromSeq: number; maxCount: number; scheme: number };

export function encodePullRequest(req: PullRequest): Uint8Array {
  if (!Number.isInteger(req.maxCount) || req.maxCount < 1 || req.maxCount > LIMITS.maxReadingsPerPull) {
    throw new MessageFormatError('device.readings_count', `Pull between 1 and ${LIMITS.maxReadingsPerPull} readings at a time, not ${req.maxCount}.`);
  }
  return new ByteWriter().u32(req.fromSeq).u8(req.maxCount).u8(req.scheme).finish();
}

export function decodePullRequest(payload: Uint8Array): PullRequest {
  const r = new ByteReader(payload, 'readings pull');
  const value = { fromSeq: r.u32('from seq'), maxCount: r.u8('max count'), scheme: r.u8('scheme') };
  r.end();
  return value;
}

/** One pulled batch: consecutive readings from `fromSeq`, and (scheme ≠ 0) the device's signed commitment. */
export type ReadingsBatch = {
  scheme: number;
  fromSeq: number;
  /** The device's next sequence number: readings [fromSeq + count, nextSeq) remain to pull. */
  nextSeq: number;
  readings: Reading[];
  commitment: Uint8Array | null;
  signature: SignatureBytes | null;
};

function writeReading(w: ByteWriter, reading: Reading): void {
  w.u32(reading.seq).u32(reading.timestamp).i16(reading.temperature).u16(reading.humidity).u8(reading.flags);
}

export function encodeReadingsBatch(batch: ReadingsBatch): Uint8Array {
  const w = new ByteWriter().u8(batch.scheme).u32(batch.fromSeq).u32(batch.nextSeq).u8(batch.readings.length);
  for (const reading of batch.readings) writeReading(w, reading);
  if (batch.scheme !== 0) {
    if (!batch.commitment || !batch.signature) throw new MessageFormatError('device.readings_unsigned', 'A signed readings scheme needs a commitment and signature.');
    w.bytes(batch.commitment).bytes(batch.signature);
  }
  return w.finish();
}

export function decodeReadingsBatch(payload: Uint8Array): ReadingsBatch {
  const r = new ByteReader(payload, 'readings batch');
  const scheme = r.u8('scheme');
  const fromSeq = r.u32('from seq');
  const nextSeq = r.u32('next seq');
  const count = r.u8('count');
  if (count > LIMITS.maxReadingsPerPull) {
    throw new MessageFormatError('device.readings_too_many', `The device sent ${count} readings in one batch; the limit is ${LIMITS.maxReadingsPerPull}.`);
  }
  const readings: Reading[] = [];
  for (let i = 0; i < count; i++) {
    const reading: Reading = { seq: r.u32('seq'), timestamp: r.u32('timestamp'), temperature: r.i16('temperature'), humidity: r.u16('humidity'), flags: r.u8('flags') };
    if (reading.seq !== fromSeq + i) {
      throw new MessageFormatError('device.readings_order', `Reading ${i} of the batch has seq ${reading.seq}; expected ${fromSeq + i}.`, {
        hint: 'The device skipped or repeated a reading inside one batch; pull again.',
      });
    }
    readings.push(reading);
  }
  const signed = scheme !== 0;
  const commitment = signed ? r.bytes(32, 'commitment') : null;
  const signature = signed ? r.bytes(SIGNATURE_SIZE, 'signature') : null;
  r.end();
  return { scheme, fromSeq, nextSeq, readings, commitment, signature };
}

export function encodeU8(value: number): Uint8Array {
  return new ByteWriter().u8(value).finish();
}

export function encodeU32(value: number): Uint8Array {
  return new ByteWriter().u32(value).finish();
}

export function decodeU8(payload: Uint8Array, message: string): number {
  const r = new ByteReader(payload, message);
  const value = r.u8('value');
  r.end();
  return value;
}

export function decodeU32(payload: Uint8Array, message: string): number {
  const r = new ByteReader(payload, message);
  const value = r.u32('value');
  r.end();
  return value;
}

export function decodeEmpty(payload: Uint8Array, message: string): void {
  new ByteReader(payload, message).end();
}

export type DeviceErrorPayload = { code: number; message: string };

export function encodeError(error: DeviceErrorPayload): Uint8Array {
  return new ByteWriter().u16(error.code).str8(error.message.slice(0, 200), 'message').finish();
}

export function decodeError(payload: Uint8Array): DeviceErrorPayload {
  const r = new ByteReader(payload, 'error');
  const value = { code: r.u16('code'), message: r.str8('message') };
  r.end();
  return value;
}
