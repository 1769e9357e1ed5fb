/**
 * The rewards claim job's pure parts: which rewards go in, its params (plain data) surviving a
 * stored record's JSON round trip, rounds, and refusals of records that cannot be read back. The
 * chain side (claimMany, landed, resume) runs in tests/contracts/rewardsCore.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { getAddress, type Address, type Hex } from 'viem';
import { OutpostError } from '../../../src/core/errors.js';
import type { JobRecord } from '../../../src/core/jobs/index.js';
import { rebuildRewardsClaimJob, REWARDS_CLAIM_JOB_KIND, rewardsClaimJob, type RewardsClaimParams } from '../../../src/core/rewards/claimJob.js';
import type { DataReward, RewardState, RewardsContracts } from '../../../src/core/rewards/types.js';

const ACCOUNT = '0xA11CE00000000000000000000000000000000001' as Address;
const D1 = '0x00000000000000000000000000000000000000D1' as Address;
const D2 = '0x00000000000000000000000000000000000000d2' as Address;
const DATA_REWARDS = '0x00000000000000000000000000000000000000aa' as Address;
const STRATEGY = '0x00000000000000000000000000000000000000bb' as Address;
const contracts: RewardsContracts = { dataRewards: DATA_REWARDS, ioidRegistry: null, ioid: null, bucketStrategy: STRATEGY };
const P = (byte: string) => `0x${byte.repeat(32)}` as Hex;

const reward = (epoch: number, device: Address, amount: bigint, state: RewardState = 'claimable'): DataReward => ({
  source: 'data', epoch, device, amount, proof: [P('01'), P('02')], state, postedAt: 1, closesAt: 2, claimedTx: null, claimedAt: null, relayFigure: null, findings: [],
});

const ctx = (jobs?: JobRecord[]) => ({ account: ACCOUNT, chainId: 31337, contracts, fromBlock: 77n, ...(jobs ? { jobs } : {}) });

/** What the runner stores: the spec's identity as JSON, with a status. */
function stored(spec: ReturnType<typeof rewardsClaimJob>, status: JobRecord['status'] = 'paused', params: unknown = spec.params): JobRecord {
  const { steps, ...identity } = spec;
  return JSON.parse(JSON.stringify({ ...identity, params, status, steps: steps.map((s) => ({ id: s.id, label: s.label, status: { kind: 'waiting' }, history: [] })), error: null, batch: null, createdAt: 1, updatedAt: 1 })) as JobRecord;
}

