/**
 * The relay's combined verification (createMclVerifiers().many) says of every proof exactly what
 * verifying it alone says. Expected verdicts come from how each proof was made (honest, or one
 * named change to an honest one, which snarkjs refuses in groth16Mcl.test.ts), and the single
 * verifier is checked to agree with them first.
 */
import fc from 'fast-check';
import { privateKeyToAccount } from 'viem/accounts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchProof, Groth16Proof } from '../../../src/core/zk/proof.js';
import { proveBatch } from '../../../src/core/zk/prove.js';
import { buildBatchWitness } from '../../../src/core/zk/witness.js';
import { readProvingArtifacts, readVerificationKey } from '../../../src/node/zkArtifacts.js';
import { createMclVerifiers, type MclVerifiers } from '../../../src/relay/verify/groth16Mcl.js';
import { honestClaim, honestReadings } from '../zk/fixtures.js';
import { G1, G2, P, R, g1Json, g1Point, g2Json, g2Point, twistPointOutsideSubgroup, type G1Json } from './bn254Points.js';

// DEV ONLY test keys (Hardhat's well-known accounts #2–#4), standing in for device keys.
const DEVICES = [
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
  '0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a',
] as const;

type Labelled = { name: string; batch: BatchProof; valid: boolean };

let verifiers: MclVerifiers;
let honest: BatchProof[];
let pool: Labelled[];

const change = (batch: BatchProof, proof: Partial<Groth16Proof>): BatchProof => ({ proof: { ...batch.proof, ...proof }, publicSignals: batch.publicSignals });
const signal = (batch: BatchProof, index: number, value: bigint): BatchProof => {
  const publicSignals = [...batch.publicSignals] as [bigint, bigint, bigint, bigint];
  publicSignals[index] = value;
  return { proof: batch.proof, publicSignals };
};
const a = (batch: BatchProof) => g1Point(batch.proof.pi_a as G1Json);
const c = (batch: BatchProof) => g1Point(batch.proof.pi_c as G1Json);
const b = (batch: BatchProof) => g2Point(batch.proof.pi_b);

/** Honest proofs, proofs valid in another form (A and B negated), and many kinds of bad ones. */
function labelledPool(): Labelled[] {
  const outside = g2Json(twistPointOutsideSubgroup());
  const entries: Labelled[] = [];
  honest.forEach((proof, i) => {
    const other = honest[(i + 1) % honest.length]!;
    entries.push(
      { name: `honest ${i}`, batch: proof, valid: true },
      { name: `honest ${i}, A and B negated`, batch: change(proof, { pi_a: g1Json(a(proof).negate()), pi_b: g2Json(b(proof).negate()) }), valid: true },
      { name: `${i}: signal 0 changed`, batch: signal(proof, 0, proof.publicSignals[0] ^ 1n), valid: false },
      { name: `${i}: signal 3 changed`, batch: signal(proof, 3, proof.publicSignals[3] ^ 4n), valid: false },
      { name: `${i}: another proof's signals`, batch: { proof: proof.proof, publicSignals: other.publicSignals }, valid: false },
      { name: `${i}: A doubled`, batch: change(proof, { pi_a: g1Json(a(proof).double()) }), valid: false },
      { name: `${i}: C plus the generator`, batch: change(proof, { pi_c: g1Json(c(proof).add(G1.BASE)) }), valid: false },
      { name: `${i}: B plus the generator`, batch: change(proof, { pi_b: g2Json(b(proof).add(G2.BASE)) }), valid: false },
      { name: `${i}: another proof's B`, batch: change(proof, { pi_b: other.proof.pi_b }), valid: false },
      // Refused while parsing, as alone: the subgroup, range and form checks stay.
      { name: `${i}: B outside the subgroup`, batch: change(proof, { pi_b: outside }), valid: false },
      { name: `${i}: signal 1 + r`, batch: signal(proof, 1, proof.publicSignals[1] + R), valid: false },
      { name: `${i}: A's x + p`, batch: change(proof, { pi_a: [(BigInt(proof.proof.pi_a[0]) + P).toString(), proof.proof.pi_a[1], '1'] }), valid: false },
      { name: `${i}: malformed`, batch: change(proof, { pi_c: ['1', '2'] as never }), valid: false },
    );
  });
  return entries;
}

