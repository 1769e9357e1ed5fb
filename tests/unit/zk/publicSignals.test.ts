import { describe, expect, it } from 'vitest';
import { packStatement, packWindow, unpackPublicSignals, unpackStatement, packPublicSignals } from '../../../src/core/zk/publicSignals.js';
import { DEVICE } from './fixtures.js';

describe('public signal packing', () => {
  const statement = { minTemperature: -500, maxTemperature: 3_000, count: 64, temperatureSum: 64 * 2_100, changes: 40 };

  it('lays the statement out as documented in circuits/README.md', () => {
    const expected = 32_268n + 35_768n * 2n ** 16n + 64n * 2n ** 32n + BigInt(64 * (2_100 + 32_768)) * 2n ** 48n + 40n * 2n ** 80n;
    expect(packStatement(statement)).toBe(expected);
    expect(unpackStatement(expected)).toEqual(statement);
  });

  it('packs the window as start + end · 2^64', () => {
    expect(packWindow({ windowStart: 10, windowEnd: 20 })).toBe(10n + 20n * 2n ** 64n);
  });

  it('round-trips all four signals with the device as uint160', () => {
    const signals = { commitment: 123n, device: DEVICE, window: { windowStart: 1, windowEnd: 2 }, statement };
    const tuple = packPublicSignals(signals);
    expect(tuple[1]).toBe(0x5fbdb2315678afecb367f032d93f642f64180aa3n);
    expect(unpackPublicSignals(tuple.map(String))).toEqual(signals);
  });

  it('rejects values that do not fit their bits', () => {
    expect(() => packStatement({ ...statement, minTemperature: -40_000 })).toThrow(/minimum temperature/);
    expect(() => packStatement({ ...statement, changes: 70_000 })).toThrow(/quality/);
    expect(() => unpackStatement(1n << 96n)).toThrow(/out of range/);
    expect(() => unpackPublicSignals(['1', String(1n << 160n), '0', '0'])).toThrow(/160-bit/);
  });
});