describe('rewardsClaimJob', () => {
  it('takes the claimable rewards once each, sorted, with both steps, and plain-data params', () => {
    const spec = rewardsClaimJob(ctx(), {
      data: [reward(42, D1, 5n), reward(41, D2, 3n), reward(41, D1, 2n), reward(41, D1, 2n), reward(40, D1, 9n, 'claimed'), reward(39, D1, 9n, 'expired'), reward(38, D1, 9n, 'unverified')],
      restaking: true,
    });
    expect(spec.kind).toBe(REWARDS_CLAIM_JOB_KIND);
    expect(spec.steps.map((s) => s.id)).toEqual(['data', 'restaking']);
    expect(spec.steps.map((s) => s.label)).toEqual(['Claim 3 data rewards (0.00000000000000001 IOTX)', 'Claim restaking rewards']);
    expect(spec.title).toBe('Claim 3 data rewards and restaking rewards');
    expect(spec.params).toEqual({
      // Checksummed (EIP-55, viem's getAddress), as every address in stored params.
      dataRewards: getAddress(DATA_REWARDS),
      bucketStrategy: getAddress(STRATEGY),
      fromBlock: '77',
      round: 1,
      claims: [
        { epoch: 41, device: getAddress(D1), amount: '2', proof: [P('01'), P('02')] },
        { epoch: 41, device: getAddress(D2), amount: '3', proof: [P('01'), P('02')] },
        { epoch: 42, device: getAddress(D1), amount: '5', proof: [P('01'), P('02')] },
      ],
      restaking: true,
    } satisfies RewardsClaimParams);
    expect(spec.id).toMatch(/^rewards-claim:31337:0xa11ce00000000000000000000000000000000001:[0-9a-f]{16}#1$/);
  });

  it('one kind alone; the same selection gives the same id, another selection another', () => {
    const one = rewardsClaimJob(ctx(), { data: [reward(41, D1, 1_000_000_000_000_000_000n)], restaking: false });
    expect(one.steps.map((s) => [s.id, s.label])).toEqual([['data', 'Claim the data reward of epoch 41 (1 IOTX)']]);
    expect(rewardsClaimJob(ctx(), { data: [reward(41, D1, 1n)], restaking: false }).id).toBe(one.id);
    expect(rewardsClaimJob(ctx(), { data: [reward(41, D2, 1n)], restaking: false }).id).not.toBe(one.id);
    const restakingOnly = rewardsClaimJob(ctx(), { data: [], restaking: true });
    expect(restakingOnly.steps.map((s) => s.id)).toEqual(['restaking']);
    expect(restakingOnly.title).toBe('Claim restaking rewards');
  });

  it('the open job of a selection is found again; after it finished a new round starts', () => {
    const first = rewardsClaimJob(ctx(), { data: [reward(41, D1, 1n)], restaking: true });
    expect(rewardsClaimJob(ctx([stored(first, 'paused')]), { data: [reward(41, D1, 1n)], restaking: true }).id).toBe(first.id);
    const again = rewardsClaimJob(ctx([stored(first, 'done')]), { data: [reward(41, D1, 1n)], restaking: true });
    expect(again.id).toBe(first.id.replace(/#1$/, '#2'));
    expect(again.params.round).toBe(2);
  });

  it('refuses a selection with nothing claimable, and a kind the network lacks', () => {
    const nothing = () => rewardsClaimJob(ctx(), { data: [reward(41, D1, 1n, 'claimed')], restaking: false });
    expect(nothing).toThrow(OutpostError);
    expect(() => nothing()).toThrow(expect.objectContaining({ code: 'rewards.nothing_to_claim' }));
    expect(() => rewardsClaimJob({ ...ctx(), contracts: { ...contracts, bucketStrategy: null } }, { data: [], restaking: true })).toThrow(
      expect.objectContaining({ code: 'rewards.no_contract' }),
    );
  });
});

describe('rebuildRewardsClaimJob', () => {
  it('rebuilds the same job from the stored record', () => {
    const spec = rewardsClaimJob(ctx(), { data: [reward(41, D1, 2n), reward(42, D2, 3n)], restaking: true });
    const rebuilt = rebuildRewardsClaimJob(stored(spec));
    expect(rebuilt.id).toBe(spec.id);
    expect(rebuilt.title).toBe(spec.title);
    expect(rebuilt.params).toEqual(spec.params);
    expect(rebuilt.steps.map((s) => [s.id, s.label])).toEqual(spec.steps.map((s) => [s.id, s.label]));
  });

  it('refuses records it cannot read back, with rewards.job_invalid', () => {
    const spec = rewardsClaimJob(ctx(), { data: [reward(41, D1, 2n)], restaking: true });
    const base = spec.params;
    const bad: [string, unknown][] = [
      ['fromBlock', { ...base, fromBlock: 77 }],
      ['round', { ...base, round: 0 }],
      ['restaking', { ...base, restaking: 'yes' }],
      ['claims', { ...base, claims: 'all' }],
      ['amount', { ...base, claims: [{ ...base.claims[0], amount: '1.5' }] }],
      ['proof', { ...base, claims: [{ ...base.claims[0], proof: ['0x1234'] }] }],
      ['device', { ...base, claims: [{ ...base.claims[0], device: 'io1xyz' }] }],
      ['dataRewards', { ...base, dataRewards: 'nowhere' }],
      ['no contract', { ...base, dataRewards: null }],
      ['nothing', { ...base, claims: [], restaking: false }],
    ];
    for (const [what, params] of bad) {
      expect(() => rebuildRewardsClaimJob(stored(spec, 'paused', params)), what).toThrow(expect.objectContaining({ code: 'rewards.job_invalid' }));
    }
    expect(() => rebuildRewardsClaimJob({ ...stored(spec), kind: 'restake-claim' })).toThrow(expect.objectContaining({ code: 'rewards.job_invalid' }));
  });
});
