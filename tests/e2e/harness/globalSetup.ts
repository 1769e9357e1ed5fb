import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startStack, type RunningStack } from '../../../scripts/stack/stack.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built app served by `vite preview` (service worker on), e.g. http://localhost:41234/ */
    appUrl: string;
    /** The Hardhat node's JSON-RPC URL. */
    rpcUrl: string;
    /** Path of the devnet config the stack wrote (contracts, relay URL). */
    devnetConfigPath: string;
  }
}

let stack: RunningStack | null = null;

/**
 * Starts the real stack once for the whole e2e run (the same code as `npm run dev`, serving the
 * built app), on free ports so it never collides with a developer's running stack.
 */
export async function setup(project: TestProject): Promise<void> {
  if (!existsSync('dist/index.html') || !existsSync('dist/sw.js')) {
    throw new Error('The e2e tests need the built app: run `npx vite build` first (npm test does).');
  }
  const configPath = resolve('tests/.tmp/e2e/devnet.json');
  stack = await startStack({ app: 'preview', ports: { chain: 0, app: 0, relay: 0 }, relayDataDir: resolve('tests/.tmp/e2e/relay'), configPath, echo: false });
  project.provide('appUrl', stack.appUrl ?? '');
  project.provide('rpcUrl', stack.rpcUrl);
  project.provide('devnetConfigPath', configPath);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  stack = null;
}
