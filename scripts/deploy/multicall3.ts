import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getAddress, type Address, type Hex } from 'viem';
import { MULTICALL3_ADDRESS } from '../../src/core/networks.js';

/**
 * Multicall3 on the devnet, at the address it has on IoTeX mainnet and most EVM chains
 * (0xcA11…CA11), so viem's `multicall` reads through `chain.contracts.multicall3` exactly as on
 * IoTeX. Hardhat's `hardhat_setCode` puts the code there; a keyless deployment transaction would
 * need the original signed transaction, which is not available offline.
 *
 * The code is viem's own build of Multicall3 (the creation code viem ships for its deployless
 * multicall, `multicall3Bytecode`, from the viem version in package-lock.json): the same contract
 * and ABI as the canonical deployment, but not byte-identical to it (another compiler run).
 * viem does not export that constant, so it is read from viem's installed ES module.
 */
function multicall3CreationCode(): Hex {
  const require = createRequire(import.meta.url);
  const viemRoot = dirname(require.resolve('viem/package.json'));
  const source = readFileSync(join(viemRoot, '_esm', 'constants', 'contracts.js'), 'utf8');
  const match = /multicall3Bytecode\s*=\s*'(0x[0-9a-f]+)'/.exec(source);
  if (!match) throw new Error(`Multicall3's creation code was not found in ${viemRoot}; has viem's layout changed?`);
  return match[1] as Hex;
}

export type RpcRequest = (method: string, params: unknown[]) => Promise<unknown>;

/** Puts Multicall3 at its canonical address on a Hardhat chain (idempotent); returns the address. */
export async function installMulticall3(rpc: RpcRequest): Promise<Address> {
  const address = getAddress(MULTICALL3_ADDRESS);
  const existing = (await rpc('eth_getCode', [address, 'latest'])) as Hex;
  if (existing !== '0x') return address;
  // Running the creation code as a call returns the runtime code it would deploy.
  const runtime = (await rpc('eth_call', [{ data: multicall3CreationCode() }, 'latest'])) as Hex;
  if (!runtime || runtime === '0x') throw new Error('Multicall3 creation code returned no runtime code');
  await rpc('hardhat_setCode', [address, runtime]);
  if ((await rpc('eth_getCode', [address, 'latest'])) !== runtime) throw new Error('hardhat_setCode did not install Multicall3');
  return address;
}
