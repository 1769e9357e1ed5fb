/**
 * Gas goals of the IoTeX-compatibility work, held on every run (gas is deterministic on the EVM;
 * nothing is timed): every action we share with IoTeX costs at most IoTeX's figure, and stake and
 * restake at most 70% of it. IoTeX's figures are constants measured beside ours
 * (tests/contracts/helpers/gasActions.ts says where); bench/results/gas.md prints the same table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deployFixture } from '../helpers/fixture.js';
import { measureGas, type OutpostAction, type SharedAction } from '../helpers/gasActions.js';

let shared: SharedAction[];
let outpost: OutpostAction[];

beforeAll(async () => {
  ({ shared, outpost } = await measureGas(await deployFixture()));
});

describe('gas of every action shared with IoTeX', () => {
  it('measures each shared action of ioID, SystemStaking3 and MSP', () => {
    // The list is fixed here so that dropping a measurement fails rather than passing vacuously.
    expect(shared.map((action) => action.action.split(' ')[0])).toEqual([
      ...['ioIDRegistry.register,', 'ioIDRegistry.register,', 'ProjectRegistry.register,', 'ioIDStore.applyIoIDs(10),'],
      ...['stake(duration,', 'unlock', 'lock', 'expandBucket', 'changeDelegate', 'merge', 'unstake', 'withdraw', 'withdraw'].map((name) => `SystemStaking.${name}`),
      ...['BucketStrategy.stake(bucketId)', 'StrategyManager.distributeRewards', 'BucketStrategy.claimReward(),', 'BucketStrategy.claimReward(),', 'BucketStrategy.unstake', 'BucketStrategy.withdraw'],
    ]);
  });

  it('costs at most IoTeX’s figure for each, and at most 70% of it for stake and restake', () => {
    const missed = shared
      .filter((action) => action.ours > action.iotex * action.goal)
      .map((action) => `${action.action}: ${action.ours} > ${action.goal === 1 ? '' : `${action.goal * 100}% of `}${action.iotex}`);
    expect(missed).toEqual([]);
    expect(shared.filter((action) => action.goal === 0.7).map((action) => action.action)).toEqual([
      'SystemStaking.stake(duration, delegate), staker already holding buckets',
      'BucketStrategy.stake(bucketId) (restake), existing restaker',
    ]);
  });

  it('restake into a module: one prompt (safeTransferFrom with the module) costs less than the two (approve + stake)', () => {
    const two = outpost.find((action) => action.action.startsWith('restake into a module in 2 prompts'));
    const one = outpost.find((action) => action.action.startsWith('restake into a module in 1 prompt'));
    expect(two && one).toBeTruthy();
    console.log([...shared, ...outpost].map((action) => `${action.action}: ${action.ours} gas`).join('\n'));
    // At least the second transaction's 21,000 base cost is saved.
    expect(two!.ours - one!.ours).toBeGreaterThan(21_000);
  });
});
