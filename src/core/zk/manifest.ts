/**
 * The artifact manifest written by `npm run circuits` (src/core/zk/artifacts.manifest.json): what
 * was built, from which r1cs, with which ceremony, and the sha256 of every file the prover and the
 * verifier load. The app checks downloads against it; CI checks the r1cs hash against the circuit.
 */
export type ArtifactEntry = { file: string; sha256: string; bytes: number };

export type ArtifactManifest = {
  circuit: string;
  batchSize: number;
  constraints: number;
  publicSignals: number;
  r1cs: { sha256: string; bytes: number };
  /** "dev-only" for the local ceremony; "public:<file>" when built with a public ptau. */
  ceremony: string;
  ptau: { file: string; sha256: string; power: number };
  artifacts: { wasm: ArtifactEntry; zkey: ArtifactEntry; vkey: ArtifactEntry };
  verifier: { file: string; sha256: string };
  circom: string;
  snarkjs: string;
};

export type ArtifactName = keyof ArtifactManifest['artifacts'];
