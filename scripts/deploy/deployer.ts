import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  createPublicClient,
  createWalletClient,
  http,
  type Abi,
  type Address,
  type Hex,
  type PublicClient,
  type WalletClient,
  type Account,
  type Chain,
} from 'viem';
import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { NETWORKS, toViemChain } from '../../src/core/networks.js';

/**
 * DEV ONLY. Hardhat's well-known test mnemonic: every key derived from it is public. It funds the
 * local devnet's accounts and must never hold anything of value.
 */
const DEV_ONLY_MNEMONIC = 'test test test test test test test test test test test junk';

export function devAccount(index: number): HDAccount {
  return mnemonicToAccount(DEV_ONLY_MNEMONIC, { addressIndex: index });
}

type Artifact = { contractName: string; abi: Abi; bytecode: Hex };

/** Reads a compiled contract from Hardhat's artifacts folder by its fully qualified or short name. */
async function readArtifact(name: string, artifactsDir = 'artifacts'): Promise<Artifact> {
  // "contracts/dir/File.sol:Name", or "Name" for contracts/Name.sol.
  const [source, contract] = name.includes(':') ? (name.split(':') as [string, string]) : [`contracts/${name}.sol`, name];
  return JSON.parse(await readFile(resolve(artifactsDir, source, `${contract}.json`), 'utf8')) as Artifact;
}

export type DeployContext = {
  rpcUrl: string;
  chain: Chain;
  publicClient: PublicClient;
  /** The deployer's wallet (dev account 0). */
  wallet: WalletClient<ReturnType<typeof http>, Chain, Account>;
  /** Deploys an artifact and waits for its receipt. */
  deploy: (artifact: string, args?: readonly unknown[], value?: bigint) => Promise<Address>;
  /** Sends a contract call from the deployer and waits for it to be mined. */
  send: (address: Address, abi: Abi, functionName: string, args?: readonly unknown[], value?: bigint, account?: Account) => Promise<Hex>;
};

export function createDeployContext(rpcUrl: string): DeployContext {
  const chain = toViemChain(NETWORKS.devnet, rpcUrl);
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const wallet = createWalletClient({ chain, transport, account: devAccount(0) });
  return {
    rpcUrl,
    chain,
    publicClient,
    wallet,
    async deploy(name, args = [], value) {
      const artifact = await readArtifact(name);
      const hash = await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, ...(value ? { value } : {}) });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`Deploying ${name} failed (tx ${hash})`);
      return receipt.contractAddress;
    },
    async send(address, abi, functionName, args = [], value, account) {
      const client = account ? createWalletClient({ chain, transport, account }) : wallet;
      const { request } = await publicClient.simulateContract({
        address,
        abi,
        functionName,
        args,
        account: client.account,
        ...(value ? { value } : {}),
      });
      const hash = await client.writeContract(request);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`${functionName} on ${address} reverted (tx ${hash})`);
      return hash;
    },
  };
}
