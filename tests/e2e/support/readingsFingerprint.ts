import { keccak256, stringToHex, type Hex } from 'viem';

/**
 * The tests' own fingerprint of pulled readings: the CSV rule of docs/protocol.md written out
 * again here, so the app's implementation is checked against the spec, not against itself.
 */
export function readingsFingerprint(readings: Array<{ seq: number; timestamp: number; temperature: number; humidity: number; flags: number }>): Hex {
  return keccak256(stringToHex(readings.map((r) => [r.seq, r.timestamp, r.temperature, r.humidity, r.flags].join(',') + '\n').join('')));
}
