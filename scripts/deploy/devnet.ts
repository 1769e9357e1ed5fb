import { existsSync } from 'node:fs';
import { getAddress, parseEther, zeroAddress, type Abi, type Account, type Address, type Hex } from 'viem';
import type { AddressBook } from '../../src/core/addressBook.js';
import {
  bucketRewardPoolDevnetAbi,
  bucketStrategyDevnetAbi,
  dataRewardsAbi,
  delegateRegistryAbi,
  deviceNFTAbi,
  ioIDDevnetAbi,
  ioIDStoreDevnetAbi,
  projectDevnetAbi,
  projectRegistryDevnetAbi,
  strategyManagerDevnetAbi,
  systemStakingDevnetAbi,
} from '../../src/core/abis/index.js';
import { createDeployContext, devAccount } from './deployer.js';
import { installMulticall3, type RpcRequest } from './multicall3.js';

export type DevnetDeployment = { contracts: AddressBook; extra: Record<string, unknown> };

/** The three calls a deployment needs; createDeployContext provides them over HTTP, tests in-process. */
export type DeploySteps = {
  deploy: (artifact: string, args?: readonly unknown[], value?: bigint) => Promise<Address>;
  send: (address: Address, abi: Abi, functionName: string, args?: readonly unknown[], value?: bigint, account?: Account) => Promise<Hex>;
  read: (address: Address, abi: Abi, functionName: string, args?: readonly unknown[]) => Promise<unknown>;
  /** Raw JSON-RPC on the Hardhat chain, for what is not a transaction (Multicall3 by `hardhat_setCode`). */
  rpc: RpcRequest;
  deployer: Address;
};

/** StrategyManager's and BucketStrategy's reward token for native IOTX (IoTeX's IOTX_REWARD_TOKEN). */
const IOTX_REWARD_TOKEN = '0x0000000000000000000000000000000000000001';

/** Devnet economics: cheap enough to click through, shaped like IoTeX's. */
const DEVNET_PARAMS = {
  ioIDPrice: parseEther('1'),
  prepaidIoIDs: 100n,
  minStake: parseEther('1'),
  slashBps: 500n,
  rewardClaimWindow: 30n * 24n * 3600n,
  rewardPool: parseEther('1000'),
  /** IOTX the deployer distributes as restaking rewards once the module bucket is restaked, so the devnet
   *  starts with a real StrategyManager → BucketStrategy ReceiveRewards to estimate a reward rate from. */
  moduleRewards: parseEther('100'),
  /** BatchInbox epochs: the relay's default RELAY_EPOCH_SECONDS (one direct batch per device and epoch). */
  epochSeconds: 3600n,
  /** Restaked weight a module needs to anchor: the devnet's minimum bucket (1 IOTX). */
  minModuleWeight: parseEther('1'),
  /** What the module owner (the deployer) restakes behind the relay's module: 100 IOTX locked for 91 days
   *  (weight 110 IOTX), so about 90 slashes of 5% before it falls under minModuleWeight. */
  moduleStake: parseEther('100'),
  moduleStakeDuration: 91n * 24n * 3600n,
  demoProjectName: 'outpost-demo',
  moduleName: 'outpost-relay',
  delegates: [
    { index: 5, name: 'outpost-alpha' },
    { index: 6, name: 'outpost-beta' },
    { index: 7, name: 'outpost-gamma' },
  ],
} as const;

/** The real verifier once the ZK issue lands; until then a test verifier that rejects everything. */
export const REAL_VERIFIER_ARTIFACT = 'contracts/zk/Groth16Verifier.sol:Groth16Verifier';
const TEST_VERIFIER_ARTIFACT = 'contracts/test/TestGroth16Verifier.sol:TestGroth16Verifier';

const q = (path: string, name: string) => `contracts/${path}.sol:${name}`;

/**
 * Deploys every Outpost contract, wires them together and seeds the demo state: a project with a
 * device NFT contract and prepaid ioIDs, three delegates, one module (the relay) with its operator and
 * a restaked bucket of the module owner behind it (so it meets BatchInbox's minModuleWeight), and a
 * funded data-reward pool. Returns the address book and facts the app and relay need.
 */
