/**
 * The circuit itself (its witness generator, public/zk/outpost_batch.wasm), fed inputs that bypass
 * the witness builder: each rule must make witness generation fail, so no proof can exist.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { wtns } from 'snarkjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeReadingsCommitment } from '../../../src/core/zk/commitment.js';
import { buildBatchWitness, type CircuitInput } from '../../../src/core/zk/witness.js';
import { honestClaim, honestReadings } from './fixtures.js';

let wasm: Uint8Array;

const SOURCE = readFileSync('circuits/lib/batch.circom', 'utf8').split('\n');

/** The witness generator's failure message for the constraint with this source text: the rule that broke. */
function brokenRule(constraint: string): RegExp {
  const line = SOURCE.findIndex((text) => text.trim() === constraint) + 1;
  if (line === 0) throw new Error(`constraint not found in the circuit: ${constraint}`);
  return new RegExp(`Assert Failed.*line: ${line}\\b`, 's');
}

/** The witness's public part: [1, commitment, device, window, statement]. */
async function witnessPublic(input: CircuitInput): Promise<bigint[]> {
  const file = { type: 'mem' as const };
  await wtns.calculate(input, wasm, file);
  const values = (await (wtns as unknown as { exportJson(f: unknown): Promise<bigint[]> }).exportJson(file)).slice(0, 5);
  return values.map((value) => BigInt(value));
}

function edit(input: CircuitInput, signal: string, index: number, value: bigint | number): CircuitInput {
  const values = [...(input[signal] as string[])];
  values[index] = String(value);
  return { ...input, [signal]: values };
}

/** Moves the packed sum so only the rule under test is broken, not the aggregate. */
function addToSum(input: CircuitInput, delta: bigint): CircuitInput {
  return { ...input, statement: String(BigInt(input.statement as string) + delta * 2n ** 48n) };
}

beforeAll(async () => {
  wasm = new Uint8Array(await readFile('public/zk/outpost_batch.wasm'));
});

describe('batch circuit', () => {
  it('computes the same commitment as the TypeScript code, for a full and a short batch', async () => {
    for (const count of [64, 2, 33]) {
      const readings = honestReadings(count);
      const { input, publicSignalsTuple } = buildBatchWitness(readings, honestClaim());
      const [one, ...publicSignals] = await witnessPublic(input);
      expect(one).toBe(1n);
      expect(publicSignals[0]).toBe(computeReadingsCommitment(readings));
      expect(publicSignals).toEqual([...publicSignalsTuple]);
    }
  });

  const honest = () => buildBatchWitness(honestReadings(64), honestClaim()).input;

  it('rejects a reading above the maximum bound', async () => {
    const input = honest();
    const maxBound = BigInt(input.maxBound as string);
    const old = BigInt((input.temperature as string[])[10]!);
    await expect(witnessPublic(addToSum(edit(input, 'temperature', 10, maxBound + 1n), maxBound + 1n - old))).rejects.toThrow(brokenRule('active[i] * (1 - belowMax[i].out) === 0;'));
  });

  it('rejects a reading below the minimum bound', async () => {
    const input = honest();
    const minBound = BigInt(input.minBound as string);
    const old = BigInt((input.temperature as string[])[0]!);
    await expect(witnessPublic(addToSum(edit(input, 'temperature', 0, minBound - 1n), minBound - 1n - old))).rejects.toThrow(brokenRule('active[i] * (1 - aboveMin[i].out) === 0;'));
  });

  it('rejects timestamps that do not rise strictly', async () => {
    const input = honest();
    const previous = (input.timestamp as string[])[20]!;
    await expect(witnessPublic(edit(input, 'timestamp', 21, BigInt(previous)))).rejects.toThrow(brokenRule('active[i] * (1 - rising[i].out) === 0;'));
  });

  it('rejects a timestamp outside the window', async () => {
    const input = honest();
    const first = BigInt((input.timestamp as string[])[0]!);
    await expect(witnessPublic({ ...input, windowStart: String(first + 1n), window: String(first + 1n + BigInt(input.windowEnd as string) * 2n ** 64n) })).rejects.toThrow(brokenRule('afterStart.out === 1;'));
  });

  it('rejects a wrong count, sum or quality figure in the statement', async () => {
    const input = honest();
    const statement = BigInt(input.statement as string);
    for (const delta of [2n ** 32n, 2n ** 48n, 2n ** 80n]) {
      await expect(witnessPublic({ ...input, statement: String(statement + delta) })).rejects.toThrow(brokenRule('statement === minBound + maxBound * (1 << 16) + count * (1 << 32) + sum * (1 << 48) + changes * (1 << 80);'));
    }
  });

  it('rejects a stuck sensor', async () => {
    const readings = honestReadings(4);
    const input = buildBatchWitness(readings, honestClaim()).input;
    let stuck = input;
    let delta = 0n;
    for (let i = 0; i < 4; i++) {
      stuck = edit(stuck, 'temperature', i, 34_000n);
      delta += 34_000n - BigInt((input.temperature as string[])[i]!);
    }
    const changes = BigInt(input.statement as string) >> 80n;
    await expect(witnessPublic({ ...addToSum(stuck, delta), statement: String(BigInt(addToSum(stuck, delta).statement as string) - changes * 2n ** 80n) })).rejects.toThrow(brokenRule('stuck.out === 0;'));
  });

  it('rejects non-zero padding and a gap in the active readings', async () => {
    const input = buildBatchWitness(honestReadings(10), honestClaim()).input;
    await expect(witnessPublic(edit(input, 'aux', 40, 1n))).rejects.toThrow(brokenRule('packed[i] * (1 - active[i]) === 0;'));
    await expect(witnessPublic(edit(edit(input, 'active', 12, 1n), 'active', 11, 0n))).rejects.toThrow(brokenRule('active[i] * (1 - active[i - 1]) === 0;'));
  });

  it('gives a different commitment when a reading differs from the signed one', async () => {
    const readings = honestReadings(64);
    const signed = computeReadingsCommitment(readings);
    const input = edit(buildBatchWitness(readings, honestClaim()).input, 'aux', 5, 12_345n);
    const [, commitment] = await witnessPublic(input);
    expect(commitment).not.toBe(signed);
  });
});
