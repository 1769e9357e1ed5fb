/**
 * `npm run bench zk`: the batch circuit's figures on one input (an honest 64-reading batch):
 * Groth16 proving time in Node (snarkjs fullProve) and in headless Chromium (the app's prover
 * worker, same call on the same input, interleaved run by run so shared-CPU noise hits both),
 * their ratio, verification time, constraints (and how they grow with N), artifact sizes and
 * on-chain verification gas.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wtns } from 'snarkjs';
import { compileCircuit } from '../scripts/circuits/lib.js';
import { artifactManifest, readProvingArtifacts, readVerificationKey } from '../src/node/zkArtifacts.js';
import { proveBatch } from '../src/core/zk/prove.js';
import { verifyBatchProof } from '../src/core/zk/verify.js';
import { buildBatchWitness } from '../src/core/zk/witness.js';
import { honestClaim, honestReadings } from '../tests/unit/zk/fixtures.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';
import { openZkBrowser } from './lib/zkBrowser.js';
import { load1, median } from './lib/stats.js';
import type { BrowserProveResult } from './zk-browser/main.js';

const RUNS = 5;

type Milestone = { detail: string; at: number };
/** Where proving time goes, from snarkjs's own log lines (prove.ts forwards them as progress details). */
const PHASES: { name: string; from: string; to: string }[] = [
  { name: 'witness (and, in the browser, handing the artifacts to the worker)', from: 'start', to: 'Reading Wtns' },
  { name: 'reading coefficients, building A, B, C', from: 'Reading Wtns', to: 'IFFT_A' },
  { name: 'FFTs (IFFT/FFT of A, B, C)', from: 'IFFT_A', to: 'Join ABC' },
  { name: 'join ABC', from: 'Join ABC', to: 'Reading A Points' },
  { name: 'MSM A (G1)', from: 'Reading A Points', to: 'Reading B1 Points' },
  { name: 'MSM B1 (G1)', from: 'Reading B1 Points', to: 'Reading B2 Points' },
  { name: 'MSM B2 (G2)', from: 'Reading B2 Points', to: 'Reading C Points' },
  { name: 'MSM C (G1)', from: 'Reading C Points', to: 'Reading H Points' },
  { name: 'MSM H (G1) and the proof', from: 'Reading H Points', to: 'end' },
];

