/**
 * The prover's FFTs in the calling thread (src/core/zk/localFft.ts): the same results as
 * ffjavascript's threaded FFTs, and, on a small domain, the discrete Fourier transform computed
 * from its definition with bigints (an independent check of the convention and the arithmetic).
 */
import { buildBn128, type Bn128Curve, type FieldBufferOp } from 'ffjavascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalFfts } from '../../../src/core/zk/localFft.js';
import { seededBytes } from '../../support/seed.js';

/** The order of BN254's scalar field, and 5, the generator ffjavascript derives its roots of unity from. */
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const GENERATOR = 5n;

let curve: Bn128Curve;
let local: Bn128Curve;
let threaded: Record<'fft' | 'ifft' | 'batchApplyKey', FieldBufferOp>;

beforeAll(async () => {
  curve = await buildBn128();
  local = await buildBn128(true);
  threaded = { fft: curve.Fr.fft.bind(curve.Fr), ifft: curve.Fr.ifft.bind(curve.Fr), batchApplyKey: curve.Fr.batchApplyKey.bind(curve.Fr) };
  useLocalFfts(curve, local);
}, 60_000);

afterAll(async () => {
  await curve?.terminate();
  delete (globalThis as { curve_bn128?: unknown }).curve_bn128;
});

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  for (base %= R; exponent > 0n; exponent >>= 1n, base = (base * base) % R) if (exponent & 1n) result = (result * base) % R;
  return result;
}

function seededValues(label: string, count: number): bigint[] {
  return Array.from({ length: count }, (_, i) => BigInt(`0x${Buffer.from(seededBytes(`${label} ${i}`)).toString('hex')}`) % R);
}

function toBuffer(values: readonly bigint[]): Uint8Array {
  const buffer = new Uint8Array(values.length * 32);
  values.forEach((value, i) => buffer.set(curve.Fr.e(value), i * 32));
  return buffer;
}

function fromBuffer(buffer: Uint8Array): bigint[] {
  const fr = curve.Fr as unknown as { toObject(element: Uint8Array): bigint };
  return Array.from({ length: buffer.byteLength / 32 }, (_, i) => fr.toObject(buffer.slice(i * 32, (i + 1) * 32)));
}

describe('FFTs in the calling thread', () => {
  it('evaluate a polynomial at the powers of the root of unity, as the definition does', async () => {
    const coefficients = seededValues('dft', 8);
    const root = power(GENERATOR, (R - 1n) / 8n);
    const expected = Array.from({ length: 8 }, (_, k) => coefficients.reduce((sum, a, j) => (sum + a * power(root, BigInt(j * k))) % R, 0n));
    expect(fromBuffer(await curve.Fr.fft(toBuffer(coefficients)))).toEqual(expected);
    expect(fromBuffer(await curve.Fr.ifft(toBuffer(expected)))).toEqual(coefficients);
  });

  it('give what ffjavascript’s threaded FFTs give, up to the prover’s domain (2^14)', async () => {
    for (const bits of [4, 10, 14]) {
      const values = toBuffer(seededValues(`fft ${bits}`, 1 << bits));
      expect(await curve.Fr.fft(values), `fft 2^${bits}`).toEqual(await threaded.fft(values));
      expect(await curve.Fr.ifft(values), `ifft 2^${bits}`).toEqual(await threaded.ifft(values));
      const [first, step] = [curve.Fr.e(1n), curve.Fr.e(seededValues(`step ${bits}`, 1)[0]!)];
      expect(await curve.Fr.batchApplyKey(values, first, step), `batchApplyKey 2^${bits}`).toEqual(await threaded.batchApplyKey(values, first, step));
    }
  }, 60_000);

  it('installs once, and only with a single-threaded curve', async () => {
    const installed = curve.Fr.fft;
    useLocalFfts(curve, local);
    expect(curve.Fr.fft).toBe(installed);
    expect(() => useLocalFfts(local, curve)).toThrow(/single-threaded curve/);
  });
});
