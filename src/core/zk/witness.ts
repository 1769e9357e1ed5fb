import { getAddress, isAddress, type Address } from 'viem';
import type { Reading } from '../readings.js';
import { computeReadingsCommitment, encodeReading, type EncodedReading } from './commitment.js';
import type { OutpostErrorCode } from '../errors.js';
import { ZkInputError } from './errors.js';
import { ZK_BATCH_SIZE } from './params.js';
import { packPublicSignals, type BatchPublicSignals, type BatchWindow, type PublicSignalsTuple } from './publicSignals.js';

/** What the prover claims about a batch besides its readings. */
export type BatchClaim = {
  device: Address;
  window: BatchWindow;
  /** Bounds every temperature must lie within, centi-°C, inclusive. */
  minTemperature: number;
  maxTemperature: number;
  /** The commitment the device signed, when known: the readings must hash to it. */
  expectedCommitment?: bigint;
};

/** The circuit's input signals, as decimal strings (JSON- and structured-clone-safe). */
export type CircuitInput = Record<string, string | string[]>;

export type BatchWitness = {
  input: CircuitInput;
  publicSignals: BatchPublicSignals;
  /** The public signals the proof will carry, in order. */
  publicSignalsTuple: PublicSignalsTuple;
};

function fail(code: OutpostErrorCode, message: string, index: number | undefined, hint: string, details?: string): never {
  throw new ZkInputError(code, message, { index, hint, details });
}

function checkClaim(claim: BatchClaim): void {
  if (!isAddress(claim.device, { strict: false })) fail('zk.params_invalid', `The device address ${String(claim.device)} is not an address.`, undefined, 'Pass the device address (0x…).');
  if (!(claim.minTemperature <= claim.maxTemperature)) {
    fail('zk.params_invalid', 'The minimum temperature bound is above the maximum.', undefined, 'Swap or correct the bounds.');
  }
  if (!(claim.window.windowStart <= claim.window.windowEnd)) {
    fail('zk.params_invalid', 'The epoch window ends before it starts.', undefined, 'Check the epoch window.');
  }
}

/**
 * Checks a batch against every rule the circuit enforces, in the order a person would fix them,
 * and throws a ZkInputError naming the first rule broken (and the reading) before any proving.
 * Returns the circuit input and the public signals the proof will have.
 */
export function buildBatchWitness(readings: readonly Reading[], claim: BatchClaim): BatchWitness {
  checkClaim(claim);
  if (readings.length > ZK_BATCH_SIZE) {
    fail('zk.batch_too_many', `A proof covers at most ${ZK_BATCH_SIZE} readings; this batch has ${readings.length}.`, undefined, `Split it into batches of ${ZK_BATCH_SIZE} or fewer.`);
  }
  if (readings.length < 2) {
    fail('zk.batch_too_few', `A proof needs at least 2 readings; this batch has ${readings.length}.`, undefined, 'Wait for more readings from the device.');
  }
  const encoded: EncodedReading[] = readings.map((reading, index) => encodeReading(reading, index));

  readings.forEach((reading, index) => {
    if (reading.temperature < claim.minTemperature || reading.temperature > claim.maxTemperature) {
      fail('zk.reading_out_of_bounds', `Reading ${index} (${reading.temperature / 100} °C) is outside the bounds ${claim.minTemperature / 100}…${claim.maxTemperature / 100} °C.`, index, 'Widen the bounds or leave the faulty reading out of the batch.');
    }
  });
  readings.forEach((reading, index) => {
    const previous = readings[index - 1];
    if (previous && reading.timestamp <= previous.timestamp) {
      fail('zk.timestamp_not_rising', `Reading ${index}'s timestamp (${reading.timestamp}) is not after the one before it (${previous.timestamp}).`, index, 'Sort the readings by time and drop duplicates.');
    }
  });
  readings.forEach((reading, index) => {
    if (reading.timestamp < claim.window.windowStart || reading.timestamp > claim.window.windowEnd) {
      fail('zk.timestamp_outside_window', `Reading ${index}'s timestamp (${reading.timestamp}) is outside the epoch window ${claim.window.windowStart}…${claim.window.windowEnd}.`, index, 'Prove it with the epoch it belongs to.');
    }
  });
  let changes = 0;
  for (let i = 1; i < readings.length; i++) if (readings[i]!.temperature !== readings[i - 1]!.temperature) changes++;
  if (changes === 0) {
    fail('zk.quality_stuck_sensor', 'Every reading has the same temperature: the sensor looks stuck.', undefined, 'Check the sensor; a stuck sensor cannot be proved.');
  }
  const commitment = computeReadingsCommitment(readings);
  if (claim.expectedCommitment !== undefined && claim.expectedCommitment !== commitment) {
    fail('zk.commitment_mismatch', 'These readings do not match the commitment the device signed.', undefined, 'Re-sync the batch from the device; the readings changed after signing.', `expected ${claim.expectedCommitment}, got ${commitment}`);
  }

  const publicSignals: BatchPublicSignals = {
    commitment,
    device: getAddress(claim.device),
    window: { ...claim.window },
    statement: {
      minTemperature: claim.minTemperature,
      maxTemperature: claim.maxTemperature,
      count: readings.length,
      temperatureSum: readings.reduce((total, reading) => total + reading.temperature, 0),
      changes,
    },
  };
  const publicSignalsTuple = packPublicSignals(publicSignals);
  const pad = (values: bigint[]): string[] => Array.from({ length: ZK_BATCH_SIZE }, (_, i) => (values[i] ?? 0n).toString());
  const input: CircuitInput = {
    device: publicSignalsTuple[1].toString(),
    window: publicSignalsTuple[2].toString(),
    statement: publicSignalsTuple[3].toString(),
    timestamp: pad(encoded.map((reading) => reading.timestamp)),
    temperature: pad(encoded.map((reading) => reading.temperature)),
    aux: pad(encoded.map((reading) => reading.aux)),
    active: pad(encoded.map(() => 1n)),
    minBound: (publicSignalsTuple[3] & 0xffffn).toString(),
    maxBound: ((publicSignalsTuple[3] >> 16n) & 0xffffn).toString(),
    windowStart: String(claim.window.windowStart),
    windowEnd: String(claim.window.windowEnd),
  };
  return { input, publicSignals, publicSignalsTuple };
}
