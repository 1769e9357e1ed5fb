import * as v from 'valibot';
import { getAddress, isAddress, type Address, type Hex } from 'viem';
import type { Groth16Proof } from '../../core/zk/proof.js';

/** BN254's scalar field order r: the public signals (and so the commitment) are elements of this field. */
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254's base field order p: proof point coordinates are elements of this field. */
export const BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/**
 * Every number of the body is range-checked here, so nothing later (the leaf's ABI encoding, the
 * signing digest, the pairing library) ever sees one it cannot take: out of range is the client's
 * `invalid_batch`, naming the field, never a 500. The ranges are the chain's: a signal ≥ r or a
 * coordinate ≥ p never verifies in BatchInbox's Groth16 verifier either.
 */
const fieldElement = (modulus: bigint, message: string) =>
  v.pipe(
    v.string(),
    v.regex(/^(0|[1-9]\d{0,77})$/, 'must be a decimal integer string (no sign, no leading zeros)'),
    // valibot runs every check of a pipe, so this one only judges well-formed numbers.
    v.check((value) => !/^\d{1,78}$/.test(value) || BigInt(value) < modulus, message),
  );
const Signal = fieldElement(BN254_R, `must be below the BN254 scalar field order r = ${BN254_R}`);
const Coordinate = v.pipe(
  v.string(),
  v.regex(/^\d{1,78}$/, 'must be a decimal integer string'),
  v.check((value) => !/^\d{1,78}$/.test(value) || BigInt(value) < BN254_P, `must be below the BN254 base field order p = ${BN254_P}`),
);
const One = v.literal('1', 'must be "1" (affine point)');
const Zero = v.literal('0', 'must be "0" (affine point)');
const G1 = v.tuple([Coordinate, Coordinate, One], 'must be a G1 point [x, y, "1"]');
const Fp2 = v.tuple([Coordinate, Coordinate], 'must be an Fp2 element [c0, c1]');
const G2 = v.tuple([Fp2, Fp2, v.tuple([One, Zero], 'must be ["1", "0"] (affine point)')], 'must be a G2 point [[x0, x1], [y0, y1], ["1", "0"]]');

const Proof = v.object(
  {
    pi_a: G1,
    pi_b: G2,
    pi_c: G1,
    protocol: v.literal('groth16', 'must be "groth16"'),
    curve: v.optional(v.literal('bn128', 'must be "bn128"')),
  },
  'must be a snarkjs Groth16 proof {pi_a, pi_b, pi_c, protocol: "groth16", curve: "bn128"}',
);

/** POST /v1/batches: one device's proven batch for one epoch. */
export const BatchSubmissionSchema = v.strictObject({
  device: v.pipe(
    v.string(),
    v.check((value) => isAddress(value, { strict: false }), 'must be a 0x address'),
    v.transform((value) => getAddress(value)),
  ),
  epoch: v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must not be negative'), v.maxValue(2 ** 40, 'must be at most 2^40')),
  commitment: fieldElement(BN254_R, `must be below the BN254 scalar field order r = ${BN254_R} (it is public signal 0)`),
  signature: v.pipe(v.string(), v.regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte 0x signature (r ‖ s ‖ v)')),
  proof: Proof,
  publicSignals: v.pipe(v.array(Signal, 'must be an array of 4 decimal strings'), v.length(4, 'must have exactly 4 public signals')),
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
  return { ok: true, value: result.output as unknown as BatchSubmission };
}
