import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type * as v from 'valibot';
import { keccak256, toHex, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { batchSigningDigest } from '../../../src/core/batch/signingDigest.js';
import type { BatchSubmissionSchema, ErrorBody, SubmitResponse } from '../../../src/core/relayWire/schemas.js';
import type { Reading } from '../../../src/core/readings.js';
import { artifactManifest, readProvingArtifacts } from '../../../src/node/zkArtifacts.js';
import { proveBatch } from '../../../src/core/zk/prove.js';
import { buildBatchWitness } from '../../../src/core/zk/witness.js';

/** Relay epochs in the tests: one hour, and a clock pinned mid-epoch so cached proofs stay valid. */
export const EPOCH_SECONDS = 3600;
export const CURRENT_EPOCH = 500_000;
export const FIXED_NOW = CURRENT_EPOCH * EPOCH_SECONDS + 1800;

/** DEV ONLY test device keys (derived from public strings; never use for anything real). */
export function testDeviceKey(name: string): Hex {
  return keccak256(toHex(`outpost relay test device: ${name}`));
}

/** A POST /v1/batches body as sent (the wire contract's input type). */
export type Submission = v.InferInput<typeof BatchSubmissionSchema> & { signature: Hex };

function readings(start: number, seed: number, count: number, spacing: number): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: seed * 1000 + i,
    timestamp: start + 10 + spacing * i,
    temperature: 2_000 + ((i * (7 + seed)) % 31) - 15,
    humidity: 450 + (i % 40),
    flags: 0,
  }));
}

const CACHE_DIR = 'tests/.tmp/relay-proofs';
let artifacts: Awaited<ReturnType<typeof readProvingArtifacts>> | null = null;

export type BatchWindowOption = { windowStart: number; windowEnd: number };

/**
 * The window a test batch proves by default: its whole epoch, except that a window may not end
 * after the relay's (pinned) clock, FIXED_NOW (the relay and BatchInbox refuse a window that has
 * not ended yet), so the current epoch's batches prove [epoch start, FIXED_NOW].
 */
function defaultWindow(epoch: number): BatchWindowOption {
  const start = epoch * EPOCH_SECONDS;
  return { windowStart: start, windowEnd: Math.min(start + EPOCH_SECONDS - 1, FIXED_NOW) };
}

/**
 * A real device batch: readings, the device's raw signature over batchSigningDigest(commitment) and a
 * real Groth16 proof from the committed artifacts. Proofs take seconds, so they are cached on disk
 * per proving key (a proof is deterministic in what it proves; the cache only skips the work).
 * `window` overrides the proved window (readings are spread inside it); it need not be valid.
 */
export async function makeBatch(deviceKey: Hex, epoch: number, seed = 1, count = 64, window: BatchWindowOption = defaultWindow(epoch)): Promise<Submission> {
  const device = privateKeyToAccount(deviceKey);
  const whole = window.windowStart === epoch * EPOCH_SECONDS && window.windowEnd === window.windowStart + EPOCH_SECONDS - 1;
  // Whole-epoch windows keep their original cache names; any other window is part of the name.
  const windowTag = whole ? '' : `-w${window.windowStart}-${window.windowEnd}`;
  const file = `${CACHE_DIR}/${artifactManifest.artifacts.zkey.sha256.slice(0, 16)}-${device.address}-${epoch}-${seed}-${count}${windowTag}.json`;
  let proved: { proof: unknown; publicSignals: string[] };
  if (existsSync(file)) {
    proved = JSON.parse(readFileSync(file, 'utf8')) as typeof proved;
  } else {
    // Readings 50 s apart, closer when the window is shorter, all inside the window.
    const lo = Math.min(window.windowStart, window.windowEnd);
    const span = Math.abs(window.windowEnd - window.windowStart);
    const spacing = Math.max(1, Math.min(50, Math.floor((span - 20) / Math.max(1, count))));
    const witness = buildBatchWitness(readings(lo, seed, count, spacing), {
      device: device.address,
      window,
      minTemperature: -4_000,
      maxTemperature: 6_000,
    });
    artifacts ??= await readProvingArtifacts();
    const result = await proveBatch(witness.input, witness.publicSignalsTuple, artifacts);
    proved = { proof: result.proof, publicSignals: result.publicSignals.map(String) };
    mkdirSync(CACHE_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify(proved));
  }
  const commitment = BigInt(proved.publicSignals[0]!);
  const signature = await device.sign({ hash: batchSigningDigest(commitment) });
  // snarkjs's output (possibly from the cache file), typed as the wire's input; not parsed: tests send bodies the relay must refuse.
  return { device: device.address, epoch, commitment: commitment.toString(), signature, proof: proved.proof as Submission['proof'], publicSignals: proved.publicSignals as Submission['publicSignals'] };
}

/**
 * A relay answer as the wire contract types it: a receipt (2xx) or a refusal (4xx/5xx). Typed as
 * both so a test can read whichever its status says without a cast; the parse is not checked here
 * (relay.test.ts checks every answer against /openapi.json).
 */
export type RelayAnswer = SubmitResponse & ErrorBody;

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: RelayAnswer }> {
  const response = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
