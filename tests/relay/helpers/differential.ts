/**
 * The differential check between the relay and BatchInbox (tests/relay/differential.test.ts and
 * bench/trust.bench.ts): seeded leaves, valid and mutated in every field, judged by the relay's
 * judgeLeaf and by BatchInbox.challenge (eth_call) on a real Hardhat chain. They must agree on every
 * leaf: the relay accepts exactly when challenge answers LeafIsValid (and names the same Fault).
 *
 * All leaves go into one Merkle tree anchored once under the relay's module at a known block time
 * (the chain's clock set to FIXED_NOW for that block), so one anchor serves every challenge, and the
 * relay judges with its clock at that same time.
 */
import { bn254, bn254_Fr } from '@noble/curves/bn254.js';
import { invert, mod } from '@noble/curves/abstract/modular.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  hexToBytes,
  http,
  keccak256,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { batchInboxAbi } from '../../../src/core/abis/index.js';
import { batchLeaf, buildMerkleTree, type DeviceBatchLeaf } from '../../../src/core/batch/merkle.js';
import { batchSigningDigest } from '../../../src/core/batch/signingDigest.js';
import { NETWORKS, toViemChain } from '../../../src/core/networks.js';
import { readVerificationKey } from '../../../src/node/zkArtifacts.js';
import { toSolidityProof, type Groth16Proof } from '../../../src/core/zk/proof.js';
import type { PublicSignalsTuple } from '../../../src/core/zk/publicSignals.js';
import { judgeLeaf, type LeafFault } from '../../../src/relay/verify/judge.js';
import { createVerifier, type Verifier } from '../../../src/relay/verify/pool.js';
import { devAccount } from '../../../scripts/deploy/deployer.js';
import { seededHex } from '../../support/seed.js';
import { CURRENT_EPOCH, EPOCH_SECONDS, FIXED_NOW, makeBatch, testDeviceKey, type Submission } from './batches.js';
import type { TestChain } from './chain.js';

/** Constants written out from their standards (SEC 2, EIP-196/197), not taken from the code under test. */
const SECP_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const BN_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const BN_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const UINT256_MAX = (1n << 256n) - 1n;
const MASK64 = (1n << 64n) - 1n;

/** BatchInbox.Fault, in the contract's order (the enum's numbers). */
const FAULTS = ['None', 'DeviceMismatch', 'BadSignature', 'BadProof', 'BadWindow'] as const;
type Verdict = (typeof FAULTS)[number];

