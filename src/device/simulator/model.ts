import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes, isHex } from 'viem';
import type { Reading } from '../../core/readings.js';
import { MessageFormatError } from '../errors.js';
import { addressFromPublicKey, challengeDigest, didFromAddress, publicKeyOf, signDigestBytes } from '../identity.js';
import {
  CAP,
  COMMITMENT_SCHEME,
  DEVICE_ERROR,
  FACTORY_RESET_CONFIRM,
  LIMITS,
  MSG,
  MSG_ERROR,
  PROTOCOL_VERSION,
  RESPONSE_BIT,
  WIFI_ERROR,
  WIFI_STATE,
  type WifiStateCode,
} from '../protocol/constants.js';
import type { Frame } from '../protocol/frame.js';
import {
  decodeBytes32,
  decodePullRequest,
  decodeU32,
  decodeU8,
  decodeWifiSet,
  encodeError,
  encodeInfo,
  encodeReadingsBatch,
  encodeReadingsStatus,
  encodeWifiStatus,
  type WifiStatus,
} from '../protocol/messages.js';
import { batchSigningDigest, COMMITMENT_SCHEMES, commitmentBytes, type CommitmentScheme } from '../readingsScheme.js';
import { SensorModel, seedFromText } from './readingsGen.js';

export type SimMode = 'outpost' | 'ioconnect';

/** Faults the simulator can inject; the endpoint applies the link-level ones. */
export type SimFaults = {
  /** Answer sign and challenge requests with "refused" (ioConnect: "Failed to Signature"). */
  refuseSign: boolean;
  /** Delay every answer by this many ms. */
  slowMs: number;
  /** Drop the link half-way through the next N responses. */
  dropMidMessage: number;
  /** Flip a byte in the next N responses. */
  corruptNext: number;
  /** A counterfeit: claims its did but signs challenges with another key. */
  counterfeit: boolean;
};

export type SimDeviceOptions = {
  name: string;
  secretKey: Uint8Array;
  mode?: SimMode;
  /** Seeds the sensor's readings (default: the name). The in-page simulator seeds with the address, so two devices given the same name still differ. */
  sensorSeed?: string;
  model?: string;
  firmware?: string;
  /** Largest BLE chunk the simulated radio accepts (ATT_MTU − 3). */
  maxChunk?: number;
  /** Readings already stored at start, one every `intervalSec` ending now. */
  initialReadings?: number;
  intervalSec?: number;
  /** Wi-Fi networks in range: name → password. */
  wifiNetworks?: Record<string, string>;
  /** Improv-style: Wi-Fi changes need a button press first. */
  requireAuthorization?: boolean;
  wifiConnectMs?: number;
  /** Injected so a new commitment scheme plugs in without changing the model. */
  schemes?: Readonly<Record<number, CommitmentScheme>>;
  now?: () => number;
  faults?: Partial<SimFaults>;
  log?: (line: string) => void;
};

/**
 * The simulated device: identity, sensor, readings store, Wi-Fi state machine and the message
 * handlers. It knows nothing about transports; every transport (TCP, Web-Serial-shaped streams,
 * Chromium's BLE emulation) wraps the same model in a SimEndpoint.
 */
export class SimDevice {
  readonly name: string;
  readonly mode: SimMode;
  readonly model: string;
  readonly firmware: string;
  readonly maxChunk: number;
  readonly publicKey: Uint8Array;
  readonly did: string;
  readonly faults: SimFaults;
  readonly readings: Reading[] = [];
  private readonly secretKey: Uint8Array;
  private readonly sensor: SensorModel;
  private readonly schemes: Readonly<Record<number, CommitmentScheme>>;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly intervalSec: number;
  private nextSeq = 0;
  private wifi: WifiStatus;
  private authorizedUntil = 0;
  private readonly wifiNetworks: Record<string, string>;
  private readonly requireAuthorization: boolean;
  private readonly wifiConnectMs: number;
  identifyUntil = 0;
  /** The last challenge answered, so tests can check the signature independently. */
  lastChallenge: { nonce: Uint8Array; signature: Uint8Array } | null = null;

  constructor(options: SimDeviceOptions) {
    this.name = options.name;
    this.mode = options.mode ?? 'outpost';
    this.model = options.model ?? 'Outpost SimSensor TH-1';
    this.firmware = options.firmware ?? '1.0.0-sim';
    this.maxChunk = options.maxChunk ?? LIMITS.defaultChunk;
    this.secretKey = options.secretKey;
    this.publicKey = publicKeyOf(options.secretKey);
    this.did = didFromAddress(addressFromPublicKey(this.publicKey));
    this.sensor = new SensorModel(seedFromText(options.sensorSeed ?? options.name));
    this.schemes = options.schemes ?? COMMITMENT_SCHEMES;
    this.now = options.now ?? (() => Date.now());
    this.log = options.log ?? (() => undefined);
    this.intervalSec = options.intervalSec ?? 60;
    this.faults = { refuseSign: false, slowMs: 0, dropMidMessage: 0, corruptNext: 0, counterfeit: false, ...options.faults };
    this.wifiNetworks = options.wifiNetworks ?? { 'Outpost-Lab': 'correct horse battery' };
    this.requireAuthorization = options.requireAuthorization ?? false;
    this.wifiConnectMs = options.wifiConnectMs ?? 1_500;
    this.wifi = { state: this.requireAuthorization ? WIFI_STATE.authorizationRequired : WIFI_STATE.authorized, error: WIFI_ERROR.none, ssid: '', url: '' };
    const count = options.initialReadings ?? 0;
    const start = Math.floor(this.now() / 1000) - count * this.intervalSec;
    for (let i = 0; i < count; i++) this.record(start + i * this.intervalSec);
  }

