import { createRequire } from 'node:module';
import { parseDevnetConfig, type DevnetConfig } from '../../src/core/devnetConfig.js';
import { deployDevnet } from '../deploy/devnet.js';
import { startHardhatNode } from './chain.js';
import { startProcess, type ManagedProcess } from './processes.js';

const require = createRequire(import.meta.url);

/** Compiles whatever contracts exist (Hardhat with solc-js, offline). */
async function compileContracts(echo: boolean): Promise<void> {
  const cli = require.resolve('hardhat/internal/cli/cli.js');
  const compile = startProcess('compile', process.execPath, [cli, 'compile', '--quiet'], { echo });
  const code = await compile.exited;
  if (code !== 0) throw new Error(`Compiling the contracts failed (exit ${code}):\n${compile.output()}`);
}

export type RunningDevnet = { rpcUrl: string; config: DevnetConfig; node: ManagedProcess };

/**
 * A fresh devnet: a Hardhat node on `port`, every contract compiled and deployed, and the
 * validated devnet config describing it (relayUrl still null). Shared by the stack and by tests
 * that need the chain without the app.
 */
export async function startDevnet(
  port: number,
  { echo = false, log = () => undefined }: { echo?: boolean; log?: (line: string) => void } = {},
): Promise<RunningDevnet> {
  log(`starting the Hardhat node on port ${port}…`);
  const { rpcUrl, process: node } = await startHardhatNode(port, echo);
  try {
    log('compiling contracts…');
    await compileContracts(echo);
    log('deploying contracts…');
    const deployment = await deployDevnet(rpcUrl);
    const config = parseDevnetConfig({
      version: 1,
      chainId: 31337,
      rpcUrl,
      relayUrl: null,
      deployedAt: new Date().toISOString(),
      contracts: deployment.contracts,
      extra: deployment.extra,
    });
    return { rpcUrl, config, node };
  } catch (error) {
    await node.stop();
    throw error;
  }
}
