import type { Component } from 'svelte';

/**
 * Every section but Devices (the first screen) loads when it is first opened, so the first screen
 * stays within its bundle budget (tests/e2e/bundle-budget.e2e.ts). The service worker precaches
 * them all, so they open offline too.
 */
export const LAZY_SECTIONS = {
  staking: () => import('./staking/StakingSection.svelte'),
  rewards: () => import('./rewards/RewardsSection.svelte'),
  wallet: () => import('./wallet/WalletSection.svelte'),
  settings: () => import('./settings/SettingsSection.svelte'),
} satisfies Record<string, () => Promise<{ default: Component }>>;

export type LazySectionId = keyof typeof LAZY_SECTIONS;

export function isLazySection(id: string): id is LazySectionId {
  return id in LAZY_SECTIONS;
}
