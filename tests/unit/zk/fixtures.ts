import type { Reading } from '../../../src/core/readings.js';
import type { BatchClaim } from '../../../src/core/zk/witness.js';

const WINDOW_START = 1_700_000_000;
export const WINDOW_END = WINDOW_START + 3_600;
export const DEVICE = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const;

/** An honest batch: one reading a minute, temperatures wandering around 21 °C. */
export function honestReadings(count = 64): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: 500 + i,
    timestamp: WINDOW_START + 30 + 55 * i,
    temperature: 2_100 + ((i * 37) % 23) - 11,
    humidity: 400 + (i % 50),
    flags: i % 9 === 0 ? 2 : 0,
  }));
}

export function honestClaim(overrides: Partial<BatchClaim> = {}): BatchClaim {
  return {
    device: DEVICE,
    window: { windowStart: WINDOW_START, windowEnd: WINDOW_END },
    minTemperature: -2_000,
    maxTemperature: 4_500,
    ...overrides,
  };
}
