/// <reference lib="webworker" />
/**
 * The prover worker: loads and keeps the proving artifacts, and runs snarkjs's witness generation
 * and Groth16 proving, so the page stays responsive. snarkjs starts its own helper workers from
 * blob: URLs for the multi-scalar multiplications. Cancelling = the app terminates this worker.
 */
import { OutpostError } from '../../core/errors.js';
import type { ArtifactName } from '../../core/zk/manifest.js';
import { ZkInputError } from '../../core/zk/errors.js';
import { prepareProving, proveBatch } from '../../core/zk/prove.js';
import type { PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import { verifyBatchProof } from '../../core/zk/verify.js';
import { buildBatchWitness } from '../../core/zk/witness.js';
import { loadArtifacts, parseVerificationKey, type ArtifactLoads, type ArtifactSource } from './artifacts.js';
import type { ProverRequest, ProverResponse, WorkerProgress } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: ProverResponse) => scope.postMessage(message);

function toTuple(values: readonly string[]): PublicSignalsTuple {
  return values.map((value) => BigInt(value)) as unknown as PublicSignalsTuple;
}

let held: ArtifactLoads | null = null;

/**
 * The artifacts this worker holds, loading them on first use (download progress goes to
 * `onProgress`). A failed load is dropped, so the next request tries again.
 */
function artifacts(onProgress: (progress: WorkerProgress) => void): { loads: ArtifactLoads; fromMemory: boolean } {
  if (held) return { loads: held, fromMemory: true };
  onProgress({ stage: 'artifacts', download: null });
  const loads = loadArtifacts((download) => onProgress({ stage: 'artifacts', download }));
  held = loads;
  Promise.all([loads.wasm, loads.zkey, loads.vkey]).catch(() => {
    if (held === loads) held = null;
  });
  return { loads, fromMemory: false };
}

async function sourcesOf({ loads, fromMemory }: ReturnType<typeof artifacts>): Promise<Record<ArtifactName, ArtifactSource>> {
  if (fromMemory) return { wasm: 'memory', zkey: 'memory', vkey: 'memory' };
  const [wasm, zkey, vkey] = await Promise.all([loads.wasm, loads.zkey, loads.vkey]);
  return { wasm: wasm.source, zkey: zkey.source, vkey: vkey.source };
}

scope.onmessage = async (event: MessageEvent<ProverRequest>) => {
  const request = event.data;
  const progress = (progress: WorkerProgress) => reply({ type: 'progress', id: request.id, progress });
  try {
    if (request.type === 'prepare') {
      await prepareProving();
      reply({ type: 'prepared', id: request.id });
    } else if (request.type === 'prove') {
      // Here rather than on the page: on a cold page the check (Poseidon over the readings) held the
      // main thread for 20–60 ms. A broken rule is reported before anything is downloaded.
      const witness = buildBatchWitness(request.readings, request.claim);
      const held = artifacts(progress);
      // The curve (wasm, helper threads) is built while the artifacts load, and the witness is
      // computed while the proving key may still be downloading.
      void prepareProving().catch(() => {}); // proveBatch awaits it, and reports a failure
      const wasm = await held.loads.wasm;
      const started = performance.now();
      const zkey = held.loads.zkey.then((loaded) => loaded.bytes);
      const { proof, publicSignals } = await proveBatch(witness.input, witness.publicSignalsTuple, { wasm: wasm.bytes, zkey }, (step) => progress({ stage: 'proof', progress: step }));
      const provingMs = performance.now() - started;
      await held.loads.cached; // reported done = kept for offline use
      reply({ type: 'proved', id: request.id, proof, publicSignals: publicSignals.map(String), witness, sources: await sourcesOf(held), provingMs });
    } else {
      const vkey = parseVerificationKey((await artifacts(progress).loads.vkey).bytes);
      const valid = await verifyBatchProof(vkey, { proof: request.proof, publicSignals: toTuple(request.publicSignals) });
      reply({ type: 'verified', id: request.id, valid });
    }
  } catch (error) {
    const known = error instanceof OutpostError;
    reply({
      type: 'failed',
      id: request.id,
      code: known ? error.code : 'zk.worker_failed',
      shortMessage: known ? error.shortMessage : 'The prover failed unexpectedly.',
      details: known ? error.details : error instanceof Error ? error.message : String(error),
      hint: known ? error.hint : undefined,
      input: error instanceof ZkInputError ? { index: error.index } : undefined,
    });
  }
};
