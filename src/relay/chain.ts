import {
  createPublicClient,
  defineChain,
  encodeFunctionData,
  http,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { batchInboxAbi, dataRewardsAbi, ioIDRegistryAbi } from '../core/abis/index.js';
import type { RelayConfig } from './config.js';

/**
 * The relay's on-chain calls, with the ABIs generated from our contracts (src/core/abis). On
 * IoTeX's networks the ioIDRegistry is IoTeX's own, with the same `exists`.
 */
export type RelayChain = {
  client: PublicClient;
  operator: PrivateKeyAccount;
  chainId: number;
  ioidExists: (device: Address) => Promise<boolean>;
  anchorCalldata: (args: { epoch: number; merkleRoot: Hex; count: number; dataHash: Hex; uri: string }) => Hex;
  rewardsCalldata: (args: { epoch: number; root: Hex; total: bigint }) => Hex;
};

export function createRelayChain(config: RelayConfig): RelayChain {
  const chain = defineChain({
    id: config.chainId,
    name: `chain ${config.chainId}`,
    nativeCurrency: { name: 'IOTX', symbol: 'IOTX', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(config.rpcUrl, { retryCount: 1, timeout: 10_000 }) }) as PublicClient;
  const operator = privateKeyToAccount(config.operatorKey);
  return {
    client,
    operator,
    chainId: config.chainId,
    ioidExists: (device) =>
      client.readContract({ address: config.contracts.ioIDRegistry, abi: ioIDRegistryAbi, functionName: 'exists', args: [device] }),
    anchorCalldata: ({ epoch, merkleRoot, count, dataHash, uri }) =>
      encodeFunctionData({ abi: batchInboxAbi, functionName: 'anchor', args: [BigInt(config.moduleId), BigInt(epoch), merkleRoot, count, dataHash, uri] }),
    rewardsCalldata: ({ epoch, root, total }) =>
      encodeFunctionData({ abi: dataRewardsAbi, functionName: 'postRewardRoot', args: [BigInt(epoch), root, total] }),
  };
}