/** A deterministic stream from the project seed (keccak256 in counter mode). */
class SeededRandom {
  private counter = 0n;
  constructor(private readonly seed: Hex) {}
  bigint(bits = 256): bigint {
    const value = BigInt(keccak256(`${this.seed}${toHex(this.counter++, { size: 32 }).slice(2)}` as Hex));
    return bits >= 256 ? value : value & ((1n << BigInt(bits)) - 1n);
  }
  below(bound: bigint): bigint {
    return this.bigint() % bound;
  }
  int(bound: number): number {
    return Number(this.below(BigInt(bound)));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

type Base = { name: string; key: Hex; submission: Submission };

/** One leaf to judge, in the relay's form (the snarkjs proof; the leaf takes its (x, y)). */
export type Case = { kind: string; base: string; device: Address; signature: Hex; proof: Groth16Proof; publicSignals: PublicSignalsTuple };

type G1Json = [string, string, string];
type G2Json = [[string, string], [string, string], [string, string]];
type ProofJson = { pi_a: G1Json; pi_b: G2Json; pi_c: G1Json; protocol: string; curve: string };

const dec = (x: bigint) => x.toString();
/** r, s, v of a signature (a short one, after a stacked length mutation, read as zero-padded). */
const sigParts = (signature: Hex) => {
  const hex = signature.slice(2).padEnd(130, '0').slice(0, 130);
  return { r: BigInt(`0x${hex.slice(0, 64)}`), s: BigInt(`0x${hex.slice(64, 128)}`), v: Number.parseInt(hex.slice(128, 130), 16) };
};
const sigFrom = (r: bigint, s: bigint, v: number): Hex => `0x${r.toString(16).padStart(64, '0')}${s.toString(16).padStart(64, '0')}${v.toString(16).padStart(2, '0')}` as Hex;

function g1(json: G1Json) {
  return bn254.G1.Point.fromAffine({ x: BigInt(json[0]), y: BigInt(json[1]) });
}
function g1Json(point: ReturnType<typeof g1>): G1Json {
  const { x, y } = point.toAffine();
  return [dec(x), dec(y), '1'];
}
function g2(json: G2Json) {
  const { Fp2 } = bn254.fields;
  return bn254.G2.Point.fromAffine({ x: Fp2.create({ c0: BigInt(json[0][0]), c1: BigInt(json[0][1]) }), y: Fp2.create({ c0: BigInt(json[1][0]), c1: BigInt(json[1][1]) }) });
}
function g2Json(point: ReturnType<typeof g2>): G2Json {
  const { x, y } = point.toAffine();
  return [[dec(x.c0), dec(x.c1)], [dec(y.c0), dec(y.c1)], ['1', '0']];
}

/**
 * A low-s signature whose recovery lands on the point at infinity (ecrecover answers zero): with
 * R = k·G, s = e/k makes s·R = e·G, so Q = r⁻¹(s·R − e·G) = O. Built with @noble/curves' group.
 */
function infinitySignature(digest: Hex, random: SeededRandom): Hex {
  const e = mod(BigInt(digest), SECP_N);
  for (;;) {
    const k = 1n + random.below(SECP_N - 1n);
    const R = secp256k1.Point.BASE.multiply(k).toAffine();
    if (R.x >= SECP_N) continue;
    let s = mod(e * invert(k, SECP_N), SECP_N);
    let parity = Number(R.y & 1n);
    if (s === 0n) continue;
    if (s > SECP_N >> 1n) {
      s = SECP_N - s; // (n − s)·(−R) = s·R: same recovery, low s
      parity ^= 1;
    }
    return sigFrom(R.x, s, 27 + parity);
  }
}

function window(start: bigint, end: bigint): bigint {
  return (start & MASK64) | (end << 64n);
}

type Mutation = (c: Case, random: SeededRandom, ctx: { keys: Map<string, Hex>; bases: Base[] }) => void;

/** Every mutation kind. Each changes one field (or a consistent set of them) of a leaf. */
export const MUTATIONS: Record<string, Mutation> = {
  valid: () => undefined,
  'high-s': (c) => {
    const { r, s, v } = sigParts(c.signature);
    c.signature = sigFrom(r, SECP_N - s, v === 27 || v === 28 ? 55 - v : v ^ 1); // the recovery bit flips: 27 ↔ 28, 0 ↔ 1
  },
  'high-s same v': (c) => {
    const { r, s, v } = sigParts(c.signature);
    c.signature = sigFrom(r, SECP_N - s, v);
  },
  'v 0/1/27/28': (c, random) => {
    const { r, s, v } = sigParts(c.signature);
    const bit = (v >= 27 ? v - 27 : v) & 1;
    c.signature = sigFrom(r, s, random.pick([bit, bit + 27, bit ^ 1, (bit ^ 1) + 27]));
  },
  'v other': (c, random) => {
    const { r, s } = sigParts(c.signature);
    const others = Array.from({ length: 256 }, (_, i) => i).filter((v) => ![0, 1, 27, 28].includes(v));
    c.signature = sigFrom(r, s, random.pick(others));
  },
  'r or s out of range': (c, random) => {
    const { r, s, v } = sigParts(c.signature);
    const choice = random.int(7);
    if (choice === 0) c.signature = sigFrom(0n, s, v);
    else if (choice === 1) c.signature = sigFrom(r, 0n, v);
    else if (choice === 2) c.signature = sigFrom(SECP_N, s, v);
    else if (choice === 3) c.signature = sigFrom(SECP_N + random.below(UINT256_MAX - SECP_N), s, v);
    else if (choice === 4) c.signature = sigFrom(r, SECP_N + random.below(UINT256_MAX - SECP_N), v);
    else if (choice === 5) c.signature = sigFrom(r, (SECP_N >> 1n) + 1n, v); // just above n/2
    else c.signature = sigFrom(random.bigint(), s, v); // r a random x, often not on the curve
  },
  's at n/2': (c) => {
    const { r, v } = sigParts(c.signature);
    c.signature = sigFrom(r, SECP_N >> 1n, v); // the largest low s: a valid form, recovering someone else
  },
  'signature length': (c, random) => {
    const length = random.pick([0, 1, 32, 64, 66, 96, 130]);
    const bytes = c.signature.slice(2).padEnd(length * 2, 'ab');
    c.signature = `0x${bytes.slice(0, length * 2)}` as Hex;
  },
  'signed by another key': (c, random, { keys }) => {
    const others = ['d1', 'd2', 'impostor'].map((name) => keys.get(name)!).filter((key) => privateKeyToAccount(key).address.toLowerCase() !== c.device.toLowerCase());
    c.signature = signWith(random.pick(others), c.publicSignals[0]);
  },
  'recovers to infinity': (c, random) => {
    c.signature = infinitySignature(batchSigningDigest(c.publicSignals[0]), random);
  },
  'wrong device': (c, random) => {
    c.device = `0x${random.bigint(160).toString(16).padStart(40, '0')}` as Address;
  },
  'device and signal of another device': (c, _random, { bases }) => {
    const other = bases.find((b) => b.submission.device !== c.device)!;
    c.device = other.submission.device as Address;
    c.publicSignals = [c.publicSignals[0], BigInt(other.submission.device), c.publicSignals[2], c.publicSignals[3]];
  },
  'device signal out of range': (c, random) => {
    const high = 1n + random.below((1n << 96n) - 1n);
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1] + (high << 160n), c.publicSignals[2], c.publicSignals[3]];
  },
  'signal plus k·r': (c, random) => {
    const i = random.int(4);
    const signals = [...c.publicSignals] as bigint[];
    signals[i] = signals[i]! + BN_R * (1n + random.below(4n));
    c.publicSignals = signals as unknown as PublicSignalsTuple;
  },
  'signal near or past r': (c, random) => {
    const i = random.pick([0, 3]);
    const signals = [...c.publicSignals] as bigint[];
    signals[i] = random.pick([BN_R - 1n, BN_R, BN_R + 1n, UINT256_MAX]);
    c.publicSignals = signals as unknown as PublicSignalsTuple;
  },
  'signal tweaked': (c, random) => {
    const i = random.pick([0, 2, 3]);
    const signals = [...c.publicSignals] as bigint[];
    signals[i] = signals[i]! ^ (1n << BigInt(random.int(i === 0 ? 250 : 96)));
    c.publicSignals = signals as unknown as PublicSignalsTuple;
  },
  'commitment changed and re-signed': (c, random, { keys }) => {
    const commitment = random.below(BN_R);
    c.publicSignals = [commitment, c.publicSignals[1], c.publicSignals[2], c.publicSignals[3]];
    c.signature = secpSign(commitment, c.device, keys) ?? c.signature;
  },
  'window in the future': (c, random) => {
    const w = c.publicSignals[2];
    const start = w & MASK64;
    const end = BigInt(FIXED_NOW) + 1n + random.below(BigInt(EPOCH_SECONDS) * 2n);
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1], window(start, end), c.publicSignals[3]];
  },
  'window across epochs': (c, random) => {
    const start = c.publicSignals[2] & MASK64;
    const epochEnd = (start / BigInt(EPOCH_SECONDS) + 1n) * BigInt(EPOCH_SECONDS);
    const end = epochEnd + random.below(BigInt(EPOCH_SECONDS));
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1], window(start, end), c.publicSignals[3]];
  },
  'window start after end': (c, random) => {
    const end = c.publicSignals[2] >> 64n;
    const start = end + 1n + random.below(100n);
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1], window(start, end), c.publicSignals[3]];
  },
  'window plausible but not proved': (c, random) => {
    const epoch = BigInt(CURRENT_EPOCH - 1 - random.int(3));
    const start = epoch * BigInt(EPOCH_SECONDS) + random.below(100n);
    const end = start + random.below(BigInt(EPOCH_SECONDS) - 100n);
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1], window(start, end), c.publicSignals[3]];
  },
  'window end huge': (c, random) => {
    const start = c.publicSignals[2] & MASK64;
    c.publicSignals = [c.publicSignals[0], c.publicSignals[1], start | ((1n << 128n) + random.below(1n << 120n)) << 64n, c.publicSignals[3]];
    if (c.publicSignals[2] > UINT256_MAX) c.publicSignals = [c.publicSignals[0], c.publicSignals[1], c.publicSignals[2] & UINT256_MAX, c.publicSignals[3]];
  },
  'proof coordinate tweaked': (c, random) => editProof(c, (p) => {
    const slot = random.int(8);
    const bump = (x: string) => dec((BigInt(x) + 1n + random.below(1000n)) % BN_P);
    if (slot < 2) p.pi_a[slot] = bump(p.pi_a[slot]!);
    else if (slot < 6) p.pi_b[(slot - 2) >> 1]![(slot - 2) & 1] = bump(p.pi_b[(slot - 2) >> 1]![(slot - 2) & 1]!);
    else p.pi_c[slot - 6] = bump(p.pi_c[slot - 6]!);
  }),
  'proof coordinate plus p': (c, random) => editProof(c, (p) => {
    const slot = random.int(8);
    const plusP = (x: string) => dec(BigInt(x) + BN_P);
    if (slot < 2) p.pi_a[slot] = plusP(p.pi_a[slot]!);
    else if (slot < 6) p.pi_b[(slot - 2) >> 1]![(slot - 2) & 1] = plusP(p.pi_b[(slot - 2) >> 1]![(slot - 2) & 1]!);
    else p.pi_c[slot - 6] = plusP(p.pi_c[slot - 6]!);
  }),
  'proof A and C swapped': (c) => editProof(c, (p) => ([p.pi_a, p.pi_c] = [p.pi_c, p.pi_a])),
  'proof B halves swapped': (c, random) => editProof(c, (p) => {
    if (random.int(2) === 0) p.pi_b = [[p.pi_b[0][1], p.pi_b[0][0]], [p.pi_b[1][1], p.pi_b[1][0]], p.pi_b[2]];
    else p.pi_b = [p.pi_b[1], p.pi_b[0], p.pi_b[2]];
  }),
  'proof A negated': (c) => editProof(c, (p) => (p.pi_a = g1Json(g1(p.pi_a).negate()))),
  'proof A and B negated (valid)': (c) => editProof(c, (p) => {
    p.pi_a = g1Json(g1(p.pi_a).negate());
    p.pi_b = g2Json(g2(p.pi_b).negate());
  }),
  'proof re-randomised k·A, B/k (valid)': (c, random) => editProof(c, (p) => {
    const k = 2n + random.below(bn254_Fr.ORDER - 2n);
    p.pi_a = g1Json(g1(p.pi_a).multiply(k));
    p.pi_b = g2Json(g2(p.pi_b).multiply(bn254_Fr.inv(k)));
  }),
  'proof A at infinity': (c) => editProof(c, (p) => (p.pi_a = ['0', '0', '1'])),
  'proof of another batch': (c, random, { bases }) => {
    const other = random.pick(bases.filter((b) => b.name !== c.base));
    c.proof = structuredClone(other.submission.proof) as Groth16Proof;
  },
};

