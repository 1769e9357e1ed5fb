import { iotx } from './reconcile.js';

/**
 * Gas against what a claim pays, for the warning next to the claim button: a claim that costs as
 * much as it pays is a loss; one whose gas takes more than a tenth of it is costly.
 */
export function claimCostVerdict(input: { gasCostWei: bigint; amountWei: bigint }): { level: 'ok' | 'costly' | 'loss'; text: string } {
  const { gasCostWei: cost, amountWei: amount } = input;
  if (cost >= amount) {
    return { level: 'loss', text: `Gas costs about ${iotx(cost)}, as much as or more than the ${iotx(amount)} this claim pays: claiming now loses IOTX.` };
  }
  // cost > amount / 10, without the rounding of the division.
  if (cost * 10n > amount) {
    return { level: 'costly', text: `Gas costs about ${iotx(cost)}, more than a tenth of the ${iotx(amount)} this claim pays.` };
  }
  return { level: 'ok', text: `Gas costs about ${iotx(cost)} of the ${iotx(amount)} this claim pays.` };
}
