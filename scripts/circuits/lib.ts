/**
 * Shared steps of the circuit pipeline (scripts/circuits/build.ts) and its CI check
 * (scripts/circuits/check.ts): compiling with circom2 and hashing files.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CIRCUIT_NAME = 'outpost_batch';
export const CIRCUIT_SOURCE = `circuits/${CIRCUIT_NAME}.circom`;
export const BUILD_DIR = 'circuits/build';
/** Served by the app (Vite copies public/ as is) and read by the relay and tests from disk. */
export const PUBLIC_DIR = 'public/zk';
/** Bundled into the app, so the hashes it checks downloads against come with the code. */
export const MANIFEST_PATH = 'src/core/zk/artifacts.manifest.json';
export const VERIFIER_PATH = 'contracts/zk/Groth16Verifier.sol';

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

export type CompileResult = { r1cs: string; wasm: string; constraints: number; seconds: number };

/**
 * Compiles a circuit with circom2 (circom 2.2 in WASM) from the repo root: include paths may not
 * climb above the working directory, and --O2 roughly halves comparator and hash costs.
 */
export function compileCircuit(source: string, outDir: string): CompileResult {
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  const stdout = run(join('node_modules', '.bin', 'circom2'), [source, '--r1cs', '--wasm', '--sym', '--O2', '-l', 'node_modules', '-o', outDir]);
  const name = source.replace(/^.*\//, '').replace(/\.circom$/, '');
  const match = /non-linear constraints: (\d+)/.exec(stdout);
  const linear = /(?<!non-)linear constraints: (\d+)/.exec(stdout);
  if (!match) throw new Error(`circom2 printed no constraint count:\n${stdout}`);
  return {
    r1cs: join(outDir, `${name}.r1cs`),
    wasm: join(outDir, `${name}_js`, `${name}.wasm`),
    constraints: Number(match[1]) + Number(linear?.[1] ?? 0),
    seconds: (Date.now() - started) / 1000,
  };
}