function editProof(c: Case, edit: (proof: ProofJson) => void): void {
  const proof = structuredClone(c.proof) as unknown as ProofJson;
  try {
    edit(proof);
  } catch {
    // Group operations on a point an earlier (stacked) mutation took off the curve: leave the proof as it is.
    return;
  }
  c.proof = proof as unknown as Groth16Proof;
}

/** `key`'s raw signature over batchDigest(commitment), r ‖ s ‖ v with v 27/28 (noble's recovered format is v ‖ r ‖ s). */
function signWith(key: Hex, commitment: bigint): Hex {
  const recovered = secp256k1.sign(hexToBytes(batchSigningDigest(commitment)), hexToBytes(key), { prehash: false, format: 'recovered' });
  return `0x${Buffer.from(recovered.subarray(1)).toString('hex')}${(recovered[0]! + 27).toString(16)}` as Hex;
}

/** The device's own signature over batchDigest(commitment), when the test holds the device's key. */
function secpSign(commitment: bigint, device: Address, keys: Map<string, Hex>): Hex | null {
  for (const key of keys.values()) {
    if (privateKeyToAccount(key).address.toLowerCase() === device.toLowerCase()) return signWith(key, commitment);
  }
  return null;
}

/** The real proofs the cases start from: valid ones, and ones valid but for their window. */
export async function makeBases(): Promise<{ bases: Base[]; keys: Map<string, Hex> }> {
  const E = CURRENT_EPOCH;
  const keys = new Map<string, Hex>([
    ['d1', testDeviceKey('differential 1')],
    ['d2', testDeviceKey('differential 2')],
    ['impostor', testDeviceKey('differential impostor')],
  ]);
  const spec: [string, string, number, number, number, { windowStart: number; windowEnd: number } | undefined][] = [
    ['d1 E-1 whole epoch', 'd1', E - 1, 31, 64, undefined],
    ['d1 E up to now', 'd1', E, 32, 64, undefined],
    ['d2 E-2 whole epoch', 'd2', E - 2, 33, 64, undefined],
    ['d2 E ends 1 s after now', 'd2', E, 34, 32, { windowStart: E * EPOCH_SECONDS, windowEnd: FIXED_NOW + 1 }],
    ['d1 across E-3/E-2', 'd1', E - 3, 35, 16, { windowStart: (E - 2) * EPOCH_SECONDS - 300, windowEnd: (E - 2) * EPOCH_SECONDS + 300 }],
  ];
  const bases: Base[] = [];
  for (const [name, keyName, epoch, seed, count, w] of spec) {
    const key = keys.get(keyName)!;
    bases.push({ name, key, submission: await makeBatch(key, epoch, seed, count, w) });
  }
  // Keyed by base name too, so a mutation can find the signer of a case's base.
  for (const base of bases) keys.set(base.name, base.key);
  return { bases, keys };
}

