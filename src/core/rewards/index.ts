/** Rewards (docs/rewards.md): what the Rewards screen imports, lazily, as one module. */
export { readRewardsOverview } from './read.js';
export { claimHistoryCsv } from './csv.js';
export { claimCostVerdict } from './cost.js';
export { estimateClaimGas, rebuildRewardsClaimJob, REWARDS_CLAIM_JOB_KIND, rewardsClaimJob } from './claimJob.js';
