import { parseEther, type Address, type Hash } from 'viem';
import { describe, expect, it } from 'vitest';
import type { ClaimRecord, DataReward } from '../../../src/core/rewards/types.js';
import { claimableData, deviceGroups, rewardsPerDay } from '../../../src/app/sections/rewards/rewardsView.js';

const A = '0x00000000000000000000000000000000000000aA' as Address;
const B = '0x00000000000000000000000000000000000000bB' as Address;
const reward = (device: Address, epoch: number, state: DataReward['state'], iotx: string): DataReward => ({
  source: 'data', epoch, device, amount: parseEther(iotx), proof: [], state, postedAt: null, closesAt: null, claimedTx: null, claimedAt: null, relayFigure: null, findings: [],
});
const claim = (source: ClaimRecord['source'], at: string, iotx: string): ClaimRecord => ({
  source, amount: parseEther(iotx), token: null, epoch: null, device: null, txHash: `0x${'1'.repeat(64)}` as Hash, block: 1n, at: Date.parse(at) / 1000,
});

describe('rewards screen view', () => {
  const data = [reward(A, 40, 'claimed', '1'), reward(A, 41, 'claimable', '1.5'), reward(B, 41, 'expired', '0.25'), reward(A, 42, 'unverified', '9'), reward(B, 42, 'claimable', '0.5')];

  it('groups per device, newest epoch first, with sums per state (unverified counted nowhere)', () => {
    const groups = deviceGroups(data);
    expect(groups.map((group) => [group.device, group.rewards.map((r) => r.epoch)])).toEqual([[A, [42, 41, 40]], [B, [42, 41]]]);
    expect(groups[0]).toMatchObject({ claimable: parseEther('1.5'), claimed: parseEther('1'), expired: 0n });
    expect(groups[1]).toMatchObject({ claimable: parseEther('0.5'), claimed: 0n, expired: parseEther('0.25') });
  });

  it('a claim choice takes only claimable rewards: all, one kind, or one device and epoch', () => {
    expect(claimableData(data, 'all').map((r) => `${r.device}:${r.epoch}`)).toEqual([`${A}:41`, `${B}:42`]);
    expect(claimableData(data, 'restaking')).toEqual([]);
    expect(claimableData(data, { epoch: 42, device: B.toLowerCase() as Address }).map((r) => r.epoch)).toEqual([42]);
    expect(claimableData(data, { epoch: 42, device: A })).toEqual([]);
  });

  it('charts claims per UTC day and source, filling empty days', () => {
    const bars = rewardsPerDay([claim('data', '2026-11-01T10:00:00Z', '1'), claim('restaking', '2026-11-01T23:59:59Z', '0.5'), claim('data', '2026-11-03T00:00:01Z', '2')]);
    expect(bars).toEqual([
      { day: '2026-11-01', data: parseEther('1'), restaking: parseEther('0.5') },
      { day: '2026-11-02', data: 0n, restaking: 0n },
      { day: '2026-11-03', data: parseEther('2'), restaking: 0n },
    ]);
    expect(rewardsPerDay([])).toEqual([]);
  });
});
