import * as v from 'valibot';
import { getAddress, isAddress, type Address, type Hex } from 'viem';
import type { Groth16Proof } from '../../core/zk/proof.js';
import { isGroth16Proof } from '../../core/zk/verify.js';

const Decimal = v.pipe(v.string(), v.regex(/^(0|[1-9]\d{0,77})$/, 'must be a decimal integer string'));

/** POST /v1/batches: one device's proven batch for one epoch. */
export const BatchSubmissionSchema = v.strictObject({
  device: v.pipe(
    v.string(),
    v.check((value) => isAddress(value, { strict: false }), 'must be a 0x address'),
    v.transform((value) => getAddress(value)),
  ),
  epoch: v.pipe(v.number(), v.integer('must be an integer'), v.minValue(0), v.maxValue(2 ** 40)),
  commitment: Decimal,
  signature: v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte 0x signature (r ‖ s ‖ v)')),
  proof: v.pipe(
    v.unknown(),
    v.check((value) => isGroth16Proof(value), 'must be a snarkjs Groth16 proof {pi_a, pi_b, pi_c, protocol: "groth16"}'),
  ),
  publicSignals: v.pipe(v.array(Decimal), v.length(4, 'must have exactly 4 public signals')),
  /** Readings encrypted to the relay for data buyers (opaque base64, stored and published as given). */
  encryptedReadings: v.optional(v.pipe(v.string(), v.maxLength(48 * 1024), v.regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64'))),
});

export type BatchSubmission = {
  device: Address;
  epoch: number;
  commitment: string;
  signature: Hex;
  proof: Groth16Proof;
  publicSignals: [string, string, string, string];
  encryptedReadings?: string | undefined;
};

export function parseSubmission(input: unknown): { ok: true; value: BatchSubmission } | { ok: false; issues: string } {
  const result = v.safeParse(BatchSubmissionSchema, input);
  if (!result.success) {
    return { ok: false, issues: result.issues.map((issue) => `${v.getDotPath(issue) ?? '(body)'}: ${issue.message}`).join('; ') };
  }
  return { ok: true, value: result.output as BatchSubmission };
}
