/**
 * The proving artifacts, loaded inside the prover worker (which keeps them between proofs): fetched
 * once from /zk/ with download progress, checked against the manifest bundled with the code, and
 * kept in the Cache API so later proofs (and proofs offline) need no network. The cache name
 * carries the circuit's r1cs hash, so a new circuit starts a fresh cache and old ones are deleted.
 */
import manifestJson from '../../core/zk/artifacts.manifest.json';
import { checkArtifact } from '../../core/zk/artifacts.js';
import { ZkProofError } from '../../core/zk/errors.js';
import type { ArtifactEntry, ArtifactManifest, ArtifactName } from '../../core/zk/manifest.js';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';

const artifactManifest = manifestJson as ArtifactManifest;

const CACHE_PREFIX = 'outpost-zk-';
const ARTIFACT_CACHE = `${CACHE_PREFIX}${artifactManifest.r1cs.sha256.slice(0, 16)}`;

export type ArtifactSource = 'memory' | 'cache' | 'network';
/** Bytes downloaded so far, of the bytes every artifact not yet cached adds up to. */
export type DownloadProgress = { loaded: number; total: number };

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

async function fromCache(cache: Cache | null, name: ArtifactName): Promise<Uint8Array | null> {
  const url = artifactUrl(name);
  const cached = await cache?.match(url);
  if (!cached) return null;
  const bytes = new Uint8Array(await cached.arrayBuffer());
  try {
    await checkArtifact(artifactManifest.artifacts[name], bytes);
    return bytes;
  } catch {
    await cache?.delete(url); // a damaged copy: fetch it again
    return null;
  }
}

/** Reads the body into one buffer of the manifest's size (no second copy), reporting each chunk. */
async function readBody(response: Response, entry: ArtifactEntry, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const bytes = new Uint8Array(entry.bytes);
  const reader = response.body.getReader();
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.byteLength > bytes.byteLength) {
      await reader.cancel();
      throw new ZkProofError('zk.artifact_mismatch', `The proving file ${entry.file} is larger than this version of Outpost expects.`, {
        details: `more than ${entry.bytes} bytes`,
        hint: 'Reload the app to fetch the current files; if it persists, the server has a stale copy.',
      });
    }
    bytes.set(value, filled);
    filled += value.byteLength;
    onChunk(value.byteLength);
  }
  return filled === bytes.byteLength ? bytes : bytes.slice(0, filled); // a short body fails the hash check
}

async function download(name: ArtifactName, onChunk: (bytes: number) => void): Promise<Uint8Array> {
  const entry = artifactManifest.artifacts[name];
  let response: Response;
  try {
    response = await fetch(artifactUrl(name));
  } catch (error) {
    throw new ZkProofError('zk.artifact_offline', `Could not download the proving file ${entry.file}.`, {
      details: error instanceof Error ? error.message : String(error),
      hint: 'Connect once to download the proving files (about 13 MB); after that, proofs work offline.',
      cause: error,
    });
  }
  if (!response.ok) {
    throw new ZkProofError('zk.artifact_unavailable', `The server did not provide ${entry.file} (HTTP ${response.status}).`, {
      hint: 'Reload the app; the server may be updating.',
    });
  }
  const bytes = await readBody(response, entry, onChunk);
  await checkArtifact(entry, bytes);
  return bytes;
}

/** One artifact's bytes, checked against the manifest, and where they came from. */
type LoadedArtifact = { bytes: Uint8Array; source: ArtifactSource };
export type ArtifactLoads = Record<ArtifactName, Promise<LoadedArtifact>> & {
  /** Settles once every download has been written to the cache (or failed to be). */
  cached: Promise<void>;
};

/** Download progress is reported at most this often (in fractions of the total), and at the end. */
const REPORT_STEP = 1 / 50;

/**
 * Starts loading every artifact from the cache or the network, each checked against the manifest,
 * and hands back one promise per artifact, so a caller can start on the witness (which needs only
 * the wasm) while the proving key still downloads. Downloads are written to the cache without
 * holding anything up.
 */
export function loadArtifacts(onDownload: (progress: DownloadProgress) => void = () => {}): ArtifactLoads {
  const cacheOpened = openCache();
  const progress: DownloadProgress = { loaded: 0, total: 0 };
  let reported = 0;
  const report = () => {
    if (progress.loaded < progress.total && progress.loaded - reported < progress.total * REPORT_STEP) return;
    reported = progress.loaded;
    onDownload({ ...progress });
  };
  const writes: Promise<void>[] = [];

  async function loadOne(name: ArtifactName): Promise<LoadedArtifact> {
    const cache = await cacheOpened;
    const cached = await fromCache(cache, name);
    if (cached) return { bytes: cached, source: 'cache' };
    progress.total += artifactManifest.artifacts[name].bytes;
    onDownload({ ...progress });
    const bytes = await download(name, (chunk) => {
      progress.loaded += chunk;
      report();
    });
    if (cache) writes.push(cache.put(artifactUrl(name), new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': 'application/octet-stream' } })).catch(() => {}));
    return { bytes, source: 'network' };
  }

  const loads = { wasm: loadOne('wasm'), zkey: loadOne('zkey'), vkey: loadOne('vkey') };
  return {
    ...loads,
    cached: Promise.allSettled(Object.values(loads)).then(() => Promise.all(writes).then(() => {})),
  };
}

/** The verification key from its loaded bytes. */
export function parseVerificationKey(bytes: Uint8Array): Groth16VerificationKey {
  return JSON.parse(new TextDecoder().decode(bytes)) as Groth16VerificationKey;
}
