import type { SnarkjsLogger, SnarkjsMemFile } from 'snarkjs';
import { ZkProofError } from './errors.js';
import { useLocalFfts } from './localFft.js';
import { useMultiExpByPoints } from './multiExp.js';
import type { BatchProof } from './proof.js';
import type { PublicSignalsTuple } from './publicSignals.js';
import type { CircuitInput } from './witness.js';

/** The prover's artifacts as bytes, so callers choose where they come from (disk, cache, fetch). */
export type ProvingArtifacts = { wasm: Uint8Array; zkey: Uint8Array | Promise<Uint8Array> };

type ProvingStage = 'witness' | 'proving' | 'done';
/** `message` is for people; `detail` is snarkjs's own log line, when there is one. */
export type ProvingProgress = { stage: ProvingStage; fraction: number; message: string; detail?: string };

/**
 * snarkjs's only progress hook is its logger's debug lines. These are the milestones groth16.prove
 * logs, in order; the witness is computed before the first one.
 */
const MILESTONES = ['Reading Wtns', 'Reading Coeffs', 'Building ABC', 'IFFT_A', 'FFT_A', 'IFFT_B', 'FFT_B', 'IFFT_C', 'FFT_C', 'Join ABC', 'Reading A Points', 'Reading B1 Points', 'Reading B2 Points', 'Reading C Points', 'Reading H Points'];

/** Share of the total time before proving starts (measured: witness ≈ 15% at N = 64). */
const WITNESS_SHARE = 0.15;

function progressLogger(onProgress: (progress: ProvingProgress) => void): SnarkjsLogger {
  let reached = -1;
  const ignore = () => {};
  return {
    debug(message) {
      const index = MILESTONES.findIndex((milestone, i) => i > reached && message.startsWith(milestone));
      if (index < 0) return;
      reached = index;
      onProgress({ stage: 'proving', fraction: WITNESS_SHARE + ((1 - WITNESS_SHARE) * index) / MILESTONES.length, message: `Building the proof (step ${index + 1} of ${MILESTONES.length})`, detail: message });
    },
    info: ignore,
    warn: ignore,
    error: ignore,
  };
}

let prepared: Promise<void> | null = null;

/**
 * Loads snarkjs and builds the curve it proves with (a wasm module and one helper thread per core,
 * about 0.3–0.5 s the first time), with its MSMs split by points and its FFTs in this thread.
 * proveBatch does this itself; calling it early (the app's worker does, while the artifacts
 * download) takes it off the first proof's path. Once per realm.
 */
export function prepareProving(): Promise<void> {
  if (prepared) return prepared;
  const preparing = (async () => {
    const [, { buildBn128 }] = await Promise.all([import('snarkjs'), import('ffjavascript')]);
    // The curve snarkjs will prove with (ffjavascript caches it per realm), with its MSMs split by
    // points and its small FFTs in this thread.
    const [curve, local] = await Promise.all([buildBn128(), buildBn128(true)]);
    useMultiExpByPoints(curve);
    useLocalFfts(curve, local);
  })();
  prepared = preparing;
  preparing.catch(() => {
    if (prepared === preparing) prepared = null; // let the next proof try again
  });
  return preparing;
}

/**
 * Proves a batch with Groth16 (snarkjs: the witness, then the proof, as its fullProve does) and
 * checks that the proof carries the public signals the witness builder predicted. The proving key
 * may still be on its way (a promise): the witness needs only the wasm, so it is computed while
 * the key arrives. Runs wherever it is called: the app calls it inside its prover worker
 * (src/app/prover), Node tools call it directly.
 */
export async function proveBatch(
  input: CircuitInput,
  expected: PublicSignalsTuple,
  artifacts: ProvingArtifacts,
  onProgress: (progress: ProvingProgress) => void = () => {},
): Promise<BatchProof> {
  const curveReady = prepareProving(); // needed only after the witness
  // A key that fails to arrive while the witness is computed is reported below, not as unhandled.
  Promise.resolve(artifacts.zkey).catch(() => {});
  const { groth16, wtns } = await import('snarkjs');
  onProgress({ stage: 'witness', fraction: 0, message: 'Computing the witness' });
  const witness: SnarkjsMemFile = { type: 'mem' };
  await rejectedByCircuit(() => wtns.calculate(input, artifacts.wasm, witness));
  await curveReady;
  const zkey = await artifacts.zkey; // a failed download keeps its own error
  const result = await rejectedByCircuit(() => groth16.prove(zkey, witness, progressLogger(onProgress)));
  const publicSignals = result.publicSignals.map((value) => BigInt(value));
  if (publicSignals.length !== 4 || publicSignals.some((value, i) => value !== expected[i])) {
    throw new ZkProofError('zk.prove_signals_mismatch', 'The proof’s public signals differ from the ones the batch should have.', {
      details: `got [${publicSignals.join(', ')}]`,
      hint: 'The proving artifacts do not match this version of Outpost; reload to fetch the current ones.',
    });
  }
  onProgress({ stage: 'done', fraction: 1, message: 'Proof ready' });
  return { proof: result.proof, publicSignals: publicSignals as unknown as PublicSignalsTuple };
}

async function rejectedByCircuit<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw new ZkProofError('zk.prove_failed', 'The circuit rejected this batch.', {
      details: error instanceof Error ? error.message : String(error),
      hint: 'Build the input with buildBatchWitness, which names the broken rule; if it passed, the artifacts may not match this app version.',
      cause: error,
    });
  }
}
