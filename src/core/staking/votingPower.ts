import { maxUint256 } from 'viem';
import type { BucketFields } from './bucketState.js';

/**
 * IoTeX's vote weight of a bucket, as the chain counts it for the bucket's delegate.
 *
 * Formula: iotex-core `action/protocol/staking/vote_bucket.go`, function `CalculateVoteWeight`,
 * with the genesis `VoteWeightCalConsts` (blockchain/genesis/genesis.go: DurationLg 1.2,
 * AutoStake 1, SelfStake 1.06):
 *
 *   weight = 1
 *   if duration > 0:  weight += ln(ceil(duration / 1 day) × (1 + m)) / ln(1.2) / 100,  m = 1 with auto-stake, else 0
 *   if self-stake and auto-stake and duration ≥ 91 days:  weight ×= 1.06
 *   votes = ⌊amount × weight⌋   (Go big.Float at the amount's precision, then truncated to an integer)
 *
 * The duration is the bucket's stored duration, not the time left: iotex-core passes
 * `StakedDuration` as "remainingTime".
 *
 * How a SystemStaking V3 (contract staking) bucket maps to it: iotex-core
 * `systemcontractindex/stakingindex/bucket.go`, `assembleVoteBucket`, sets
 * `AutoStake = (UnlockedAt == max)` and, for timestamped (V3) buckets, `StakedDuration` = the
 * duration in seconds. So a **locked** V3 bucket votes with auto-stake (the (1 + 1) factor) and an
 * unlocked one without. An unstaked bucket counts for nothing: `calculateBucket` in
 * `systemcontractindex/stakingindex/vote_view_handler.go` gives 0 votes to a bucket with
 * `UnstakedAt < max` (or muted), so this returns 0 for it.
 *
 * Float arithmetic is reproduced step for step: the weight in float64 in Go's order of operations,
 * then the product rounded to the amount's precision (max(64, bit length)) half to even, as
 * big.Float's `Mul` does, then truncated. One unavoidable difference: JavaScript's `Math.log` and
 * Go's `math.Log` are both within one ulp but not guaranteed bit-identical, so for some durations
 * the result may differ from the node's by at most amount × 2⁻⁵² (about 2 × 10⁻¹⁶ of it).
 */

const DAY = 86_400n;
/** Genesis VoteWeightCalConsts (iotex-core blockchain/genesis/genesis.go, `Default.Staking`). */
const DURATION_LG = 1.2;
const AUTO_STAKE = 1;
const SELF_STAKE = 1.06;
/** "self-stake extra bonus requires enable auto-stake for at least 3 months" (iotex-core). */
const SELF_STAKE_MIN_DAYS = 91n;

/** The float64 weight exactly as iotex-core computes it. */
function voteWeightFactor(durationSeconds: bigint, autoStake: boolean, selfStake: boolean): number {
  let weight = 1;
  const m = autoStake ? AUTO_STAKE : 0;
  if (durationSeconds > 0n) {
    const days = Number((durationSeconds + DAY - 1n) / DAY); // math.Ceil(remainingTime / 86400)
    weight += Math.log(days * (1 + m)) / Math.log(DURATION_LG) / 100;
  }
  if (selfStake && autoStake && durationSeconds >= SELF_STAKE_MIN_DAYS * DAY) weight *= SELF_STAKE;
  return weight;
}

const bitLength = (value: bigint): number => (value === 0n ? 0 : value.toString(2).length);

/** ⌊amount × weight⌋ as Go's `new(big.Float).SetInt(amount).Mul(amount, big.NewFloat(weight)).Int(nil)` gives it. */
function goBigFloatMulTruncate(amount: bigint, weight: number): bigint {
  if (amount === 0n || weight === 0) return 0n;
  // weight = mantissa × 2^exponent exactly (a positive, normal float64).
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, weight);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1075;
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  // SetInt gives the Float max(64, bitlen(amount)) bits; Mul rounds the exact product to that, half to even.
  const precision = Math.max(64, bitLength(amount));
  let product = amount * mantissa;
  const excess = bitLength(product) - precision;
  if (excess > 0) {
    const unit = 1n << BigInt(excess);
    let kept = product >> BigInt(excess);
    const rest = product - (kept << BigInt(excess));
    const half = unit >> 1n;
    if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
    product = kept << BigInt(excess);
  }
  // Int(nil) truncates towards zero; the value is positive.
  return exponent >= 0 ? product << BigInt(exponent) : product >> BigInt(-exponent);
}

/**
 * The vote weight IoTeX gives a V3 bucket: locked = auto-stake; unstaked = 0. `selfStake` is for a
 * delegate's own self-stake bucket (the 1.06 bonus from 91 days, auto-stake only).
 */
export function votingPower(fields: BucketFields, options: { selfStake?: boolean } = {}): bigint {
  if (fields.unstakedAt !== maxUint256) return 0n;
  const autoStake = fields.unlockedAt === maxUint256;
  return goBigFloatMulTruncate(fields.amount, voteWeightFactor(fields.duration, autoStake, options.selfStake ?? false));
}
