/** Proving and verifying in Node with the committed artifacts (real snarkjs, real keys). */
import { beforeAll, describe, expect, it } from 'vitest';
import { computeReadingsCommitment } from '../../../src/core/zk/commitment.js';
import { ZkProofError } from '../../../src/core/zk/errors.js';
import { readProvingArtifacts, readVerificationKey } from '../../../src/node/zkArtifacts.js';
import type { BatchProof } from '../../../src/core/zk/proof.js';
import { proveBatch, type ProvingProgress } from '../../../src/core/zk/prove.js';
import { sign, privateKeyToAccount } from 'viem/accounts';
import { batchSigningDigest } from '../../../src/core/batch/signingDigest.js';
import { verifyBatchProof, type Groth16VerificationKey } from '../../../src/core/zk/verify.js';
import { verifySignedBatch } from '../../../src/core/zk/verifySigned.js';
import { buildBatchWitness } from '../../../src/core/zk/witness.js';
import { honestClaim, honestReadings } from './fixtures.js';

// DEV ONLY test key (Hardhat's well-known account #1), standing in for a device key.
const DEVICE_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const DEVICE_ACCOUNT = privateKeyToAccount(DEVICE_KEY);

let vkey: Groth16VerificationKey;
let honest: BatchProof;
const progress: ProvingProgress[] = [];

beforeAll(async () => {
  vkey = await readVerificationKey();
  const witness = buildBatchWitness(honestReadings(40), honestClaim({ device: DEVICE_ACCOUNT.address }));
  honest = await proveBatch(witness.input, witness.publicSignalsTuple, await readProvingArtifacts(), (step) => progress.push(step));
}, 120_000);

describe('batch proof in Node', () => {
  it('proves an honest batch that verifies', async () => {
    expect(honest.publicSignals[0]).toBe(computeReadingsCommitment(honestReadings(40)));
    expect(await verifyBatchProof(vkey, honest)).toBe(true);
  });

  it('reports progress from witness to done, in order', () => {
    expect(progress[0]?.stage).toBe('witness');
    expect(progress.at(-1)?.stage).toBe('done');
    expect(progress.filter((step) => step.stage === 'proving').length).toBeGreaterThan(5);
    const fractions = progress.map((step) => step.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('fails verification when any public signal is tampered with', async () => {
    for (let index = 0; index < 4; index++) {
      const publicSignals = [...honest.publicSignals] as [bigint, bigint, bigint, bigint];
      publicSignals[index] = publicSignals[index]! ^ 1n;
      expect(await verifyBatchProof(vkey, { proof: honest.proof, publicSignals }), `signal ${index}`).toBe(false);
    }
  });

  it('rejects a public signal shifted by the field modulus (no aliasing)', async () => {
    const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
    for (let index = 0; index < 4; index++) {
      const publicSignals = [...honest.publicSignals] as [bigint, bigint, bigint, bigint];
      publicSignals[index] = publicSignals[index]! + r;
      expect(await verifyBatchProof(vkey, { proof: honest.proof, publicSignals }), `signal ${index}`).toBe(false);
    }
  });

  it('treats a malformed proof as invalid', async () => {
    const proof = { ...honest.proof, pi_a: ['1', '2', '1'] as [string, string, string] };
    expect(await verifyBatchProof(vkey, { proof, publicSignals: honest.publicSignals })).toBe(false);
    expect(await verifyBatchProof(vkey, { proof: { protocol: 'groth16' } as never, publicSignals: honest.publicSignals })).toBe(false);
  });

  it('refuses to prove readings that differ from the signed commitment', async () => {
    const readings = honestReadings(40);
    const witness = buildBatchWitness(readings, honestClaim());
    const signed = [...witness.publicSignalsTuple] as [bigint, bigint, bigint, bigint];
    signed[0] = computeReadingsCommitment(honestReadings(41).slice(1));
    await expect(proveBatch(witness.input, signed, await readProvingArtifacts())).rejects.toMatchObject({ code: 'zk.prove_signals_mismatch' });
  }, 60_000);

  it('reports a circuit rejection as a ZkProofError', async () => {
    const witness = buildBatchWitness(honestReadings(40), honestClaim());
    const input = { ...witness.input, statement: String(witness.publicSignalsTuple[3] + 1n) };
    const error = await proveBatch(input, witness.publicSignalsTuple, await readProvingArtifacts()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ZkProofError);
    expect((error as ZkProofError).code).toBe('zk.prove_failed');
  }, 60_000);

  it('computes the witness while the proving key is still arriving, and proves once it has', async () => {
    const { wasm, zkey } = await readProvingArtifacts();
    const stagesAtArrival: string[] = [];
    const seen: ProvingProgress[] = [];
    let deliver!: (bytes: Uint8Array) => void;
    const arriving = new Promise<Uint8Array>((resolve) => (deliver = resolve));
    const witness = buildBatchWitness(honestReadings(40), honestClaim());
    const proving = proveBatch(witness.input, witness.publicSignalsTuple, { wasm, zkey: arriving }, (step) => seen.push(step));
    // The witness needs only the wasm: it is computed before the key is handed over.
    await expect.poll(() => seen.some((step) => step.stage === 'witness'), { timeout: 30_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stagesAtArrival.push(...seen.map((step) => step.stage));
    deliver(await zkey);
    const proved = await proving;
    expect(stagesAtArrival).not.toContain('proving');
    expect(seen.filter((step) => step.stage === 'proving').length).toBeGreaterThan(5);
    expect(await verifyBatchProof(vkey, proved)).toBe(true);
  }, 60_000);

  it('lets a failed download of the proving key keep its own error', async () => {
    const { wasm } = await readProvingArtifacts();
    const offline = new ZkProofError('zk.artifact_offline', 'Could not download the proving file outpost_batch.zkey.');
    const witness = buildBatchWitness(honestReadings(40), honestClaim());
    await expect(proveBatch(witness.input, witness.publicSignalsTuple, { wasm, zkey: Promise.reject(offline) })).rejects.toBe(offline);
  }, 60_000);

  it('accepts a batch whose commitment the device signed, and names what is wrong otherwise', async () => {
    const digest = batchSigningDigest(honest.publicSignals[0]);
    const signature = await sign({ hash: digest, privateKey: DEVICE_KEY, to: 'hex' });
    const verdict = await verifySignedBatch(vkey, honest, signature);
    expect(verdict).toMatchObject({ ok: true, signals: { device: DEVICE_ACCOUNT.address, statement: { count: 40 } } });

    const otherKey = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
    const wrongSigner = await verifySignedBatch(vkey, honest, await sign({ hash: digest, privateKey: otherKey, to: 'hex' }));
    expect(wrongSigner).toMatchObject({ ok: false, reason: 'signature' });

    const tampered = { proof: honest.proof, publicSignals: [honest.publicSignals[0], honest.publicSignals[1], honest.publicSignals[2], honest.publicSignals[3] + 1n] as const };
    expect(await verifySignedBatch(vkey, tampered, signature)).toMatchObject({ ok: false, reason: 'proof' });
  });
});