beforeAll(async () => {
  const artifacts = await readProvingArtifacts();
  honest = [];
  for (const key of DEVICES) {
    const witness = buildBatchWitness(honestReadings(64), honestClaim({ device: privateKeyToAccount(key).address }));
    honest.push(await proveBatch(witness.input, witness.publicSignalsTuple, artifacts));
  }
  verifiers = await createMclVerifiers(await readVerificationKey());
  pool = labelledPool();
}, 180_000);

describe('combined Groth16 verification (random linear combination, then halving)', () => {
  it('the single verifier gives every proof of the pool its label (the basis of the mixes below)', () => {
    for (const entry of pool) expect(verifiers.one(entry.batch), entry.name).toBe(entry.valid);
  });

  it('accepts exactly what single verification accepts across 500 seeded mixes (none, one, several or all bad)', () => {
    let mixes = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(0, 0.1, 0.5, 0.9, 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat()), { minLength: 1, maxLength: 12 }),
        (badShare, draws) => {
          const valid = pool.filter((entry) => entry.valid);
          const invalid = pool.filter((entry) => !entry.valid);
          const mix = draws.map(([roll, pick]) => (roll < badShare ? invalid[pick % invalid.length]! : valid[pick % valid.length]!));
          const verdicts = verifiers.many(mix.map((entry) => entry.batch));
          expect(verdicts, mix.map((entry) => entry.name).join(', ')).toEqual(mix.map((entry) => entry.valid));
          mixes++;
        },
      ),
      { numRuns: 500, seed: 0x0075_7470 },
    );
    expect(mixes).toBe(500);
    // About 3,000 pairing checks: ~15 s on a quiet 2-core machine, twice that beside other test files.
  }, 120_000);

  it('refuses two bad proofs whose errors cancel when combined with equal coefficients', () => {
    const [first, second] = honest;
    // C + G and C − G: with equal coefficients r, r·(C + G) + r·(C − G) = 2r·C, the same sum as two
    // honest copies, so a combination with a fixed or repeated coefficient would accept both.
    const up = change(first!, { pi_c: g1Json(c(first!).add(G1.BASE)) });
    const down = change(first!, { pi_c: g1Json(c(first!).subtract(G1.BASE)) });
    expect(c(up).add(c(down)).equals(c(first!).double())).toBe(true);
    // The same on A, with B shared: e(r·(A + X), B) · e(r·(A − X), B) = e(2r·A, B).
    const x = G1.BASE.multiply(7n);
    const left = change(second!, { pi_a: g1Json(a(second!).add(x)) });
    const right = change(second!, { pi_a: g1Json(a(second!).subtract(x)) });
    expect(a(left).add(a(right)).equals(a(second!).double())).toBe(true);

    for (let run = 0; run < 20; run++) {
      expect(verifiers.many([up, down])).toEqual([false, false]);
      expect(verifiers.many([left, right])).toEqual([false, false]);
      expect(verifiers.many([first!, up, down, second!, left, right, honest[2]!])).toEqual([true, false, false, true, false, false, true]);
    }
  });

  it('gives one verdict per proof, in order, for empty, single and duplicated inputs', () => {
    expect(verifiers.many([])).toEqual([]);
    expect(verifiers.many([honest[0]!])).toEqual([true]);
    expect(verifiers.many([pool.find((entry) => !entry.valid)!.batch])).toEqual([false]);
    expect(verifiers.many([honest[1]!, honest[1]!, honest[1]!])).toEqual([true, true, true]);
  });
});
