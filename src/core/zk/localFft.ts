import type { Bn128Curve, FieldBufferOp } from 'ffjavascript';

/**
 * The prover's FFTs (and the coset shifts between them) on a single-threaded copy of the curve, in
 * the calling thread, instead of on ffjavascript's helper threads, for domains up to 2^16 points.
 *
 * Why: an FFT over our 2^14-point domain is tens of milliseconds of wasm, and ffjavascript cuts it
 * into a few tasks, each a message round trip to a helper. In Chromium's workers a round trip cost
 * milliseconds (measured, bench/results/zk.md), so the six FFTs of a proof took about twice as long
 * in the browser as in Node. Done locally, they do not wait on messages. Larger domains keep the
 * helpers, where the work outweighs the messages.
 */

const LOCAL_MAX_POINTS = 1 << 16;
const OPERATIONS = ['fft', 'ifft', 'batchApplyKey'] as const;
const INSTALLED = Symbol.for('outpost.localFft');

/** Routes `curve`'s scalar-field FFTs over small domains to `local`, a single-threaded bn128 curve. Idempotent. */
export function useLocalFfts(curve: Bn128Curve, local: Bn128Curve): void {
  if (!local.tm.singleThread) throw new Error('useLocalFfts needs a single-threaded curve (buildBn128(true))');
  const marked = curve as Bn128Curve & { [INSTALLED]?: true };
  if (marked[INSTALLED]) return;
  for (const operation of OPERATIONS) {
    const threaded: FieldBufferOp = curve.Fr[operation].bind(curve.Fr);
    const inThisThread: FieldBufferOp = local.Fr[operation].bind(local.Fr);
    curve.Fr[operation] = (buffer, ...options) => (buffer instanceof Uint8Array && buffer.byteLength / curve.Fr.n8 <= LOCAL_MAX_POINTS ? inThisThread : threaded)(buffer, ...options);
  }
  marked[INSTALLED] = true;
}
