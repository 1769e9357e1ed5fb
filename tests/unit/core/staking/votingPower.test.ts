/**
 * IoTeX's vote weight (iotex-core action/protocol/staking/vote_bucket.go, CalculateVoteWeight, with
 * the genesis constants DurationLg 1.2, AutoStake 1, SelfStake 1.06). Every expectation is worked
 * out here by hand: the weight as a decimal from the formula, and the wei figure as the exact
 * value the node's float64/big.Float arithmetic gives (amount × weight, truncated), checked to
 * agree with the decimal product to 15 significant digits.
 *
 *   weight = 1 + ln(days × (1 + m)) / ln(1.2) / 100     (m = 1 for a locked V3 bucket: auto-stake)
 *   × 1.06 for a delegate's self-stake, when auto-stake and days ≥ 91
 *   ln(1.2) = 0.18232155679395462
 */
import { describe, expect, it } from 'vitest';
import { maxUint256, parseEther } from 'viem';
import type { BucketFields } from '../../../../src/core/staking/bucketState.js';
import { votingPower } from '../../../../src/core/staking/actions.js';

const DAY = 86_400n;
const MAX = maxUint256;
const DELEGATE = '0x00000000000000000000000000000000000000d1' as const;
const bucket = (amount: bigint, days: bigint, state: 'locked' | 'unlocked' | 'unstaked' = 'locked'): BucketFields => ({
  amount,
  duration: days * DAY,
  unlockedAt: state === 'locked' ? MAX : 1_700_000_000n,
  unstakedAt: state === 'unstaked' ? 1_700_000_000n : MAX,
  delegate: DELEGATE,
});

/** The decimal product to 15 significant digits, for the cross-check of the exact wei figures. */
const close = (actual: bigint, expectedIotx: number) => expect(Number(actual) / 1e18).toBeCloseTo(expectedIotx, 12);

describe('votingPower (iotex-core CalculateVoteWeight)', () => {
  it('0 days: the weight is exactly 1, locked or not', () => {
    expect(votingPower(bucket(parseEther('100'), 0n))).toBe(parseEther('100'));
    expect(votingPower(bucket(parseEther('100'), 0n, 'unlocked'))).toBe(parseEther('100'));
  });

  it('1 day unlocked: ln(1 × 1) = 0, so exactly the amount; locked: 1 + ln 2 / ln 1.2 / 100', () => {
    expect(votingPower(bucket(parseEther('100'), 1n, 'unlocked'))).toBe(parseEther('100'));
    // ln 2 = 0.6931471805599453; / 0.18232155679395462 = 3.8017840169239308; / 100 → 1.0380178401692393
    close(votingPower(bucket(parseEther('100'), 1n)), 103.80178401692393);
  });

  it('1,095 days (the longest), locked = auto-stake: 1 + ln 2190 / ln 1.2 / 100', () => {
    // ln 2190 = 7.691656823... ; / 0.18232155679395462 = 42.1873143146921 ; / 100 + 1 = 1.421873143146921
    // 100 IOTX × 1.421873143146921 = 142.1873143146921 IOTX; exact float64 × big.Float: 142187314314692092587 wei.
    const votes = votingPower(bucket(parseEther('100'), 1_095n));
    expect(votes).toBe(142_187_314_314_692_092_587n);
    close(votes, 142.1873143146921);
  });

  it('1,095 days unlocked (no auto-stake): 1 + ln 1095 / ln 1.2 / 100', () => {
    // ln 1095 = 6.998509642... ; / 0.18232155679395462 = 38.38553029776817 ; → 1.3838553029776817
    const votes = votingPower(bucket(parseEther('100'), 1_095n, 'unlocked'));
    expect(votes).toBe(138_385_530_297_768_166_719n);
    close(votes, 138.3855302977682);
  });

  it('self-stake: the 1.06 bonus from 91 days, locked only', () => {
    // 91 days locked: 1 + ln 182 / ln 1.2 / 100 = 1 + 5.204006687 / 0.182321557 / 100 = 1.2854301366545456
    // × 1.06 = 1.3625559448538183 → 136.25559448538183 IOTX
    const at91 = votingPower(bucket(parseEther('100'), 91n), { selfStake: true });
    expect(at91).toBe(136_255_594_485_381_825_720n);
    close(at91, 136.25559448538183);
    // The same bucket not self-staked: no bonus.
    close(votingPower(bucket(parseEther('100'), 91n)), 128.5430136654546);
    // 90 days: under the bonus threshold. 1 + ln 180 / ln 1.2 / 100 = 1 + 5.192956851 / 0.182321557 / 100 = 1.2848240735876821
    const at90 = votingPower(bucket(parseEther('100'), 90n), { selfStake: true });
    expect(at90).toBe(128_482_407_358_768_213_612n);
    // 91 days unlocked: no auto-stake, no bonus. 1 + ln 91 / ln 1.2 / 100 = 1 + 4.510859507 / 0.182321557 / 100 = 1.2474122964853063
    expect(votingPower(bucket(parseEther('100'), 91n, 'unlocked'), { selfStake: true })).toBe(124_741_229_648_530_627_117n);
  });

  it('an amount wider than 64 bits keeps big.Float’s precision: 1,234.567891234567891234 IOTX for 30 days locked', () => {
    // 1 + ln 60 / ln 1.2 / 100 = 1 + 4.094344562 / 0.182321557 / 100 = 1.2245672225610273
    // × 1,234.567891234567891234 = 1,511.8113736321393 IOTX; exact: 1511811373632139300998 wei.
    const votes = votingPower(bucket(1_234_567_891_234_567_891_234n, 30n));
    expect(votes).toBe(1_511_811_373_632_139_300_998n);
    close(votes, 1511.8113736321393);
  });

  it('an unstaked bucket votes for nothing (iotex-core calculateBucket gives it 0)', () => {
    expect(votingPower(bucket(parseEther('100'), 1_095n, 'unstaked'))).toBe(0n);
  });
});