/**
 * `count` cases from the seed: mutation kinds in turn (so every kind is tried about equally), a
 * base batch and the mutation's parameters drawn at random; one case in eight stacks a second
 * mutation on the first.
 */
export function generateCases(count: number, bases: Base[], keys: Map<string, Hex>, label = 'relay/BatchInbox differential'): Case[] {
  const random = new SeededRandom(seededHex(label));
  const kinds = Object.keys(MUTATIONS);
  const cases: Case[] = [];
  for (let i = 0; i < count; i++) {
    // The two bases valid as proved are drawn more often: their mutations say the most.
    const base = random.int(4) === 0 ? random.pick(bases) : random.pick(bases.filter((b) => !/after now|across/.test(b.name)));
    const s = base.submission;
    const c: Case = {
      kind: kinds[i % kinds.length]!,
      base: base.name,
      device: s.device as Address,
      signature: s.signature,
      proof: structuredClone(s.proof) as Groth16Proof,
      publicSignals: s.publicSignals.map(BigInt) as unknown as PublicSignalsTuple,
    };
    MUTATIONS[c.kind]!(c, random, { keys, bases });
    if (random.int(8) === 0) {
      const second = random.pick(kinds);
      MUTATIONS[second]!(c, random, { keys, bases });
      c.kind = `${c.kind} + ${second}`;
    }
    fitUint256(c);
    cases.push(c);
  }
  return cases;
}

