/**
 * The relay/BatchInbox differential (tests/relay/differential.test.ts) at bench scale: 20,000 seeded
 * leaves (OUTPOST_TRUST_CASES to change), judged by the relay's judgeLeaf and by BatchInbox.challenge
 * (eth_call against one anchored root) on a real Hardhat chain. Writes bench/results/trust.md and
 * .json: cases and disagreements per mutation kind (disagreements must be 0), machine, load.
 * Exits non-zero (the area fails) on any disagreement.
 */
import { availableParallelism, loadavg } from 'node:os';
import { TEST_SEED } from '../tests/support/seed.js';
import { startTestChain } from '../tests/relay/helpers/chain.js';
import { generateCases, makeBases, runDifferential, summarise } from '../tests/relay/helpers/differential.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';

const CASES = Number(process.env.OUTPOST_TRUST_CASES ?? 20_000);

export async function run(): Promise<void> {
  const chain = await startTestChain();
  try {
    const loadBefore = loadavg();
    const { bases, keys } = await makeBases();
    const cases = generateCases(CASES, bases, keys, 'relay/BatchInbox differential bench');
    const started = performance.now();
    const result = await runDifferential(chain, cases);
    const seconds = (performance.now() - started) / 1000;
    const loadAfter = loadavg();
    const rows = summarise(result.outcomes).sort((a, b) => a.kind.localeCompare(b.kind));
    const disagreements = rows.reduce((sum, row) => sum + row.disagreements, 0);
    const faultDifferences = rows.reduce((sum, row) => sum + row.faultDifferences, 0);
    const benchRows: BenchRow[] = [
      { figure: 'cases', value: result.outcomes.length, unit: 'leaves', note: `seed ${TEST_SEED}` },
      { figure: 'disagreements (relay accepts ≠ challenge answers LeafIsValid)', value: disagreements, unit: 'leaves', note: 'must be 0' },
      { figure: 'different Fault named', value: faultDifferences, unit: 'leaves', note: 'must be 0' },
      { figure: 'accepted by the relay', value: result.outcomes.filter((o) => o.relay === 'None').length, unit: 'leaves' },
      { figure: 'valid per challenge', value: result.outcomes.filter((o) => o.chain === 'None').length, unit: 'leaves' },
      { figure: 'wall time (anchor + both sides)', value: seconds, unit: 's' },
      { figure: 'relay side (judgeLeaf, 1 verification thread)', value: result.relayMs / 1000, unit: 's' },
      { figure: 'chain side (challenge by eth_call)', value: result.chainMs / 1000, unit: 's' },
      { figure: 'cores', value: availableParallelism(), unit: '' },
      { figure: 'load average (1 min) before / after', value: `${loadBefore[0]!.toFixed(2)} / ${loadAfter[0]!.toFixed(2)}`, unit: '' },
      ...rows.map((row) => ({
        figure: `kind: ${row.kind}`,
        value: row.cases,
        unit: 'cases',
        note: `relay accepted ${row.accepted}, challenge valid ${row.chainValid}, disagreements ${row.disagreements}, Fault differences ${row.faultDifferences}`,
      })),
    ];
    writeBenchResults({
      area: 'trust',
      title: 'Trust: the relay accepts exactly what BatchInbox.challenge calls valid',
      rows: benchRows,
      notes: [
        'Each case is one leaf: a real batch (real Groth16 proof) with one mutation (one case in eight stacks a second). Kinds take turns, so each is tried about equally; the base batch and the mutation’s parameters are drawn from the seed.',
        'The relay side is judgeLeaf (src/relay/verify/judge.ts): device signal, window, signature (BatchInbox.recoverDevice’s rule), Groth16 proof (mcl). The chain side is BatchInbox.challenge by eth_call against one root holding every leaf, anchored in a block at the relay’s clock.',
        'A disagreement is a leaf the relay accepts and challenge calls invalid (an honest relay slashed) or the reverse (a valid batch refused).',
        'Other processes share the machine; the load average says how busy it was.',
      ],
    });
    if (disagreements !== 0 || faultDifferences !== 0) throw new Error(`${disagreements} disagreements, ${faultDifferences} Fault differences`);
  } finally {
    await chain.stop();
  }
}
