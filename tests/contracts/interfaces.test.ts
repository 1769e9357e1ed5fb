/**
 * Our ABIs carry every function and event of IoTeX's interfaces (../shared/spec/iotex-interfaces.md),
 * signature for signature, so the app and relay call IoTeX's deployments with the same code.
 */
import { describe, expect, it } from 'vitest';
import { toEventSignature, toFunctionSignature, type Abi } from 'viem';
import {
  bucketRewardPoolAbi,
  bucketStrategyAbi,
  groth16VerifierAbi,
  ioIDAbi,
  ioIDRegistryAbi,
  ioIDStoreAbi,
  projectAbi,
  projectRegistryAbi,
  strategyManagerAbi,
  systemStakingAbi,
} from '../../src/core/abis/index.js';

function signatures(abi: Abi): { functions: Set<string>; events: Set<string> } {
  const functions = new Set<string>();
  const events = new Set<string>();
  for (const item of abi) {
    if (item.type === 'function') functions.add(toFunctionSignature(item));
    if (item.type === 'event') events.add(toEventSignature(item));
  }
  return { functions, events };
}

const SPEC: { name: string; abi: Abi; functions: string[]; events?: string[] }[] = [
  {
    name: 'ioIDRegistry',
    abi: ioIDRegistryAbi,
    functions: [
      'register(address,uint256,address,bytes32,string,uint8,bytes32,bytes32)',
      'register(address,uint256,address,address,bytes32,string,uint8,bytes32,bytes32)',
      'update(address,bytes32,string,uint8,bytes32,bytes32)',
      'remove(address,uint8,bytes32,bytes32)',
      'migrate(address,address,uint8,bytes32,bytes32)',
      'nonces(address)', 'DOMAIN_SEPARATOR()', 'exists(address)', 'documentID(address)', 'documentHash(address)',
      'documentURI(address)', 'deviceTokenId(address)', 'registeredNFT(address,uint256)',
    ],
    events: ['NewDevice(address,address,bytes32,string)', 'UpdateDevice(address,address,bytes32,string)', 'RemoveDevice(address,address)'],
  },
  {
    name: 'ioID',
    abi: ioIDAbi,
    functions: ['wallet(uint256)', 'wallet(string)', 'did(address)', 'deviceProject(address)', 'projectDeviceCount(uint256)', 'tokenOfOwnerByIndex(address,uint256)', 'totalSupply()', 'tokenByIndex(uint256)'],
    events: ['CreateIoID(address,uint256,address,string)'],
  },
  {
    name: 'ioIDStore',
    abi: ioIDStoreAbi,
    functions: ['price()', 'applyIoIDs(uint256,uint256)', 'setDeviceContract(uint256,address)', 'deviceContractProject(address)', 'projectDeviceContract(uint256)', 'projectAppliedAmount(uint256)', 'projectActivedAmount(uint256)'],
  },
  { name: 'ProjectRegistry', abi: projectRegistryAbi, functions: ['register(string,uint8)'] },
  { name: 'Project', abi: projectAbi, functions: ['name(uint256)', 'projectType(uint256)', 'metadata(uint256,string)', 'setMetadata(uint256,string,bytes)'] },
  {
    name: 'SystemStaking V3',
    abi: systemStakingAbi,
    functions: [
      'stake(uint256,address)', 'stake(uint256,uint256,address[])', 'stake(uint256,uint256,address,uint256)',
      'unlock(uint256)', 'unlock(uint256[])', 'lock(uint256,uint256)', 'lock(uint256[],uint256)',
      'unstake(uint256)', 'unstake(uint256[])', 'withdraw(uint256,address)', 'withdraw(uint256[],address)',
      'merge(uint256[],uint256)', 'expandBucket(uint256,uint256)', 'changeDelegate(uint256,address)', 'changeDelegates(uint256[],address)',
      'bucketOf(uint256)', 'timeToUnstake(uint256)', 'timeToWithdraw(uint256)', 'UNSTAKE_FREEZE_TIME()',
    ],
    events: [
      'Staked(uint256,address,uint256,uint256)', 'Locked(uint256,uint256)', 'Unlocked(uint256)', 'Unstaked(uint256)',
      'Merged(uint256[],uint256,uint256)', 'BucketExpanded(uint256,uint256,uint256)', 'DelegateChanged(uint256,address)', 'Withdrawal(uint256,address)',
    ],
  },
  {
    name: 'BucketStrategy (MSP)',
    abi: bucketStrategyAbi,
    functions: ['stake(uint256)', 'poke(uint256)', 'unstake(uint256[])', 'withdraw(uint256[],address)', 'calculateBucketRestakeAmount(uint256,uint256)'],
  },
  {
    name: 'StrategyManager (MSP)',
    abi: strategyManagerAbi,
    functions: ['shares(address)', 'totalShares()', 'distributeRewards(address,uint256)'],
  },
  {
    name: 'BucketRewardPool (MSP)',
    abi: bucketRewardPoolAbi,
    functions: ['claim(uint256,address,uint256,uint256,bytes32[])'],
  },
  { name: 'IGroth16Verifier (snarkjs)', abi: groth16VerifierAbi, functions: ['verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[4])'] },
];

describe('interface conformance with IoTeX', () => {
  for (const spec of SPEC) {
    it(`${spec.name} has every specified function and event`, () => {
      const { functions, events } = signatures(spec.abi);
      const have = new Set([...functions].map(stripNames));
      const missingFunctions = spec.functions.filter((fn) => !have.has(fn));
      expect(missingFunctions).toEqual([]);
      const haveEvents = new Set([...events].map(stripNames));
      const missingEvents = (spec.events ?? []).filter((ev) => !haveEvents.has(ev));
      expect(missingEvents).toEqual([]);
    });
  }
});

/** "f(address owner, uint256 nonce)" → "f(address,uint256)"; drops "indexed" too. */
function stripNames(signature: string): string {
  const open = signature.indexOf('(');
  const params = signature.slice(open + 1, -1);
  if (params.trim() === '') return signature.slice(0, open) + '()';
  const types = splitTop(params).map((param) => param.trim().split(/\s+/)[0]!);
  return `${signature.slice(0, open)}(${types.join(',')})`;
}

function splitTop(params: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of params) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out;
}
