/** Real device batches: readings → Groth16 proof (snarkjs, committed artifacts) → device signature. */
import type { Hex } from 'viem';
import { batchSigningDigest } from '../../../src/core/batch/signingDigest.js';
import type { DeviceBatchLeaf } from '../../../src/core/batch/merkle.js';
import type { Reading } from '../../../src/core/readings.js';
import { readProvingArtifacts } from '../../../src/node/zkArtifacts.js';
import { toSolidityProof } from '../../../src/core/zk/proof.js';
import { proveBatch } from '../../../src/core/zk/prove.js';
import { buildBatchWitness } from '../../../src/core/zk/witness.js';
import type { SimDevice } from './device.js';

/** A batch of `count` readings one minute apart starting at windowStart, proved and signed by `device`. */
export async function provenBatch(device: SimDevice, windowStart: number, count = 8): Promise<DeviceBatchLeaf> {
  const readings: Reading[] = Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    timestamp: windowStart + 60 * (i + 1),
    temperature: 2000 + ((i * 37) % 150),
    humidity: 450 + i,
    flags: 0,
  }));
  const windowEnd = windowStart + 60 * (count + 1);
  const witness = buildBatchWitness(readings, { device: device.address, window: { windowStart, windowEnd }, minTemperature: -1000, maxTemperature: 5000 });
  const proof = toSolidityProof(await proveBatch(witness.input, witness.publicSignalsTuple, await readProvingArtifacts()));
  const signature = await device.account.sign({ hash: batchSigningDigest(witness.publicSignalsTuple[0]) });
  return { device: device.address, pubSignals: proof.pubSignals, signature, pA: proof.pA, pB: proof.pB, pC: proof.pC };
}

/** The same signature with its recovery byte as 0/1 (what devices send on the wire). */
export function withRawRecoveryByte(signature: Hex): Hex {
  const v = parseInt(signature.slice(-2), 16);
  return `${signature.slice(0, -2)}${(v - 27).toString(16).padStart(2, '0')}` as Hex;
}

