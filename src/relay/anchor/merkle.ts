import { concat, hexToBigInt, keccak256, type Hex } from 'viem';

/**
 * Merkle trees compatible with OpenZeppelin's MerkleProof (sorted pairs: parent =
 * keccak256(min(a, b) ‖ max(a, b))), so a leaf's proof checks with MerkleProof.verify on-chain.
 * Leaves are hashed by the caller (see leaf.ts); the tree keeps them in the given order and
 * promotes an odd node unchanged to the next level.
 */
export function hashPair(a: Hex, b: Hex): Hex {
  return hexToBigInt(a) <= hexToBigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a]));
}

export type MerkleTree = { root: Hex; layers: Hex[][] };

export function buildTree(leaves: readonly Hex[]): MerkleTree {
  if (leaves.length === 0) throw new Error('A Merkle tree needs at least one leaf.');
  const layers: Hex[][] = [leaves.map((leaf) => leaf.toLowerCase() as Hex)];
  while (layers[layers.length - 1]!.length > 1) {
    const level = layers[layers.length - 1]!;
    const next: Hex[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? hashPair(level[i]!, level[i + 1]!) : level[i]!);
    layers.push(next);
  }
  return { root: layers[layers.length - 1]![0]!, layers };
}

/** The sibling path of leaf `index`, bottom up, as OpenZeppelin's MerkleProof.verify takes it. */
export function proofFor(tree: MerkleTree, index: number): Hex[] {
  const proof: Hex[] = [];
  let position = index;
  for (let depth = 0; depth < tree.layers.length - 1; depth++) {
    const level = tree.layers[depth]!;
    const sibling = position % 2 === 0 ? position + 1 : position - 1;
    if (sibling < level.length) proof.push(level[sibling]!);
    position = Math.floor(position / 2);
  }
  return proof;
}

/** The same check as OpenZeppelin's MerkleProof.verify. */
export function verifyProof(root: Hex, leaf: Hex, proof: readonly Hex[]): boolean {
  let node = leaf.toLowerCase() as Hex;
  for (const sibling of proof) node = hashPair(node, sibling);
  return node === root.toLowerCase();
}