  get capabilities(): number {
    return CAP.challenge | CAP.signDigest | CAP.wifi | CAP.readings | CAP.identify | CAP.factoryReset;
  }

  /** Takes one sensor reading (the CLI calls this on a timer). */
  record(timestamp = Math.floor(this.now() / 1000)): Reading {
    const reading = this.sensor.read(this.nextSeq++, timestamp);
    this.readings.push(reading);
    // Bounded storage, like flash: the oldest readings go first.
    if (this.readings.length > 100_000) this.readings.shift();
    return reading;
  }

  /** The physical button: authorizes Wi-Fi changes for one minute (Improv). */
  pressButton(): void {
    this.authorizedUntil = this.now() + 60_000;
    if (this.wifi.state === WIFI_STATE.authorizationRequired) this.wifi = { ...this.wifi, state: WIFI_STATE.authorized };
  }

  private authorized(): boolean {
    return !this.requireAuthorization || this.now() < this.authorizedUntil;
  }

  private setWifiState(state: WifiStateCode, error: number, ssid = this.wifi.ssid, url = this.wifi.url): void {
    this.wifi = { state, error, ssid, url };
  }

  private sign(digest: Uint8Array): Uint8Array {
    return signDigestBytes(this.secretKey, digest);
  }

  /** Answers one request frame with one response frame (never throws). */
  handleFrame(frame: Frame): Frame {
    try {
      return { type: frame.type | RESPONSE_BIT, id: frame.id, payload: this.answer(frame.type, frame.payload) };
    } catch (error) {
      const code = error instanceof SimRefusal ? error.deviceCode : error instanceof MessageFormatError ? DEVICE_ERROR.badPayload : DEVICE_ERROR.internal;
      const message = error instanceof Error ? error.message : String(error);
      if (code === DEVICE_ERROR.internal) this.log(`internal error: ${message}`);
      return { type: MSG_ERROR, id: frame.id, payload: encodeError({ code, message }) };
    }
  }

  private answer(type: number, payload: Uint8Array): Uint8Array {
    switch (type) {
      case MSG.info:
        return encodeInfo({
          protocolVersion: PROTOCOL_VERSION,
          capabilities: this.capabilities,
          maxChunk: this.maxChunk,
          publicKey: this.publicKey,
          model: this.model,
          firmware: this.firmware,
          did: this.did,
        });
      case MSG.challenge: {
        const nonce = decodeBytes32(payload, 'challenge');
        if (this.faults.refuseSign) throw new SimRefusal(DEVICE_ERROR.refused, 'signing refused');
        const digest = hexToBytes(challengeDigest(nonce));
        const signature = this.faults.counterfeit ? signDigestBytes(sha256(this.secretKey), digest) : this.sign(digest);
        this.lastChallenge = { nonce, signature };
        return signature;
      }
      case MSG.signDigest: {
        const digest = decodeBytes32(payload, 'sign');
        if (this.faults.refuseSign) throw new SimRefusal(DEVICE_ERROR.refused, 'signing refused');
        this.log(`signed digest ${bytesToHex(digest)}`);
        return this.sign(digest);
      }
      case MSG.wifiState:
        this.progressWifi();
        return encodeWifiStatus(this.wifi);
      case MSG.wifiSet:
        return encodeWifiStatus(this.startWifi(decodeWifiSet(payload)));
      case MSG.readingsStatus:
        return encodeReadingsStatus({ firstSeq: this.readings[0]?.seq ?? this.nextSeq, nextSeq: this.nextSeq, schemes: [COMMITMENT_SCHEME.none, ...Object.keys(this.schemes).map(Number)] });
      case MSG.readingsPull:
        return this.pull(payload);
      case MSG.identify: {
        const seconds = decodeU8(payload, 'identify');
        this.identifyUntil = this.now() + seconds * 1000;
        this.log(`identify: blinking for ${seconds} s`);
        return new Uint8Array();
      }
      case MSG.factoryReset: {
        if (decodeU32(payload, 'factory reset') !== FACTORY_RESET_CONFIRM) throw new SimRefusal(DEVICE_ERROR.badPayload, 'missing reset confirmation');
        this.readings.length = 0;
        this.setWifiState(this.requireAuthorization ? WIFI_STATE.authorizationRequired : WIFI_STATE.authorized, WIFI_ERROR.none, '', '');
        this.log('factory reset: readings and Wi-Fi erased (identity key kept, as in secure-element devices)');
        return new Uint8Array();
      }
      default:
        throw new SimRefusal(DEVICE_ERROR.unknownType, `unknown message type ${type}`);
    }
  }

