/**
 * Outpost device protocol v1: the numbers a device, the app and the simulator must agree on.
 * docs/protocol.md is the prose version of this file; change both together.
 */

export const PROTOCOL_VERSION = 1;

/** Frame start marker: 0xA5 is not printable, so log lines on a shared serial port rarely fake it. */
export const FRAME_MAGIC = [0xa5, 0x4f] as const;
/** magic(2) version(1) type(1) id(2, LE) length(2, LE) headerCheck(1) */
export const FRAME_HEADER_SIZE = 9;
/** CRC-16/CCITT-FALSE (LE) over version…payload. */
const FRAME_TRAILER_SIZE = 2;
export const FRAME_OVERHEAD = FRAME_HEADER_SIZE + FRAME_TRAILER_SIZE;

export const LIMITS = {
  /** Largest payload of one frame (one message = one frame). */
  maxPayload: 4096,
  /** Largest frame on the wire. */
  maxFrame: 4096 + FRAME_HEADER_SIZE + FRAME_TRAILER_SIZE,
  /** BLE write / read chunk before the device says otherwise (ATT_MTU 23 − 3). */
  defaultChunk: 20,
  /** Largest chunk either side uses (ATT_MTU 515 − 3). */
  maxChunk: 512,
  /** Readings in one pull: the ZK batch size, so one pull = one signed commitment. */
  maxReadingsPerPull: 64,
  /** Wi-Fi SSID and password lengths (bytes, UTF-8), as in Improv/802.11. */
  maxSsid: 32,
  maxPassword: 64,
  /** Host timeouts (ms): ordinary request, signing (may wait for a button), Wi-Fi connect. */
  requestTimeoutMs: 5_000,
  signTimeoutMs: 60_000,
  wifiTimeoutMs: 30_000,
  /** How many times a request that is safe to repeat is sent again after a link loss or timeout. */
  maxRetries: 3,
} as const;

/** Request types (host → device). The response has the same type with the top bit set. */
export const MSG = {
  info: 0x01,
  challenge: 0x02,
  signDigest: 0x03,
  wifiState: 0x04,
  wifiSet: 0x05,
  readingsStatus: 0x06,
  readingsPull: 0x07,
  identify: 0x08,
  factoryReset: 0x09,
} as const;
export const RESPONSE_BIT = 0x80;
/** A device answers any request it cannot serve with this type: code(u16) + message(str8). */
export const MSG_ERROR = 0xff;

/** Requests a host may send again after a link loss without changing the outcome. */
export const SAFE_TO_REPEAT: ReadonlySet<number> = new Set([
  MSG.info,
  MSG.challenge,
  MSG.signDigest, // deterministic (RFC 6979) signature over the same digest
  MSG.wifiState,
  MSG.readingsStatus,
  MSG.readingsPull, // cursor-based: the same cursor gives the same batch
  MSG.identify,
]);

/** Capability bits in the device info. */
export const CAP = {
  challenge: 1 << 0,
  signDigest: 1 << 1,
  wifi: 1 << 2,
  readings: 1 << 3,
  identify: 1 << 4,
  factoryReset: 1 << 5,
  notify: 1 << 6,
} as const;
export type Capability = keyof typeof CAP;

/** Error codes a device returns in an error frame. */
export const DEVICE_ERROR = {
  badFrame: 0x01,
  unknownType: 0x02,
  badPayload: 0x03,
  busy: 0x04,
  refused: 0x05,
  notAuthorized: 0x06,
  unsupportedScheme: 0x07,
  cursorOutOfRange: 0x08,
  wifiFailed: 0x09,
  tooLarge: 0x0a,
  internal: 0x7f,
} as const;

/** Wi-Fi provisioning states, numbered as Improv's. */
export const WIFI_STATE = {
  authorizationRequired: 1,
  authorized: 2,
  provisioning: 3,
  provisioned: 4,
} as const;
export type WifiStateCode = (typeof WIFI_STATE)[keyof typeof WIFI_STATE];

/** Wi-Fi errors, numbered as Improv's. */
export const WIFI_ERROR = {
  none: 0,
  invalidRpc: 1,
  unknownCommand: 2,
  unableToConnect: 3,
  notAuthorized: 4,
  unknown: 0xff,
} as const;

/**
 * Readings commitment schemes a pull can ask for. 0: readings only, no signature. 1: the Poseidon
 * readings commitment of src/core/zk/commitment.ts, signed as batchSigningDigest(commitment).
 * New schemes take new numbers; a device lists the ones it supports in readingsStatus.
 */
export const COMMITMENT_SCHEME = {
  none: 0,
  poseidonV1: 1,
} as const;

/** Our GATT service: write requests to `rx`, read responses from `tx` (notify on `tx` is optional). */
export const BLE_UUIDS = {
  service: '5e7f0001-6f75-7470-6f73-742d64657631',
  rx: '5e7f0002-6f75-7470-6f73-742d64657631',
  tx: '5e7f0003-6f75-7470-6f73-742d64657631',
} as const;

/** Domain prefix of the authenticity challenge digest, so a challenge can never be a Permit. */
export const CHALLENGE_PREFIX = 'outpost:challenge:v1:';

/** Confirmation word a factory reset request must carry ("RSET"), against stray frames. */
export const FACTORY_RESET_CONFIRM = 0x54455352;
