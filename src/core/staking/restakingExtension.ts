import { OutpostError } from '../errors.js';
import { NETWORKS } from '../networks.js';

/**
 * The one guard for Outpost's restaking extensions. IoTeX's MSP (testnet; no mainnet deployment)
 * has only IoTeX's surface: `stake(bucketId)`, `unstake`, `withdraw`, `claimReward` and its reads.
 * Modules, `stake(bucketId, moduleId)`, `moduleInfo`, `restakeOf` and the one-transaction restake
 * through `safeTransferFrom` exist in our BucketStrategy on the devnet only. A safeTransferFrom to
 * IoTeX's strategy is worse than a revert: its ERC721Holder accepts the NFT and nothing records a
 * staker, so the bucket is parked there for good. Every call that uses an extension is therefore
 * built through `requireOutpostExtension`, which refuses it on any chain but the devnet.
 */
export type OutpostExtension = {
  /** What the person asked for, as the screen names it ("one-transaction restake"). */
  feature: string;
  /** What works on IoTeX instead, for the hint. */
  instead: string;
};

export const ONE_TRANSACTION_RESTAKE: OutpostExtension = {
  feature: 'One-transaction restake (safeTransferFrom to the strategy)',
  instead: 'restake with approve + stake (2 wallet prompts), which IoTeX’s MSP supports',
};

export const RESTAKE_INTO_MODULE: OutpostExtension = {
  feature: 'Restaking into a module',
  instead: 'restake without choosing a module: IoTeX’s MSP restakes into the strategy as a whole',
};

export const MODULE_READS: OutpostExtension = {
  feature: 'Restaking modules (operators, weights, slash history)',
  instead: 'the strategy’s own figures: total restaked, your restaked amount and pending rewards',
};

/** Throws `staking.extension_unavailable` unless `chainId` is Outpost's devnet, naming the feature and what to use instead. */
export function requireOutpostExtension(chainId: number, extension: OutpostExtension): void {
  if (chainId === NETWORKS.devnet.chainId) return;
  const network = Object.values(NETWORKS).find((candidate) => candidate.chainId === chainId);
  const where = network ? network.name : `chain ${chainId}`;
  throw new OutpostError('staking.extension_unavailable', `${extension.feature} is an Outpost feature of the local devnet only; ${where} does not have it.`, {
    hint: `On ${where}, ${extension.instead}.`,
  });
}
