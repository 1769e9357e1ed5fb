import { concat, encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { OutpostError } from '../errors.js';

/**
 * Merkle trees the contracts check with OpenZeppelin's MerkleProof: sorted-pair keccak256 hashing,
 * leaves double-hashed (keccak256 of keccak256 of the ABI encoding) so that no inner node can pass
 * for a leaf. Used by the relay to build the roots it anchors (BatchInbox) and posts (DataRewards),
 * and by anyone building a challenge or a claim. Layout documented in docs/contracts.md.
 */

/** One device batch as the relay received it: exactly what an anchored leaf commits to. */
export type DeviceBatchLeaf = {
  device: Address;
  pubSignals: readonly [bigint, bigint, bigint, bigint];
  /** The device's raw 65-byte secp256k1 signature over batchSigningDigest(commitment). */
  signature: Hex;
  pA: readonly [bigint, bigint];
  pB: readonly [readonly [bigint, bigint], readonly [bigint, bigint]];
  pC: readonly [bigint, bigint];
};

/** BatchInbox.DeviceBatch as an ABI tuple (field names and order match the Solidity struct). */
const DEVICE_BATCH_TUPLE = {
  type: 'tuple',
  components: [
    { name: 'device', type: 'address' },
    { name: 'pubSignals', type: 'uint256[4]' },
    { name: 'signature', type: 'bytes' },
    { name: 'pA', type: 'uint256[2]' },
    { name: 'pB', type: 'uint256[2][2]' },
    { name: 'pC', type: 'uint256[2]' },
  ],
} as const;

/** keccak256(bytes.concat(keccak256(abi.encode(DeviceBatch)))): BatchInbox.leafHash. */
export function batchLeaf(leaf: DeviceBatchLeaf): Hex {
  return keccak256(keccak256(encodeAbiParameters([DEVICE_BATCH_TUPLE], [leaf])));
}

/** keccak256(bytes.concat(keccak256(abi.encode(epoch, device, amount)))): DataRewards.rewardLeaf. */
export function rewardLeaf(epoch: bigint, device: Address, amount: bigint): Hex {
  return keccak256(keccak256(encodeAbiParameters([{ type: 'uint256' }, { type: 'address' }, { type: 'uint256' }], [epoch, device, amount])));
}

export class MerkleTreeError extends OutpostError {
  override name = 'MerkleTreeError';
}

function hashPair(a: Hex, b: Hex): Hex {
  return BigInt(a) < BigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

export type MerkleTree = {
  root: Hex;
  leaves: readonly Hex[];
  /** The sibling hashes proving leaf `index` (bytes32[] for MerkleProof.verify). */
  proof: (index: number) => Hex[];
};

/**
 * Builds the tree bottom-up over leaves in the given order: adjacent pairs are hashed (sorted), and
 * an unpaired last node moves up a level unchanged. A single leaf is its own root.
 */
export function buildMerkleTree(leaves: readonly Hex[]): MerkleTree {
  if (leaves.length === 0) {
    throw new MerkleTreeError('batch.merkle_empty', 'A Merkle tree needs at least one leaf.', { hint: 'Anchor or post only non-empty batches.' });
  }
  const layers: Hex[][] = [[...leaves]];
  while (layers[layers.length - 1]!.length > 1) {
    const below = layers[layers.length - 1]!;
    const above: Hex[] = [];
    for (let i = 0; i < below.length; i += 2) above.push(i + 1 < below.length ? hashPair(below[i]!, below[i + 1]!) : below[i]!);
    layers.push(above);
  }
  return {
    root: layers[layers.length - 1]![0]!,
    leaves,
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
        throw new MerkleTreeError('batch.merkle_index', `Leaf ${index} is not in this tree of ${leaves.length} leaves.`, { hint: 'Pass the position of the leaf in the list the tree was built from.' });
      }
      const proof: Hex[] = [];
      let position = index;
      for (let level = 0; level < layers.length - 1; level++) {
        const layer = layers[level]!;
        const sibling = position ^ 1;
        if (sibling < layer.length) proof.push(layer[sibling]!);
        position >>= 1;
      }
      return proof;
    },
  };
}

/** Checks a proof the way MerkleProof.verify does (for tools and tests of callers). */
export function verifyMerkleProof(proof: readonly Hex[], root: Hex, leaf: Hex): boolean {
  return proof.reduce<Hex>((node, sibling) => hashPair(node, sibling), leaf) === root;
}
