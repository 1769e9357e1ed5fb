/** A verification thread of the piscina pool in pool.ts: runs checks.ts with its own mcl verifier. */
import { workerData } from 'piscina';
import type { Groth16VerificationKey } from '../../core/zk/verify.js';
import { createChecks } from './checks.js';
import { createMclVerifiers } from './groth16Mcl.js';

export default createChecks((await createMclVerifiers((workerData as { vkey: Groth16VerificationKey }).vkey)).many);
