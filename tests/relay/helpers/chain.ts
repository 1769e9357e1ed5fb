import { createPublicClient, createWalletClient, http, toHex, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { deviceNFTAbi, ioIDRegistryDevnetAbi } from '../../../src/core/abis/index.js';
import type { DevnetConfig } from '../../../src/core/devnetConfig.js';
import { NETWORKS, toViemChain } from '../../../src/core/networks.js';
import { devAccount } from '../../../scripts/deploy/deployer.js';
import { startDevnet } from '../../../scripts/stack/devnet.js';
import { anyFreePort } from '../../../scripts/stack/ports.js';

export type TestChain = { rpcUrl: string; devnet: DevnetConfig; client: PublicClient; stop: () => Promise<void> };

/** A real Hardhat node on a free port with every Outpost contract deployed (the same deploy as `npm run dev`). */
export async function startTestChain(): Promise<TestChain> {
  const { rpcUrl, config: devnet, node } = await startDevnet(await anyFreePort());
  const client = createPublicClient({ chain: toViemChain(NETWORKS.devnet, rpcUrl), transport: http(rpcUrl) }) as PublicClient;
  return { rpcUrl, devnet, client, stop: () => node.stop() };
}

/** DEV ONLY: Hardhat's public account key by index. */
export function devKey(index: number): Hex {
  return toHex(devAccount(index).getHdKey().privateKey!);
}

/**
 * Gives `deviceKey` an ioID owned by dev account `ownerIndex`: mint a demo device NFT, approve the
 * registry, sign the device's EIP-712 Permit and register — what the app's pairing flow does.
 */
export async function registerDevice(chain: TestChain, deviceKey: Hex, ownerIndex: number): Promise<void> {
  const viemChain = toViemChain(NETWORKS.devnet, chain.rpcUrl);
  const owner = createWalletClient({ chain: viemChain, transport: http(chain.rpcUrl), account: devAccount(ownerIndex) });
  const deployer = createWalletClient({ chain: viemChain, transport: http(chain.rpcUrl), account: devAccount(0) });
  const registry = chain.devnet.contracts.ioIDRegistry!;
  const deviceNFT = chain.devnet.extra!.deviceNFT as Address;
  const wait = async (hash: Hex) => {
    const receipt = await chain.client.waitForTransactionReceipt({ hash });
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} reverted`);
  };
  await wait(await deployer.writeContract({ address: deviceNFT, abi: deviceNFTAbi, functionName: 'mint', args: [owner.account.address] }));
  const tokenId = (await chain.client.readContract({ address: deviceNFT, abi: deviceNFTAbi, functionName: 'count' })) as bigint;
  await wait(await owner.writeContract({ address: deviceNFT, abi: deviceNFTAbi, functionName: 'approve', args: [registry, tokenId] }));
  const device = privateKeyToAccount(deviceKey);
  const nonce = (await chain.client.readContract({ address: registry, abi: ioIDRegistryDevnetAbi, functionName: 'nonces', args: [device.address] })) as bigint;
  const signature = await device.signTypedData({
    domain: { name: 'ioIDRegistry', version: '1', chainId: 31337, verifyingContract: registry },
    types: { Permit: [{ name: 'owner', type: 'address' }, { name: 'nonce', type: 'uint256' }] },
    primaryType: 'Permit',
    message: { owner: owner.account.address, nonce },
  });
  const r = `0x${signature.slice(2, 66)}` as Hex;
  const s = `0x${signature.slice(66, 130)}` as Hex;
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const hash = toHex(1n, { size: 32 });
  await wait(await owner.writeContract({ address: registry, abi: ioIDRegistryDevnetAbi, functionName: 'register', args: [deviceNFT, tokenId, device.address, hash, 'ipfs://outpost-test', v, r, s] }));
}
