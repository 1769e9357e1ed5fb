/** What the job progress and the job-step confirmation say (src/app/components/jobs, confirm/jobStepView.ts), for each step status of docs/jobs.md. */
import { describe, expect, it } from 'vitest';
import { encodeFunctionData, type Address } from 'viem';
import { systemStakingAbi } from '../../../../src/core/abis/index.js';
import { NETWORKS } from '../../../../src/core/networks.js';
import type { JobRecord } from '../../../../src/core/jobs/types.js';
import { jobSteps } from '../../../../src/app/components/jobs/jobSteps.js';
import { jobStepView } from '../../../../src/app/components/confirm/jobStepView.js';

const ACCOUNT: Address = '0x1111111111111111111111111111111111111111';
const STAKING: Address = '0x2222222222222222222222222222222222222222';
const HASH = `0x${'ab'.repeat(32)}` as const;
const NEW_HASH = `0x${'cd'.repeat(32)}` as const;

function record(statuses: JobRecord['steps'][number]['status'][]): JobRecord {
  return {
    id: 'job', kind: 'staking', title: 'Unlock 2 buckets', account: ACCOUNT, chainId: 31337, params: {}, status: 'running', error: null, batch: null, createdAt: 0, updatedAt: 0,
    steps: statuses.map((status, i) => ({ id: `s${i}`, label: `Step label ${i + 1}`, status, history: [] })),
  };
}

describe('job steps on a screen', () => {
  it('maps every stored status to pending, confirmed, failed, replaced, working or waiting', () => {
    const rows = jobSteps(record([
      { kind: 'confirmed', at: 1, hash: HASH, block: 1234 },
      { kind: 'skipped-already-landed', at: 1 },
      { kind: 'sent', at: 1, hash: HASH, nonce: 3, block: 10 },
      { kind: 'sent-in-batch', at: 1, batchId: '0x01' },
      { kind: 'failed', at: 1, error: { code: 'job.reverted', message: 'It reverted.', hint: null } },
      { kind: 'replaced', at: 1, hash: HASH, newHash: NEW_HASH, landed: true },
      { kind: 'replaced', at: 1, hash: HASH, newHash: null, landed: false },
      { kind: 'awaiting-signature', at: 1, nonce: 3, block: 10 },
      { kind: 'simulating', at: 1 },
      { kind: 'waiting' },
    ]));
    expect(rows.map((row) => [row.number, row.state, row.words, row.hash])).toEqual([
      [1, 'confirmed', 'confirmed in block 1,234', HASH],
      [2, 'confirmed', 'already on-chain', null],
      [3, 'pending', 'pending', HASH],
      [4, 'pending', 'pending (in a batch)', null],
      [5, 'failed', 'failed: It reverted.', null],
      [6, 'replaced', 'replaced by another transaction that did it', NEW_HASH],
      [7, 'replaced', 'replaced by another transaction; it will be sent again', HASH],
      [8, 'working', 'waiting for the wallet', null],
      [9, 'working', 'simulating', null],
      [10, 'waiting', 'not started', null],
    ]);
  });
});

describe('the job-step confirmation', () => {
  const unlock = (ids: bigint[]) => encodeFunctionData({ abi: systemStakingAbi, functionName: 'unlock', args: [ids] });
  const base = { kind: 'jobStep' as const, title: 'Stake 1 IOTX', network: NETWORKS.devnet, from: ACCOUNT };

  it('one step of two: decoded, simulated, one prompt now and one more after', () => {
    const view = jobStepView({ ...base, batch: false, calls: [{ step: 1, total: 2, label: 'Stake', to: STAKING, value: 10n ** 18n, data: unlock([7n]), abi: systemStakingAbi, gas: 51_000n }] });
    expect(view.prompts).toBe('1 wallet prompt now, then up to 1 more prompt for the step after it');
    expect(view.calls[0]!.heading).toBe('Step 1 of 2: Stake');
    expect(view.calls[0]!.amount).toBe('1 IOTX');
    expect(view.calls[0]!.decoded).toMatchObject({ kind: 'call', functionName: 'unlock' });
    expect(view.calls[0]!.simulation).toBe('Will succeed (gas 51000), simulated on the current chain state.');
    expect(view.canApprove).toBe(true);
  });

  it('the last step says one prompt; a batch says one prompt for all its calls', () => {
    expect(jobStepView({ ...base, batch: false, calls: [{ step: 3, total: 3, label: 'Last', to: STAKING, value: 0n, gas: 1n }] }).prompts).toBe('1 wallet prompt now');
    const batch = jobStepView({ ...base, batch: true, calls: [
      { step: 1, total: 2, label: 'A', to: STAKING, value: 0n, data: unlock([1n]), abi: systemStakingAbi, gas: 40_000n },
      { step: 2, total: 2, label: 'B', to: STAKING, value: 0n, data: unlock([2n]), abi: systemStakingAbi, gas: null },
    ] });
    expect(batch.prompts).toBe('1 wallet prompt for 2 calls (sent as one batch)');
    expect(batch.calls[1]!.simulated).toBe(false);
    expect(batch.calls[1]!.simulation).toMatch(/^Simulated by the wallet/);
  });
});