/** A leaf holds uint256s only: a value two stacked mutations pushed past 2^256 wraps, as calldata would. */
function fitUint256(c: Case): void {
  c.publicSignals = c.publicSignals.map((x) => x & UINT256_MAX) as unknown as PublicSignalsTuple;
  const wrap = (x: string) => dec(BigInt(x) & UINT256_MAX);
  const p = c.proof as unknown as ProofJson;
  c.proof = {
    ...p,
    pi_a: [wrap(p.pi_a[0]), wrap(p.pi_a[1]), p.pi_a[2]],
    pi_b: [[wrap(p.pi_b[0][0]), wrap(p.pi_b[0][1])], [wrap(p.pi_b[1][0]), wrap(p.pi_b[1][1])], p.pi_b[2]],
    pi_c: [wrap(p.pi_c[0]), wrap(p.pi_c[1]), p.pi_c[2]],
  } as unknown as Groth16Proof;
}

function leafOf(c: Case): DeviceBatchLeaf {
  const { pA, pB, pC, pubSignals } = toSolidityProof({ proof: c.proof, publicSignals: c.publicSignals });
  return { device: c.device, pubSignals, signature: c.signature, pA, pB, pC };
}

export type Outcome = { kind: string; base: string; relay: Verdict; chain: Verdict };

export type DifferentialRun = {
  outcomes: Outcome[];
  anchoredAt: number;
  relayMs: number;
  chainMs: number;
};

/**
 * Anchors every case's leaf in one root under the relay's module, in a block at FIXED_NOW, then
 * judges each case on both sides. The chain side is `challenge` by eth_call (nothing is slashed;
 * a successful call's return value is the Fault, a valid leaf reverts with LeafIsValid).
 */
