import { formatEther, type Address } from 'viem';
import type { ClaimRecord, ReconcileFinding } from './types.js';

/**
 * Reconciliation, pure: what the Rewards screen said was due against what the chain paid, and the
 * relay's own figures against the amounts its roots commit to. Every finding says it in numbers, so
 * a person can check it ("the relay computed 1.2 IOTX for epoch 41; the posted root pays 1.1 IOTX").
 */

/** 1.2 IOTX, exact: formatEther never rounds. */
export const iotx = (wei: bigint): string => `${formatEther(wei)} IOTX`;

/** 0x1234…abcd: enough to tell devices apart on a phone screen; the full address is in the finding's `device`. */
export const shortAddress = (address: Address): string => `${address.slice(0, 6)}…${address.slice(-4)}`;

/** Something the screen said was due. `claimed` (the contract's flag) tells "not claimed yet" from "claimed, but not to this account". */
export type DueReward = {
  source: 'data' | 'restaking';
  epoch: number | null;
  device: Address | null;
  amount: bigint;
  /** The claim window closed (or the remainder was recovered). */
  expired: boolean;
  claimed?: boolean;
};

const keyOf = (source: string, epoch: number | null, device: Address | null) => `${source}:${epoch ?? '-'}:${device?.toLowerCase() ?? '-'}`;

function subject(epoch: number | null, device: Address | null): string {
  if (epoch === null && device === null) return 'Restaking rewards';
  if (device === null) return `Epoch ${epoch}`;
  return epoch === null ? `Device ${shortAddress(device)}` : `Epoch ${epoch}, device ${shortAddress(device)}`;
}

/**
 * Rules, per (source, epoch, device):
 * - paid = due → 'paid' (ok); less → 'underpaid'; more → 'overpaid' (error, both numbers);
 * - nothing paid: expired → 'expired' (warn); claimed on-chain → 'underpaid' with 0 paid (claimed by
 *   another account, or before the history starts); otherwise still open, no finding;
 * - a payment nothing said was due → 'unknown-source' (warn).
 * Restaking payments are reconciled only when restaking dues are given: MSP pays whatever accrued,
 * so the overview has no per-claim statement to hold them against (the contract's accounting is it).
 */
export function reconcileClaims(due: readonly DueReward[], paid: readonly ClaimRecord[]): ReconcileFinding[] {
  const findings: ReconcileFinding[] = [];
  const restakingDue = due.some((entry) => entry.source === 'restaking');
  const paidBy = new Map<string, ClaimRecord[]>();
  for (const record of paid) {
    if (record.source === 'restaking' && !restakingDue) continue;
    const key = record.source === 'restaking' ? keyOf('restaking', null, null) : keyOf('data', record.epoch, record.device);
    paidBy.set(key, [...(paidBy.get(key) ?? []), record]);
  }
  const dueBy = new Map<string, DueReward>();
  for (const entry of due) {
    const key = entry.source === 'restaking' ? keyOf('restaking', null, null) : keyOf('data', entry.epoch, entry.device);
    const before = dueBy.get(key);
    // Restaking dues add up (one per token read); a data reward is due once.
    dueBy.set(key, before && entry.source === 'restaking' ? { ...before, amount: before.amount + entry.amount } : entry);
  }
  for (const [key, entry] of dueBy) {
    const records = paidBy.get(key) ?? [];
    paidBy.delete(key);
    const { epoch, device, amount: expected } = entry;
    const base = { epoch, device, expected };
    const what = subject(epoch, device);
    if (records.length === 0) {
      if (entry.expired) {
        findings.push({ ...base, kind: 'expired', severity: 'warn', actual: 0n, text: `${what}: ${iotx(expected)} was not claimed before the claim window closed.` });
      } else if (entry.claimed) {
        findings.push({
          ...base,
          kind: 'underpaid',
          severity: 'error',
          actual: 0n,
          text: `${what}: ${iotx(expected)} is marked claimed on-chain, but 0 IOTX was paid to this account (claimed by an earlier owner of the ioID, or before the history starts).`,
        });
      }
      continue;
    }
    const actual = records.reduce((sum, record) => sum + record.amount, 0n);
    if (actual === expected) findings.push({ ...base, kind: 'paid', severity: 'ok', actual, text: `${what}: ${iotx(actual)} paid, as due.` });
    else if (actual < expected) findings.push({ ...base, kind: 'underpaid', severity: 'error', actual, text: `${what}: ${iotx(expected)} was due; ${iotx(actual)} was paid.` });
    else findings.push({ ...base, kind: 'overpaid', severity: 'error', actual, text: `${what}: ${iotx(expected)} was due; ${iotx(actual)} was paid.` });
  }
  for (const records of paidBy.values()) {
    for (const record of records) {
      findings.push({
        kind: 'unknown-source',
        severity: 'warn',
        epoch: record.epoch,
        device: record.device,
        expected: null,
        actual: record.amount,
        text: `${subject(record.epoch, record.device)}: ${iotx(record.amount)} was paid (transaction ${record.txHash.slice(0, 10)}…), but nothing shown said it was due.`,
      });
    }
  }
  return findings;
}

/** The relay's per-device figures (decimal strings) as it serves them with each reward. */
export type RelayFigures = { weight: string; epochWeight: string; pool: string } | null;

/** floor(pool × weight ÷ epochWeight): the relay's reward formula (docs/relay.md "Rewards"); null when the figures cannot give one. */
export function relayFigureOf(figures: RelayFigures): bigint | null {
  if (figures === null) return null;
  const decimal = (text: string) => (/^\d+$/.test(text) ? BigInt(text) : null);
  const weight = decimal(figures.weight);
  const epochWeight = decimal(figures.epochWeight);
  const pool = decimal(figures.pool);
  if (weight === null || epochWeight === null || pool === null || epochWeight === 0n) return null;
  return (pool * weight) / epochWeight;
}

/**
 * The relay's own arithmetic against the amount it committed to in the root: an honest relay has
 * amount == floor(pool × weight ÷ epochWeight). Null when they agree or the relay gave no figures.
 */
export function reconcileRelayFigure(reward: { epoch: number; device: Address; amount: bigint; figures: RelayFigures }): ReconcileFinding | null {
  const { figures, epoch, device, amount } = reward;
  if (figures === null) return null;
  const computed = relayFigureOf(figures);
  if (computed === null) {
    return {
      kind: 'relay-figure-mismatch',
      severity: 'error',
      epoch,
      device,
      expected: null,
      actual: amount,
      text: `The relay's figures for epoch ${epoch} (device ${shortAddress(device)}) give no amount (weight ${figures.weight} of ${figures.epochWeight}); the posted root pays ${iotx(amount)}.`,
    };
  }
  if (computed === amount) return null;
  return {
    kind: 'relay-figure-mismatch',
    severity: 'error',
    epoch,
    device,
    expected: computed,
    actual: amount,
    text: `The relay computed ${iotx(computed)} for epoch ${epoch} (device ${shortAddress(device)}); the posted root pays ${iotx(amount)}.`,
  };
}
