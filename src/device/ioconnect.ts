import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, isHex, type Address, type Hex } from 'viem';
import { runCritical } from '../core/criticalFlows.js';
import { AuthenticityError, DeviceRejectedError, DeviceTimeoutError } from './errors.js';
import { addressFromDid, addressFromPublicKey, challengeDigest, normaliseSignature, randomNonce, type RecoveredSignature } from './identity.js';
import type { DeviceLink } from './link.js';
import { DEVICE_ERROR, LIMITS } from './protocol/constants.js';

export type IoConnectIdentity = {
  did: string;
  address: Address;
  publicKey: Hex;
  projectName: string;
  /** Whether the device's own signature over sha256(did ‖ puk) checks out. */
  didSignatureValid: boolean;
};

/**
 * A device that speaks only ioConnect's serial registration commands (`getdid`, `getdiddoc`,
 * `{"hex":…}`). It answers with one JSON line; anything else on the port is log output and is
 * skipped. It returns r‖s without v and without low-s normalisation: the host fixes both.
 */
export class IoConnectClient {
  private text = '';
  readonly log: string[] = [];
  private identityCache: IoConnectIdentity | null = null;

  constructor(readonly link: DeviceLink) {}

  get identity(): IoConnectIdentity | null {
    return this.identityCache;
  }

  /** Sends one command and returns the first JSON object line that has one of `keys`. */
  async command(text: string, keys: string[], timeoutMs: number = LIMITS.requestTimeoutMs): Promise<Record<string, unknown>> {
    // A leading newline ends whatever partial input the board holds (e.g. a probe in another protocol).
    await this.link.write(new TextEncoder().encode(`\n${text}\n`));
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DeviceTimeoutError('device.ioconnect_timeout', `The device did not answer "${text.slice(0, 20)}" within ${Math.round(timeoutMs / 1000)} s.`, {
        hint: 'Put the board in ioConnect registration mode (it stops logging), then try again.',
      })),
      timeoutMs,
    );
    try {
      for (;;) {
        let newline = this.text.indexOf('\n');
        while (newline >= 0) {
          const line = this.text.slice(0, newline).trim();
          this.text = this.text.slice(newline + 1);
          const parsed = parseJsonLine(line);
          if (parsed && keys.some((key) => key in parsed)) return parsed;
          if (line) this.log.push(line.slice(0, 200));
          newline = this.text.indexOf('\n');
        }
        const bytes = await this.link.read(controller.signal);
        this.text += new TextDecoder().decode(bytes);
        if (this.text.length > 64 * 1024) this.text = this.text.slice(-4096); // a chatty log must not grow memory
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async getDid(timeoutMs?: number): Promise<IoConnectIdentity> {
    const answer = await this.command('getdid', ['did'], timeoutMs);
    const did = String(answer.did ?? '');
    const puk = String(answer.puk ?? '');
    if (!isHex(puk) || hexToBytes(puk).length !== 65) {
      throw new AuthenticityError('device.ioconnect_puk', 'The device sent a public key that is not a 65-byte secp256k1 key.');
    }
    const address = addressFromPublicKey(hexToBytes(puk));
    if (addressFromDid(did) !== address) {
      throw new AuthenticityError('device.identity_did_mismatch', `The device's did ${did} does not belong to its public key (${address}).`, { hint: 'Do not pair this device.' });
    }
    let didSignatureValid = false;
    const signature = String(answer.signature ?? '').replace(/^0x/, '');
    if (/^[0-9a-fA-F]{128}$/.test(signature)) {
      didSignatureValid = secp256k1.verify(hexToBytes(`0x${signature}`), sha256(new TextEncoder().encode(did + puk)), hexToBytes(puk), { prehash: false, lowS: false });
    }
    this.identityCache = { did, address, publicKey: puk, projectName: String(answer.project_name ?? ''), didSignatureValid };
    return this.identityCache;
  }

  async getDidDoc(): Promise<Record<string, unknown>> {
    const answer = await this.command('getdiddoc', ['diddoc']);
    return answer.diddoc as Record<string, unknown>;
  }

  /** Signs a 32-byte digest as given; the host normalises s and finds v against the device's address. */
  async signDigest(digest: Hex): Promise<RecoveredSignature> {
    return runCritical('pairing a device', async () => {
      const identity = this.identityCache ?? (await this.getDid());
      if (!isHex(digest) || hexToBytes(digest).length !== 32) throw new AuthenticityError('device.ioconnect_digest', 'Only a 32-byte digest can be signed.');
      const answer = await this.command(JSON.stringify({ hex: digest }), ['sign', 'Sign'], LIMITS.signTimeoutMs);
      const sign = answer.sign;
      if (typeof sign !== 'string' || !isHex(sign)) {
        throw new DeviceRejectedError(DEVICE_ERROR.refused, 'device.ioconnect_sign_failed', 'The device could not sign.', {
          details: typeof answer.Sign === 'string' ? answer.Sign : JSON.stringify(answer).slice(0, 120),
          hint: 'Restart the board in registration mode and try again.',
        });
      }
      return normaliseSignature(digest, hexToBytes(sign), identity.address);
    });
  }

  /** ioConnect has no challenge command, but its sign command proves key possession the same way. */
  async verifyAuthenticity(nonce: Uint8Array = randomNonce()): Promise<{ did: string; address: Address; signature: RecoveredSignature }> {
    const identity = this.identityCache ?? (await this.getDid());
    const signature = await this.signDigest(challengeDigest(nonce));
    return { did: identity.did, address: identity.address, signature };
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}

function parseJsonLine(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