export async function runDifferential(chain: TestChain, cases: Case[], { concurrency = 16 }: { concurrency?: number } = {}): Promise<DifferentialRun> {
  const batchInbox = chain.devnet.contracts.batchInbox!;
  const moduleId = BigInt(chain.devnet.extra!.moduleId as number);
  const viemChain = toViemChain(NETWORKS.devnet, chain.rpcUrl);
  const client = createPublicClient({ chain: viemChain, transport: http(chain.rpcUrl, { batch: { batchSize: 32 } }) }) as PublicClient;

  const epochSeconds = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'epochSeconds' });
  if (epochSeconds !== BigInt(EPOCH_SECONDS)) throw new Error(`BatchInbox.epochSeconds is ${epochSeconds}, the relay tests use ${EPOCH_SECONDS}`);

  const leaves = cases.map((c) => batchLeaf(leafOf(c)));
  const unique = [...new Set(leaves)];
  const position = new Map(unique.map((leaf, i) => [leaf, i]));
  const tree = buildMerkleTree(unique);

  // The anchor's block at exactly FIXED_NOW: the chain must still be before it (a fresh devnet is).
  const latest = await client.getBlock({ blockTag: 'latest' });
  if (latest.timestamp >= BigInt(FIXED_NOW)) throw new Error('the chain is already past FIXED_NOW; the differential needs a fresh chain');
  const test = createTestClient({ mode: 'hardhat', transport: http(chain.rpcUrl) });
  await test.setNextBlockTimestamp({ timestamp: BigInt(FIXED_NOW) });
  const operator = createWalletClient({ chain: viemChain, transport: http(chain.rpcUrl), account: devAccount(1) });
  const hash = await operator.writeContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'anchor', args: [moduleId, BigInt(CURRENT_EPOCH), tree.root, unique.length, keccak256(toHex('differential')), 'differential:test'] });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new Error('the differential anchor reverted');
  const [, , anchoredAt] = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'batchOf', args: [moduleId, tree.root] });
  if (anchoredAt !== BigInt(FIXED_NOW)) throw new Error(`anchored at ${anchoredAt}, expected ${FIXED_NOW}`);

  const verifier: Verifier = await createVerifier(await readVerificationKey(), { threads: 1 });
  const challenger = devAccount(4).address;
  const relayVerdicts: Verdict[] = new Array(cases.length);
  const chainVerdicts: Verdict[] = new Array(cases.length);
  let relayMs = 0;
  let chainMs = 0;
  try {
    const relaySide = (async () => {
      const started = performance.now();
      await pool(cases.length, 4, async (i) => {
        const verdict = await judgeLeaf(cases[i]!, { epochSeconds: EPOCH_SECONDS, now: Number(anchoredAt), verifier });
        relayVerdicts[i] = verdict.ok ? 'None' : (verdict.fault satisfies LeafFault);
      });
      relayMs = performance.now() - started;
    })();
    const chainSide = (async () => {
      const started = performance.now();
      await pool(cases.length, concurrency, async (i) => {
        const leaf = leafOf(cases[i]!);
        const proof = tree.proof(position.get(leaves[i]!)!);
        try {
          const { result } = await client.simulateContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'challenge', args: [moduleId, tree.root, leaf, proof], account: challenger });
          chainVerdicts[i] = FAULTS[Number(result)]!;
        } catch (error) {
          const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : null;
          const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined;
          if (name !== 'LeafIsValid') throw new Error(`case ${i} (${cases[i]!.kind}): challenge reverted with ${name ?? String(error)}`, { cause: error });
          chainVerdicts[i] = 'None';
        }
      });
      chainMs = performance.now() - started;
    })();
    await Promise.all([relaySide, chainSide]);
  } finally {
    await verifier.close();
  }
  return {
    outcomes: cases.map((c, i) => ({ kind: c.kind, base: c.base, relay: relayVerdicts[i]!, chain: chainVerdicts[i]! })),
    anchoredAt: Number(anchoredAt),
    relayMs,
    chainMs,
  };
}

async function pool(count: number, width: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** Per mutation kind (the first, for stacked ones): cases, accepted by each side, disagreements. */
export function summarise(outcomes: Outcome[]): { kind: string; cases: number; accepted: number; chainValid: number; disagreements: number; faultDifferences: number }[] {
  const rows = new Map<string, { kind: string; cases: number; accepted: number; chainValid: number; disagreements: number; faultDifferences: number }>();
  for (const o of outcomes) {
    const kind = o.kind.split(' + ')[0]!;
    const row = rows.get(kind) ?? { kind, cases: 0, accepted: 0, chainValid: 0, disagreements: 0, faultDifferences: 0 };
    row.cases++;
    if (o.relay === 'None') row.accepted++;
    if (o.chain === 'None') row.chainValid++;
    if ((o.relay === 'None') !== (o.chain === 'None')) row.disagreements++;
    if (o.relay !== o.chain) row.faultDifferences++;
    rows.set(kind, row);
  }
  return [...rows.values()];
}
