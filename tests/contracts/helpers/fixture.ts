/**
 * Deploys the whole Outpost contract set with the same plan as the devnet (scripts/deploy/devnet.ts),
 * plus a TEST-ONLY Groth16 verifier whose answer tests set. Tests revert to a snapshot between cases.
 */
import type { Address } from 'viem';
import { deployOutpost, REAL_VERIFIER_ARTIFACT, type DevnetDeployment } from '../../../scripts/deploy/devnet.js';
import { startChain, type TestChain } from './chain.js';

const TEST_VERIFIER = 'contracts/test/TestGroth16Verifier.sol:TestGroth16Verifier';

export type Fixture = {
  chain: TestChain;
  c: Required<Pick<NonNullable<DevnetDeployment['contracts']>, 'ioIDRegistry' | 'ioID' | 'ioIDStore' | 'projectRegistry' | 'project' | 'erc6551Registry' | 'systemStaking' | 'delegateRegistry' | 'bucketStrategy' | 'strategyManager' | 'bucketRewardPool' | 'batchInbox' | 'dataRewards'>>;
  deviceNFT: Address;
  verifier: Address;
  projectId: bigint;
  moduleId: bigint;
  operator: Address;
  accountImplementation: Address;
  delegates: Address[];
  deployer: Address;
};

/** `verifier: 'real'` uses the snarkjs-generated Groth16Verifier (contracts/zk) instead of the test one. */
export async function deployFixture(options: { verifier?: 'test' | 'real' } = {}): Promise<Fixture> {
  const chain = await startChain();
  const deployer = chain.accounts[0]!;
  const verifier = await chain.deploy(options.verifier === 'real' ? REAL_VERIFIER_ARTIFACT : TEST_VERIFIER);
  const { contracts, extra } = await deployOutpost(
    {
      deploy: (artifact, args, value) => chain.deploy(artifact, args, value ? { value } : {}),
      send: async (address, abi, functionName, args, value, account) =>
        (await chain.write(address, abi, functionName, args, { ...(value ? { value } : {}), ...(account ? { from: account.address } : {}) })).transactionHash,
      read: (address, abi, functionName, args) => chain.read(address, abi, functionName, args),
      rpc: (method, params) => chain.provider.request({ method, params } as never) as Promise<unknown>,
      deployer,
    },
    { verifier },
  );
  return {
    chain,
    c: contracts as Fixture['c'],
    deviceNFT: extra.deviceNFT as Address,
    verifier,
    projectId: BigInt(extra.demoProjectId as number),
    moduleId: BigInt(extra.moduleId as number),
    operator: extra.operator as Address,
    accountImplementation: extra.erc6551AccountImplementation as Address,
    delegates: (extra.delegates as { address: Address }[]).map((d) => d.address),
    deployer,
  };
}
