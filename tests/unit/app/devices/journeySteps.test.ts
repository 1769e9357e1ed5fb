/**
 * The mint journey's rows (connect → genuine → project → device NFT → approval → the device signs
 * the permit → register → done) are decided from what is known now: the link, the authenticity
 * check, the chain reads and the stored job record. A reload (same inputs) shows the same rows.
 */
import { describe, expect, it } from 'vitest';
import { journeyRows, type JourneyInput } from '../../../../src/app/sections/devices/ioid/journeySteps.js';
import type { JobRecord, StepStatus } from '../../../../src/core/jobs/types.js';

const base: JourneyInput = {
  registered: false,
  connected: true,
  authenticity: 'genuine',
  check: { state: 'ready', project: 'Project #1 (hardware, 9 prepaid ioIDs left)', nft: 'demo-mint', approved: false },
  record: null,
  signing: 'idle',
  errorCode: null,
};

function record(statuses: Record<string, StepStatus>): JobRecord {
  return {
    id: 'ioid-mint:31337:0xa:0xb',
    kind: 'ioid-mint',
    title: 'Mint',
    account: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    chainId: 31337,
    params: {},
    status: 'paused',
    steps: Object.entries(statuses).map(([id, status]) => ({ id, label: id, status, history: [] })),
    error: null,
    batch: null,
    createdAt: 1,
    updatedAt: 2,
  };
}

const states = (input: JourneyInput) => Object.fromEntries(journeyRows(input).map((row) => [row.id, row.state]));
const confirmed: StepStatus = { kind: 'confirmed', at: 1, hash: `0x${'1'.repeat(64)}`, block: 5 };

describe('mint journey rows', () => {
  it('before the job: connected and genuine are done, the NFT will be minted, nothing else yet', () => {
    expect(states(base)).toEqual({ connect: 'done', genuine: 'done', project: 'done', nft: 'waiting', approval: 'waiting', permit: 'waiting', register: 'waiting', done: 'waiting' });
    expect(journeyRows(base).find((row) => row.id === 'project')!.detail).toBe('Project #1 (hardware, 9 prepaid ioIDs left)');
  });

  it('a device not connected (after a reload) is asked to connect, and its genuine check waits for it', () => {
    expect(states({ ...base, connected: false })).toMatchObject({ connect: 'waiting', genuine: 'waiting' });
  });

  it('an approval given earlier and an NFT held are done before the job starts', () => {
    expect(states({ ...base, check: { state: 'ready', project: 'p', nft: 'held', approved: true } })).toMatchObject({ nft: 'done', approval: 'done', permit: 'waiting' });
  });

  it('on IoTeX with no device NFT held, the NFT row fails and says only the project can provide one', () => {
    const row = journeyRows({ ...base, check: { state: 'ready', project: 'p', nft: 'none', approved: false } }).find((r) => r.id === 'nft')!;
    expect(row.state).toBe('failed');
    expect(row.detail).toContain('only your project');
  });

  it('the job record decides the steps it has: minted and approved, the permit on screen', () => {
    const input = { ...base, record: record({ 'mint-nft': confirmed, approve: { kind: 'skipped-already-landed', at: 3 }, register: { kind: 'waiting' } }), signing: 'showing' as const };
    expect(states(input)).toMatchObject({ nft: 'done', approval: 'done', permit: 'working', register: 'waiting' });
    expect(journeyRows(input).find((row) => row.id === 'permit')!.detail).toBe('Check the permit, then let the device sign');
  });

  it('a device that did not sign fails the permit row (the job paused at register), not the register row', () => {
    const input = { ...base, record: record({ 'mint-nft': confirmed, approve: confirmed, register: { kind: 'waiting' } }), errorCode: 'ioid.device_unreachable' };
    expect(states(input)).toMatchObject({ approval: 'done', permit: 'failed', register: 'waiting' });
  });

  it('a register sent is pending; the permit before it was signed', () => {
    const input = { ...base, record: record({ approve: confirmed, register: { kind: 'sent', at: 4, hash: `0x${'2'.repeat(64)}`, nonce: 3, block: 9 } }) };
    expect(states(input)).toMatchObject({ permit: 'done', register: 'working' });
  });

  it('a registered device shows every row done, whatever the record says', () => {
    expect(Object.values(states({ ...base, registered: true, connected: false, record: null }))).toEqual(Array(8).fill('done'));
  });

  it('a project problem read from the chain fails the project row with its words', () => {
    const row = journeyRows({ ...base, check: { state: 'failed', message: 'Project #4 has no prepaid ioIDs left' } }).find((r) => r.id === 'project')!;
    expect(row).toMatchObject({ state: 'failed', detail: 'Project #4 has no prepaid ioIDs left' });
  });
});
