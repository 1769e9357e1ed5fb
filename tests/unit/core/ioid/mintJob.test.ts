/**
 * The ioID mint job's pure parts (src/core/ioid/mintJob.ts): the prompt count per state, and the
 * spec rebuilt from a stored record (steps by whether the demo mint applies; bad params refused
 * with a named error). The job against the chain is tests/contracts/ioidJourney.test.ts.
 */
import type { Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { ioidPromptCount, rebuildIoidJob, type DevicePermitSigner } from '../../../../src/core/ioid/index.js';
import type { JobRecord } from '../../../../src/core/jobs/index.js';

const A = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as Address;
const device = A(0xd1);
const demoNFT = A(0xaf);
const signer: DevicePermitSigner = { address: device, signDigest: () => Promise.reject(new Error('not asked in these tests')) };

function record(params: Record<string, unknown>): JobRecord {
  return {
    id: `ioid-mint:31337:${A(1)}:${device}`,
    kind: 'ioid-mint',
    title: 'Mint the ioID',
    account: A(1),
    chainId: 31337,
    params: {
      device,
      deviceNFT: demoNFT,
      tokenId: null,
      documentHash: `0x${'11'.repeat(32)}`,
      documentURI: '',
      contracts: { ioIDRegistry: A(0xa1), ioIDStore: A(0xa2), ioID: A(0xa3) },
      demoDeviceNFT: demoNFT,
      fromBlock: '0',
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

describe('ioID wallet prompts', () => {
  it('counts 2 for the first device of an NFT contract, 1 for later ones, plus the devnet demo mint', () => {
    expect(ioidPromptCount({ mintsDemoNft: false, approved: false, registered: false })).toBe(2);
    expect(ioidPromptCount({ mintsDemoNft: false, approved: true, registered: false })).toBe(1);
    expect(ioidPromptCount({ mintsDemoNft: true, approved: false, registered: false })).toBe(3);
    expect(ioidPromptCount({ mintsDemoNft: true, approved: true, registered: false })).toBe(2);
    expect(ioidPromptCount({ mintsDemoNft: true, approved: false, registered: true })).toBe(0);
  });
});

describe('rebuilding the ioID job from its record', () => {
  it('has the demo mint only for the devnet demo NFT with no token named', () => {
    expect(rebuildIoidJob(record({}), { signer }).steps.map((s) => s.id)).toEqual(['mint-nft', 'approve', 'register']);
    expect(rebuildIoidJob(record({ tokenId: '7' }), { signer }).steps.map((s) => s.id)).toEqual(['approve', 'register']);
    expect(rebuildIoidJob(record({ demoDeviceNFT: null }), { signer }).steps.map((s) => s.id)).toEqual(['approve', 'register']);
    expect(rebuildIoidJob(record({ deviceNFT: A(0xbb) }), { signer }).steps.map((s) => s.id)).toEqual(['approve', 'register']);
  });

  it('keeps the record’s identity', () => {
    const spec = rebuildIoidJob(record({}), { signer });
    expect([spec.id, spec.kind, spec.account, spec.chainId]).toEqual([`ioid-mint:31337:${A(1)}:${device}`, 'ioid-mint', A(1), 31337]);
  });

  it('refuses a record it cannot read back, by name', () => {
    for (const bad of [{ device: 'nope' }, { tokenId: '-1' }, { fromBlock: 5 }, { documentHash: '0x12' }, { contracts: {} }, { demoDeviceNFT: 'x' }]) {
      expect(() => rebuildIoidJob(record(bad), { signer })).toThrow(expect.objectContaining({ code: 'ioid.job_params_invalid' }));
    }
    expect(() => rebuildIoidJob({ ...record({}), kind: 'staking' }, { signer })).toThrow(expect.objectContaining({ code: 'ioid.job_params_invalid' }));
  });
});
