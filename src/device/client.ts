import { bytesToHex, hexToBytes, type Address, type Hex } from 'viem';
import { runCritical } from '../core/criticalFlows.js';
import type { Reading } from '../core/readings.js';
import { AuthenticityError, DeviceError, DeviceTimeoutError, MessageFormatError, UnsupportedFeatureError } from './errors.js';
import { addressFromDid, addressFromPublicKey, challengeDigest, didFromAddress, randomNonce, verifyDeviceSignature, type RecoveredSignature } from './identity.js';
import { CAP, COMMITMENT_SCHEME, FACTORY_RESET_CONFIRM, LIMITS, MSG, PROTOCOL_VERSION, WIFI_STATE, type Capability } from './protocol/constants.js';
import {
  decodeEmpty,
  decodeInfo,
  decodeReadingsBatch,
  decodeReadingsStatus,
  decodeSignature,
  decodeWifiStatus,
  encodeBytes32,
  encodePullRequest,
  encodeU32,
  encodeU8,
  encodeWifiSet,
  type DeviceInfo,
  type ReadingsBatch,
  type ReadingsStatus,
  type WifiCredentials,
  type WifiStatus,
} from './protocol/messages.js';
import { batchSigningDigest, COMMITMENT_SCHEMES, commitmentFromBytes } from './readingsScheme.js';
import type { DeviceSession } from './session.js';

export type VerifiedInfo = DeviceInfo & { address: Address; capabilityNames: Capability[] };

export type AuthenticityResult = { did: string; address: Address; nonce: Hex; signature: RecoveredSignature };

export type VerifiedBatch = ReadingsBatch & { commitmentValue: bigint | null; signer: Address | null };

export type PullProgress = { cursor: number; target: number; pulled: number; batches: number };

export type PullResult = { readings: Reading[]; batches: VerifiedBatch[]; firstSeq: number; nextSeq: number; retries: number };

function capabilityNames(bits: number): Capability[] {
  return (Object.keys(CAP) as Capability[]).filter((name) => (bits & CAP[name]) !== 0);
}

/**
 * A device speaking the Outpost protocol, one method per message. Every answer that carries
 * identity or signatures is checked here against the device's did:io before it is returned.
 */
export class OutpostDeviceClient {
  private infoCache: VerifiedInfo | null = null;

  constructor(readonly session: DeviceSession) {}

  get cachedInfo(): VerifiedInfo | null {
    return this.infoCache;
  }

  async info(): Promise<VerifiedInfo> {
    const info = decodeInfo(await this.session.request(MSG.info, new Uint8Array()));
    if (info.protocolVersion !== PROTOCOL_VERSION) {
      throw new MessageFormatError('device.protocol_version', `The device speaks protocol v${info.protocolVersion}; this app speaks v${PROTOCOL_VERSION}.`, {
        hint: 'Update the app or the device firmware.',
      });
    }
    const address = addressFromPublicKey(info.publicKey);
    if (addressFromDid(info.did) !== address || info.did !== didFromAddress(address)) {
      throw new AuthenticityError('device.identity_did_mismatch', `The device's did ${info.did} does not belong to its public key (${address}).`, {
        hint: 'Do not pair this device: its identity is inconsistent.',
      });
    }
    this.session.link.setChunkSize?.(Math.max(LIMITS.defaultChunk, Math.min(info.maxChunk, LIMITS.maxChunk)));
    this.infoCache = { ...info, address, capabilityNames: capabilityNames(info.capabilities) };
    return this.infoCache;
  }

  private async requireInfo(capability: Capability): Promise<VerifiedInfo> {
    const info = this.infoCache ?? (await this.info());
    if ((info.capabilities & CAP[capability]) === 0) {
      throw new UnsupportedFeatureError('device.unsupported', `This device does not support ${capability}.`, {
        hint: 'Its firmware does not offer it; update the firmware if the maker provides one.',
      });
    }
    return info;
  }

  /** Asks the device to sign a fresh random nonce and checks the signature recovers its did:io. */
  async verifyAuthenticity(nonce: Uint8Array = randomNonce()): Promise<AuthenticityResult> {
    const info = await this.requireInfo('challenge');
    const signature = decodeSignature(await this.session.request(MSG.challenge, encodeBytes32(nonce)), 'challenge');
    const verified = verifyDeviceSignature(challengeDigest(nonce), signature, info.address);
    return { did: info.did, address: info.address, nonce: bytesToHex(nonce), signature: verified };
  }

  /** Has the device sign a 32-byte digest (e.g. an ioID Permit's EIP-712 digest). */
  async signDigest(digest: Hex): Promise<RecoveredSignature> {
    return runCritical('pairing a device', async () => {
      const info = await this.requireInfo('signDigest');
      const bytes = hexToBytes(digest);
      const signature = decodeSignature(await this.session.request(MSG.signDigest, encodeBytes32(bytes), { timeoutMs: LIMITS.signTimeoutMs }), 'sign');
      return verifyDeviceSignature(digest, signature, info.address);
    });
  }

