/**
 * The relay's Groth16 verifier: the same check as snarkjs's groth16.verify (the app's reference,
 * src/core/zk/verify.ts) on herumi's mcl compiled to WASM, about an order of magnitude faster per
 * proof, which is what bounds the relay's ingest rate. Node-only: the app never imports src/relay.
 *
 * It accepts strictly less than snarkjs, never more, and each difference is something the chain's
 * verifier (EIP-197 precompile behind contracts/zk/Groth16Verifier.sol) also refuses or that an
 * honest prover never produces:
 * - coordinates must be canonical (< p) and points affine (z = 1): snarkjs reduces x + p silently
 *   and reads other z as projective, while the leaf and the contract take (x, y) as given;
 * - A, B and C must not be the point at infinity (an honest proof has one with negligible chance);
 * - B must lie in the order-r subgroup of the twist (snarkjs checks only that it is on the curve).
 *
 * `many` verifies concurrent proofs together with a random linear combination (below): one final
 * exponentiation and one pass over gamma and delta for all of them. It says of each proof exactly
 * what `one` says: every proof goes through the same parsing (ranges, curve, subgroup), and a
 * combination that fails is split in halves until the bad proofs are found and refused alone.
 */
import type * as Mcl from 'mcl-wasm';
import { ZkProofError } from '../../core/zk/errors.js';
import type { BatchProof } from '../../core/zk/proof.js';
import { isGroth16Proof, type Groth16VerificationKey } from '../../core/zk/verify.js';

type McLib = typeof Mcl;

/** BN254's scalar field order r: public signals are elements of this field. */
const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** BN254's base field order p: point coordinates are elements of this field. */
const BN254_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const PUBLIC_SIGNALS = 4;

export type BatchProofVerifier = (batch: BatchProof) => boolean;
/** One verdict per proof, in order: exactly what BatchProofVerifier says of each (see createMclVerifiers). */
export type ManyProofsVerifier = (batches: readonly BatchProof[]) => boolean[];
export type MclVerifiers = { one: BatchProofVerifier; many: ManyProofsVerifier };

let loading: Promise<McLib> | null = null;

/**
 * mcl keeps its curve and its order-check switches as process-wide state of one WASM instance, so
 * this module owns that instance's set-up, and the verifier re-checks the curve on every call.
 */
export function loadMcl(): Promise<McLib> {
  loading ??= (async () => {
    const mcl = await import('mcl-wasm');
    await mcl.init(mcl.BN_SNARK1);
    // Subgroup membership is checked explicitly where it matters (parseG2), once per point, so it
    // holds whatever these process-wide switches are set to; with them on, setStr would run the
    // same ~1.4 ms G2 check a second time. G1 of BN254 has cofactor 1: on the curve is in the group.
    mcl.verifyOrderG1(false);
    mcl.verifyOrderG2(false);
    return mcl;
  })().catch((error: unknown) => {
    loading = null;
    throw new ZkProofError('zk.verify_unavailable', 'The relay’s pairing library (mcl-wasm) did not load.', { details: error instanceof Error ? error.message : String(error), cause: error });
  });
  return loading;
}

const DECIMAL = /^\d{1,78}$/;

function fieldElement(value: unknown, modulus: bigint): bigint | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null;
  const n = BigInt(value);
  return n < modulus ? n : null;
}

/** mcl's setStr throws on anything it will not take (off the curve, a coordinate ≥ p, bad text). */
function attempt<T>(make: () => T): T | null {
  try {
    return make();
  } catch {
    return null;
  }
}

/** An affine G1 point from snarkjs's [x, y, "1"]; null unless on the curve and not infinity. */
function parseG1(mcl: McLib, value: unknown): Mcl.G1 | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const [x, y, z] = value.map((item: unknown) => fieldElement(item, BN254_P));
  if (x == null || y == null || z !== 1n) return null;
  const point = attempt(() => {
    const p = new mcl.G1();
    p.setStr(`1 ${x} ${y}`, 10);
    return p;
  });
  // isValid repeats the on-curve check setStr made, so a change in mcl's parsing cannot drop it.
  return point && !point.isZero() && point.isValid() ? point : null;
}

/**
 * An affine G2 point from snarkjs's [[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]; null unless on the
 * twist, in the order-r subgroup and not infinity. mcl writes an Fp2 element a + b·u as "a b", the
 * same order as snarkjs's [c0, c1] (the Solidity calldata is the reverse; see toSolidityProof).
 */
