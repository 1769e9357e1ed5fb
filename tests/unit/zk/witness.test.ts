import { describe, expect, it } from 'vitest';
import type { Reading } from '../../../src/core/readings.js';
import { computeReadingsCommitment } from '../../../src/core/zk/commitment.js';
import { ZkInputError } from '../../../src/core/zk/errors.js';
import { buildBatchWitness, type BatchClaim } from '../../../src/core/zk/witness.js';
import { honestClaim, honestReadings, WINDOW_END } from './fixtures.js';

function failure(readings: Reading[], claim: BatchClaim = honestClaim()): ZkInputError {
  try {
    buildBatchWitness(readings, claim);
  } catch (error) {
    if (error instanceof ZkInputError) return error;
    throw error;
  }
  throw new Error('expected buildBatchWitness to throw');
}

function withReading(index: number, change: Partial<Reading>): Reading[] {
  return honestReadings().map((reading, i) => (i === index ? { ...reading, ...change } : reading));
}

describe('witness input builder', () => {
  it('builds the circuit input and the public signals for an honest batch', () => {
    const readings = honestReadings(64);
    const { input, publicSignals } = buildBatchWitness(readings, honestClaim());
    expect(publicSignals.commitment).toBe(computeReadingsCommitment(readings));
    expect(publicSignals.statement.count).toBe(64);
    expect(publicSignals.statement.temperatureSum).toBe(readings.reduce((sum, r) => sum + r.temperature, 0));
    expect(input.timestamp).toHaveLength(64);
    expect((input.active as string[]).filter((bit) => bit === '1')).toHaveLength(64);
  });

  it('pads a short batch with zero readings and inactive slots', () => {
    const { input, publicSignals } = buildBatchWitness(honestReadings(5), honestClaim());
    expect(publicSignals.statement.count).toBe(5);
    expect((input.active as string[]).slice(4, 6)).toEqual(['1', '0']);
    expect((input.timestamp as string[])[5]).toBe('0');
    expect((input.temperature as string[])[63]).toBe('0');
  });

  it('reports an out-of-bounds reading with its index', () => {
    const error = failure(withReading(17, { temperature: 4_501 }));
    expect(error.code).toBe('zk.reading_out_of_bounds');
    expect(error.index).toBe(17);
  });

  it('reports a timestamp that does not rise', () => {
    const readings = honestReadings();
    const error = failure(withReading(30, { timestamp: readings[29]!.timestamp }));
    expect(error.code).toBe('zk.timestamp_not_rising');
    expect(error.index).toBe(30);
  });

  it('reports a timestamp outside the window', () => {
    const error = failure(withReading(63, { timestamp: WINDOW_END + 1 }));
    expect(error.code).toBe('zk.timestamp_outside_window');
    expect(error.index).toBe(63);
  });

  it('reports too many and too few readings', () => {
    expect(failure(honestReadings(65)).code).toBe('zk.batch_too_many');
    expect(failure(honestReadings(1)).code).toBe('zk.batch_too_few');
  });

  it('reports a stuck sensor', () => {
    const readings = honestReadings(8).map((reading) => ({ ...reading, temperature: 2_000 }));
    expect(failure(readings).code).toBe('zk.quality_stuck_sensor');
  });

  it('reports readings that do not match the signed commitment', () => {
    const readings = honestReadings();
    const signed = computeReadingsCommitment(readings);
    const edited = withReading(3, { humidity: 999 });
    expect(failure(edited, honestClaim({ expectedCommitment: signed })).code).toBe('zk.commitment_mismatch');
    expect(buildBatchWitness(readings, honestClaim({ expectedCommitment: signed })).publicSignals.commitment).toBe(signed);
  });

  it('reports malformed claims', () => {
    expect(failure(honestReadings(), honestClaim({ minTemperature: 100, maxTemperature: 0 })).code).toBe('zk.params_invalid');
    expect(failure(honestReadings(), honestClaim({ device: '0x12' as `0x${string}` })).code).toBe('zk.params_invalid');
  });
});
