import { encodeAbiParameters, keccak256, type Address, type Hex } from 'viem';
import { toSolidityProof, type BatchProof } from '../../core/zk/proof.js';

/**
 * The Merkle leaf of one anchored device batch. It commits to everything a challenger needs to
 * show on-chain that the batch was bad (the device signature and the proof, both checkable by
 * BatchInbox), in OpenZeppelin's "standard" double-hashed form, so a leaf can never be confused
 * with an inner node:
 *
 *   leaf = keccak256(bytes.concat(keccak256(abi.encode(
 *            address device, uint64 epoch, uint256[4] publicSignals, bytes signature,
 *            uint256[2] pA, uint256[2][2] pB, uint256[2] pC))))
 *
 * (pA, pB, pC) are the verifier contract's argument order (toSolidityProof). The leaf is also the
 * batch's id in the relay's API.
 */
export type LeafInput = { device: Address; epoch: number; signature: Hex; batch: BatchProof };

export const LEAF_ABI = [
  { type: 'address' },
  { type: 'uint64' },
  { type: 'uint256[4]' },
  { type: 'bytes' },
  { type: 'uint256[2]' },
  { type: 'uint256[2][2]' },
  { type: 'uint256[2]' },
] as const;

export function batchLeaf({ device, epoch, signature, batch }: LeafInput): Hex {
  const solidity = toSolidityProof(batch);
  const encoded = encodeAbiParameters(LEAF_ABI, [
    device,
    BigInt(epoch),
    solidity.pubSignals,
    signature,
    solidity.pA,
    solidity.pB,
    solidity.pC,
  ]);
  return keccak256(keccak256(encoded));
}
