/**
 * The relay's device-signature rule is BatchInbox.recoverDevice's (OpenZeppelin ECDSA): 65 bytes,
 * v 0/1 read as 27/28, only 27/28 valid, 0 < r < n, 0 < s ≤ n/2, a recoverable non-zero address.
 * Expected values come from the signing key (its address), from the constants of SEC 2 and from
 * viem where it is the reference for what plain ecrecover accepts.
 */
import { invert } from '@noble/curves/abstract/modular.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, recoverAddress, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { recoverBatchSigner, recoverWithNative, recoverWithNoble, RECOVERY_BACKEND } from '../../../src/relay/verify/signature.js';
import { seededHex } from '../../support/seed.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const KEY = seededHex('signature rule device key');
const DEVICE = privateKeyToAccount(KEY).address;
const DIGEST = seededHex('signature rule digest');

const parts = (signature: Hex) => ({ r: BigInt(`0x${signature.slice(2, 66)}`), s: BigInt(`0x${signature.slice(66, 130)}`), v: Number.parseInt(signature.slice(130, 132), 16) });
const join = (r: bigint, s: bigint, v: number): Hex => `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${v.toString(16).padStart(2, '0')}` as Hex;
const flip = (v: number) => (v >= 27 ? 55 - v : v ^ 1);

async function sign(key: Hex, digest: Hex): Promise<Hex> {
  return privateKeyToAccount(key).sign({ hash: digest }); // low s, v 27/28
}

