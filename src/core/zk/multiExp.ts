import type { Bn128Curve, CurveGroup, CurvePoint, ThreadManager } from 'ffjavascript';

/**
 * Multi-scalar multiplication (MSM) for snarkjs's Groth16 prover, split across ffjavascript's
 * helper threads by points instead of by scalar bits.
 *
 * Why: ffjavascript 0.3.1 splits an MSM into one task per 10-bit window of the scalars (26 for our
 * circuit), and every task carries all the bases and all the scalars (1.2 MB for the A points).
 * Measured in Chromium's workers on 2 cores (bench/results/zk.md): the copies and their round trips
 * cost so much that two helpers were no faster than one, and the browser's MSMs took 4–5 times
 * Node's. Here each helper gets one contiguous slice of the points, transferred rather than copied,
 * and runs ffjavascript's own full wasm MSM on it (`g1m_multiexpAffine` / `g2m_multiexpAffine`);
 * the slices' results are added. Same wasm, same result, fewer and smaller messages.
 */

/** Below this many points per helper, a message costs more than the work it moves. */
const MIN_POINTS_PER_TASK = 1024;

const WASM_FUNCTION = { G1: 'g1m_multiexpAffine', G2: 'g2m_multiexpAffine' } as const;
const INSTALLED = Symbol.for('outpost.multiExpByPoints');

type GroupName = keyof typeof WASM_FUNCTION;

/** How many point slices an MSM of `points` points is cut into for `helpers` helper threads. */
export function sliceCount(points: number, helpers: number): number {
  return Math.max(1, Math.min(helpers, Math.floor(points / MIN_POINTS_PER_TASK)));
}

/**
 * The MSM Σ scalarᵢ·baseᵢ over affine bases in the zkey's form (little-endian Montgomery), with
 * scalars as snarkjs passes them (little-endian, standard form, a fixed width each).
 */
export async function multiExpAffineByPoints(group: CurveGroup, tm: ThreadManager, groupName: GroupName, bases: Uint8Array, scalars: Uint8Array): Promise<CurvePoint> {
  const baseSize = group.F.n8 * 2;
  const points = Math.floor(bases.byteLength / baseSize);
  if (points * baseSize !== bases.byteLength) throw new Error(`multiExp ${groupName}: ${bases.byteLength} bytes of bases is not a whole number of ${baseSize}-byte points`);
  if (points === 0) return group.zero;
  const scalarSize = Math.floor(scalars.byteLength / points);
  if (scalarSize * points !== scalars.byteLength) throw new Error(`multiExp ${groupName}: ${scalars.byteLength} bytes of scalars do not split over ${points} points`);

  const slices = sliceCount(points, tm.concurrency);
  const perSlice = Math.ceil(points / slices);
  const results: Promise<Uint8Array[]>[] = [];
  for (let first = 0; first < points; first += perSlice) {
    const count = Math.min(perSlice, points - first);
    // slice() copies, so the copies can be transferred to the helper without detaching snarkjs's buffers.
    const sliceBases = bases.slice(first * baseSize, (first + count) * baseSize);
    const sliceScalars = scalars.slice(first * scalarSize, (first + count) * scalarSize);
    results.push(
      tm.queueAction(
        [
          { cmd: 'ALLOCSET', var: 0, buff: sliceBases },
          { cmd: 'ALLOCSET', var: 1, buff: sliceScalars },
          { cmd: 'ALLOC', var: 2, len: group.F.n8 * 3 },
          { cmd: 'CALL', fnName: WASM_FUNCTION[groupName], params: [{ var: 0 }, { var: 1 }, { val: scalarSize }, { val: count }, { var: 2 }] },
          { cmd: 'GET', out: 0, var: 2, len: group.F.n8 * 3 },
        ],
        tm.singleThread ? undefined : [sliceBases.buffer, sliceScalars.buffer],
      ),
    );
  }
  let sum = group.zero;
  for (const [partial] of await Promise.all(results)) sum = group.add(sum, partial!);
  return sum;
}

/**
 * Makes the curve's G1 and G2 `multiExpAffine` (what snarkjs's groth16.prove calls for A, B1, B2,
 * C and H) split by points. Idempotent. The curve is ffjavascript's cached multi-threaded bn128,
 * the one snarkjs proves with, so this applies to every later proof in this realm.
 */
export function useMultiExpByPoints(curve: Bn128Curve): void {
  const marked = curve as Bn128Curve & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  for (const groupName of ['G1', 'G2'] as const) {
    const group = curve[groupName];
    const original = group.multiExpAffine.bind(group);
    // snarkjs hands over a BigBuffer instead of bytes only for sections past 32 MB (circuits far
    // larger than ours); those keep ffjavascript's own split.
    group.multiExpAffine = (bases, scalars, ...rest) =>
      bases instanceof Uint8Array && scalars instanceof Uint8Array ? multiExpAffineByPoints(group, curve.tm, groupName, bases, scalars) : original(bases, scalars, ...rest);
  }
  marked[INSTALLED] = true;
}
