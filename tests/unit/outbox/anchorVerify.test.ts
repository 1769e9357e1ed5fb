/**
 * The phone checks the relay's anchor claim itself: its own leaf, the relay's Merkle proof to the
 * relay's root, the module, and BatchInbox.batchOf(module, root) on-chain. The chain is faked here
 * (a map of what batchOf answers); the real chain is in tests/e2e/escape-hatch.e2e.ts. Leaves and
 * trees come from ./fixtures.ts, written independently of src/core/batch/merkle.ts.
 */
import type { Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import { submissionLeaf, verifyAnchor, type AnchoredBatchView, type VerifyAnchorDeps } from '../../../src/core/anchoring/verify.js';
import type { RelayAnchorClaim } from '../../../src/core/outbox/relayClient.js';
import { seededHex } from '../../support/seed.js';
import { expectedLeaf, seededSubmission, threeLeafTree } from './fixtures.js';

const ours = seededSubmission('verify-ours');
const leaf = expectedLeaf(ours);
const other1 = expectedLeaf(seededSubmission('verify-other-1', { device: '0x00000000000000000000000000000000000000D2' }));
const other2 = expectedLeaf(seededSubmission('verify-other-2', { device: '0x00000000000000000000000000000000000000D3' }));
const tree = threeLeafTree(other1, leaf, other2);
const ANCHORED_AT = 1_800_003_700n;

/** A fake BatchInbox: batchOf answers from `anchors` keyed by "moduleId:root"; every read is recorded. */
function chain(anchors: Record<string, Partial<AnchoredBatchView>>, overrides: Partial<VerifyAnchorDeps> = {}) {
  const reads: string[] = [];
  const deps: VerifyAnchorDeps = {
    expectedModuleId: 1,
    relayModuleId: 1,
    readBatch: async (moduleId, root) => {
      const key = `${moduleId}:${root.toLowerCase()}`;
      reads.push(key);
      return { epoch: 0n, count: 0n, anchoredAt: 0n, slashed: false, ...anchors[key] };
    },
    ...overrides,
  };
  return { deps, reads };
}

const claim = (patch: Partial<RelayAnchorClaim> = {}): RelayAnchorClaim => ({ merkleRoot: tree.root, leafIndex: 1, merkleProof: tree.proofs[1], txHash: seededHex('anchor-tx'), blockNumber: 9, ...patch });
const anchoredUnder = (moduleId: number, root: Hex = tree.root, patch: Partial<AnchoredBatchView> = {}) => ({ [`${moduleId}:${root.toLowerCase()}`]: { epoch: BigInt(ours.epoch), count: 3n, anchoredAt: ANCHORED_AT, ...patch } });

describe('the leaf the phone checks', () => {
  it('is BatchInbox.leafHash of exactly what was sent', () => {
    expect(submissionLeaf(ours)).toBe(leaf.toLowerCase());
    expect(submissionLeaf(seededSubmission('verify-other-1', { device: '0x00000000000000000000000000000000000000D2' }))).toBe(other1.toLowerCase());
  });
});

describe('verifyAnchor', () => {
  it('accepts a proof that leads to a root anchored on-chain under the network’s module and not slashed', async () => {
    const { deps, reads } = chain(anchoredUnder(1));
    await expect(verifyAnchor(ours, leaf, claim(), deps)).resolves.toEqual({ ok: true, anchoredAt: Number(ANCHORED_AT), moduleId: 1 });
    expect(reads).toEqual([`1:${tree.root.toLowerCase()}`]);
  });

  it('accepts the unpaired last leaf of an odd tree too', async () => {
    const last = seededSubmission('verify-last', { device: '0x00000000000000000000000000000000000000D4' });
    const t = threeLeafTree(other1, other2, expectedLeaf(last));
    const { deps } = chain(anchoredUnder(1, t.root));
    await expect(verifyAnchor(last, expectedLeaf(last), { ...claim(), merkleRoot: t.root, leafIndex: 2, merkleProof: t.proofs[2] }, deps)).resolves.toMatchObject({ ok: true });
  });

  it('names the proof check when one sibling is changed, and reads nothing on-chain', async () => {
    const tampered = [...tree.proofs[1]];
    tampered[0] = `${tampered[0]!.slice(0, -2)}${tampered[0]!.endsWith('00') ? '01' : '00'}` as Hex;
    const { deps, reads } = chain(anchoredUnder(1));
    const verdict = await verifyAnchor(ours, leaf, claim({ merkleProof: tampered }), deps);
    expect(verdict).toMatchObject({ ok: false, check: 'proof', retryable: false });
    expect(reads).toEqual([]);
  });

  it('names the proof check when the proof is another leaf’s, or missing', async () => {
    const { deps } = chain(anchoredUnder(1));
    await expect(verifyAnchor(ours, leaf, claim({ merkleProof: tree.proofs[0] }), deps)).resolves.toMatchObject({ ok: false, check: 'proof' });
    await expect(verifyAnchor(ours, leaf, claim({ merkleProof: null }), deps)).resolves.toMatchObject({ ok: false, check: 'proof' });
  });

  it('names the receipt check when the relay’s receipt id is not this batch’s leaf', async () => {
    const { deps } = chain(anchoredUnder(1));
    await expect(verifyAnchor(ours, other1, claim(), deps)).resolves.toMatchObject({ ok: false, check: 'receipt' });
  });

  it('names the on-chain check for a self-consistent root that BatchInbox does not hold (a single-leaf "tree")', async () => {
    const { deps, reads } = chain(anchoredUnder(1));
    const verdict = await verifyAnchor(ours, leaf, claim({ merkleRoot: leaf, merkleProof: [] }), deps);
    expect(verdict).toMatchObject({ ok: false, check: 'onchain' });
    expect(verdict.ok === false && verdict.message).toContain('not anchored on-chain under module 1');
    expect(reads).toEqual([`1:${leaf.toLowerCase()}`]);
  });

  it('names the on-chain check when the root is anchored only under another module', async () => {
    const { deps } = chain(anchoredUnder(2));
    await expect(verifyAnchor(ours, leaf, claim(), deps)).resolves.toMatchObject({ ok: false, check: 'onchain' });
  });

  it('names the module check when the relay anchors under another module, says none, or the network has none', async () => {
    await expect(verifyAnchor(ours, leaf, claim(), chain(anchoredUnder(2), { relayModuleId: 2 }).deps)).resolves.toMatchObject({ ok: false, check: 'module' });
    await expect(verifyAnchor(ours, leaf, claim(), chain(anchoredUnder(1), { relayModuleId: null }).deps)).resolves.toMatchObject({ ok: false, check: 'module' });
    await expect(verifyAnchor(ours, leaf, claim(), chain(anchoredUnder(1), { expectedModuleId: null }).deps)).resolves.toMatchObject({ ok: false, check: 'module' });
  });

  it('names the slashed check for an anchor that was successfully challenged', async () => {
    const { deps } = chain(anchoredUnder(1, tree.root, { slashed: true }));
    await expect(verifyAnchor(ours, leaf, claim(), deps)).resolves.toMatchObject({ ok: false, check: 'slashed' });
  });

  it('reports an unreadable chain as retryable, not as the relay’s fault', async () => {
    const { deps } = chain({}, { readBatch: () => Promise.reject(new Error('fetch failed')) });
    const verdict = await verifyAnchor(ours, leaf, claim(), deps);
    expect(verdict).toMatchObject({ ok: false, check: 'chain', retryable: true });
  });
});