export async function deployOutpost(steps: DeploySteps, options: { verifier?: Address } = {}): Promise<DevnetDeployment> {
  const { send, read, deployer } = steps;
  const deploy: DeploySteps['deploy'] = async (artifact, args, value) => getAddress(await steps.deploy(artifact, args, value));
  const p = DEVNET_PARAMS;
  // DEV ONLY: Hardhat's public test key #1 runs the relay's module on the devnet.
  const operator = devAccount(1).address;

  // Multicall3 first, at its canonical address: the app reads buckets through it, as on IoTeX.
  const multicall3 = await installMulticall3(steps.rpc);

  // ioID
  const erc6551Registry = await deploy(q('erc6551/ERC6551Registry', 'ERC6551Registry'));
  const accountImplementation = await deploy(q('erc6551/ERC6551Account', 'ERC6551Account'));
  const project = await deploy(q('ioid/Project', 'Project'), [deployer]);
  const projectRegistry = await deploy(q('ioid/ProjectRegistry', 'ProjectRegistry'), [project]);
  await send(project, projectDevnetAbi, 'setMinter', [projectRegistry]);
  const ioIDStore = await deploy(q('ioid/IoIDStore', 'IoIDStore'), [deployer, project, p.ioIDPrice]);
  const ioID = await deploy(q('ioid/IoID', 'IoID'), [erc6551Registry, accountImplementation]);
  const ioIDRegistry = await deploy(q('ioid/IoIDRegistry', 'IoIDRegistry'), [ioIDStore, ioID]);
  await send(ioID, ioIDDevnetAbi, 'setMinter', [ioIDRegistry]);
  await send(ioIDStore, ioIDStoreDevnetAbi, 'setIoIDRegistry', [ioIDRegistry]);

  // Demo project with its device NFT and prepaid ioIDs.
  const deviceNFT = await deploy(q('ioid/DeviceNFT', 'DeviceNFT'), ['Outpost Demo Device', 'ODEV', deployer]);
  // DEV ONLY: the relay's key may mint demo device NFTs for devices it pairs.
  const minterRole = (await read(deviceNFT, deviceNFTAbi, 'MINTER_ROLE')) as Hex;
  await send(deviceNFT, deviceNFTAbi, 'grantRole', [minterRole, operator]);
  // DEV ONLY: anyone may mint one demo device NFT to themselves, so the ioID journey can be walked
  // with a fresh embedded wallet alone (docs/ioid.md); IoTeX projects hand out their own NFTs.
  await send(deviceNFT, deviceNFTAbi, 'setOpenMint', [true]);
  await send(projectRegistry, projectRegistryDevnetAbi, 'register', [p.demoProjectName, 0]);
  const demoProjectId = (await read(project, projectDevnetAbi, 'count')) as bigint;
  await send(ioIDStore, ioIDStoreDevnetAbi, 'setDeviceContract', [demoProjectId, deviceNFT]);
  await send(ioIDStore, ioIDStoreDevnetAbi, 'applyIoIDs', [demoProjectId, p.prepaidIoIDs], p.prepaidIoIDs * p.ioIDPrice);

  // Staking and delegates.
  const systemStaking = await deploy(q('staking/SystemStaking', 'SystemStaking'), [deployer, p.minStake]);
  const delegateRegistry = await deploy(q('staking/DelegateRegistry', 'DelegateRegistry'), [deployer]);
  const delegates: { address: Address; name: string }[] = [];
  for (const { index, name } of p.delegates) {
    const address = devAccount(index).address;
    await send(delegateRegistry, delegateRegistryAbi, 'register', [address, name]);
    delegates.push({ address, name });
  }

  // Restaking with the relay's module.
  // IoTeX's MSP trio: StrategyManager (no ratio manager: shares are restaked amounts one to one),
  // BucketRewardPool (the deployer commits and approves its roots on the devnet) and BucketStrategy.
  const strategyManager = await deploy(q('restaking/StrategyManager', 'StrategyManager'), [deployer, zeroAddress]);
  const bucketRewardPool = await deploy(q('restaking/BucketRewardPool', 'BucketRewardPool'), [deployer]);
  await send(bucketRewardPool, bucketRewardPoolDevnetAbi, 'setCommitter', [deployer]);
  await send(bucketRewardPool, bucketRewardPoolDevnetAbi, 'setApprover', [deployer]);
  const bucketStrategy = await deploy(q('restaking/BucketStrategy', 'BucketStrategy'), [deployer, systemStaking, strategyManager, bucketRewardPool, p.slashBps, deployer]);
  await send(strategyManager, strategyManagerDevnetAbi, 'addStrategy', [bucketStrategy]);
  await send(systemStaking, systemStakingDevnetAbi, 'setSlasher', [bucketStrategy]);
  await send(bucketStrategy, bucketStrategyDevnetAbi, 'registerModule', [operator, p.moduleName]);
  const moduleId = (await read(bucketStrategy, bucketStrategyDevnetAbi, 'moduleCount')) as bigint;

  // Anchoring and rewards.
  let verifier = options.verifier;
  let verifierKind = 'given';
  if (!verifier) {
    if (existsSync('artifacts/contracts/zk/Groth16Verifier.sol/Groth16Verifier.json')) {
      verifier = await deploy(REAL_VERIFIER_ARTIFACT);
      verifierKind = 'groth16';
    } else {
      // Fail closed: without the real verifier, direct submissions are refused rather than trusted.
      verifier = await deploy(TEST_VERIFIER_ARTIFACT);
      await send(verifier, [{ type: 'function', name: 'setResult', inputs: [{ name: 'result_', type: 'bool' }], outputs: [], stateMutability: 'nonpayable' }], 'setResult', [false]);
      verifierKind = 'placeholder-rejects-all';
    }
  }
  const batchInbox = await deploy(q('anchoring/BatchInbox', 'BatchInbox'), [bucketStrategy, verifier, ioIDRegistry, p.epochSeconds, p.minModuleWeight]);
  await send(bucketStrategy, bucketStrategyDevnetAbi, 'setSlasher', [batchInbox]);
  // The module owner backs the relay's module with a restaked bucket: without weight >= minModuleWeight
  // the relay could not anchor, and an anchor with nothing restaked behind it could not be slashed.
  await send(systemStaking, systemStakingDevnetAbi, 'stake', [p.moduleStakeDuration, delegates[0]!.address], p.moduleStake);
  // SystemStaking was deployed above and bucket ids count from 1: this is bucket 1.
  const moduleBucket = 1n;
  await send(systemStaking, systemStakingDevnetAbi, 'approve', [bucketStrategy, moduleBucket]);
  await send(bucketStrategy, bucketStrategyDevnetAbi, 'stake', [moduleBucket, moduleId]);
  // First restaking rewards, through the manager as on IoTeX (native IOTX is reward token address(1), paid
  // as msg.value). Only after the restake: the manager refuses rewards while nothing is restaked.
  await send(strategyManager, strategyManagerDevnetAbi, 'distributeRewards', [IOTX_REWARD_TOKEN, p.moduleRewards], p.moduleRewards);
  const dataRewards = await deploy(q('anchoring/DataRewards', 'DataRewards'), [deployer, ioIDRegistry, operator, p.rewardClaimWindow]);
  await send(dataRewards, dataRewardsAbi, 'fund', [], p.rewardPool);

  const contracts: AddressBook = {
    ioIDRegistry,
    ioID,
    ioIDStore,
    projectRegistry,
    project,
    erc6551Registry,
    systemStaking,
    delegateRegistry,
    strategyManager,
    bucketStrategy,
    bucketRewardPool,
    batchInbox,
    dataRewards,
  };
  const extra: Record<string, unknown> = {
    deployer,
    multicall3,
    demoProjectId: Number(demoProjectId),
    demoProjectName: p.demoProjectName,
    deviceNFT,
    erc6551AccountImplementation: accountImplementation,
    moduleId: Number(moduleId),
    moduleName: p.moduleName,
    operator,
    operatorNote: 'DEV ONLY: Hardhat test account #1 (public key material) operates the relay module.',
    delegates,
    groth16Verifier: verifier,
    groth16VerifierKind: verifierKind,
    ioIDPriceWei: p.ioIDPrice.toString(),
    minStakeWei: p.minStake.toString(),
    epochSeconds: Number(p.epochSeconds),
    minModuleWeightWei: p.minModuleWeight.toString(),
    moduleBucket: Number(moduleBucket),
    moduleRewardsWei: p.moduleRewards.toString(),
    rewardClaimWindowSeconds: Number(p.rewardClaimWindow),
  };
  return { contracts, extra };
}

/**
 * Deploys every contract the app and relay use to a fresh devnet and seeds demo state
 * (see docs/contracts.md).
 */
export async function deployDevnet(rpcUrl: string): Promise<DevnetDeployment> {
  const ctx = createDeployContext(rpcUrl);
  return deployOutpost({
    deploy: ctx.deploy,
    send: ctx.send,
    read: (address, abi, functionName, args = []) => ctx.publicClient.readContract({ address, abi, functionName, args }),
    rpc: (method, params) => ctx.publicClient.request({ method, params } as never),
    deployer: ctx.wallet.account.address,
  });
}
