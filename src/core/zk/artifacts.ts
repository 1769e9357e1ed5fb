import { bytesToHex } from 'viem';
import { ZkProofError } from './errors.js';
import type { ArtifactEntry } from './manifest.js';

/** sha256 with WebCrypto: the same code in the browser, a worker and Node 20. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))).slice(2);
}

/** Throws unless `bytes` are exactly the artifact the manifest describes. */
export async function checkArtifact(entry: ArtifactEntry, bytes: Uint8Array): Promise<void> {
  const hash = await sha256Hex(bytes);
  if (hash !== entry.sha256 || bytes.byteLength !== entry.bytes) {
    throw new ZkProofError('zk.artifact_mismatch', `The proving file ${entry.file} is not the one this version of Outpost expects.`, {
      details: `sha256 ${hash} (${bytes.byteLength} bytes), expected ${entry.sha256} (${entry.bytes} bytes)`,
      hint: 'Reload the app to fetch the current files; if it persists, the server has a stale copy.',
    });
  }
}
