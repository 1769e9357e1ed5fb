/**
 * The rule that keeps an honest relay unslashable: the relay accepts a leaf exactly when
 * BatchInbox.challenge answers LeafIsValid for it (docs/relay.md, "Trust rules"). 2,000 seeded leaves
 * (valid ones, and mutations of every field: signature s, v, r, length, signer; device; each public
 * signal, in and out of range; the window; each proof point) are judged by the relay's judgeLeaf and
 * by challenge on a real Hardhat chain (eth_call against one anchored root). They must agree on
 * every leaf, and name the same Fault. `npm run bench trust` runs the same with 20,000 leaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SEED } from '../support/seed.js';
import { startTestChain, type TestChain } from './helpers/chain.js';
import { generateCases, makeBases, MUTATIONS, runDifferential, summarise, type DifferentialRun } from './helpers/differential.js';

const CASES = 2_000;

let chain: TestChain;
let run: DifferentialRun;

beforeAll(async () => {
  chain = await startTestChain();
  const { bases, keys } = await makeBases();
  run = await runDifferential(chain, generateCases(CASES, bases, keys));
});

afterAll(async () => {
  await chain?.stop();
});

describe(`relay and BatchInbox agree on every leaf (seed ${TEST_SEED}, ${CASES} cases)`, () => {
  it('the relay accepts exactly the leaves challenge calls valid', () => {
    const disagreements = run.outcomes.filter((o) => (o.relay === 'None') !== (o.chain === 'None'));
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(run.outcomes).toHaveLength(CASES);
  });

  it('and names the same Fault for every refused leaf', () => {
    expect(run.outcomes.filter((o) => o.relay !== o.chain).slice(0, 10)).toEqual([]);
  });

  it('tries every mutation kind many times, with both verdicts among the cases', () => {
    const rows = summarise(run.outcomes);
    for (const kind of Object.keys(MUTATIONS)) expect(rows.find((row) => row.kind === kind)?.cases ?? 0, kind).toBeGreaterThanOrEqual(40);
    const verdicts = new Set(run.outcomes.map((o) => o.chain));
    expect([...verdicts].sort()).toEqual(['BadProof', 'BadSignature', 'BadWindow', 'DeviceMismatch', 'None']);
    // The mutations that keep a leaf valid (v as 27/28, negated or re-randomised proofs) do keep it valid,
    // and the ones the old relay got wrong (high s) are refused on both sides.
    const valid = (kind: string) => rows.find((row) => row.kind === kind)!;
    expect(valid('proof re-randomised k·A, B/k (valid)').chainValid).toBeGreaterThan(0);
    expect(valid('high-s').accepted).toBe(0);
    expect(valid('valid').accepted).toBeGreaterThan(0);
  });
});