describe('recoverBatchSigner (BatchInbox.recoverDevice; recovery on libsecp256k1, or @noble/curves)', () => {
  it('recovers the signer, with v as 27/28 or 0/1', async () => {
    const signature = await sign(KEY, DIGEST);
    const { r, s, v } = parts(signature);
    expect(recoverBatchSigner(DIGEST, signature)).toEqual({ ok: true, address: DEVICE });
    expect(recoverBatchSigner(DIGEST, join(r, s, v - 27))).toEqual({ ok: true, address: DEVICE });
    // The other recovery id is a valid signature of someone else, not a refusal.
    const other = recoverBatchSigner(DIGEST, join(r, s, flip(v)));
    expect(other.ok && other.address !== DEVICE).toBe(true);
  });

  it('refuses the high-s twin that plain ecrecover (and viem) accept', async () => {
    const { r, s, v } = parts(await sign(KEY, DIGEST));
    const twin = join(r, N - s, flip(v));
    expect(await recoverAddress({ hash: DIGEST, signature: twin })).toBe(DEVICE);
    const verdict = recoverBatchSigner(DIGEST, twin);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/high-s/);
    expect(recoverBatchSigner(DIGEST, join(r, N - s, flip(v) - 27)).ok).toBe(false);
  });

  it('takes s = n/2 and refuses s = n/2 + 1 (OpenZeppelin’s bound)', async () => {
    const { r, v } = parts(await sign(KEY, DIGEST));
    expect(recoverBatchSigner(DIGEST, join(r, N >> 1n, v)).ok).toBe(true);
    expect(recoverBatchSigner(DIGEST, join(r, (N >> 1n) + 1n, v)).ok).toBe(false);
  });

  it('refuses v outside 0, 1, 27, 28; r or s zero or ≥ n; any length but 65', async () => {
    const signature = await sign(KEY, DIGEST);
    const { r, s } = parts(signature);
    for (const v of [2, 3, 25, 26, 29, 30, 127, 255]) expect(recoverBatchSigner(DIGEST, join(r, s, v)).ok, `v ${v}`).toBe(false);
    for (const [rr, ss] of [[0n, s], [r, 0n], [N, s], [N + 1n, s], [(1n << 256n) - 1n, s]] as const) expect(recoverBatchSigner(DIGEST, join(rr, ss, 27)).ok).toBe(false);
    expect(recoverBatchSigner(DIGEST, signature.slice(0, 130) as Hex).ok).toBe(false);
    expect(recoverBatchSigner(DIGEST, `${signature}00` as Hex).ok).toBe(false);
    expect(recoverBatchSigner(DIGEST, '0x').ok).toBe(false);
  });

  it('refuses an r that is no point’s x', () => {
    // x = 5: 5³ + 7 = 132 is not a square mod p (so no point has it).
    expect(recoverBatchSigner(DIGEST, join(5n, 1n, 27)).ok).toBe(false);
  });

  it('refuses a signature whose recovery lands on the point at infinity (ecrecover answers 0)', () => {
    const e = BigInt(DIGEST) % N;
    const k = 0x1234567n;
    const R = secp256k1.Point.BASE.multiply(k).toAffine();
    // s = e / k makes s·R = e·G, so r⁻¹(s·R − e·G) is the point at infinity.
    const kInverse = invert(k, N);
    let s = (e * kInverse) % N;
    let parity = Number(R.y & 1n);
    if (s > N >> 1n) {
      s = N - s;
      parity ^= 1;
    }
    expect(recoverBatchSigner(DIGEST, join(R.x, s, 27 + parity)).ok).toBe(false);
  });

  it('agrees with the signing key on random keys and digests, and refuses each high-s twin', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), async (keyBytes, digestBytes) => {
        fc.pre(secp256k1.utils.isValidSecretKey(keyBytes));
        const key = bytesToHex(keyBytes);
        const digest = bytesToHex(digestBytes);
        const signature = await sign(key, digest);
        expect(recoverBatchSigner(digest, signature)).toEqual({ ok: true, address: privateKeyToAccount(key).address });
        const { r, s, v } = parts(signature);
        expect(recoverBatchSigner(digest, join(r, N - s, flip(v))).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('recovers on libsecp256k1 here, and it recovers exactly what @noble/curves does, or fails where noble fails', async () => {
    // The relay's machines (linux x64, glibc or musl) load the prebuilt binding; this one must too,
    // or the agreement below would compare noble with itself.
    expect(RECOVERY_BACKEND).toBe('libsecp256k1');
    const native = recoverWithNative!;
    const outcome = (recover: typeof recoverWithNoble, rs: Uint8Array, recovery: 0 | 1, digest: Uint8Array) => {
      try {
        return bytesToHex(recover(rs, recovery, digest));
      } catch {
        return 'none';
      }
    };
    const bytes32 = (n: bigint) => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));
    let recovered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('as signed', 'r + 1', 's + 1', 'recovery flipped', 'r random', 'digest changed'),
        fc.bigInt({ min: 1n, max: N - 1n }),
        async (keyBytes, digestBytes, mutation, random) => {
          fc.pre(secp256k1.utils.isValidSecretKey(keyBytes));
          const signature = await sign(bytesToHex(keyBytes), bytesToHex(digestBytes));
          const signed = parts(signature);
          let { r, s } = signed;
          let recovery = (signed.v - 27) as 0 | 1;
          let digest = digestBytes;
          if (mutation === 'r + 1') r = (r + 1n) % N || 1n;
          if (mutation === 's + 1') s = (s + 1n) % N || 1n;
          if (mutation === 'recovery flipped') recovery = (recovery ^ 1) as 0 | 1;
          if (mutation === 'r random') r = random;
          if (mutation === 'digest changed') digest = Uint8Array.from(digestBytes, (byte, i) => (i === 0 ? byte ^ 1 : byte));
          const rs = Uint8Array.from([...bytes32(r), ...bytes32(s)]);
          const fromNoble = outcome(recoverWithNoble, rs, recovery, digest);
          expect(outcome(native, rs, recovery, digest), `${mutation}`).toBe(fromNoble);
          if (fromNoble === 'none') refused++;
          else recovered++;
        },
      ),
      { numRuns: 400 },
    );
    // Both kinds of outcome were compared ("r random" lands on no point's x about half the time).
    expect(recovered).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(0);
  });
});
