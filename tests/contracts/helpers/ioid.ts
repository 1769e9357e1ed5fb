/** Registers simulated devices through the real ioID flow (mint device NFT, approve, Permit, register). */
import { keccak256, toHex, type Address, type Hex, type TransactionReceipt } from 'viem';
import { deviceNFTAbi, ioIDRegistryDevnetAbi } from '../../../src/core/abis/index.js';
import { newDevice, signPermit, type SimDevice } from './device.js';
import type { Fixture } from './fixture.js';

/** `document` sets the DID document's hash and URI (default: the device address's hash, ipfs://doc). */
export async function registerNewDevice(
  f: Fixture,
  owner: Address,
  document: { hash?: Hex; uri?: string } = {},
): Promise<{ device: SimDevice; ioID: bigint; tokenId: bigint; receipt: TransactionReceipt }> {
  const device = newDevice();
  await f.chain.write(f.deviceNFT, deviceNFTAbi, 'mint', [owner]);
  const tokenId = await f.chain.read<bigint>(f.deviceNFT, deviceNFTAbi, 'count');
  await f.chain.write(f.deviceNFT, deviceNFTAbi, 'approve', [f.c.ioIDRegistry, tokenId], { from: owner });
  const { v, r, s } = await signPermit(device, f.c.ioIDRegistry, owner, 0n);
  const receipt = await f.chain.write(
    f.c.ioIDRegistry,
    ioIDRegistryDevnetAbi,
    'register',
    [f.deviceNFT, tokenId, device.address, document.hash ?? keccak256(toHex(device.address)), document.uri ?? 'ipfs://doc', v, r, s],
    { from: owner },
  );
  const ioID = await f.chain.read<bigint>(f.c.ioIDRegistry, ioIDRegistryDevnetAbi, 'deviceTokenId', [device.address]);
  return { device, ioID, tokenId, receipt };
}
