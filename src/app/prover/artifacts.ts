/**
 * The proving artifacts in the app: fetched once from /zk/, checked against the manifest bundled
 * with the code, and kept in the Cache API so later proofs (and proofs offline) need no network.
 * The cache name carries the circuit's r1cs hash, so a new circuit starts a fresh cache and old
 * ones are deleted.
 */
import manifestJson from '../../core/zk/artifacts.manifest.json';
import { checkArtifact } from '../../core/zk/artifacts.js';
import { ZkProofError } from '../../core/zk/errors.js';
import type { ArtifactManifest, ArtifactName } from '../../core/zk/manifest.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';

const artifactManifest = manifestJson as ArtifactManifest;

const CACHE_PREFIX = 'outpost-zk-';
const ARTIFACT_CACHE = `${CACHE_PREFIX}${artifactManifest.r1cs.sha256.slice(0, 16)}`;

export type ArtifactSource = 'memory' | 'cache' | 'network';
export type LoadedArtifacts = { wasm: Uint8Array; zkey: Uint8Array; vkey: Groth16VerificationKey; sources: Record<ArtifactName, ArtifactSource> };

function artifactUrl(name: ArtifactName): string {
  const entry = artifactManifest.artifacts[name];
  return new URL(`${import.meta.env.BASE_URL}zk/${entry.file}?sha256=${entry.sha256.slice(0, 16)}`, location.href).href;
}

async function openCache(): Promise<Cache | null> {
  if (typeof caches === 'undefined') return null; // not a secure context: still works, without offline
  try {
    for (const name of await caches.keys()) if (name.startsWith(CACHE_PREFIX) && name !== ARTIFACT_CACHE) await caches.delete(name);
    return await caches.open(ARTIFACT_CACHE);
  } catch {
    return null;
  }
}

async function loadOne(cache: Cache | null, name: ArtifactName): Promise<{ bytes: Uint8Array; source: ArtifactSource }> {
  const entry = artifactManifest.artifacts[name];
  const url = artifactUrl(name);
  const cached = await cache?.match(url);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    try {
      await checkArtifact(entry, bytes);
      return { bytes, source: 'cache' };
    } catch {
      await cache?.delete(url); // a damaged copy: fetch it again
    }
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ZkProofError('zk.artifact_offline', `Could not download the proving file ${entry.file}.`, {
      details: error instanceof Error ? error.message : String(error),
      hint: 'Connect once to download the proving files (about 10 MB); after that, proofs work offline.',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new ZkProofError('zk.artifact_unavailable', `The server did not provide ${entry.file} (HTTP ${response.status}).`, {
      hint: 'Reload the app; the server may be updating.',
    });
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  await checkArtifact(entry, bytes);
  await cache?.put(url, new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => {});
  return { bytes, source: 'network' };
}

let loaded: Promise<LoadedArtifacts> | null = null;
const FROM_MEMORY: LoadedArtifacts['sources'] = { wasm: 'memory', zkey: 'memory', vkey: 'memory' };

async function fetchAll(): Promise<LoadedArtifacts> {
  const cache = await openCache();
  const [wasm, zkey, vkey] = await Promise.all([loadOne(cache, 'wasm'), loadOne(cache, 'zkey'), loadOne(cache, 'vkey')]);
  return {
    wasm: wasm.bytes,
    zkey: zkey.bytes,
    vkey: JSON.parse(new TextDecoder().decode(vkey.bytes)) as Groth16VerificationKey,
    sources: { wasm: wasm.source, zkey: zkey.source, vkey: vkey.source },
  };
}

/** The artifacts, from memory, the cache or the network (in that order), each checked against the manifest. */
export function loadArtifacts(): Promise<LoadedArtifacts> {
  if (loaded) return loaded.then((artifacts) => ({ ...artifacts, sources: FROM_MEMORY }));
  const pending = fetchAll();
  loaded = pending;
  pending.catch(() => {
    if (loaded === pending) loaded = null;
  });
  return pending;
}

