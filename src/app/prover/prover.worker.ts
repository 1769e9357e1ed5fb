/// <reference lib="webworker" />
/**
 * The prover worker: snarkjs's witness generation and Groth16 proving run here, so the page stays
 * responsive. snarkjs starts its own helper workers from blob: URLs for the multi-exponentiations.
 * Cancelling = the app terminates this worker.
 */
import { OutpostError } from '../../core/errors.js';
import { proveBatch } from '../../core/zk/prove.js';
import type { PublicSignalsTuple } from '../../core/zk/publicSignals.js';
import { verifyBatchProof } from '../../core/zk/verify.js';
import type { ProverRequest, ProverResponse } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const reply = (message: ProverResponse) => scope.postMessage(message);

function toTuple(values: readonly string[]): PublicSignalsTuple {
  return values.map((value) => BigInt(value)) as unknown as PublicSignalsTuple;
}

scope.onmessage = async (event: MessageEvent<ProverRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'prove') {
      const { proof, publicSignals } = await proveBatch(request.input, toTuple(request.expected), { wasm: request.wasm, zkey: request.zkey }, (progress) =>
        reply({ type: 'progress', id: request.id, progress }),
      );
      reply({ type: 'proved', id: request.id, proof, publicSignals: publicSignals.map(String) });
    } else {
      const valid = await verifyBatchProof(request.vkey, { proof: request.proof, publicSignals: toTuple(request.publicSignals) });
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
    });
  }
};