  private pull(payload: Uint8Array): Uint8Array {
    const request = decodePullRequest(payload);
    if (request.maxCount < 1 || request.maxCount > LIMITS.maxReadingsPerPull) throw new SimRefusal(DEVICE_ERROR.tooLarge, 'max count out of range');
    const scheme = request.scheme === COMMITMENT_SCHEME.none ? null : this.schemes[request.scheme];
    if (request.scheme !== COMMITMENT_SCHEME.none && !scheme) throw new SimRefusal(DEVICE_ERROR.unsupportedScheme, `scheme ${request.scheme}`);
    const first = this.readings[0]?.seq ?? this.nextSeq;
    if (request.fromSeq > this.nextSeq) throw new SimRefusal(DEVICE_ERROR.cursorOutOfRange, `cursor ${request.fromSeq} is past ${this.nextSeq}`);
    const fromSeq = Math.max(request.fromSeq, first);
    const start = fromSeq - first;
    const readings = this.readings.slice(start, start + request.maxCount);
    if (!scheme) return encodeReadingsBatch({ scheme: 0, fromSeq, nextSeq: this.nextSeq, readings, commitment: null, signature: null });
    if (this.faults.refuseSign) throw new SimRefusal(DEVICE_ERROR.refused, 'signing refused');
    const commitment = scheme.commit(readings);
    return encodeReadingsBatch({
      scheme: request.scheme,
      fromSeq,
      nextSeq: this.nextSeq,
      readings,
      commitment: commitmentBytes(commitment),
      signature: this.sign(hexToBytes(batchSigningDigest(commitment))),
    });
  }

  private startWifi({ ssid, password }: { ssid: string; password: string }): WifiStatus {
    if (!this.authorized()) {
      this.setWifiState(WIFI_STATE.authorizationRequired, WIFI_ERROR.notAuthorized);
      return this.wifi;
    }
    const ok = this.wifiNetworks[ssid] === password;
    this.setWifiState(WIFI_STATE.provisioning, WIFI_ERROR.none, ssid, '');
    this.wifiAttempt = { done: this.now() + this.wifiConnectMs, ok };
    this.log(`wifi: joining "${ssid}"`);
    return this.wifi;
  }

  private wifiAttempt: { done: number; ok: boolean } | null = null;

  private progressWifi(): void {
    if (!this.wifiAttempt || this.now() < this.wifiAttempt.done) return;
    if (this.wifiAttempt.ok) this.setWifiState(WIFI_STATE.provisioned, WIFI_ERROR.none, this.wifi.ssid, `http://${this.name}.local/`);
    else this.setWifiState(WIFI_STATE.authorized, WIFI_ERROR.unableToConnect, this.wifi.ssid, '');
    this.wifiAttempt = null;
  }

  /**
   * ioConnect's serial registration mode: `getdid`, `getdiddoc`, `{"hex":"0x…"}`. Like real
   * boards it signs the digest as given and does not normalise s to the low half.
   */
  handleIoConnectCommand(command: string): string | null {
    const text = command.trim();
    const puk = bytesToHex(this.publicKey);
    const ioSign = (digest: Uint8Array) => bytesToHex(secp256k1.sign(digest, this.secretKey, { prehash: false, lowS: false })).slice(2);
    if (text.startsWith('getdiddoc')) {
      const diddoc = {
        '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security#keyAgreementMethod'],
        id: this.did,
        authentication: [`${this.did}#Key-secp256k1-1`],
        verificationMethod: [{ id: `${this.did}#Key-secp256k1-1`, type: 'JsonWebKey2020', controller: this.did, publicKeyHex: puk }],
      };
      return JSON.stringify({ diddoc, signature: ioSign(sha256(new TextEncoder().encode(JSON.stringify(diddoc)))) });
    }
    if (text.startsWith('getdid')) {
      return JSON.stringify({ did: this.did, puk, project_name: 'outpost-sim', signature: ioSign(sha256(new TextEncoder().encode(this.did + puk))) });
    }
    if (text.startsWith('{')) {
      let hex: unknown;
      try {
        hex = (JSON.parse(text) as { hex?: unknown }).hex;
      } catch {
        return null;
      }
      if (typeof hex !== 'string' || !isHex(hex) || hex.length !== 66 || this.faults.refuseSign) return JSON.stringify({ Sign: 'Failed to Signature' });
      this.log(`ioConnect: signed ${hex}`);
      return JSON.stringify({ sign: `0x${ioSign(hexToBytes(hex))}` });
    }
    return null;
  }
}

class SimRefusal extends Error {
  constructor(
    readonly deviceCode: number,
    message: string,
  ) {
    super(message);
  }
}
