import { getAddress, type Address } from 'viem';
import { ZkInputError } from './errors.js';
import { TEMPERATURE_OFFSET } from './params.js';

/**
 * The proof's four public signals, fixed with the contracts (BatchInbox reads them in this order):
 *   [0] readings commitment (Poseidon field element)
 *   [1] device address as uint160
 *   [2] windowStart + windowEnd · 2^64 (unix seconds)
 *   [3] statement: the claimed bounds and the results, bit layout below (least significant first)
 *
 *   bits  0–15  minBound     (minimum temperature, centi-°C + 32768)
 *   bits 16–31  maxBound     (maximum temperature, centi-°C + 32768)
 *   bits 32–47  count        (readings in the batch)
 *   bits 48–79  sum          (sum of temperature + 32768 over the readings)
 *   bits 80–95  changes      (quality: neighbouring readings whose temperatures differ; >= 1)
 */

export type BatchStatement = {
  /** Lowest temperature allowed, centi-°C. */
  minTemperature: number;
  /** Highest temperature allowed, centi-°C. */
  maxTemperature: number;
  /** Readings in the batch. */
  count: number;
  /** Sum of the readings' temperatures, centi-°C (signed). Mean = temperatureSum / count. */
  temperatureSum: number;
  /** Quality figure: how many neighbouring pairs differ in temperature (0 would be a stuck sensor). */
  changes: number;
};

export type BatchWindow = { windowStart: number; windowEnd: number };

export type BatchPublicSignals = {
  commitment: bigint;
  device: Address;
  window: BatchWindow;
  statement: BatchStatement;
};

/** The four public signals as snarkjs and the Solidity verifier take them. */
export type PublicSignalsTuple = readonly [bigint, bigint, bigint, bigint];

const MASK16 = 0xffffn;
const MASK32 = 0xffff_ffffn;
const MASK64 = (1n << 64n) - 1n;
const STATEMENT_BITS = 96n;

function uint(value: number, bits: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0 || BigInt(value) >= 1n << BigInt(bits)) {
    throw new ZkInputError('zk.params_invalid', `The ${what} is out of range: ${String(value)}.`, {
      details: `It must be an integer from 0 to 2^${bits} - 1.`,
    });
  }
  return BigInt(value);
}

function offsetTemperature(value: number, what: string): bigint {
  return uint(value + TEMPERATURE_OFFSET, 16, `${what} (centi-°C, -32768…32767)`);
}

export function packWindow({ windowStart, windowEnd }: BatchWindow): bigint {
  return uint(windowStart, 64, 'window start') + (uint(windowEnd, 64, 'window end') << 64n);
}

export function unpackWindow(packed: bigint): BatchWindow {
  if (packed < 0n || packed >> 128n !== 0n) throw new ZkInputError('zk.params_invalid', 'The packed window is out of range.');
  return { windowStart: Number(packed & MASK64), windowEnd: Number(packed >> 64n) };
}

export function packStatement(statement: BatchStatement): bigint {
  const count = uint(statement.count, 16, 'count');
  const sum = uint(statement.temperatureSum + TEMPERATURE_OFFSET * statement.count, 32, 'offset temperature sum');
  return (
    offsetTemperature(statement.minTemperature, 'minimum temperature') +
    (offsetTemperature(statement.maxTemperature, 'maximum temperature') << 16n) +
    (count << 32n) +
    (sum << 48n) +
    (uint(statement.changes, 16, 'quality figure') << 80n)
  );
}

export function unpackStatement(packed: bigint): BatchStatement {
  if (packed < 0n || packed >> STATEMENT_BITS !== 0n) throw new ZkInputError('zk.params_invalid', 'The packed statement is out of range.');
  const count = Number((packed >> 32n) & MASK16);
  return {
    minTemperature: Number(packed & MASK16) - TEMPERATURE_OFFSET,
    maxTemperature: Number((packed >> 16n) & MASK16) - TEMPERATURE_OFFSET,
    count,
    temperatureSum: Number((packed >> 48n) & MASK32) - TEMPERATURE_OFFSET * count,
    changes: Number((packed >> 80n) & MASK16),
  };
}

export function packPublicSignals(signals: BatchPublicSignals): PublicSignalsTuple {
  return [signals.commitment, BigInt(getAddress(signals.device)), packWindow(signals.window), packStatement(signals.statement)];
}

export function unpackPublicSignals(signals: readonly (bigint | string)[]): BatchPublicSignals {
  if (signals.length !== 4) throw new ZkInputError('zk.params_invalid', `Expected 4 public signals, got ${signals.length}.`);
  const [commitment, device, window, statement] = signals.map((value) => BigInt(value)) as [bigint, bigint, bigint, bigint];
  if (device >> 160n !== 0n) throw new ZkInputError('zk.params_invalid', 'The device signal is not a 160-bit address.');
  return {
    commitment,
    device: getAddress(`0x${device.toString(16).padStart(40, '0')}`),
    window: unpackWindow(window),
    statement: unpackStatement(statement),
  };
}
