/** The part of snarkjs 0.7 (which ships no types) that Outpost uses. */
declare module 'snarkjs' {
  export type SnarkjsLogger = {
    debug: (message: string) => void;
    info: (message: string) => void;
    warn: (message: string) => void;
    error: (message: string) => void;
  };
  /** A file name/URL (Node, or fetched in the browser), raw bytes, or snarkjs's in-memory file. */
  export type SnarkjsMemFile = { type: 'mem'; data?: Uint8Array };
  export type SnarkjsFile = string | Uint8Array | SnarkjsMemFile;
  export type Groth16Proof = {
    pi_a: [string, string, string];
    pi_b: [[string, string], [string, string], [string, string]];
    pi_c: [string, string, string];
    protocol: 'groth16';
    curve: 'bn128';
  };
  export type Groth16VerificationKey = {
    protocol: 'groth16';
    curve: 'bn128';
    nPublic: number;
    [key: string]: unknown;
  };
  export type SignalInput = Record<string, string | bigint | number | (string | bigint | number)[]>;

  export const groth16: {
    fullProve(
      input: SignalInput,
      wasm: SnarkjsFile,
      zkey: SnarkjsFile,
      logger?: SnarkjsLogger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    /** The proof from a computed witness (fullProve = wtns.calculate, then this). */
    prove(zkey: SnarkjsFile, witness: SnarkjsFile, logger?: SnarkjsLogger): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: Groth16VerificationKey, publicSignals: (string | bigint)[], proof: Groth16Proof, logger?: SnarkjsLogger): Promise<boolean>;
  };
  export const wtns: {
    /** Runs the witness calculator; throws when a constraint (assert) fails. */
    calculate(input: SignalInput, wasm: SnarkjsFile, output: SnarkjsFile): Promise<void>;
  };
  export const r1cs: {
    info(file: SnarkjsFile): Promise<{ nConstraints: number; nOutputs: number; nPubInputs: number; nPrvInputs: number }>;
  };
}
