import { poseidon16 } from 'poseidon-lite/poseidon16';
import { poseidon3 } from 'poseidon-lite/poseidon3';
import type { Reading } from '../readings.js';
import { ZkInputError } from './errors.js';
import { ELEMENTS_PER_CHUNK, READING_BITS, READING_LIMITS, READINGS_PER_ELEMENT, TEMPERATURE_OFFSET, ZK_BATCH_SIZE } from './params.js';

/**
 * The readings commitment: one Poseidon field element that binds every field of every reading
 * in a batch, and the batch's length. The device signs it (src/core/batch/signingDigest.ts) and
 * the circuit recomputes it from its private readings, so this file and
 * circuits/outpost_batch.circom must stay in step (tests/unit/zk check both against each other).
 *
 *   packed(r)  = timestamp + (temperature + 32768)·2^32 + humidity·2^48 + flags·2^64 + seq·2^72
 *   element[j] = packed(r[2j]) + packed(r[2j+1])·2^104     (j < N/2; padding readings pack to 0)
 *   chunk[k]   = Poseidon16(element[16k … 16k+15])
 *   commitment = Poseidon3(chunk[0], chunk[1], count)       (N = 64)
 */

/** The encoded fields of one reading, as the circuit receives them. */
export type EncodedReading = { timestamp: bigint; temperature: bigint; aux: bigint };

function checkField(value: number, min: number, max: number, field: string, index: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ZkInputError('zk.reading_invalid', `Reading ${index} has an invalid ${field}: ${String(value)}.`, {
      index,
      details: `${field} must be an integer from ${min} to ${max}.`,
      hint: 'Re-read the batch from the device; a reading was corrupted or decoded wrongly.',
    });
  }
}

/** Checks a reading's fields fit the encoding and returns them as the circuit sees them. */
export function encodeReading(reading: Reading, index = 0): EncodedReading {
  checkField(reading.timestamp, 0, READING_LIMITS.timestamp, 'timestamp', index);
  checkField(reading.temperature, READING_LIMITS.temperatureMin, READING_LIMITS.temperatureMax, 'temperature', index);
  checkField(reading.humidity, 0, READING_LIMITS.humidity, 'humidity', index);
  checkField(reading.flags, 0, READING_LIMITS.flags, 'flags', index);
  checkField(reading.seq, 0, READING_LIMITS.seq, 'seq', index);
  return {
    timestamp: BigInt(reading.timestamp),
    temperature: BigInt(reading.temperature + TEMPERATURE_OFFSET),
    aux: BigInt(reading.humidity) + (BigInt(reading.flags) << 16n) + (BigInt(reading.seq) << 24n),
  };
}

/** A reading as one 104-bit number; the padding reading is 0. */
export function packReading(encoded: EncodedReading): bigint {
  return encoded.timestamp + (encoded.temperature << 32n) + (encoded.aux << 48n);
}

/** The N/2 field elements the commitment hashes, padding included. */
export function packReadingElements(readings: readonly Reading[], batchSize = ZK_BATCH_SIZE): bigint[] {
  if (readings.length > batchSize) {
    throw new ZkInputError('zk.batch_too_many', `A batch holds at most ${batchSize} readings; this one has ${readings.length}.`, {
      hint: `Split the readings into batches of ${batchSize} or fewer.`,
    });
  }
  const packed = readings.map((reading, index) => packReading(encodeReading(reading, index)));
  const elements: bigint[] = [];
  for (let j = 0; j < batchSize / READINGS_PER_ELEMENT; j++) {
    const low = packed[2 * j] ?? 0n;
    const high = packed[2 * j + 1] ?? 0n;
    elements.push(low + (high << BigInt(READING_BITS)));
  }
  return elements;
}

/**
 * The Poseidon commitment to a batch of at most ZK_BATCH_SIZE readings (in batch order). Throws
 * ZkInputError when a reading does not fit the encoding or the batch is too long.
 */
export function computeReadingsCommitment(readings: readonly Reading[]): bigint {
  const elements = packReadingElements(readings, ZK_BATCH_SIZE);
  const chunks: bigint[] = [];
  for (let k = 0; k < elements.length; k += ELEMENTS_PER_CHUNK) chunks.push(poseidon16(elements.slice(k, k + ELEMENTS_PER_CHUNK)));
  return poseidon3([...chunks, BigInt(readings.length)]);
}
