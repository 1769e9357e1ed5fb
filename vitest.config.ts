import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** An e2e file that moves the shared chain's clock (evm_increaseTime, directly or through support/chainTime). */
const MOVES_CHAIN_TIME = /evm_increaseTime|support\/chainTime/;

/**
 * The e2e files share one Hardhat chain, and chain time only goes forward: after a file moves it by
 * days (staking's unlock → unstake → withdraw), every later file sees blocks dated days ahead of the
 * wall clock ("in 10 days" where a test expects "just now"), and relay epochs jump. Vitest orders
 * files by its own cache (durations, failures), so a clean clone and a warm checkout run them in
 * different orders. Files that move chain time therefore always run last, in a stable order among
 * themselves; everything else keeps Vitest's order.
 */
class ChainTimeLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const moves = (file: TestSpecification) => file.project.name === 'e2e' && MOVES_CHAIN_TIME.test(readFileSync(file.moduleId, 'utf8'));
    const movers = sorted.filter(moves).sort((a, b) => a.moduleId.localeCompare(b.moduleId));
    return [...sorted.filter((file) => !moves(file)), ...movers];
  }
}

/**
 * Three suites, run one after another by `npm test` (scripts/test.ts):
 * - unit: pure TypeScript, fast, no services;
 * - contracts: our Solidity on Hardhat's real EVM (compile first);
 * - e2e: the built app in headless Chromium against the real stack the harness starts itself.
 * Every suite draws its pseudo-random inputs from one seed (tests/support/seed.ts).
 */
export default defineConfig({
  test: {
    // e2e files that move the shared chain's clock run last (ChainTimeLastSequencer above).
    sequence: { sequencer: ChainTimeLastSequencer },
    projects: [
      {
        plugins: [svelte()],
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/setup.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'contracts',
          include: ['tests/contracts/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'relay',
          include: ['tests/relay/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['tests/support/setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          environment: 'node',
          setupFiles: ['tests/support/setup.ts'],
          globalSetup: ['tests/e2e/harness/globalSetup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
