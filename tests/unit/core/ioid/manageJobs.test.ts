/**
 * The ioID manage jobs' pure parts (src/core/ioid/manageJobs.ts): which actions need the device, the
 * spec rebuilt from a stored record (one step per action; bad params refused by name). The jobs
 * against the chain are tests/contracts/ioidManage.test.ts.
 */
import type { Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { ioidManageNeedsDevice, IOID_MANAGE_JOB_KIND, rebuildIoidManageJob, type IoidManageAction } from '../../../../src/core/ioid/index.js';
import type { JobRecord } from '../../../../src/core/jobs/index.js';

const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address;
const device = A(0xd1);
const to = A(0x70);
const HASH = `0x${'11'.repeat(32)}` as const;

function record(action: Record<string, unknown>, params: Record<string, unknown> = {}): JobRecord {
  return {
    id: 'stored',
    kind: IOID_MANAGE_JOB_KIND,
    title: 'Manage the ioID',
    account: A(1),
    chainId: 31337,
    params: {
      action,
      contracts: { ioIDRegistry: A(0xa1), ioIDStore: A(0xa2), ioID: A(0xa3) },
      ioidTokenId: '3',
      wallet: A(0xee),
      nft: action.kind === 'withdraw-nft' ? { contract: A(0xaf), tokenId: '5' } : null,
      nonce: '1',
      ...params,
    },
    status: 'paused',
    steps: [],
    error: null,
    batch: null,
    createdAt: 0,
    updatedAt: 0,
  };
}

const actions: IoidManageAction[] = [
  { kind: 'update', device, documentHash: HASH, documentURI: 'ipfs://doc' },
  { kind: 'remove', device },
  { kind: 'migrate', device, to },
  { kind: 'transfer', device, to },
  { kind: 'withdraw-nft', device, to },
];

describe('ioID manage jobs', () => {
  it('needs the device for update, remove and migrate only', () => {
    expect(actions.filter(ioidManageNeedsDevice).map((a) => a.kind)).toEqual(['update', 'remove', 'migrate']);
  });

  it('rebuilds one step per action, without the device hooks, each with its own id', () => {
    const specs = actions.map((action) => rebuildIoidManageJob(record(action), null));
    expect(specs.map((spec) => spec.steps.map((step) => step.id))).toEqual([['update'], ['remove'], ['migrate'], ['transfer'], ['withdraw-nft']]);
    expect(new Set(specs.map((spec) => spec.id)).size).toBe(actions.length);
    expect(specs[1]!.title).toBe('Remove the ioID of 0x0000…00d1');
    expect(specs[2]!.title).toBe('Migrate the ioID of 0x0000…00d1 to 0x0000…0070');
  });

  it('refuses a stored record it cannot read back, by name', () => {
    const bad: JobRecord[] = [
      record({ kind: 'explode', device }),
      record({ kind: 'migrate', device, to: 'nobody' }),
      record({ kind: 'update', device, documentHash: '0x12', documentURI: '' }),
      record({ kind: 'remove', device }, { ioidTokenId: 'three' }),
      record({ kind: 'withdraw-nft', device, to }, { nft: null }),
      record({ kind: 'remove', device }, { wallet: undefined }),
      { ...record({ kind: 'remove', device }), kind: 'ioid-mint' },
    ];
    for (const stored of bad) expect(() => rebuildIoidManageJob(stored, null)).toThrow(expect.objectContaining({ code: 'ioid.job_params_invalid' }));
  });
});
