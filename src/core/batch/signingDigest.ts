import { concat, keccak256, numberToHex, stringToHex, type Hex } from 'viem';

/**
 * What a device signs to vouch for a batch of its readings: a raw secp256k1 signature (no
 * EIP-191 prefix) over keccak256("outpost:batch:v1:" ‖ commitment as 32 bytes). The commitment
 * already binds every reading and timestamp (see circuits/README.md), so the digest needs nothing
 * else; the signer's recovered address is the device. BatchInbox computes the same in Solidity:
 * keccak256(abi.encodePacked("outpost:batch:v1:", bytes32(commitment))).
 */
const BATCH_SIGNING_PREFIX = 'outpost:batch:v1:';

export function batchSigningDigest(commitment: bigint): Hex {
  return keccak256(concat([stringToHex(BATCH_SIGNING_PREFIX), numberToHex(commitment, { size: 32 })]));
}
