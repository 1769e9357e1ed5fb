import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * Three suites, run one after another by `npm test` (scripts/test.ts):
 * - unit: pure TypeScript, fast, no services;
 * - contracts: our Solidity on Hardhat's real EVM (compile first);
 * - e2e: the built app in headless Chromium against the real stack the harness starts itself.
 * Every suite draws its pseudo-random inputs from one seed (tests/support/seed.ts).
 */
export default defineConfig({
  test: {
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
