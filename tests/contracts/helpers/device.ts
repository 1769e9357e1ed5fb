/** A simulated device holding its own secp256k1 key, signing what real devices sign. */
import { parseSignature, type Address, type Hex } from 'viem';
import { privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { seededHex } from '../../support/seed.js';

export type SimDevice = { key: Hex; account: PrivateKeyAccount; address: Address };

let made = 0;

/** A new device; its key follows from the test seed and how many devices this file made before. */
export function newDevice(): SimDevice {
  const key = seededHex(`contract test device #${made++}`);
  const account = privateKeyToAccount(key);
  return { key, account, address: account.address };
}

/** The device's EIP-712 Permit(owner, nonce) for the ioIDRegistry, split into v, r, s. */
export async function signPermit(
  device: SimDevice,
  registry: Address,
  owner: Address,
  nonce: bigint,
  chainId = 31337,
): Promise<{ v: number; r: Hex; s: Hex }> {
  const signature = await device.account.signTypedData({
    domain: { name: 'ioIDRegistry', version: '1', chainId, verifyingContract: registry },
    types: { Permit: [{ name: 'owner', type: 'address' }, { name: 'nonce', type: 'uint256' }] },
    primaryType: 'Permit',
    message: { owner, nonce },
  });
  const { v, r, s } = parseSignature(signature);
  return { v: Number(v), r, s };
}
