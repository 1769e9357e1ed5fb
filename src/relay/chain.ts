import {
  BaseError,
  createPublicClient,
  defineChain,
  encodeFunctionData,
  http,
  parseEventLogs,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { batchInboxAbi, dataRewardsAbi, ioIDRegistryAbi } from '../core/abis/index.js';
import { findRevert } from '../core/reverts/index.js';
import type { RelayConfig } from './config.js';

/** Why a call would revert now: the decoded custom error when it is one of ours. */
export type RevertReason = { errorName: string | null; args: readonly unknown[]; data: Hex | null; message: string };

/** An anchor as BatchInbox stores it for this relay's module. */
type OnChainAnchor = { epoch: bigint; count: bigint; anchoredAt: bigint; slashed: boolean };

/**
 * The relay's on-chain calls, with the ABIs generated from our contracts (src/core/abis). On
 * IoTeX's networks the ioIDRegistry is IoTeX's own, with the same `exists`.
 */
export type RelayChain = {
  client: PublicClient;
  operator: PrivateKeyAccount;
  chainId: number;
  /** The module this relay anchors under (BatchInbox keys anchors by module and root). */
  moduleId: number;
  ioidExists: (device: Address) => Promise<boolean>;
  anchorCalldata: (args: { epoch: number; merkleRoot: Hex; count: number; dataHash: Hex; uri: string }) => Hex;
  rewardsCalldata: (args: { epoch: number; root: Hex; total: bigint }) => Hex;
  /**
   * Runs `data` against `to` as the operator at the latest block: null when it would succeed, the
   * revert reason when the contract would refuse it. Network failures throw (they are not a verdict).
   */
  wouldRevert: (to: Address, data: Hex) => Promise<RevertReason | null>;
  /** BatchInbox.batchOf(moduleId, root): null when this module never anchored the root. */
  anchorOnChain: (merkleRoot: Hex) => Promise<OnChainAnchor | null>;
  /** The transaction that anchored `merkleRoot` under this module (from the BatchAnchored log), if the node still has it. */
  anchorTransaction: (merkleRoot: Hex) => Promise<{ txHash: Hex; blockNumber: bigint } | null>;
  /** DataRewards.epochOf(epoch).root: null when no root was posted for the epoch (or rewards are off). */
  rewardRootOnChain: (epoch: number) => Promise<Hex | null>;
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
  const moduleId = BigInt(config.moduleId);
  const batchInbox = config.contracts.batchInbox;
  return {
    client,
    operator,
    chainId: config.chainId,
    moduleId: config.moduleId,
    ioidExists: (device) =>
      client.readContract({ address: config.contracts.ioIDRegistry, abi: ioIDRegistryAbi, functionName: 'exists', args: [device] }),
    anchorCalldata: ({ epoch, merkleRoot, count, dataHash, uri }) =>
      encodeFunctionData({ abi: batchInboxAbi, functionName: 'anchor', args: [moduleId, BigInt(epoch), merkleRoot, count, dataHash, uri] }),
    rewardsCalldata: ({ epoch, root, total }) =>
      encodeFunctionData({ abi: dataRewardsAbi, functionName: 'postRewardRoot', args: [BigInt(epoch), root, total] }),
    async wouldRevert(to, data) {
      try {
        await client.call({ account: operator.address, to, data });
        return null;
      } catch (error) {
        // One decoder for the app and the relay (core/reverts): our errors, IoTeX's, OpenZeppelin's.
        const revert = findRevert(error);
        const message = error instanceof BaseError ? error.shortMessage : String(error);
        const details = error instanceof BaseError ? error.details : '';
        if (revert === null) throw error;
        const found = revert.data;
        const errorName = revert.kind === 'error' ? revert.name : null;
        const args = revert.kind === 'error' ? revert.args : [];
        return { errorName, args, data: found, message: details || message };
      }
    },
    async anchorOnChain(merkleRoot) {
      const [epoch, count, anchoredAt, slashed] = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'batchOf', args: [moduleId, merkleRoot] });
      return anchoredAt === 0n ? null : { epoch, count, anchoredAt, slashed };
    },
    async anchorTransaction(merkleRoot) {
      const logs = await client.getLogs({
        address: batchInbox,
        event: batchInboxAbi.find((item) => item.type === 'event' && item.name === 'BatchAnchored') as Extract<(typeof batchInboxAbi)[number], { type: 'event'; name: 'BatchAnchored' }>,
        args: { merkleRoot, moduleId },
        fromBlock: 0n,
        toBlock: 'latest',
      });
      const [event] = parseEventLogs({ abi: batchInboxAbi, logs, eventName: 'BatchAnchored' });
      return event ? { txHash: event.transactionHash, blockNumber: event.blockNumber } : null;
    },
    async rewardRootOnChain(epoch) {
      const dataRewards = config.contracts.dataRewards;
      if (!dataRewards) return null;
      const [root] = await client.readContract({ address: dataRewards, abi: dataRewardsAbi, functionName: 'epochOf', args: [BigInt(epoch)] });
      return /^0x0*$/.test(root) ? null : root;
    },
  };
}