export function parseG2(mcl: McLib, value: unknown): Mcl.G2 | null {
  if (!Array.isArray(value) || value.length !== 3) return null;
  const pairs = value.map((pair: unknown) => (Array.isArray(pair) && pair.length === 2 ? pair.map((item: unknown) => fieldElement(item, BN254_P)) : null));
  const [x, y, z] = pairs;
  if (!x || !y || !z || x.some((c) => c == null) || y.some((c) => c == null) || z[0] !== 1n || z[1] !== 0n) return null;
  const point = attempt(() => {
    const q = new mcl.G2();
    q.setStr(`1 ${x[0]} ${x[1]} ${y[0]} ${y[1]}`, 10);
    return q;
  });
  return point && !point.isZero() && point.isValid() && point.isValidOrder() ? point : null;
}

function keyPointG1(mcl: McLib, name: string, value: unknown): Mcl.G1 {
  const point = parseG1(mcl, value);
  if (!point) throw new ZkProofError('zk.verify_bad_key', 'The verification key has an invalid G1 point.', { details: name });
  return point;
}

function keyPointG2(mcl: McLib, name: string, value: unknown): Mcl.G2 {
  const point = parseG2(mcl, value);
  if (!point) throw new ZkProofError('zk.verify_bad_key', 'The verification key has an invalid G2 point.', { details: name });
  return point;
}

/** A proof and its signals, parsed and checked point by point, with its vk_x folded in. */
type ParsedProof = { a: Mcl.G1; b: Mcl.G2; c: Mcl.G1; vkX: Mcl.G1 };

/**
 * Parses the batch circuit's verification key once and precomputes what does not depend on the
 * proof: e(alpha, beta) and the Miller-loop line coefficients of gamma and delta. The returned
 * functions are synchronous (a verification thread calls them inline) and return false, never
 * throw, for any proof or signals that do not verify, malformed ones included.
 * Throws ZkProofError `zk.verify_bad_key` if the key is not a usable 4-signal Groth16 key.
 */
