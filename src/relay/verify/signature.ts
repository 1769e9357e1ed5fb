/**
 * The device-signature rule of BatchInbox.recoverDevice (OpenZeppelin ECDSA.tryRecover behind the
 * ecrecover precompile), on @noble/curves. The relay must accept exactly the signatures the chain
 * accepts: anything it takes and the chain refuses is an anchored leaf anyone can `challenge` as
 * BadSignature, which slashes the module's restakers. viem's recoverAddress is not that rule (it
 * takes high-s signatures, which OpenZeppelin refuses as malleable), so it is not used here.
 *
 * The rule, in the order the contract applies it:
 *   - exactly 65 bytes: r (32) ‖ s (32) ‖ v (1);
 *   - v 0/1 is read as 27/28 (devices send 0/1); after that only 27 or 28 is valid;
 *   - s ≤ n/2 (OpenZeppelin's low-s rule; 0 < s also, from the precompile);
 *   - 0 < r < n and 0 < s < n (the precompile refuses anything else);
 *   - the recovered key exists (r must be the x of a curve point) and its address is not zero.
 *
 * The rule is checked here, in TypeScript, before any curve arithmetic. The recovery itself runs on
 * libsecp256k1 (Bitcoin Core's library, through the prebuilt binding of the npm package
 * `secp256k1`) where it loads, about 20× faster than @noble/curves (bench/results/verify.md), and
 * on @noble/curves otherwise. tests/unit/relay/signature.test.ts checks that the two recover the
 * same key, or both none, on generated and mutated signatures.
 */
import { createRequire } from 'node:module';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { getAddress, hexToBytes, keccak256, type Address, type Hex } from 'viem';

const N = secp256k1.Point.CURVE().n;
const HALF_N = N >> 1n;
const ZERO_ADDRESS = '0x0000000000000000000000000000000000000000';

export type RecoveredSigner = { ok: true; address: Address } | { ok: false; reason: string };

/** The address BatchInbox.recoverDevice would return for this digest and signature, or why it returns zero. */
export function recoverBatchSigner(digest: Hex, signature: Hex): RecoveredSigner {
  if (!/^0x[0-9a-fA-F]*$/.test(signature) || signature.length % 2 !== 0) return { ok: false, reason: 'the signature is not hex bytes' };
  const bytes = hexToBytes(signature);
  if (bytes.length !== 65) return { ok: false, reason: `the signature is ${bytes.length} bytes, not 65 (r ‖ s ‖ v)` };
  const hash = hexToBytes(digest);
  if (hash.length !== 32) return { ok: false, reason: 'the digest is not 32 bytes' };
  let v = bytes[64]!;
  if (v < 27) v += 27;
  if (v !== 27 && v !== 28) return { ok: false, reason: `v is ${bytes[64]}; only 0, 1, 27 or 28 are valid` };
  const r = BigInt(`0x${signature.slice(2, 66)}`);
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  if (s > HALF_N) return { ok: false, reason: 's is in the upper half of the curve order (a malleable high-s signature); OpenZeppelin ECDSA refuses it' };
  if (r === 0n || r >= N) return { ok: false, reason: 'r is zero or not below the curve order' };
  if (s === 0n) return { ok: false, reason: 's is zero' };
  let uncompressed: Uint8Array;
  try {
    // r < n is the point's x coordinate itself: ecrecover only knows recovery ids 0 and 1.
    uncompressed = recoverPublicKey(bytes.subarray(0, 64), (v - 27) as 0 | 1, hash);
  } catch (error) {
    return { ok: false, reason: `no public key recovers from it (${error instanceof Error ? error.message : String(error)})` };
  }
  const address = getAddress(`0x${keccak256(uncompressed.subarray(1)).slice(-40)}`);
  if (address === ZERO_ADDRESS) return { ok: false, reason: 'it recovers to the zero address' };
  return { ok: true, address };
}

/** Recovers the uncompressed (65-byte) public key from r ‖ s and a recovery id; throws when none does. */
type PublicKeyRecovery = (rs: Uint8Array, recovery: 0 | 1, digest: Uint8Array) => Uint8Array;

export const recoverWithNoble: PublicKeyRecovery = (rs, recovery, digest) =>
  secp256k1.Signature.fromBytes(rs, 'compact').addRecoveryBit(recovery).recoverPublicKey(digest).toBytes(false);

/**
 * libsecp256k1's ecdsaRecover, or null where the native binding does not load (another platform,
 * a build without it). Its own JS fallback (elliptic) is never used: noble is the fallback here.
 */
export const recoverWithNative: PublicKeyRecovery | null = (() => {
  try {
    const native = createRequire(import.meta.url)('secp256k1/bindings') as { ecdsaRecover(sig: Uint8Array, recid: number, msg: Uint8Array, compressed: boolean): Uint8Array };
    return (rs: Uint8Array, recovery: 0 | 1, digest: Uint8Array) => native.ecdsaRecover(rs, recovery, digest, false);
  } catch {
    return null;
  }
})();

/** Which implementation recovers keys in this process. */
export const RECOVERY_BACKEND = recoverWithNative ? 'libsecp256k1' : '@noble/curves';

const recoverPublicKey: PublicKeyRecovery = recoverWithNative ?? recoverWithNoble;
