import { isAddressEqual, type Address } from 'viem';
import type { ClaimRecord, DataReward, ReconcileFinding, RewardsOverview } from '../../../core/rewards/types.js';
import { formatIotx } from '../../../core/wallet/amount.js';

/** What one claim button claims: everything, one kind, or one device's reward for one epoch. */
export type ClaimChoice = 'all' | 'data' | 'restaking' | { epoch: number; device: Address };

/** One device's rewards, newest epoch first, with its sums per state. */
export type DeviceGroup = { device: Address; rewards: DataReward[]; claimable: bigint; claimed: bigint; expired: bigint };

export type RewardTotals = { claimableData: bigint; claimableRestaking: bigint; claimable: bigint; claimed: bigint; expired: bigint; unverified: number };

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);

export function deviceGroups(data: readonly DataReward[]): DeviceGroup[] {
  const groups = new Map<string, DataReward[]>();
  for (const reward of data) {
    const key = reward.device.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), reward]);
  }
  return [...groups.values()].map((rewards) => {
    const of = (state: DataReward['state']) => sum(rewards.filter((reward) => reward.state === state).map((reward) => reward.amount));
    return { device: rewards[0]!.device, rewards: [...rewards].sort((a, b) => b.epoch - a.epoch), claimable: of('claimable'), claimed: of('claimed'), expired: of('expired') };
  });
}

export function totals(overview: RewardsOverview): RewardTotals {
  const of = (state: DataReward['state']) => sum(overview.data.filter((reward) => reward.state === state).map((reward) => reward.amount));
  const claimableData = of('claimable');
  const claimableRestaking = sum(overview.restaking.map((reward) => reward.pending));
  return {
    claimableData,
    claimableRestaking,
    claimable: claimableData + claimableRestaking,
    claimed: sum(overview.history.map((row) => row.amount)),
    expired: of('expired'),
    unverified: overview.data.filter((reward) => reward.state === 'unverified').length,
  };
}

/** The data rewards a choice claims: only claimable ones (checked against the posted root), never one twice. */
export function claimableData(data: readonly DataReward[], choice: ClaimChoice): DataReward[] {
  const open = data.filter((reward) => reward.state === 'claimable');
  if (choice === 'restaking') return [];
  if (choice === 'all' || choice === 'data') return open;
  return open.filter((reward) => reward.epoch === choice.epoch && isAddressEqual(reward.device, choice.device));
}

/** A plain-text report of the findings, to copy into a support request. */
export function rewardsReport(overview: RewardsOverview, problems: readonly ReconcileFinding[]): string {
  const lines = [
    `Outpost rewards report`,
    `account ${overview.account} · chain ${overview.chainId} · block ${overview.block} · chain time ${new Date(overview.chainTime * 1000).toISOString()}`,
    `devices ${overview.devices.length} · data rewards ${overview.data.length} · claims ${overview.history.length}`,
    ...(problems.length === 0 ? ['No mismatch found.'] : problems.map((finding) => `- [${finding.kind}] ${finding.text}`)),
  ];
  return lines.join('\n');
}

/** One bar of the chart: a day (UTC) and what each source paid that day, in wei. */
export type DayBar = { day: string; data: bigint; restaking: bigint };

/** Claims per day and source, oldest first, with empty days between filled in (at most `maxDays`). */
export function rewardsPerDay(history: readonly ClaimRecord[], maxDays = 60): DayBar[] {
  if (history.length === 0) return [];
  const byDay = new Map<string, DayBar>();
  const dayOf = (at: number) => new Date(at * 1000).toISOString().slice(0, 10);
  const times = history.map((row) => row.at);
  const last = Math.max(...times);
  const first = Math.max(Math.min(...times), last - (maxDays - 1) * 86_400);
  for (let at = first - (first % 86_400); at <= last; at += 86_400) byDay.set(dayOf(at), { day: dayOf(at), data: 0n, restaking: 0n });
  for (const row of history) {
    const bar = byDay.get(dayOf(row.at));
    if (!bar) continue;
    bar[row.source] += row.amount;
  }
  return [...byDay.values()];
}

export const iotx = (wei: bigint) => `${formatIotx(wei)} IOTX`;
