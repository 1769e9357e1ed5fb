/**
 * The relay's verification threads give the same answers as the same checks run inline, and a
 * malformed signature is the client's fault (SignatureRecoveryError), not a failed thread.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverAddress, type Hex } from 'viem';
import { batchSigningDigest } from '../../../src/core/batch/signingDigest.js';
import { readVerificationKey } from '../../../src/node/zkArtifacts.js';
import type { BatchProof } from '../../../src/core/zk/proof.js';
import { createVerifier, MAX_PROOFS_PER_CHECK, SignatureRecoveryError, type Verifier } from '../../../src/relay/verify/pool.js';
import { CURRENT_EPOCH, makeBatch, testDeviceKey, type Submission } from '../../relay/helpers/batches.js';

let submission: Submission;
let batch: BatchProof;
let hash: Hex;
const verifiers: [string, Verifier][] = [];

beforeAll(async () => {
  submission = await makeBatch(testDeviceKey('pool'), CURRENT_EPOCH, 7);
  batch = { proof: submission.proof as BatchProof['proof'], publicSignals: submission.publicSignals.map(BigInt) as unknown as BatchProof['publicSignals'] };
  hash = batchSigningDigest(BigInt(submission.commitment));
  const vkey = await readVerificationKey();
  verifiers.push(['inline', await createVerifier(vkey, { threads: 0 })], ['one thread', await createVerifier(vkey, { threads: 1 })], ['two threads', await createVerifier(vkey, { threads: 2 })]);
}, 120_000);

afterAll(async () => {
  await Promise.all(verifiers.map(([, verifier]) => verifier.close()));
});

describe('verification threads', () => {
  it('verify the real proof and refuse a tampered one, inline and on threads alike', async () => {
    const tampered = { ...batch, publicSignals: [batch.publicSignals[0], batch.publicSignals[1], batch.publicSignals[2], batch.publicSignals[3] ^ 1n] as const };
    for (const [name, verifier] of verifiers) {
      // Several at once, so the two-thread pool spreads them over both threads.
      const verdicts = await Promise.all([verifier.verifyProof(batch), verifier.verifyProof(tampered), verifier.verifyProof(batch), verifier.verifyProof(tampered)]);
      expect(verdicts, name).toEqual([true, false, true, false]);
    }
  });

  it('combine proofs that arrive while the threads are busy, past the cap of one check, keeping each verdict with its proof', async () => {
    const tampered = { ...batch, publicSignals: [batch.publicSignals[0] ^ 1n, batch.publicSignals[1], batch.publicSignals[2], batch.publicSignals[3]] as const };
    // Every seventh is bad: each combined check of up to MAX_PROOFS_PER_CHECK holds some, so each is halved down to them.
    const expected = Array.from({ length: MAX_PROOFS_PER_CHECK + 9 }, (_, i) => i % 7 !== 3);
    for (const [name, verifier] of verifiers) {
      const verdicts = await Promise.all(expected.map((valid) => verifier.verifyProof(valid ? batch : tampered)));
      expect(verdicts, name).toEqual(expected);
    }
  });

  it('recover the device that signed, as viem does on this thread, on the native library in every thread', async () => {
    const expected = await recoverAddress({ hash, signature: submission.signature });
    expect(expected.toLowerCase()).toBe(submission.device.toLowerCase());
    // With threads, native recovery runs on the calling thread (cheaper than the hand-over); inline it is there anyway.
    for (const [name, verifier] of verifiers) expect(verifier.recoveryBackend, name).toBe(name === 'inline' ? 'libsecp256k1' : 'libsecp256k1 (on the calling thread)');
    for (const [name, verifier] of verifiers) expect(await verifier.recoverSigner(hash, submission.signature), name).toBe(expected);
  });

  it('report a signature BatchInbox refuses as SignatureRecoveryError: malformed, or the high-s twin viem accepts', async () => {
    const badV = `${submission.signature.slice(0, 130)}05` as Hex;
    const zeroR = `0x${'00'.repeat(32)}${submission.signature.slice(66)}` as Hex;
    // secp256k1's n (SEC 2): s → n − s with the recovery bit flipped recovers the same key.
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const s = BigInt(`0x${submission.signature.slice(66, 130)}`);
    const v = Number.parseInt(submission.signature.slice(130, 132), 16);
    const highS = `${submission.signature.slice(0, 66)}${(n - s).toString(16).padStart(64, '0')}${(v >= 27 ? 55 - v : v ^ 1).toString(16).padStart(2, '0')}` as Hex;
    expect((await recoverAddress({ hash, signature: highS })).toLowerCase()).toBe(submission.device.toLowerCase());
    for (const [name, verifier] of verifiers) {
      await expect(verifier.recoverSigner(hash, badV), name).rejects.toBeInstanceOf(SignatureRecoveryError);
      await expect(verifier.recoverSigner(hash, zeroR), name).rejects.toBeInstanceOf(SignatureRecoveryError);
      await expect(verifier.recoverSigner(hash, highS), name).rejects.toBeInstanceOf(SignatureRecoveryError);
    }
  });

  it('tell the observer each check’s time on its thread and how many proofs it combined (the relay’s /metrics)', async () => {
    const seen: { check: string; ms: number; proofs: number }[] = [];
    const observed = await createVerifier(await readVerificationKey(), { threads: 1, observe: (check, ms, proofs) => seen.push({ check, ms, proofs }) });
    try {
      await Promise.all([observed.verifyProof(batch), observed.verifyProof(batch), observed.verifyProof(batch)]);
      await observed.recoverSigner(hash, submission.signature);
    } finally {
      await observed.close();
    }
    const proofs = seen.filter((entry) => entry.check === 'proofs');
    expect(proofs.reduce((sum, entry) => sum + entry.proofs, 0)).toBe(3);
    expect(seen.filter((entry) => entry.check === 'recover')).toHaveLength(1);
    // A Groth16 check takes milliseconds on any machine; a time of 0 would mean the thread did not report it.
    expect(proofs.every((entry) => entry.ms > 0)).toBe(true);
  });
});
