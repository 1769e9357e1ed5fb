/**
 * The prover's MSM split by points (src/core/zk/multiExp.ts) against an independent curve
 * implementation: every expected sum is computed with @noble/curves' own multi-scalar
 * multiplication (pippenger) over the same points and scalars. The points run through
 * ffjavascript's real helper threads, so slice boundaries, transfers and the final additions are
 * all exercised.
 */
import { bn254 } from '@noble/curves/bn254.js';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { buildBn128, type Bn128Curve, type CurveGroup, type ThreadManager } from 'ffjavascript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiExpAffineByPoints, sliceCount, useMultiExpByPoints } from '../../../src/core/zk/multiExp.js';
import { seededBytes } from '../../support/seed.js';

const { Fp2 } = bn254.fields;
const NobleG1 = bn254.G1.Point;
const NobleG2 = bn254.G2.Point;
type NobleG1Point = InstanceType<typeof NobleG1>;
type NobleG2Point = InstanceType<typeof NobleG2>;

let curve: Bn128Curve;

beforeAll(async () => {
  curve = await buildBn128();
}, 60_000);

afterAll(async () => {
  // The cached curve's helper threads would otherwise keep the test worker alive.
  await curve?.terminate();
  delete (globalThis as { curve_bn128?: unknown }).curve_bn128;
});

/** Scalars below 2^253 (so below r), little-endian, 32 bytes each, as snarkjs hands them over. */
function seededScalars(label: string, count: number): { bytes: Uint8Array; values: bigint[] } {
  const bytes = new Uint8Array(count * 32);
  const values: bigint[] = [];
  for (let i = 0; i < count; i++) {
    const scalar = seededBytes(`${label} ${i}`);
    scalar[31]! &= 0x1f;
    // A few zero and one scalars, as real witnesses have many.
    if (i % 17 === 3) scalar.fill(0);
    if (i % 17 === 5) scalar.fill(0).set([1]);
    bytes.set(scalar, i * 32);
    values.push(scalar.reduceRight((sum, byte) => (sum << 8n) | BigInt(byte), 0n));
  }
  return { bytes, values };
}

/** count distinct points start, start + step, start + 2·step, … (cheap to make, all different). */
function chain<P extends NobleG1Point | NobleG2Point>(start: P, step: P, count: number): P[] {
  const points: P[] = [];
  for (let i = 0, point = start; i < count; i++, point = point.add(step as never) as P) points.push(point);
  return points;
}

/** The points as the zkey stores its bases (affine, little-endian Montgomery), via ffjavascript. */
function g1Bases(points: NobleG1Point[]): Uint8Array {
  const bases = new Uint8Array(points.length * 64);
  points.forEach((point, i) => {
    const { x, y } = point.toAffine();
    curve.G1.toRprLEM(bases, i * 64, curve.G1.toAffine(curve.G1.fromObject([x, y, 1n])));
  });
  return bases;
}
function g2Bases(points: NobleG2Point[]): Uint8Array {
  const bases = new Uint8Array(points.length * 128);
  points.forEach((point, i) => {
    const { x, y } = point.toAffine();
    curve.G2.toRprLEM(bases, i * 128, curve.G2.toAffine(curve.G2.fromObject([[x.c0, x.c1], [y.c0, y.c1], [1n, 0n]])));
  });
  return bases;
}

function g1Of(group: CurveGroup, point: Uint8Array): NobleG1Point {
  if (group.isZero(point)) return NobleG1.ZERO;
  const [x, y] = group.toObject(group.toAffine(point)) as bigint[];
  return NobleG1.fromAffine({ x: x!, y: y! });
}
function g2Of(group: CurveGroup, point: Uint8Array): NobleG2Point {
  if (group.isZero(point)) return NobleG2.ZERO;
  const [x, y] = group.toObject(group.toAffine(point)) as bigint[][];
  return NobleG2.fromAffine({ x: Fp2.create({ c0: x![0]!, c1: x![1]! }), y: Fp2.create({ c0: y![0]!, c1: y![1]! }) });
}

/** The curve's thread manager, claiming `helpers` helpers, so the slicing for a phone's core count runs here too. */
function withHelpers(tm: ThreadManager, helpers: number): ThreadManager {
  return { concurrency: helpers, singleThread: tm.singleThread, queueAction: tm.queueAction.bind(tm) };
}