  async wifiStatus(): Promise<WifiStatus> {
    await this.requireInfo('wifi');
    return decodeWifiStatus(await this.session.request(MSG.wifiState, new Uint8Array()));
  }

  /** Sends Wi-Fi credentials, then polls the state until provisioned, failed, or the Wi-Fi timeout. */
  async provisionWifi(credentials: WifiCredentials, pollMs = 250): Promise<WifiStatus> {
    await this.requireInfo('wifi');
    let status = decodeWifiStatus(await this.session.request(MSG.wifiSet, encodeWifiSet(credentials), { retry: false }));
    const deadline = Date.now() + LIMITS.wifiTimeoutMs;
    while (status.state === WIFI_STATE.provisioning && status.error === 0) {
      if (Date.now() > deadline) throw new DeviceTimeoutError('device.wifi_timeout', 'The device did not finish joining Wi-Fi within 30 s.', { hint: 'Check the device is in range of the network.' });
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      status = await this.wifiStatus();
    }
    return status;
  }

  async readingsStatus(): Promise<ReadingsStatus> {
    await this.requireInfo('readings');
    return decodeReadingsStatus(await this.session.request(MSG.readingsStatus, new Uint8Array()));
  }

  /** One batch from `fromSeq`; for a signed scheme the commitment is recomputed and the signature checked. */
  async pullBatch(fromSeq: number, maxCount: number = LIMITS.maxReadingsPerPull, scheme: number = COMMITMENT_SCHEME.poseidonV1): Promise<VerifiedBatch> {
    const info = await this.requireInfo('readings');
    const batch = decodeReadingsBatch(await this.session.request(MSG.readingsPull, encodePullRequest({ fromSeq, maxCount, scheme })));
    if (batch.scheme !== scheme) {
      throw new MessageFormatError('device.readings_scheme', `Asked for commitment scheme ${scheme}; the device answered with ${batch.scheme}.`);
    }
    if (scheme === COMMITMENT_SCHEME.none) return { ...batch, commitmentValue: null, signer: null };
    const definition = COMMITMENT_SCHEMES[scheme];
    if (!definition) throw new UnsupportedFeatureError('device.readings_unknown_scheme', `This app does not know readings commitment scheme ${scheme}.`);
    const expected = definition.commit(batch.readings);
    const sent = commitmentFromBytes(batch.commitment!);
    if (sent !== expected) {
      throw new AuthenticityError('device.readings_commitment', `The device's commitment for readings ${batch.fromSeq}… does not match the readings it sent.`, {
        hint: 'The batch was altered or the device computes another scheme; pull it again.',
      });
    }
    const signature = verifyDeviceSignature(batchSigningDigest(sent), batch.signature!, info.address);
    return { ...batch, commitmentValue: sent, signer: signature.signer };
  }

  /**
   * Pulls every reading from `fromSeq` up to the device's next seq at the start, batch by batch.
   * A dropped link inside a batch is retried by the session (pulls are cursor-based, so safe);
   * each batch must start exactly at the cursor, so a resumed sync has no duplicates or gaps.
   */
  async pullReadings(options: { fromSeq?: number; batchSize?: number; scheme?: number; onProgress?: (progress: PullProgress) => void } = {}): Promise<PullResult> {
    const retriesBefore = this.session.stats.retries;
    const status = await this.readingsStatus();
    let cursor = Math.max(options.fromSeq ?? status.firstSeq, status.firstSeq);
    const target = status.nextSeq;
    const readings: Reading[] = [];
    const batches: VerifiedBatch[] = [];
    while (cursor < target) {
      const batch = await this.pullBatch(cursor, Math.min(options.batchSize ?? LIMITS.maxReadingsPerPull, target - cursor), options.scheme);
      if (batch.fromSeq !== cursor || batch.readings.length === 0) {
        throw new DeviceError('device.readings_gap', `Asked for readings from ${cursor}; the device answered from ${batch.fromSeq} with ${batch.readings.length}.`, {
          hint: 'The device may have deleted older readings; start the sync again.',
        });
      }
      readings.push(...batch.readings);
      batches.push(batch);
      cursor += batch.readings.length;
      options.onProgress?.({ cursor, target, pulled: readings.length, batches: batches.length });
    }
    return { readings, batches, firstSeq: status.firstSeq, nextSeq: target, retries: this.session.stats.retries - retriesBefore };
  }

  async identify(seconds = 5): Promise<void> {
    await this.requireInfo('identify');
    decodeEmpty(await this.session.request(MSG.identify, encodeU8(Math.min(255, Math.max(1, seconds)))), 'identify');
  }

  /** Erases the device's keys' pairing state, Wi-Fi and readings. Never retried automatically. */
  async factoryReset(): Promise<void> {
    await this.requireInfo('factoryReset');
    decodeEmpty(await this.session.request(MSG.factoryReset, encodeU32(FACTORY_RESET_CONFIRM), { retry: false }), 'factory reset');
    this.infoCache = null;
  }
}
