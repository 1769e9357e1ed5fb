/**
 * What a restaker of a module is exposed to (issue 11, defect 5): BatchInbox slashes whoever is
 * restaked in the module when a challenge lands, for any batch the module's operator anchored that
 * is still inside CHALLENGE_WINDOW, including batches anchored before the restaker joined. After
 * unstaking, the buckets stay slashable until the freeze (UNSTAKE_FREEZE_TIME) ends. Both figures
 * are read from the chain, never assumed.
 */
import type { Address, PublicClient } from 'viem';
// Devnet only: module slashing is an Outpost addition to IoTeX's BucketStrategy (bucketStrategyOutpostAbi).
import { batchInboxAbi, bucketStrategyOutpostAbi } from '../abis/index.js';

export type Exposure = {
  /** BatchInbox.CHALLENGE_WINDOW, seconds. */
  challengeWindowSeconds: number;
  /** BucketStrategy.UNSTAKE_FREEZE_TIME, seconds. */
  unstakeFreezeSeconds: number;
  /** BucketStrategy.slashBps: the share of restaked weight one successful challenge removes (basis points). */
  slashBps: number;
};

export async function readExposure(client: PublicClient, contracts: { batchInbox: Address; bucketStrategy: Address }): Promise<Exposure> {
  const [challengeWindow, freeze, slashBps] = await Promise.all([
    client.readContract({ address: contracts.batchInbox, abi: batchInboxAbi, functionName: 'CHALLENGE_WINDOW' }),
    client.readContract({ address: contracts.bucketStrategy, abi: bucketStrategyOutpostAbi, functionName: 'UNSTAKE_FREEZE_TIME' }),
    client.readContract({ address: contracts.bucketStrategy, abi: bucketStrategyOutpostAbi, functionName: 'slashBps' }),
  ]);
  return { challengeWindowSeconds: Number(challengeWindow), unstakeFreezeSeconds: Number(freeze), slashBps: Number(slashBps) };
}
