import { OutpostError, type OutpostErrorCode } from '../errors.js';

/**
 * A batch that cannot be proved, found before any proving starts. `code` names the rule:
 * - `zk.reading_invalid`: a field is not an integer in its encodable range;
 * - `zk.batch_too_many` / `zk.batch_too_few`: count outside 2…N;
 * - `zk.reading_out_of_bounds`: a temperature outside the claimed bounds;
 * - `zk.timestamp_not_rising`: timestamps do not rise strictly;
 * - `zk.timestamp_outside_window`: a timestamp outside the epoch window;
 * - `zk.quality_stuck_sensor`: every temperature is the same (the no-stuck-sensor rule);
 * - `zk.params_invalid`: bounds, window or device address are malformed;
 * - `zk.commitment_mismatch`: the readings do not hash to the commitment the device signed.
 * `index` is the offending reading's position in the batch, when there is one.
 */
export class ZkInputError extends OutpostError {
  override name = 'ZkInputError';
  readonly index: number | undefined;

  constructor(code: OutpostErrorCode, shortMessage: string, options: { index?: number; details?: string; hint?: string } = {}) {
    super(code, shortMessage, { details: options.details, hint: options.hint });
    this.index = options.index;
  }
}

/** Proving or verification machinery failed (bad artifacts, worker crash, cancelled). */
export class ZkProofError extends OutpostError {
  override name = 'ZkProofError';
}
