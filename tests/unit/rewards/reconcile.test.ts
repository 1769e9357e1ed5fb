/**
 * Reconciliation rules (src/core/rewards/reconcile.ts): what was due against what was paid, and the
 * relay's own figures against the amounts its root commits to. Every expected text and number is
 * written out by hand (1.2 IOTX = 1_200_000_000_000_000_000 wei).
 */
import { describe, expect, it } from 'vitest';
import type { Address, Hash } from 'viem';
import { reconcileClaims, reconcileRelayFigure, type DueReward } from '../../../src/core/rewards/reconcile.js';
import type { ClaimRecord } from '../../../src/core/rewards/types.js';

const D = '0xAbCd000000000000000000000000000000001234' as Address;
const E = '0x00000000000000000000000000000000000000E5' as Address;
const TX = `0x${'ab'.repeat(32)}` as Hash;
const WEI_1_2 = 1_200_000_000_000_000_000n;
const WEI_1_1 = 1_100_000_000_000_000_000n;

const due = (over: Partial<DueReward> = {}): DueReward => ({ source: 'data', epoch: 41, device: D, amount: WEI_1_2, expired: false, ...over });
const paid = (over: Partial<ClaimRecord> = {}): ClaimRecord => ({ source: 'data', amount: WEI_1_2, token: null, epoch: 41, device: D, txHash: TX, block: 10n, at: 1_700_000_000, ...over });

describe('reconcileClaims', () => {
  it('paid = due: one ok finding', () => {
    expect(reconcileClaims([due()], [paid()])).toEqual([
      { kind: 'paid', severity: 'ok', epoch: 41, device: D, expected: WEI_1_2, actual: WEI_1_2, text: 'Epoch 41, device 0xAbCd…1234: 1.2 IOTX paid, as due.' },
    ]);
  });

  it('underpaid and overpaid name both amounts', () => {
    expect(reconcileClaims([due()], [paid({ amount: WEI_1_1 })])).toEqual([
      { kind: 'underpaid', severity: 'error', epoch: 41, device: D, expected: WEI_1_2, actual: WEI_1_1, text: 'Epoch 41, device 0xAbCd…1234: 1.2 IOTX was due; 1.1 IOTX was paid.' },
    ]);
    // Two payments for one (epoch, device) add up: 1.2 + 0.000000000000000001.
    expect(reconcileClaims([due()], [paid(), paid({ amount: 1n })])).toEqual([
      { kind: 'overpaid', severity: 'error', epoch: 41, device: D, expected: WEI_1_2, actual: 1_200_000_000_000_000_001n, text: 'Epoch 41, device 0xAbCd…1234: 1.2 IOTX was due; 1.200000000000000001 IOTX was paid.' },
    ]);
  });

  it('expired unclaimed is a warning; expired but paid is paid', () => {
    expect(reconcileClaims([due({ expired: true })], [])).toEqual([
      { kind: 'expired', severity: 'warn', epoch: 41, device: D, expected: WEI_1_2, actual: 0n, text: 'Epoch 41, device 0xAbCd…1234: 1.2 IOTX was not claimed before the claim window closed.' },
    ]);
    expect(reconcileClaims([due({ expired: true })], [paid()]).map((f) => f.kind)).toEqual(['paid']);
  });

  it('open and unpaid says nothing; claimed on-chain but not to this account is underpaid with 0 paid', () => {
    expect(reconcileClaims([due()], [])).toEqual([]);
    const [finding] = reconcileClaims([due({ claimed: true })], []);
    expect(finding).toMatchObject({ kind: 'underpaid', severity: 'error', expected: WEI_1_2, actual: 0n });
    expect(finding!.text).toBe(
      'Epoch 41, device 0xAbCd…1234: 1.2 IOTX is marked claimed on-chain, but 0 IOTX was paid to this account (claimed by an earlier owner of the ioID, or before the history starts).',
    );
  });

  it('a payment nothing said was due is an unknown source; matching is by epoch and device (case aside)', () => {
    const findings = reconcileClaims([due({ device: D.toLowerCase() as Address })], [paid(), paid({ epoch: 42, amount: 5n }), paid({ device: E, amount: WEI_1_1 })]);
    expect(findings.map((f) => [f.kind, f.epoch, f.device, f.expected, f.actual])).toEqual([
      ['paid', 41, D.toLowerCase(), WEI_1_2, WEI_1_2],
      ['unknown-source', 42, D, null, 5n],
      ['unknown-source', 41, E, null, WEI_1_1],
    ]);
    expect(findings[2]!.text).toBe('Epoch 41, device 0x0000…00E5: 1.1 IOTX was paid (transaction 0xabababab…), but nothing shown said it was due.');
  });

  it('restaking payments are held against restaking dues only when some are given', () => {
    const restakingPaid = paid({ source: 'restaking', epoch: null, device: null, token: '0x0000000000000000000000000000000000000001', amount: 7n });
    expect(reconcileClaims([], [restakingPaid])).toEqual([]);
    const dues: DueReward[] = [
      { source: 'restaking', epoch: null, device: null, amount: 3n, expired: false },
      { source: 'restaking', epoch: null, device: null, amount: 5n, expired: false },
    ];
    expect(reconcileClaims(dues, [restakingPaid])).toEqual([
      { kind: 'underpaid', severity: 'error', epoch: null, device: null, expected: 8n, actual: 7n, text: 'Restaking rewards: 0.000000000000000008 IOTX was due; 0.000000000000000007 IOTX was paid.' },
    ]);
  });
});

describe('reconcileRelayFigure', () => {
  it('the relay’s floor(pool × weight ÷ epochWeight) against the posted amount, both numbers in the text', () => {
    // 10 IOTX × 12 ÷ 100 = 1.2 IOTX, but the root pays 1.1.
    const finding = reconcileRelayFigure({ epoch: 41, device: D, amount: WEI_1_1, figures: { weight: '12', epochWeight: '100', pool: '10000000000000000000' } });
    expect(finding).toEqual({
      kind: 'relay-figure-mismatch',
      severity: 'error',
      epoch: 41,
      device: D,
      expected: WEI_1_2,
      actual: WEI_1_1,
      text: 'The relay computed 1.2 IOTX for epoch 41 (device 0xAbCd…1234); the posted root pays 1.1 IOTX.',
    });
  });

  it('agreement, including the floor, and no figures give no finding', () => {
    // 1 IOTX ÷ 3 = 333333333333333333.33… wei, floored.
    expect(reconcileRelayFigure({ epoch: 1, device: D, amount: 333_333_333_333_333_333n, figures: { weight: '1', epochWeight: '3', pool: '1000000000000000000' } })).toBeNull();
    expect(reconcileRelayFigure({ epoch: 1, device: D, amount: 333_333_333_333_333_334n, figures: { weight: '1', epochWeight: '3', pool: '1000000000000000000' } })?.expected).toBe(333_333_333_333_333_333n);
    expect(reconcileRelayFigure({ epoch: 1, device: D, amount: 5n, figures: null })).toBeNull();
  });

  it('a total weight of 0 cannot give the amount the root pays', () => {
    const finding = reconcileRelayFigure({ epoch: 9, device: D, amount: WEI_1_1, figures: { weight: '0', epochWeight: '0', pool: '10' } });
    expect(finding).toMatchObject({ kind: 'relay-figure-mismatch', expected: null, actual: WEI_1_1 });
    expect(finding!.text).toBe('The relay\'s figures for epoch 9 (device 0xAbCd…1234) give no amount (weight 0 of 0); the posted root pays 1.1 IOTX.');
  });
});
