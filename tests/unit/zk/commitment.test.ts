import { poseidon2 } from 'poseidon-lite/poseidon2';
import { describe, expect, it } from 'vitest';
import { computeReadingsCommitment, packReading, encodeReading, packReadingElements } from '../../../src/core/zk/commitment.js';
import { ZkInputError } from '../../../src/core/zk/errors.js';
import { honestReadings } from './fixtures.js';

describe('readings commitment', () => {
  it('uses circomlib Poseidon (published test vector for Poseidon([1, 2]))', () => {
    expect(poseidon2([1n, 2n])).toBe(7853200120776062878684798364095072458815029376092732009249414926327459813530n);
  });

  it('packs a reading as timestamp | temperature+32768 << 32 | humidity << 48 | flags << 64 | seq << 72', () => {
    const packed = packReading(encodeReading({ timestamp: 5, temperature: -32_767, humidity: 2, flags: 3, seq: 4 }));
    expect(packed).toBe(5n + 1n * 2n ** 32n + 2n * 2n ** 48n + 3n * 2n ** 64n + 4n * 2n ** 72n);
  });

  it('puts two readings in one element and pads with zero elements', () => {
    const readings = honestReadings(3);
    const elements = packReadingElements(readings);
    expect(elements).toHaveLength(32);
    const [a, b, c] = readings.map((reading) => packReading(encodeReading(reading)));
    expect(elements[0]).toBe(a! + b! * 2n ** 104n);
    expect(elements[1]).toBe(c!);
    expect(elements.slice(2).every((element) => element === 0n)).toBe(true);
  });

  it('changes when any field of any reading changes, and binds the count', () => {
    const readings = honestReadings(10);
    const base = computeReadingsCommitment(readings);
    for (const field of ['seq', 'timestamp', 'temperature', 'humidity', 'flags'] as const) {
      const changed = readings.map((reading, i) => (i === 7 ? { ...reading, [field]: reading[field] + 1 } : reading));
      expect(computeReadingsCommitment(changed), field).not.toBe(base);
    }
    const zeroReading = { seq: 0, timestamp: 0, temperature: -32_768, humidity: 0, flags: 0 };
    expect(computeReadingsCommitment([...readings, zeroReading])).not.toBe(base);
  });

  it('rejects readings the encoding cannot hold, naming the field and index', () => {
    const readings = honestReadings(4);
    readings[2] = { ...readings[2]!, temperature: 40_000 };
    expect(() => computeReadingsCommitment(readings)).toThrow(ZkInputError);
    try {
      computeReadingsCommitment(readings);
    } catch (error) {
      expect((error as ZkInputError).code).toBe('zk.reading_invalid');
      expect((error as ZkInputError).index).toBe(2);
      expect((error as ZkInputError).message).toMatch(/temperature/);
    }
    expect(() => computeReadingsCommitment(honestReadings(65))).toThrow(/at most 64/);
  });
});
