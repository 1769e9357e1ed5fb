/**
 * The relay's two CPU-heavy checks alone, on one thread: Groth16 verification one proof at a time
 * against the combined check of n proofs (groth16Mcl.ts), and secp256k1 recovery in three
 * implementations. Each side is timed in turns (interleaved, the order alternating), REPS times,
 * and the medians are compared within this run. Writes bench/results/verify.md and .json.
 */
import { availableParallelism, loadavg } from 'node:os';
import { hexToBytes, recoverAddress, type Hex } from 'viem';
import { batchSigningDigest } from '../src/core/batch/signingDigest.js';
import type { BatchProof } from '../src/core/zk/proof.js';
import { readVerificationKey } from '../src/node/zkArtifacts.js';
import { createMclVerifiers } from '../src/relay/verify/groth16Mcl.js';
import { recoverBatchSigner, recoverWithNative, recoverWithNoble, RECOVERY_BACKEND } from '../src/relay/verify/signature.js';
import { CURRENT_EPOCH, makeBatch, testDeviceKey, type Submission } from '../tests/relay/helpers/batches.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';
import { median, timed } from './lib/stats.js';

const REPS = 7;
const SIZES = [1, 2, 4, 8, 16, 32];
const RECOVERIES = 300;

export async function run(): Promise<void> {
  const loadBefore = loadavg();
  const submissions: Submission[] = [];
  for (const name of ['crash', 'bench', 'bench-2', 'bench-3']) {
    for (let i = 0; i < 8; i++) submissions.push(await makeBatch(testDeviceKey(name), CURRENT_EPOCH - 7 + i, name === 'crash' ? 10 + i : 100 + i));
  }
  const proofs: BatchProof[] = submissions.map((s) => ({ proof: s.proof as never, publicSignals: s.publicSignals.map(BigInt) as never }));
  const verifiers = await createMclVerifiers(await readVerificationKey());
  if (!verifiers.many(proofs).every(Boolean) || !proofs.every((p) => verifiers.one(p))) throw new Error('a bench proof does not verify');

  // Groth16: per proof, n alone against n combined, for each n.
  const single = new Map<number, number[]>();
  const combined = new Map<number, number[]>();
  for (let rep = 0; rep < REPS; rep++) {
    for (const n of SIZES) {
      const group = proofs.slice(0, n);
      const sides = [
        () => single.set(n, [...(single.get(n) ?? []), timed(n, () => group.forEach((p) => verifiers.one(p)))]),
        () => combined.set(n, [...(combined.get(n) ?? []), timed(n, () => verifiers.many(group))]),
      ];
      if (rep % 2 === 1) sides.reverse();
      sides.forEach((side) => side());
    }
  }
  // The cost of finding bad proofs: 32 with one bad, and 32 all bad, against 32 alone.
  const bad = { ...proofs[5]!, publicSignals: [proofs[5]!.publicSignals[0] ^ 1n, ...proofs[5]!.publicSignals.slice(1)] as never };
  const oneBad = proofs.map((p, i) => (i === 5 ? bad : p));
  const allBad = proofs.map((p) => ({ ...p, publicSignals: [p.publicSignals[0] ^ 1n, ...p.publicSignals.slice(1)] as never }));
  const oneBadMs: number[] = [];
  const allBadMs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    oneBadMs.push(timed(32, () => verifiers.many(oneBad)));
    allBadMs.push(timed(32, () => verifiers.many(allBad)));
  }

  // secp256k1 recovery: viem's recoverAddress (its bundled @noble/curves 1.x), the relay's whole rule
  // (signature.ts), and the bare key recovery on @noble/curves 2 and on libsecp256k1 (native binding).
  const signed = submissions.map((s) => ({ digest: batchSigningDigest(BigInt(s.commitment)), signature: s.signature as Hex }));
  const native = recoverWithNative;
  const raw = signed.map(({ digest, signature }) => {
    const bytes = hexToBytes(signature);
    return { digest: hexToBytes(digest), rs: bytes.subarray(0, 64), recovery: (bytes[64]! >= 27 ? bytes[64]! - 27 : bytes[64]!) as 0 | 1 };
  });
  const viemMs: number[] = [];
  const nobleMs: number[] = [];
  const nativeMs: number[] = [];
  const nobleRawMs: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const viemStart = performance.now();
    for (let i = 0; i < RECOVERIES; i++) {
      const item = signed[i % signed.length]!;
      await recoverAddress({ hash: item.digest, signature: item.signature });
    }
    viemMs.push((performance.now() - viemStart) / RECOVERIES);
    nobleMs.push(timed(RECOVERIES, () => {
      for (let i = 0; i < RECOVERIES; i++) {
        const item = signed[i % signed.length]!;
        if (!recoverBatchSigner(item.digest, item.signature).ok) throw new Error('recovery refused a bench signature');
      }
    }));
    nobleRawMs.push(timed(RECOVERIES, () => {
      for (let i = 0; i < RECOVERIES; i++) {
        const item = raw[i % raw.length]!;
        recoverWithNoble(item.rs, item.recovery, item.digest);
      }
    }));
    if (native) {
      nativeMs.push(timed(RECOVERIES, () => {
        for (let i = 0; i < RECOVERIES; i++) {
          const item = raw[i % raw.length]!;
          native(item.rs, item.recovery, item.digest);
        }
      }));
    }
  }
  const loadAfter = loadavg();

  const rows: BenchRow[] = [
    { figure: 'cores', value: availableParallelism(), unit: '' },
    { figure: 'load average (1 min) before / after', value: `${loadBefore[0]!.toFixed(2)} / ${loadAfter[0]!.toFixed(2)}`, unit: '' },
    ...SIZES.flatMap((n) => {
      const alone = median(single.get(n)!);
      const together = median(combined.get(n)!);
      return [
        { figure: `Groth16, ${n} proof(s) one at a time`, value: Number(alone.toFixed(2)), unit: 'ms/proof', note: `median of ${REPS}` },
        { figure: `Groth16, ${n} proof(s) combined`, value: Number(together.toFixed(2)), unit: 'ms/proof', note: `median of ${REPS}; combined / alone = ${(together / alone).toFixed(2)}` },
      ];
    }),
    { figure: 'Groth16, 32 combined, 1 bad', value: Number(median(oneBadMs).toFixed(2)), unit: 'ms/proof', note: 'halving finds it: one combined check per level on the half that holds it' },
    { figure: 'Groth16, 32 combined, all bad', value: Number(median(allBadMs).toFixed(2)), unit: 'ms/proof', note: 'worst case, a flood of junk: once both halves hold bad proofs, the rest is checked one by one' },
    { figure: 'secp256k1 recovery, viem recoverAddress', value: Number(median(viemMs).toFixed(3)), unit: 'ms', note: 'viem’s bundled @noble/curves 1.x; takes high-s (not the chain’s rule)' },
    { figure: 'secp256k1 recovery, signature.ts (recoverBatchSigner)', value: Number(median(nobleMs).toFixed(3)), unit: 'ms', note: `what the relay runs: BatchInbox’s rule, recovery on ${RECOVERY_BACKEND}, keccak; / viem = ${(median(nobleMs) / median(viemMs)).toFixed(2)}` },
    { figure: 'secp256k1 public-key recovery only, @noble/curves 2', value: Number(median(nobleRawMs).toFixed(3)), unit: 'ms', note: 'no rule, no keccak: the same work as the native row' },
    native
      ? { figure: 'secp256k1 public-key recovery only, libsecp256k1 (native binding)', value: Number(median(nativeMs).toFixed(3)), unit: 'ms', note: `npm secp256k1 5.0.2, prebuilt; native / noble = ${(median(nativeMs) / median(nobleRawMs)).toFixed(2)}` }
      : { figure: 'secp256k1 recovery, libsecp256k1 (native binding)', value: 'not installed', unit: '' },
  ];
  writeBenchResults({
    area: 'verify',
    title: 'The relay’s checks alone: combined Groth16 verification and secp256k1 recovery (one thread)',
    rows,
    notes: [
      `Interleaved: each repetition times every size one at a time and combined, the order alternating; ${REPS} repetitions, medians. Real proofs of the batch circuit (64 readings each, 32 distinct).`,
      'Combined: a random linear combination with fresh 128-bit coefficients (crypto.getRandomValues) shares one final exponentiation and one pass over gamma and delta; every proof still gets its own parsing, range checks and the subgroup check of B, which stay per proof.',
      'Figures taken while the load average is above 1 are not results: run again on a quiet machine.',
    ],
  });
}
