import { OutpostError } from '../errors.js';

/**
 * A batch that cannot be proved, found before any proving starts. `code` names the rule:
 * - `zk.reading.invalid`: a field is not an integer in its encodable range;
 * - `zk.batch.tooMany` / `zk.batch.tooFew`: count outside 2…N;
 * - `zk.reading.outOfBounds`: a temperature outside the claimed bounds;
 * - `zk.timestamp.notRising`: timestamps do not rise strictly;
 * - `zk.timestamp.outsideWindow`: a timestamp outside the epoch window;
 * - `zk.quality.stuckSensor`: every temperature is the same (the no-stuck-sensor rule);
 * - `zk.params.invalid`: bounds, window or device address are malformed;
 * - `zk.commitment.mismatch`: the readings do not hash to the commitment the device signed.
 * `index` is the offending reading's position in the batch, when there is one.
 */
export class ZkInputError extends OutpostError {
  override name = 'ZkInputError';
  readonly index: number | undefined;

  constructor(code: string, shortMessage: string, options: { index?: number; details?: string; hint?: string } = {}) {
    super(code, shortMessage, { details: options.details, hint: options.hint });
    this.index = options.index;
  }
}

/** Proving or verification machinery failed (bad artifacts, worker crash, cancelled). */
export class ZkProofError extends OutpostError {
  override name = 'ZkProofError';
}
