/**
 * CI check: recompile the batch circuit and fail if its r1cs differs from the one the committed
 * keys and verifier were made for (src/core/zk/artifacts.manifest.json), and if the committed
 * artifacts no longer match their recorded hashes. Fix by running `npm run circuits` and
 * committing the new artifacts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ArtifactManifest } from '../../src/core/zk/manifest.js';
import { CIRCUIT_SOURCE, MANIFEST_PATH, PUBLIC_DIR, compileCircuit, sha256File } from './lib.js';

const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as ArtifactManifest;
const problems: string[] = [];
const outDir = mkdtempSync(join(tmpdir(), 'outpost-circuit-check-'));
try {
  const compiled = compileCircuit(CIRCUIT_SOURCE, outDir);
  const r1cs = sha256File(compiled.r1cs);
  if (r1cs !== manifest.r1cs.sha256) {
    problems.push(`${CIRCUIT_SOURCE} compiles to r1cs ${r1cs}, but the committed keys were made for ${manifest.r1cs.sha256}.`);
  }
  if (compiled.constraints !== manifest.constraints) {
    problems.push(`constraints: ${compiled.constraints} now, ${manifest.constraints} in the manifest.`);
  }
  for (const artifact of Object.values(manifest.artifacts)) {
    const hash = sha256File(join(PUBLIC_DIR, artifact.file));
    if (hash !== artifact.sha256) problems.push(`${PUBLIC_DIR}/${artifact.file} has sha256 ${hash}, manifest says ${artifact.sha256}.`);
  }
  const verifier = sha256File(manifest.verifier.file);
  if (verifier !== manifest.verifier.sha256) problems.push(`${manifest.verifier.file} was edited (sha256 ${verifier}).`);
  console.log(`circuit check: ${compiled.constraints} constraints, r1cs ${r1cs.slice(0, 16)}…`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(`circuit check FAILED:\n- ${problems.join('\n- ')}\nRun \`npm run circuits\` and commit the new artifacts.`);
  process.exit(1);
}
console.log('circuit check: artifacts match the circuit');