export async function createMclVerifiers(vkey: Groth16VerificationKey): Promise<MclVerifiers> {
  if (vkey.protocol !== 'groth16' || vkey.curve !== 'bn128' || vkey.nPublic !== PUBLIC_SIGNALS) {
    throw new ZkProofError('zk.verify_bad_key', 'This verification key is not the Outpost batch circuit’s.', {
      details: `protocol ${String(vkey.protocol)}, curve ${String(vkey.curve)}, ${String(vkey.nPublic)} public signals`,
    });
  }
  const ic = vkey.IC;
  if (!Array.isArray(ic) || ic.length !== PUBLIC_SIGNALS + 1) {
    throw new ZkProofError('zk.verify_bad_key', 'The verification key needs one IC point per public signal, plus one.', { details: `IC has ${Array.isArray(ic) ? ic.length : 'no'} points` });
  }
  const mcl = await loadMcl();
  const alpha = keyPointG1(mcl, 'vk_alpha_1', vkey.vk_alpha_1);
  const beta = keyPointG2(mcl, 'vk_beta_2', vkey.vk_beta_2);
  const gamma = new mcl.PrecomputedG2(keyPointG2(mcl, 'vk_gamma_2', vkey.vk_gamma_2));
  const delta = new mcl.PrecomputedG2(keyPointG2(mcl, 'vk_delta_2', vkey.vk_delta_2));
  const [ic0, ...icRest] = ic.map((point, i) => keyPointG1(mcl, `IC[${i}]`, point));
  const alphaBeta = mcl.pairing(alpha, beta);
  // The verifier lives as long as the relay process, so the precomputed G2 lines are never freed.

  function sameCurve(): void {
    if (mcl.curveType !== mcl.BN_SNARK1) {
      throw new ZkProofError('zk.verify_unavailable', 'mcl-wasm was re-initialised with another curve in this process.', { details: `curve ${mcl.curveType}` });
    }
  }

  /** Everything but the pairing: null for anything `one` would refuse before it. */
  function parse({ proof, publicSignals }: BatchProof): ParsedProof | null {
    if (!isGroth16Proof(proof) || !Array.isArray(publicSignals) || publicSignals.length !== PUBLIC_SIGNALS) return null;
    const scalars: Mcl.Fr[] = [];
    for (const signal of publicSignals) {
      if (typeof signal !== 'bigint' || signal < 0n || signal >= BN254_R) return null;
      const fr = new mcl.Fr();
      fr.setStr(signal.toString(), 10);
      scalars.push(fr);
    }
    const a = parseG1(mcl, proof.pi_a);
    const b = parseG2(mcl, proof.pi_b);
    const c = parseG1(mcl, proof.pi_c);
    if (!a || !b || !c) return null;
    return { a, b, c, vkX: mcl.add(ic0!, mcl.mulVec(icRest, scalars)) };
  }

  function pairingHolds({ a, b, c, vkX }: ParsedProof): boolean {
    // e(A, B) = e(alpha, beta) · e(vk_x, gamma) · e(C, delta), rearranged so the proof-dependent
    // side is one product of Miller loops and a single final exponentiation:
    //   FE( ML(A, B) · ML(-vk_x, gamma) · ML(-C, delta) ) = e(alpha, beta).
    // ML(0, Q) is 1 in mcl, so a vk_x at infinity (signals hitting a zero combination) stays correct.
    const loops = mcl.mul(mcl.millerLoop(a, b), mcl.precomputedMillerLoop2(mcl.neg(vkX), gamma, mcl.neg(c), delta));
    return mcl.finalExp(loops).isEqual(alphaBeta);
  }

  /**
   * The random linear combination of the proofs' equations, with fresh 128-bit coefficients r_i
   * from the CSPRNG:
   *   FE( ∏ ML(r_i·A_i, B_i) · ML(−Σ r_i·vk_x_i, gamma) · ML(−Σ r_i·C_i, delta) ) = e(alpha, beta)^(Σ r_i).
   * If all hold, it holds. If any fails, it holds with probability about 2^-128 over the choice of
   * the r_i: errors that cancel for one choice (equal coefficients, say) do not for random ones.
   */
  function combinationHolds(items: readonly ParsedProof[]): boolean {
    const r = items.map(() => randomCoefficient(mcl));
    let loops = mcl.precomputedMillerLoop2(mcl.neg(mcl.mulVec(items.map((item) => item.vkX), r)), gamma, mcl.neg(mcl.mulVec(items.map((item) => item.c), r)), delta);
    let sum = new mcl.Fr();
    items.forEach((item, i) => {
      loops = mcl.mul(loops, mcl.millerLoop(mcl.mul(item.a, r[i]!), item.b));
      sum = mcl.add(sum, r[i]!);
    });
    return mcl.finalExp(loops).isEqual(mcl.pow(alphaBeta, sum));
  }

  /**
   * Verdicts for parsed proofs: the combination first, halves of it when it fails, one by one at
   * the end. `failing`: this group's combination is already known to fail (its sibling half all
   * held), so it is split without testing it again. When both halves hold bad proofs, bad ones are
   * likely many (a flood of junk), and halving further would cost more than checking the right
   * half one by one after a single combined test.
   */
  function settle(items: readonly ParsedProof[], failing = false): boolean[] {
    if (items.length === 1) return [pairingHolds(items[0]!)];
    if (failing && items.length === 2) return items.map(pairingHolds);
    if (!failing && combinationHolds(items)) return items.map(() => true);
    const half = Math.ceil(items.length / 2);
    const left = settle(items.slice(0, half));
    const right = items.slice(half);
    if (left.every(Boolean)) return [...left, ...settle(right, true)];
    if (right.length > 1 && combinationHolds(right)) return [...left, ...right.map(() => true)];
    return [...left, ...right.map(pairingHolds)];
  }

  return {
    one(batch) {
      sameCurve();
      const parsed = parse(batch);
      return parsed !== null && pairingHolds(parsed);
    },
    many(batches) {
      sameCurve();
      const parsed = batches.map(parse);
      const valid = parsed.filter((item): item is ParsedProof => item !== null);
      const verdicts = valid.length > 0 ? settle(valid) : [];
      let next = 0;
      return parsed.map((item) => item !== null && verdicts[next++]!);
    },
  };
}

/** The single verifier alone (the app's cross-checks and the bench use it). */
export async function createMclBatchVerifier(vkey: Groth16VerificationKey): Promise<BatchProofVerifier> {
  return (await createMclVerifiers(vkey)).one;
}

/** A uniformly random non-zero 128-bit scalar from the platform CSPRNG (never a fixed or seeded one). */
function randomCoefficient(mcl: McLib): Mcl.Fr {
  const bytes = new Uint8Array(16);
  const fr = new mcl.Fr();
  do {
    crypto.getRandomValues(bytes);
    fr.setLittleEndian(bytes);
  } while (fr.isZero());
  return fr;
}
