/** The part of ffjavascript 0.3 (snarkjs's curve library, which ships no types) that Outpost uses. */
declare module 'ffjavascript' {
  /** A curve point in ffjavascript's internal (Montgomery, Jacobian) byte form. */
  export type CurvePoint = Uint8Array;

  /** One step of a task run by ffjavascript's wasm helpers (see its threadman_thread.js). */
  export type ThreadTaskStep =
    | { cmd: 'ALLOCSET'; var: number; buff: Uint8Array }
    | { cmd: 'ALLOC'; var: number; len: number }
    | { cmd: 'CALL'; fnName: string; params: ({ var: number } | { val: number })[] }
    | { cmd: 'GET'; out: number; var: number; len: number };

  export type ThreadManager = {
    /** How many helpers run tasks: navigator.hardwareConcurrency / os.cpus(), 1 when single-threaded. */
    concurrency: number;
    singleThread: boolean;
    queueAction(task: ThreadTaskStep[], transfers?: ArrayBufferLike[]): Promise<Uint8Array[]>;
  };

  export type CurveGroup = {
    F: { n8: number };
    g: CurvePoint;
    zero: CurvePoint;
    add(a: CurvePoint, b: CurvePoint): CurvePoint;
    eq(a: CurvePoint, b: CurvePoint): boolean;
    isZero(point: CurvePoint): boolean;
    /** Coordinates as bigints (G1: [x, y, z]; G2: [[x0, x1], [y0, y1], [z0, z1]]), and back. */
    toObject(point: CurvePoint): unknown;
    fromObject(coordinates: unknown): CurvePoint;
    toAffine(point: CurvePoint): CurvePoint;
    /** Writes an affine point as the zkey stores its bases: little-endian Montgomery, x then y. */
    toRprLEM(buffer: Uint8Array, offset: number, point: CurvePoint): void;
    multiExpAffine(bases: Uint8Array, scalars: Uint8Array, logger?: unknown, logText?: string): Promise<CurvePoint>;
  };

  /** A field operation over a buffer of elements (FFTs, batchApplyKey); the rest are ffjavascript's own options. */
  export type FieldBufferOp = (buffer: Uint8Array, ...options: unknown[]) => Promise<Uint8Array>;
  export type ScalarField = { n8: number; e(value: number | bigint): Uint8Array; fft: FieldBufferOp; ifft: FieldBufferOp; batchApplyKey: FieldBufferOp };

  export type Bn128Curve = { name: 'bn128'; Fr: ScalarField; G1: CurveGroup; G2: CurveGroup; tm: ThreadManager; terminate(): Promise<void> };

  /** The multi-threaded curve is built once per realm and cached (globalThis.curve_bn128); snarkjs uses the same one. */
  export function buildBn128(singleThread?: boolean): Promise<Bn128Curve>;
}
