/**
 * Node-only access to the committed artifacts (public/zk), for the relay, tests and tools. The app
 * never imports this: it fetches the same files (src/app/prover/artifacts.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import manifestJson from '../core/zk/artifacts.manifest.json' with { type: 'json' };
import { checkArtifact } from '../core/zk/artifacts.js';
import type { ArtifactManifest } from '../core/zk/manifest.js';
import type { ProvingArtifacts } from '../core/zk/prove.js';
import type { Groth16VerificationKey } from '../core/zk/verify.js';

export const artifactManifest = manifestJson as ArtifactManifest;

async function readChecked(dir: string, name: keyof ArtifactManifest['artifacts']): Promise<Uint8Array> {
  const entry = artifactManifest.artifacts[name];
  const bytes = new Uint8Array(await readFile(join(dir, entry.file)));
  await checkArtifact(entry, bytes);
  return bytes;
}

export async function readProvingArtifacts(dir = 'public/zk'): Promise<ProvingArtifacts> {
  const [wasm, zkey] = await Promise.all([readChecked(dir, 'wasm'), readChecked(dir, 'zkey')]);
  return { wasm, zkey };
}

export async function readVerificationKey(dir = 'public/zk'): Promise<Groth16VerificationKey> {
  return JSON.parse(new TextDecoder().decode(await readChecked(dir, 'vkey'))) as Groth16VerificationKey;
}
