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
import type { RelayConfig } from './config.js';

/**
 * The on-chain calls the relay makes. These fragments are the interface agreed for the contracts
 * (issue 3; docs/contracts.md): ioIDRegistry is IoTeX's; BatchInbox.anchor and DataRewards.postRoot
 * are ours. Only the functions the relay calls are listed, so the relay works against any
 * deployment that has them.
 */
export const IOID_REGISTRY_ABI = [
  { type: 'function', name: 'exists', stateMutability: 'view', inputs: [{ name: 'device', type: 'address' }], outputs: [{ type: 'bool' }] },
] as const;

export const BATCH_INBOX_ABI = [
  {
    type: 'function',
    name: 'anchor',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'epoch', type: 'uint64' },
      { name: 'merkleRoot', type: 'bytes32' },
      { name: 'count', type: 'uint32' },
      { name: 'dataHash', type: 'bytes32' },
      { name: 'uri', type: 'string' },
    ],
    outputs: [{ name: 'anchorId', type: 'uint256' }],
  },
] as const;

export const DATA_REWARDS_ABI = [
  {
    type: 'function',
    name: 'postRoot',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'epoch', type: 'uint64' },
      { name: 'root', type: 'bytes32' },
      { name: 'total', type: 'uint256' },
    ],
    outputs: [],
  },
] as const;

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
      client.readContract({ address: config.contracts.ioIDRegistry, abi: IOID_REGISTRY_ABI, functionName: 'exists', args: [device] }),
    anchorCalldata: ({ epoch, merkleRoot, count, dataHash, uri }) =>
      encodeFunctionData({ abi: BATCH_INBOX_ABI, functionName: 'anchor', args: [BigInt(epoch), merkleRoot, count, dataHash, uri] }),
    rewardsCalldata: ({ epoch, root, total }) =>
      encodeFunctionData({ abi: DATA_REWARDS_ABI, functionName: 'postRoot', args: [BigInt(epoch), root, total] }),
  };
}
