/** Fixed cases shared by the trust tests and the invariant fuzzer. */

/**
 * Defect 6, reproduced: three restakers with odd weights (lock 0, so weight = amount), 7 wei
 * distributed in five parts. With reward debts rounded down at every share change, 8 wei were
 * pending against a balance of 7 and the last claim reverted. Found by simulating the contract's
 * arithmetic; the same sequence is in trust.test.ts and a fixed example of the invariant fuzzer (invariants.test.ts).
 */
export const SEVEN_WEI_CASE = [
  { t: 'restake', who: 1, amount: 1_912_000_000_000_000_006n },
  { t: 'distribute', amount: 2n },
  { t: 'distribute', amount: 1n },
  { t: 'distribute', amount: 1n },
  { t: 'restake', who: 2, amount: 1_278_000_000_000_000_006n },
  { t: 'restake', who: 0, amount: 1_874_000_000_000_000_005n },
  { t: 'distribute', amount: 2n },
  { t: 'distribute', amount: 1n },
] as const;
