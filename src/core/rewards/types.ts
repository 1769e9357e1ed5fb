import type { Address, Hash, Hex } from 'viem';

/**
 * The Rewards screen's vocabulary (docs/rewards.md). Amounts are wei (bigint); times are unix
 * seconds of chain time (block timestamps), never the device's clock.
 */

/**
 * - claimable: the proof matches the root posted on-chain, not claimed, window open;
 * - claimed: the contract's own flag says so;
 * - expired: the claim window closed (or the epoch's remainder was recovered) unclaimed;
 * - unverified: no root is posted for the epoch, or the relay's proof does not match it: never offered for a claim.
 */
export type RewardState = 'claimable' | 'claimed' | 'expired' | 'unverified';

export type DataReward = {
  source: 'data';
  epoch: number;
  device: Address;
  amount: bigint;
  proof: Hex[];
  state: RewardState;
  /** When the epoch's root was posted (chain time); null when none is. */
  postedAt: number | null;
  /** postedAt + claimWindow: the last second a claim can land in. */
  closesAt: number | null;
  claimedTx: Hash | null;
  claimedAt: number | null;
  /** floor(pool × weight ÷ epochWeight) from the relay's own figures; null when it gave none. */
  relayFigure: bigint | null;
  findings: ReconcileFinding[];
};

export type RestakingReward = { source: 'restaking'; strategy: Address; token: Address; symbol: string; pending: bigint };

/** One payment to the account, from a DataRewards `RewardClaimed` or a BucketStrategy `ClaimReward` log. */
export type ClaimRecord = {
  source: 'data' | 'restaking';
  amount: bigint;
  /** The reward token (restaking; MSP's address(1) is IOTX); null for data rewards, always IOTX. */
  token: Address | null;
  epoch: number | null;
  device: Address | null;
  txHash: Hash;
  block: bigint;
  /** The block's timestamp. */
  at: number;
};

export type ReconcileFinding = {
  kind: 'paid' | 'underpaid' | 'overpaid' | 'expired' | 'unknown-source' | 'relay-figure-mismatch' | 'proof-not-on-chain' | 'root-missing';
  severity: 'ok' | 'warn' | 'error';
  epoch: number | null;
  device: Address | null;
  expected: bigint | null;
  actual: bigint | null;
  /** In numbers, e.g. "The relay computed 1.2 IOTX for epoch 41; the posted root pays 1.1 IOTX." */
  text: string;
};

export type RewardsContracts = { dataRewards: Address | null; ioidRegistry: Address | null; ioid: Address | null; bucketStrategy: Address | null };

export type RewardsOverview = {
  account: Address;
  chainId: number;
  /** Every chain read of the overview is pinned to this block. */
  block: bigint;
  /** That block's timestamp. */
  chainTime: number;
  devices: Address[];
  data: DataReward[];
  restaking: RestakingReward[];
  /** Oldest first. */
  history: ClaimRecord[];
  /** Reconciliation of what was due against what was paid (and the relay's figures against the roots), every reward's findings included. */
  findings: ReconcileFinding[];
  /** Why some or all of the relay's rewards are missing (a RewardsError); the chain parts stand without it. */
  relayError: unknown | null;
};
