/**
 * The relay's wire contract: every body the relay takes or answers, as valibot schemas. The relay
 * validates requests with them, the app validates the relay's answers with them, the types both
 * use are inferred from them, and the relay's /openapi.json is generated from them (openapi.ts).
 * Pure TypeScript: no DOM or Node API, so the browser and the relay import the same module.
 */
import * as v from 'valibot';
import { getAddress, type Address, type Hex } from 'viem';
import { INTERNAL_ERROR_CODE, REJECTION_CODE_LIST, type RejectionCode } from './refusals.js';

/** BN254's scalar field order r: the public signals (and so the commitment) are elements of this field. */
const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254's base field order p: proof point coordinates are elements of this field. */
const BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Readings encrypted to the relay for data buyers: at most this many base64 characters. */
const ENCRYPTED_READINGS_MAX = 48 * 1024;
/** The largest epoch number a submission may name (2^40: far past any real clock, well inside a safe integer). */
const EPOCH_MAX = 2 ** 40;

// The description sits before the transform: the document describes the wire value (openapi.ts).
const hexOf = <T extends Hex>(bytes: number, message: string, description = `${bytes}-byte 0x hex`) =>
  v.pipe(
    v.string(),
    v.regex(new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`), message),
    v.description(description),
    v.transform((value) => value as T),
  );

/** A 32-byte 0x hash (leaf, root, transaction hash). */
const Hash = hexOf(32, 'must be a 32-byte 0x hash');
/** A 20-byte 0x address in any case (the relay answers checksummed ones). */
const AddressText = v.pipe(
  v.string(),
  v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address'),
  v.transform((value) => value as Address),
);
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Decimal = v.pipe(v.string(), v.regex(/^(0|[1-9]\d*)$/, 'must be a decimal integer string'));

/**
 * Every number of a submission is range-checked here, so nothing later (the leaf's ABI encoding,
 * the signing digest, the pairing library) ever sees one it cannot take: out of range is the
 * client's `invalid_batch`, naming the field, never a 500. The ranges are the chain's: a signal ≥ r
 * or a coordinate ≥ p never verifies in BatchInbox's Groth16 verifier either.
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

const ProofSchema = v.pipe(
  v.object(
    {
      pi_a: G1,
      pi_b: G2,
      pi_c: G1,
      protocol: v.literal('groth16', 'must be "groth16"'),
      // Optional on the wire; read as "bn128", the only curve there is here.
      curve: v.optional(v.literal('bn128', 'must be "bn128"'), 'bn128'),
    },
    'must be a snarkjs Groth16 proof {pi_a, pi_b, pi_c, protocol: "groth16", curve: "bn128"}',
  ),
  v.description('snarkjs Groth16 proof: affine points, coordinates below the BN254 base field order p'),
);

/** POST /v1/batches: one device's proven batch for one epoch. */
export const BatchSubmissionSchema = v.strictObject({
  device: v.pipe(
    v.string(),
    v.regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x address'),
    v.description('the device address (any case)'),
    v.transform((value) => getAddress(value)),
  ),
  epoch: v.pipe(
    v.number('must be a number'),
    v.integer('must be an integer'),
    v.minValue(0, 'must not be negative'),
    v.maxValue(EPOCH_MAX, 'must be at most 2^40'),
    v.description('floor(unix time / epoch length); the proved window must lie inside it'),
  ),
  commitment: v.pipe(
    fieldElement(BN254_R, `must be below the BN254 scalar field order r = ${BN254_R} (it is public signal 0)`),
    v.description('Poseidon readings commitment (public signal 0), below the BN254 scalar field order r'),
  ),
  signature: hexOf(
    65,
    'must be a 65-byte 0x signature (r ‖ s ‖ v)',
    'raw secp256k1 signature r ‖ s ‖ v by the device over batchSigningDigest(commitment): low s (≤ n/2), v 0/1 or 27/28 (BatchInbox.recoverDevice)',
  ),
  proof: ProofSchema,
  publicSignals: v.pipe(
    v.strictTuple([Signal, Signal, Signal, Signal], 'must be an array of exactly 4 decimal strings'),
    v.description('[commitment, device uint160, windowStart + windowEnd·2^64, statement], each below r; the window must lie in one epoch and have ended'),
  ),
  /** Readings encrypted to the relay for data buyers (opaque base64, stored and published as given). */
  encryptedReadings: v.optional(
    v.pipe(v.string(), v.maxLength(ENCRYPTED_READINGS_MAX), v.regex(/^[A-Za-z0-9+/=_-]*$/, 'must be base64'), v.description('base64, readings encrypted to the relay for data buyers')),
  ),
});
export type BatchSubmission = v.InferOutput<typeof BatchSubmissionSchema>;

/** Where a batch is anchored, as the relay claims it (the app checks the claim: core/anchoring/verify.ts). */
const AnchorSchema = v.object({
  id: Count,
  epoch: Count,
  merkleRoot: Hash,
  // Optional so a receipt without them still parses; the app then cannot verify it and says so.
  leafIndex: v.optional(Count),
  merkleProof: v.optional(v.array(Hash)),
  uri: v.string(),
  dataHash: Hash,
  /** The anchoring transaction's state: 'failed' is refused by the contract for good. */
  status: v.picklist(['queued', 'sent', 'confirmed', 'failed']),
  txHash: v.nullable(Hash),
  blockNumber: v.nullable(Count),
});
export type AnchorInfo = v.InferOutput<typeof AnchorSchema>;

/** What a device (or the app's outbox) gets back for a batch: proof that the relay holds it, and later where it is anchored. */
const ReceiptSchema = v.object({
  id: hexOf(32, 'must be a 32-byte 0x hash', 'the batch’s Merkle leaf (BatchInbox.leafHash)'),
  device: AddressText,
  epoch: Count,
  commitment: Decimal,
  readings: Count,
  receivedAt: v.pipe(v.string(), v.isoTimestamp()),
  status: v.picklist(['accepted', 'anchoring', 'anchored', 'anchor_failed']),
  anchor: v.nullable(AnchorSchema),
});
export type Receipt = v.InferOutput<typeof ReceiptSchema>;

/** 201/200 to POST /v1/batches: 200 (duplicate) for a batch already stored. */
export const SubmitResponseSchema = v.object({ receipt: ReceiptSchema, duplicate: v.boolean() });
export type SubmitResponse = v.InferOutput<typeof SubmitResponseSchema>;
/** 200 to GET /v1/batches/{id}. */
export const ReceiptResponseSchema = v.object({ receipt: ReceiptSchema });

/** GET /v1/info: what a batch must match here, and what the relay promises. */
export const RelayInfoSchema = v.object({
  epochSeconds: v.pipe(v.number(), v.integer(), v.minValue(1)),
  maxEpochLag: v.pipe(v.number(), v.integer(), v.minValue(0)),
  chainId: v.pipe(v.number(), v.integer(), v.minValue(1)),
  bodyLimitBytes: v.pipe(v.number(), v.integer(), v.minValue(1)),
  /** The module the relay anchors under (BatchInbox keys anchors by module and root; older relays do not say, and the app then cannot verify their anchors). */
  moduleId: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** The longest time from a receipt to its anchor being mined that the relay promises; after it, the device owner may use the escape hatch. */
  anchorWithinSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
});
export type RelayInfo = v.InferOutput<typeof RelayInfoSchema>;

/** One data reward of a device, with the Merkle proof DataRewards.claim takes. */
const RewardClaimSchema = v.object({
  epoch: Count,
  device: AddressText,
  amount: v.pipe(Decimal, v.description('wei')),
  root: Hash,
  leaf: Hash,
  proof: v.array(Hash),
  /** The reward root's transaction state (as an anchor's). */
  status: v.picklist(['queued', 'sent', 'confirmed', 'failed']),
  txHash: v.nullable(Hash),
  /**
   * What the relay computed the amount from (docs/relay.md#rewards): this device's weight, the epoch's
   * Σ weight over all its devices and the epoch's pool (wei). An honest relay's amount is
   * floor(pool · weight / epochWeight). Null for epochs computed before the relay kept them.
   */
  figures: v.nullable(v.object({ weight: Decimal, epochWeight: Decimal, pool: Decimal })),
});
export type RewardClaim = v.InferOutput<typeof RewardClaimSchema>;
/** GET /v1/rewards/{device}. */
export const RewardsResponseSchema = v.object({ device: AddressText, rewards: v.array(RewardClaimSchema) });

/** The document published at an anchor's `uri` (GET /v1/anchors/{id}); keccak256 of its exact bytes is the anchor's dataHash. */
export const AnchorDocumentSchema = v.object({
  version: v.literal(1),
  anchorId: Count,
  epoch: Count,
  merkleRoot: Hash,
  /** How each leaf is hashed, so a reader can rebuild the tree. */
  leaf: v.string(),
  batches: v.array(
    v.object({
      id: Hash,
      device: AddressText,
      epoch: Count,
      commitment: Decimal,
      signature: hexOf(65, 'must be a 65-byte 0x signature'),
      proof: v.unknown(),
      publicSignals: v.array(Decimal),
      encryptedReadings: v.nullable(v.string()),
    }),
  ),
});
export type AnchorDocument = v.InferOutput<typeof AnchorDocumentSchema>;

/** GET /healthz while the store answers: the count of batches waiting for an anchor, and the instance's facts. */
export const HealthSchema = v.object({
  ok: v.literal(true),
  unanchored: Count,
  instance: v.string(),
  store: v.picklist(['pglite', 'postgres']),
  /** The operator account that signs anchoring and reward-root transactions. */
  operator: AddressText,
  contracts: v.record(v.string(), AddressText),
});
export type Health = v.InferOutput<typeof HealthSchema>;
/** GET /healthz when the store does not answer (503). */
export const HealthDownSchema = v.object({ ok: v.literal(false), error: v.string() });

/** GET /metrics: Prometheus text format 0.0.4. */
export const MetricsTextSchema = v.string();

/** GET /openapi.json: the generated document (its own shape is OpenAPI 3.1's). */
export const OpenApiDocumentSchema = v.looseObject({ openapi: v.string(), info: v.looseObject({ title: v.string() }), paths: v.record(v.string(), v.unknown()) });

/**
 * Every refusal and failure: `{error: {code, message, details?, hint?}}`. `codes` narrows the code
 * to those one route answers with (openapi.ts documents each route's own).
 */
export const errorBodySchema = <const C extends string>(codes: readonly C[]) =>
  v.object({
    error: v.object({
      code: v.picklist(codes),
      message: v.string(),
      details: v.optional(v.string()),
      hint: v.optional(v.string()),
    }),
  });
export const ErrorBodySchema = errorBodySchema<RejectionCode | typeof INTERNAL_ERROR_CODE>([...REJECTION_CODE_LIST, INTERNAL_ERROR_CODE]);
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

/** Where a value differs from its schema, one `path: message` per issue, for error details. */
export function issuesText(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.map((issue) => `${v.getDotPath(issue) ?? '(body)'}: ${issue.message}`).join('; ');
}
