/**
 * Batches and Merkle trees for the outbox's trust checks, built here independently of the code
 * under test: the leaf is BatchInbox.leafHash written out from the Solidity (abi.encode of the
 * DeviceBatch tuple, hashed twice, G2 coordinates of pB swapped as the verifier takes them), and
 * trees hash sorted pairs as OpenZeppelin's MerkleProof does.
 */
import { concat, encodeAbiParameters, hexToBigInt, keccak256, type Address, type Hex } from 'viem';
import type { BatchSubmission } from '../../../src/core/outbox/batch.js';
import { seededHex } from '../../support/seed.js';

const field = (label: string) => hexToBigInt(seededHex(label)) >> 8n; // below the BN254 field size

/** A submission with seeded proof points; window = one hour [start, start + 3599]. */
export function seededSubmission(label: string, { device = '0x00000000000000000000000000000000000000D1' as Address, windowStart = 1_800_000_000n - (1_800_000_000n % 3600n) } = {}): BatchSubmission {
  const windowEnd = windowStart + 3599n;
  const commitment = field(`${label}:commitment`);
  return {
    device,
    epoch: Number(windowStart / 3600n),
    commitment: commitment.toString(),
    signature: `0x${seededHex(`${label}:r`).slice(2)}${seededHex(`${label}:s`).slice(2)}1b` as Hex,
    proof: {
      pi_a: [field(`${label}:a0`).toString(), field(`${label}:a1`).toString(), '1'],
      pi_b: [
        [field(`${label}:b00`).toString(), field(`${label}:b01`).toString()],
        [field(`${label}:b10`).toString(), field(`${label}:b11`).toString()],
        ['1', '0'],
      ],
      pi_c: [field(`${label}:c0`).toString(), field(`${label}:c1`).toString(), '1'],
      protocol: 'groth16',
      curve: 'bn128',
    },
    publicSignals: [commitment.toString(), hexToBigInt(device).toString(), (windowStart + (windowEnd << 64n)).toString(), field(`${label}:statement`).toString()],
  } as BatchSubmission;
}

/** BatchInbox.leafHash, from the Solidity: keccak256(bytes.concat(keccak256(abi.encode(DeviceBatch)))). */
export function expectedLeaf(s: BatchSubmission): Hex {
  const b = s.proof.pi_b;
  const encoded = encodeAbiParameters(
    [{ type: 'tuple', components: [{ type: 'address' }, { type: 'uint256[4]' }, { type: 'bytes' }, { type: 'uint256[2]' }, { type: 'uint256[2][2]' }, { type: 'uint256[2]' }] }],
    [
      [
        s.device,
        s.publicSignals.map(BigInt) as [bigint, bigint, bigint, bigint],
        s.signature,
        [BigInt(s.proof.pi_a[0]), BigInt(s.proof.pi_a[1])],
        [
          [BigInt(b[0]![1]), BigInt(b[0]![0])],
          [BigInt(b[1]![1]), BigInt(b[1]![0])],
        ],
        [BigInt(s.proof.pi_c[0]), BigInt(s.proof.pi_c[1])],
      ],
    ],
  );
  return keccak256(keccak256(encoded));
}

const pair = (a: Hex, b: Hex): Hex => (hexToBigInt(a) < hexToBigInt(b) ? keccak256(concat([a, b])) : keccak256(concat([b, a])));

/** A three-leaf tree [x, y, z]: root = H(H(x, y), z), with the proof of each leaf spelled out. */
export function threeLeafTree(x: Hex, y: Hex, z: Hex): { root: Hex; proofs: [Hex[], Hex[], Hex[]] } {
  const xy = pair(x, y);
  return { root: pair(xy, z), proofs: [[y, z], [x, z], [xy]] };
}