function phaseSplit(milestones: readonly Milestone[], total: number): number[] {
  const at = (point: string) => (point === 'start' ? 0 : point === 'end' ? total : (milestones.find((m) => m.detail.startsWith(point))?.at ?? Number.NaN));
  return PHASES.map((phase) => at(phase.to) - at(phase.from));
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

/** Constraints of the same template at other N, compiled into a temporary folder. */
function constraintsFor(n: number): number {
  mkdirSync(join('circuits', 'build'), { recursive: true });
  const dir = mkdtempSync(join('circuits', 'build', `n${n}-`));
  try {
    const source = join(dir, `outpost_batch_${n}.circom`);
    writeFileSync(source, `pragma circom 2.1.0;\ninclude "../../lib/batch.circom";\ncomponent main {public [device, window, statement]} = OutpostBatch(${n});\n`);
    return compileCircuit(source, dir).constraints;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function verifierGas(): Promise<bigint | null> {
  try {
    const { default: hre } = await import('hardhat');
    await hre.run('compile', { quiet: true });
    const { createPublicClient, createWalletClient, custom } = await import('viem');
    const { hardhat } = await import('viem/chains');
    const { toSolidityProof } = await import('../src/core/zk/proof.js');
    const provider = hre.network.provider as never;
    const artifact = await hre.artifacts.readArtifact('Groth16Verifier');
    const client = createPublicClient({ chain: hardhat, transport: custom(provider) });
    const [account] = (await hre.network.provider.request({ method: 'eth_accounts' })) as `0x${string}`[];
    const wallet = createWalletClient({ chain: hardhat, transport: custom(provider), account: account! });
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode as `0x${string}` });
    const address = (await client.waitForTransactionReceipt({ hash })).contractAddress!;
    const witness = buildBatchWitness(honestReadings(64), honestClaim());
    const proved = await proveBatch(witness.input, witness.publicSignalsTuple, await readProvingArtifacts());
    const { pA, pB, pC, pubSignals } = toSolidityProof(proved);
    return await client.estimateContractGas({ address, abi: artifact.abi, functionName: 'verifyProof', args: [pA, pB, pC, pubSignals] });
  } catch (error) {
    console.error('gas measurement skipped:', error);
    return null;
  }
}

export async function run(): Promise<void> {
  const loadStart = load1();
  const readings = honestReadings(64);
  const claim = honestClaim();
  const witness = buildBatchWitness(readings, claim);
  const artifacts = await readProvingArtifacts();
  const vkey = await readVerificationKey();

  // Warm-up (snarkjs builds its curve and thread pool once per process).
  await proveBatch(witness.input, witness.publicSignalsTuple, artifacts);

  const browser = await openZkBrowser();
  const nodeMs: number[] = [];
  const browserMs: number[] = [];
  const nodePhases: number[][] = [];
  const browserPhases: number[][] = [];
  const browserTotalMs: number[] = [];
  let coldBrowser: BrowserProveResult;
  let longestGap = 0;
  try {
    const proveInBrowser = () => browser.page.evaluate(([r, c]) => (window as unknown as { outpostZk: { prove: (...args: unknown[]) => Promise<BrowserProveResult> } }).outpostZk.prove(r, c), [readings, claim] as const);
    coldBrowser = await proveInBrowser();
    for (let i = 0; i < RUNS; i++) {
      const milestones: Milestone[] = [];
      const started = performance.now();
      const [, ms] = await timed(() => proveBatch(witness.input, witness.publicSignalsTuple, artifacts, (progress) => milestones.push({ detail: progress.detail ?? progress.stage, at: performance.now() - started })));
      nodeMs.push(ms);
      nodePhases.push(phaseSplit(milestones, ms));
      const result = await proveInBrowser();
      if (!result.valid) throw new Error('the browser proof did not verify');
      browserMs.push(result.provingMs);
      // The page's milestones count from prove(); the worker starts after the check and the artifacts.
      const workerStart = result.totalMs - result.provingMs;
      browserPhases.push(phaseSplit(result.milestones.map((m) => ({ ...m, at: m.at - workerStart })), result.provingMs));
      browserTotalMs.push(result.totalMs);
      longestGap = Math.max(longestGap, result.longestMainThreadGapMs);
    }
  } finally {
    await browser.close();
  }

  const witnessMs: number[] = [];
  for (let i = 0; i < RUNS; i++) witnessMs.push((await timed(() => wtns.calculate(witness.input, artifacts.wasm, { type: 'mem' })))[1]);
  const proof = await proveBatch(witness.input, witness.publicSignalsTuple, artifacts);
  const verifyMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const [valid, ms] = await timed(() => verifyBatchProof(vkey, proof));
    if (!valid) throw new Error('proof did not verify');
    verifyMs.push(ms);
  }

  const growth = [32, 128].map((n) => ({ n, constraints: constraintsFor(n) }));
  const gas = await verifierGas();
  const size = (path: string) => statSync(path).size;
  const nodeMedian = median(nodeMs);
  const browserMedian = median(browserMs);

  const rows: BenchRow[] = [
    { figure: 'constraints (N = 64, --O2)', value: artifactManifest.constraints, unit: 'constraints', note: 'ceremony 2^14' },
    ...growth.map(({ n, constraints }) => ({ figure: `constraints (N = ${n})`, value: constraints, unit: 'constraints', note: `${(constraints / n).toFixed(0)} per reading` })),
    { figure: 'proving, Node (snarkjs fullProve), median', value: Math.round(nodeMedian), unit: 'ms', note: `${RUNS} runs: ${nodeMs.map(Math.round).join(', ')}` },
    { figure: 'proving, headless Chromium worker (same fullProve), median', value: Math.round(browserMedian), unit: 'ms', note: `${RUNS} runs: ${browserMs.map(Math.round).join(', ')}` },
    { figure: 'browser / Node proving ratio', value: Number((browserMedian / nodeMedian).toFixed(2)), unit: '×', note: 'target <= 1.3' },
    { figure: 'browser prove() end to end (check, artifacts from memory, worker), median', value: Math.round(median(browserTotalMs)), unit: 'ms' },
    { figure: 'browser first proof (artifacts fetched, hashed, cached)', value: Math.round(coldBrowser!.totalMs), unit: 'ms' },
    { figure: 'longest main-thread stall while proving (warm)', value: Math.round(longestGap), unit: 'ms', note: 'timer tick gap on the page' },
    ...PHASES.map((phase, i) => {
      const node = median(nodePhases.map((split) => split[i]!));
      const browser = median(browserPhases.map((split) => split[i]!));
      return { figure: `profile: ${phase.name}, Node / browser`, value: `${Math.round(node)} / ${Math.round(browser)}`, unit: 'ms', note: `browser / Node ${(browser / node).toFixed(2)}; medians of ${RUNS}` };
    }),
    { figure: 'witness generation, Node, median', value: Math.round(median(witnessMs)), unit: 'ms' },
    { figure: 'verification, Node (snarkjs), median', value: Math.round(median(verifyMs)), unit: 'ms', note: '10 runs' },
    { figure: 'verification gas on the EVM (estimate incl. 21k base)', value: gas === null ? 'n/a' : Number(gas), unit: 'gas' },
    { figure: 'witness wasm', value: size('public/zk/outpost_batch.wasm'), unit: 'bytes' },
    { figure: 'proving key (zkey)', value: size('public/zk/outpost_batch.zkey'), unit: 'bytes' },
    { figure: 'verification key', value: size('public/zk/outpost_batch.vkey.json'), unit: 'bytes' },
    { figure: 'r1cs (not shipped)', value: artifactManifest.r1cs.bytes, unit: 'bytes' },
    { figure: 'Groth16Verifier.sol', value: readFileSync('contracts/zk/Groth16Verifier.sol').length, unit: 'bytes' },
  ];
  writeBenchResults({
    area: 'zk',
    title: 'Zero-knowledge batch proofs (Groth16, N = 64 readings)',
    rows,
    notes: [
      'Input: one honest 64-reading batch (tests/unit/zk/fixtures.ts), the same for every run and both runtimes.',
      'Node and browser runs are interleaved; both time snarkjs groth16.fullProve (witness + proof) with the artifacts as bytes.',
      'The browser figure is measured inside the app prover worker (src/app/prover) in Debian Chromium, headless, via bench/zk-browser.',
      `Artifacts from a ${artifactManifest.ceremony} ceremony (ptau 2^${artifactManifest.ptau.power}).`,
      'The 2-core machine is shared with other work, so single runs are noisy; compare medians.',
      'Profile rows: the time between snarkjs’s own log lines (“Reading Wtns”, “IFFT_A”, “Join ABC”, “Reading A Points” …), in Node from proveBatch’s progress, in the browser as the page received them from the worker (a message hop later). MSM = multi-scalar multiplication over the zkey’s points.',
      `Load average (1 min) at start / end: ${loadStart.toFixed(2)} / ${load1().toFixed(2)}.`,
    ],
  });
}
