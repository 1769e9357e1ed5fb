/**
 * A verification thread (see pool.ts): the two CPU-heavy checks of ingest, secp256k1 recovery and
 * the Groth16 pairing check, run here so the main thread keeps serving HTTP and the store.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { recoverAddress, type Hex } from 'viem';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';
import { createMclBatchVerifier } from './groth16Mcl.js';
import type { VerifyReply, VerifyTask } from './pool.js';

const port = parentPort;
if (!port) throw new Error('src/relay/verify/worker.ts runs only as a worker thread.');

const verifyProof = await createMclBatchVerifier((workerData as { vkey: Groth16VerificationKey }).vkey);

async function run(task: VerifyTask): Promise<VerifyReply> {
  if (task.kind === 'proof') return { id: task.id, ok: true, value: verifyProof(task.batch) };
  try {
    return { id: task.id, ok: true, value: await recoverAddress({ hash: task.hash, signature: task.signature as Hex }) };
  } catch (error) {
    // A malformed signature is the caller's bad_signature, not a failure of this thread.
    return { id: task.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

port.on('message', (task: VerifyTask) => {
  void run(task).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true });
