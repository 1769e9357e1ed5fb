import { STAKING_JOB_KIND } from '../../../core/staking/actions.js';

/**
 * The Staking section's screens, each at its own hash route (`#/staking/<id>[/<param>]`): the home
 * ('') lists the account's buckets; `bucket/<id>` is one bucket with every action; `restake` and
 * `modules` are the restaking screens (./restaking).
 */
export const STAKING_SCREENS = [
  { id: 'stake', title: 'Stake IOTX' },
  { id: 'bucket', title: 'Bucket' },
  { id: 'restake', title: 'Restake' },
  { id: 'modules', title: 'Restaking modules' },
] as const;

export type StakingScreenId = (typeof STAKING_SCREENS)[number]['id'];

/** The screen a route names, or null for the home (and for a name no screen has). */
export function stakingScreen(id: string): (typeof STAKING_SCREENS)[number] | null {
  return STAKING_SCREENS.find((screen) => screen.id === id) ?? null;
}

export const stakingHref = (id: StakingScreenId | '', param?: string | bigint): string =>
  id ? `#/staking/${id}${param === undefined ? '' : `/${encodeURIComponent(param.toString())}`}` : '#/staking';

/** A bucket id from a route's param ("12"), or null for anything that is not one. */
export function bucketIdFromParam(param: string): bigint | null {
  return /^\d{1,78}$/.test(param) ? BigInt(param) : null;
}

/** Job kinds the Staking section offers to resume on its home (the restaking screens add theirs). */
export const SECTION_JOB_KINDS: string[] = [STAKING_JOB_KIND];
