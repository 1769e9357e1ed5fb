/**
 * The relay's mcl verifier against snarkjs (the reference) on a real proof from the committed
 * circuit artifacts. Expected verdicts come from snarkjs, from the proof's construction (tampered
 * means false) and from an independent curve implementation (@noble/curves) for point facts.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { privateKeyToAccount } from 'viem/accounts';
import { ZkProofError } from '../../../src/core/zk/errors.js';
import { readProvingArtifacts, readVerificationKey } from '../../../src/node/zkArtifacts.js';
import type { BatchProof, Groth16Proof } from '../../../src/core/zk/proof.js';
import { proveBatch } from '../../../src/core/zk/prove.js';
import { verifyBatchProof, type Groth16VerificationKey } from '../../../src/core/zk/verify.js';
import { buildBatchWitness } from '../../../src/core/zk/witness.js';
import { createMclBatchVerifier, loadMcl, parseG2, type BatchProofVerifier } from '../../../src/relay/verify/groth16Mcl.js';
import { honestClaim, honestReadings } from '../zk/fixtures.js';
import { G1, G2, P, R, g1Json, g1Point, g2Json, g2Point, g2Times, twistPointOutsideSubgroup, type G1Json, type G2Json } from './bn254Points.js';


// DEV ONLY test key (Hardhat's well-known account #2), standing in for a device key.
const DEVICE = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a');

let vkey: Groth16VerificationKey;
let honest: BatchProof;
let verifyMcl: BatchProofVerifier;

beforeAll(async () => {
  vkey = await readVerificationKey();
  const witness = buildBatchWitness(honestReadings(64), honestClaim({ device: DEVICE.address }));
  honest = await proveBatch(witness.input, witness.publicSignalsTuple, await readProvingArtifacts());
  verifyMcl = await createMclBatchVerifier(vkey);
}, 120_000);

const withProof = (change: Partial<Groth16Proof>): BatchProof => ({ proof: { ...honest.proof, ...change }, publicSignals: honest.publicSignals });
const withSignal = (index: number, value: bigint): BatchProof => {
  const publicSignals = [...honest.publicSignals] as [bigint, bigint, bigint, bigint];
  publicSignals[index] = value;
  return { proof: honest.proof, publicSignals };
};

async function bothVerdicts(batch: BatchProof): Promise<{ mcl: boolean; snarkjs: boolean }> {
  return { mcl: verifyMcl(batch), snarkjs: await verifyBatchProof(vkey, batch) };
}

describe('mcl Groth16 verifier against snarkjs', () => {
  it('accepts the real proof, as snarkjs does', async () => {
    expect(await bothVerdicts(honest)).toEqual({ mcl: true, snarkjs: true });
  });

  it('refuses each tampered public signal, as snarkjs does', async () => {
    for (let index = 0; index < 4; index++) {
      expect(await bothVerdicts(withSignal(index, honest.publicSignals[index]! ^ 1n)), `signal ${index}`).toEqual({ mcl: false, snarkjs: false });
    }
  });

  it('refuses public signals that are not below r (no aliasing), and negative ones', async () => {
    for (let index = 0; index < 4; index++) {
      expect(await bothVerdicts(withSignal(index, honest.publicSignals[index]! + R)), `signal ${index} + r`).toEqual({ mcl: false, snarkjs: false });
      expect(verifyMcl(withSignal(index, R)), `signal ${index} = r`).toBe(false);
      expect(verifyMcl(withSignal(index, -1n)), `signal ${index} = -1`).toBe(false);
    }
  });

  it('refuses swapped, negated and modified proof points, as snarkjs does', async () => {
    const a = honest.proof.pi_a as G1Json;
    const c = honest.proof.pi_c as G1Json;
    const b = honest.proof.pi_b;
    const cases: Record<string, Partial<Groth16Proof>> = {
      'A and C swapped': { pi_a: c, pi_c: a },
      'A negated': { pi_a: g1Json(g1Point(a).negate()) },
      'C negated': { pi_c: g1Json(g1Point(c).negate()) },
      'B negated': { pi_b: g2Json(g2Point(b).negate()) },
      'A doubled': { pi_a: g1Json(g1Point(a).double()) },
      'C plus the generator': { pi_c: g1Json(g1Point(c).add(G1.BASE)) },
      'B plus the generator': { pi_b: g2Json(g2Point(b).add(G2.BASE)) },
      'A and B both negated, C doubled': { pi_a: g1Json(g1Point(a).negate()), pi_b: g2Json(g2Point(b).negate()), pi_c: g1Json(g1Point(c).double()) },
    };
    for (const [name, change] of Object.entries(cases)) {
      expect(await bothVerdicts(withProof(change)), name).toEqual({ mcl: false, snarkjs: false });
    }
  });

  it('accepts the proof with both A and B negated, as snarkjs does (e(-A, -B) = e(A, B))', async () => {
    // A check that only compared strings, or mixed up Fp2 halves, would fail this.
    const change = { pi_a: g1Json(g1Point(honest.proof.pi_a as G1Json).negate()), pi_b: g2Json(g2Point(honest.proof.pi_b).negate()) };
    expect(await bothVerdicts(withProof(change))).toEqual({ mcl: true, snarkjs: true });
  });

  it('refuses points off the curve, as snarkjs does', async () => {
    const [ax, ay] = honest.proof.pi_a;
    const b = honest.proof.pi_b;
    const offA: G1Json = [ax, ((BigInt(ay) + 1n) % P).toString(), '1'];
    const offB: G2Json = [b[0], [b[1][0], ((BigInt(b[1][1]) + 1n) % P).toString()], b[2]];
    // snarkjs's [c0, c1] read the other way round, as a careless Solidity-order parse would.
    const flippedB: G2Json = [[b[0][1], b[0][0]], [b[1][1], b[1][0]], b[2]];
    expect(() => g1Point(offA).assertValidity()).toThrow();
    expect(() => g2Point(offB).assertValidity()).toThrow();
    expect(() => g2Point(flippedB).assertValidity()).toThrow();
    expect(await bothVerdicts(withProof({ pi_a: offA }))).toEqual({ mcl: false, snarkjs: false });
    expect(await bothVerdicts(withProof({ pi_b: offB }))).toEqual({ mcl: false, snarkjs: false });
    expect(await bothVerdicts(withProof({ pi_b: flippedB }))).toEqual({ mcl: false, snarkjs: false });
    expect(await bothVerdicts(withProof({ pi_c: ['1', '3', '1'] }))).toEqual({ mcl: false, snarkjs: false });
  });

  it('refuses a B on the twist but outside the order-r subgroup', async () => {
    const mcl = await loadMcl();
    const outside = twistPointOutsideSubgroup();
    const cleared = g2Times(outside, 2n * P - R); // the twist's cofactor: #E'(Fp2) = r·(2p − r)
    expect(g2Times(cleared, R).is0()).toBe(true);
    // On the curve (so only the subgroup check can refuse it) and refused; its cofactor multiple is taken.
    expect(() => outside.assertValidity()).toThrow(/subgroup/);
    expect(parseG2(mcl, g2Json(outside))).toBeNull();
    expect(parseG2(mcl, g2Json(cleared))).not.toBeNull();
    expect(parseG2(mcl, honest.proof.pi_b)).not.toBeNull();
    expect(await bothVerdicts(withProof({ pi_b: g2Json(outside) }))).toEqual({ mcl: false, snarkjs: false });
    // The B of the real proof plus a low-order-ish component: on the curve, not in the subgroup.
    const mixed = g2Point(honest.proof.pi_b).add(outside);
    expect(g2Times(mixed, R).is0()).toBe(false);
    expect(parseG2(mcl, g2Json(mixed))).toBeNull();
    expect(verifyMcl(withProof({ pi_b: g2Json(mixed) }))).toBe(false);
  });

  it('refuses the point at infinity for A, B and C', async () => {
    const infinityG1: G1Json = ['0', '1', '0'];
    const infinityG2: G2Json = [['0', '0'], ['1', '0'], ['0', '0']];
    for (const change of [{ pi_a: infinityG1 }, { pi_c: infinityG1 }, { pi_b: infinityG2 }]) {
      expect(await bothVerdicts(withProof(change)), JSON.stringify(change)).toEqual({ mcl: false, snarkjs: false });
    }
    expect(verifyMcl(withProof({ pi_a: ['0', '0', '1'] }))).toBe(false);
  });

  it('refuses what the chain refuses though snarkjs reads it: a coordinate ≥ p, a z other than 1', () => {
    const [ax, ay] = honest.proof.pi_a;
    expect(verifyMcl(withProof({ pi_a: [(BigInt(ax) + P).toString(), ay, '1'] }))).toBe(false);
    expect(verifyMcl(withProof({ pi_a: [ax, ay, '2'] }))).toBe(false);
    const b = honest.proof.pi_b;
    expect(verifyMcl(withProof({ pi_b: [b[0], b[1], ['1', '1']] }))).toBe(false);
  });

  it('returns false, never throws, for malformed proofs and signals', () => {
    const malformed: unknown[] = [
      { protocol: 'groth16' },
      { ...honest.proof, protocol: 'plonk' },
      { ...honest.proof, pi_a: ['1', '2'] },
      { ...honest.proof, pi_a: [1, 2, 1] },
      { ...honest.proof, pi_b: [['1', '2'], ['3', '4']] },
      { ...honest.proof, pi_c: ['0x01', '2', '1'] },
      { ...honest.proof, pi_c: ['9'.repeat(79), '2', '1'] },
      null,
      'proof',
    ];
    for (const proof of malformed) expect(verifyMcl({ proof: proof as Groth16Proof, publicSignals: honest.publicSignals }), JSON.stringify(proof)).toBe(false);
    expect(verifyMcl({ proof: honest.proof, publicSignals: honest.publicSignals.slice(0, 3) as never })).toBe(false);
    expect(verifyMcl({ proof: honest.proof, publicSignals: honest.publicSignals.map(String) as never })).toBe(false);
  });

  it('agrees with snarkjs on random one-coordinate perturbations', async () => {
    const coordinates = (proof: Groth16Proof): string[] => [...proof.pi_a.slice(0, 2), ...proof.pi_b[0], ...proof.pi_b[1], ...proof.pi_c.slice(0, 2)];
    const rebuild = (values: string[]): Groth16Proof => ({
      ...honest.proof,
      pi_a: [values[0]!, values[1]!, '1'],
      pi_b: [[values[2]!, values[3]!], [values[4]!, values[5]!], ['1', '0']],
      pi_c: [values[6]!, values[7]!, '1'],
    });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: 1n, max: 1n << 64n }), async (index, delta) => {
        const values = coordinates(honest.proof);
        values[index] = ((BigInt(values[index]!) + delta) % P).toString();
        const verdicts = await bothVerdicts(withProof(rebuild(values)));
        expect(verdicts.mcl).toBe(verdicts.snarkjs);
        expect(verdicts.mcl).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses verification keys that are not the batch circuit’s, with a typed error', async () => {
    await expect(createMclBatchVerifier({ ...vkey, nPublic: 3 })).rejects.toBeInstanceOf(ZkProofError);
    await expect(createMclBatchVerifier({ ...vkey, IC: (vkey.IC as unknown[]).slice(0, 4) })).rejects.toMatchObject({ code: 'zk.verify_bad_key' });
    const alpha = vkey.vk_alpha_1 as G1Json;
    await expect(createMclBatchVerifier({ ...vkey, vk_alpha_1: [alpha[0], alpha[0], '1'] })).rejects.toMatchObject({ code: 'zk.verify_bad_key' });
  });
});
