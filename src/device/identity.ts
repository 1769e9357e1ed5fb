import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, concat, getAddress, hexToBytes, isAddress, keccak256, stringToHex, toBytes, type Address, type Hex } from 'viem';
import { AuthenticityError } from './errors.js';
import { CHALLENGE_PREFIX } from './protocol/constants.js';

/**
 * Device identity: the secp256k1 key a device holds, its Ethereum-style address and its
 * `did:io:0x…` (lowercase address, as ioConnect writes it), and the signature checks the host
 * runs. Recovery is synchronous (noble) so verification needs no network or async import.
 */

const CURVE_N = secp256k1.Point.CURVE().n;
const HALF_N = CURVE_N >> 1n;

export function addressFromPublicKey(publicKey: Uint8Array): Address {
  let point;
  try {
    point = secp256k1.Point.fromBytes(publicKey);
  } catch (error) {
    throw new AuthenticityError('device.identity_public_key', 'The device sent a public key that is not a valid secp256k1 point.', { cause: error });
  }
  const uncompressed = point.toBytes(false);
  return getAddress(`0x${keccak256(uncompressed.subarray(1)).slice(-40)}`);
}

export function didFromAddress(address: Address): string {
  return `did:io:${address.toLowerCase()}`;
}

export function addressFromDid(did: string): Address {
  const match = /^did:io:(0x[0-9a-fA-F]{40})$/.exec(did);
  if (!match || !isAddress(match[1]!, { strict: false })) {
    throw new AuthenticityError('device.identity_did', `"${did.slice(0, 80)}" is not a did:io identifier.`, {
      hint: 'A device DID looks like did:io:0x followed by 40 hex digits.',
    });
  }
  return getAddress(match[1]!);
}

/** What the device signs for an authenticity challenge: keccak256("outpost:challenge:v1:" ‖ nonce). */
export function challengeDigest(nonce: Uint8Array): Hex {
  if (nonce.length !== 32) throw new AuthenticityError('device.challenge_nonce', `A challenge nonce must be 32 bytes, not ${nonce.length}.`);
  return keccak256(concat([stringToHex(CHALLENGE_PREFIX), bytesToHex(nonce)]));
}

export function randomNonce(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

export type RecoveredSignature = { r: Hex; s: Hex; yParity: 0 | 1; v: 27 | 28; serialized: Hex; signer: Address };

/** The address that produced `r‖s` with recovery bit `yParity` over `digest`, or null if none. */
function recover(digest: Uint8Array, rs: Uint8Array, yParity: number): Address | null {
  try {
    const point = secp256k1.Signature.fromBytes(rs, 'compact').addRecoveryBit(yParity).recoverPublicKey(digest);
    return addressFromPublicKey(point.toBytes(false));
  } catch {
    return null;
  }
}

/**
 * Turns a device's raw `r‖s` (ioConnect sends no `v`, and may send a high s) into a low-s
 * signature with the recovery id that recovers `expected`. Throws AuthenticityError when neither
 * recovery id gives the expected signer.
 */
export function normaliseSignature(digest: Hex, rs: Uint8Array, expected: Address): RecoveredSignature {
  if (rs.length !== 64) throw new AuthenticityError('device.signature_length', `A signature must be 64 bytes (r‖s); the device sent ${rs.length}.`);
  const r = BigInt(bytesToHex(rs.subarray(0, 32)));
  let s = BigInt(bytesToHex(rs.subarray(32)));
  if (r === 0n || r >= CURVE_N || s === 0n || s >= CURVE_N) {
    throw new AuthenticityError('device.signature_range', 'The device sent a signature whose r or s is out of range.');
  }
  if (s > HALF_N) s = CURVE_N - s;
  const low = concat([toBytes(r, { size: 32 }), toBytes(s, { size: 32 })]);
  const digestBytes = hexToBytes(digest);
  for (const yParity of [0, 1] as const) {
    const signer = recover(digestBytes, low, yParity);
    if (signer && signer === getAddress(expected)) {
      const rHex = bytesToHex(low.subarray(0, 32));
      const sHex = bytesToHex(low.subarray(32));
      const v = (27 + yParity) as 27 | 28;
      return { r: rHex, s: sHex, yParity, v, serialized: concat([rHex, sHex, v === 27 ? '0x1b' : '0x1c']), signer };
    }
  }
  throw new AuthenticityError('device.signature_mismatch', `The signature does not come from the device's key ${expected}.`, {
    hint: 'The device may be a counterfeit, or it signed something else. Do not pair it.',
  });
}

/** Checks a 65-byte protocol signature (r‖s‖yParity) over `digest` is from `expected`; returns it normalised. */
export function verifyDeviceSignature(digest: Hex, signature: Uint8Array, expected: Address): RecoveredSignature {
  if (signature.length !== 65) throw new AuthenticityError('device.signature_length', `A signature must be 65 bytes; the device sent ${signature.length}.`);
  const result = normaliseSignature(digest, signature.subarray(0, 64), expected);
  // A device speaking our protocol must already send low-s and the right parity.
  if (result.yParity !== signature[64] || bytesToHex(signature.subarray(32, 64)) !== result.s) {
    throw new AuthenticityError('device.signature_non_canonical', 'The device sent a non-canonical signature (high s or wrong recovery bit).', {
      hint: 'Update the device firmware; protocol v1 devices send low-s signatures with their recovery bit.',
    });
  }
  return result;
}

/** Device side: a low-s signature over a 32-byte digest, as r‖s‖yParity. */
export function signDigestBytes(secretKey: Uint8Array, digest: Uint8Array): Uint8Array {
  const recovered = secp256k1.sign(digest, secretKey, { prehash: false, format: 'recovered' });
  const out = new Uint8Array(65);
  out.set(recovered.subarray(1), 0);
  out[64] = recovered[0]!;
  return out;
}

export function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(secretKey, false);
}