describe('MSM split by points', () => {
  it('cuts work into at most one slice per helper, each of at least 1,024 points', () => {
    expect(sliceCount(0, 8)).toBe(1);
    expect(sliceCount(1, 8)).toBe(1);
    expect(sliceCount(2047, 2)).toBe(1);
    expect(sliceCount(2048, 2)).toBe(2);
    expect(sliceCount(12_355, 2)).toBe(2);
    expect(sliceCount(12_355, 8)).toBe(8);
    expect(sliceCount(5000, 8)).toBe(4);
    expect(sliceCount(1_000_000, 1)).toBe(1);
  });

  it('sums G1 points as an independent implementation does, for every slicing', async () => {
    const points = chain(NobleG1.BASE.multiply(7n), NobleG1.BASE.multiply(1_000_003n), 4_099);
    const bases = g1Bases(points);
    for (const [count, helpers] of [[4_099, 2], [4_099, 3], [4_099, 4], [2_048, 2], [1_500, 2], [6, 2], [1, 2]] as const) {
      const scalars = seededScalars(`g1 ${count} ${helpers}`, count);
      const expected = pippenger(NobleG1, points.slice(0, count), scalars.values);
      const got = await multiExpAffineByPoints(curve.G1, withHelpers(curve.tm, helpers), 'G1', bases.slice(0, count * 64), scalars.bytes);
      expect(g1Of(curve.G1, got).equals(expected), `${count} points, ${helpers} helpers`).toBe(true);
    }
  }, 60_000);

  it('sums G2 points as an independent implementation does, for every slicing', async () => {
    const points = chain(NobleG2.BASE.multiply(11n), NobleG2.BASE.multiply(999_983n), 2_051);
    const bases = g2Bases(points);
    for (const [count, helpers] of [[2_051, 2], [2_051, 4], [3, 2]] as const) {
      const scalars = seededScalars(`g2 ${count} ${helpers}`, count);
      const expected = pippenger(NobleG2, points.slice(0, count), scalars.values);
      const got = await multiExpAffineByPoints(curve.G2, withHelpers(curve.tm, helpers), 'G2', bases.slice(0, count * 128), scalars.bytes);
      expect(g2Of(curve.G2, got).equals(expected), `${count} points, ${helpers} helpers`).toBe(true);
    }
  }, 60_000);

  it('gives zero for no points, and names inputs that do not fit together', async () => {
    expect(curve.G1.isZero(await multiExpAffineByPoints(curve.G1, curve.tm, 'G1', new Uint8Array(0), new Uint8Array(0)))).toBe(true);
    await expect(multiExpAffineByPoints(curve.G1, curve.tm, 'G1', new Uint8Array(65), new Uint8Array(32))).rejects.toThrow(/not a whole number of 64-byte points/);
    await expect(multiExpAffineByPoints(curve.G1, curve.tm, 'G1', new Uint8Array(128), new Uint8Array(33))).rejects.toThrow(/do not split over 2 points/);
  });

  it('leaves the caller’s buffers intact (slices are transferred, not the originals)', async () => {
    const points = chain(NobleG1.BASE, NobleG1.BASE, 2_100);
    const bases = g1Bases(points);
    const scalars = seededScalars('intact', 2_100);
    const before = [bases.slice(), scalars.bytes.slice()];
    await multiExpAffineByPoints(curve.G1, curve.tm, 'G1', bases, scalars.bytes);
    expect(bases.byteLength).toBe(2_100 * 64);
    expect([bases, scalars.bytes]).toEqual(before);
  }, 60_000);

  it('is what the cached curve (the one snarkjs proves with) uses once installed, and installs once', async () => {
    const shared = await buildBn128();
    expect(shared).toBe(curve);
    const library = { g1: curve.G1.multiExpAffine, g2: curve.G2.multiExpAffine };
    useMultiExpByPoints(shared);
    const installed = { g1: curve.G1.multiExpAffine, g2: curve.G2.multiExpAffine };
    expect(installed.g1).not.toBe(library.g1);
    expect(installed.g2).not.toBe(library.g2);
    useMultiExpByPoints(shared);
    expect(curve.G1.multiExpAffine).toBe(installed.g1);

    const points = chain(NobleG1.BASE.multiply(3n), NobleG1.BASE.multiply(5n), 3_000);
    const scalars = seededScalars('installed', 3_000);
    const got = await curve.G1.multiExpAffine(g1Bases(points), scalars.bytes);
    expect(g1Of(curve.G1, got).equals(pippenger(NobleG1, points, scalars.values))).toBe(true);
  }, 60_000);
});
