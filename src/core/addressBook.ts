import type { Address } from 'viem';
import { OutpostError } from './errors.js';
import type { NetworkId } from './networks.js';

/**
 * The contracts the app and the relay use, by role. Our devnet deploys all of them; IoTeX's
 * networks have IoTeX's own deployments (../shared/spec/iotex-interfaces.md) for some roles and
 * nothing for others, and the app must say so rather than fail.
 */
export const CONTRACT_NAMES = [
  'ioIDRegistry',
  'ioID',
  'ioIDStore',
  'projectRegistry',
  'project',
  'erc6551Registry',
  'systemStaking',
  'delegateRegistry',
  'strategyManager',
  'bucketStrategy',
  'bucketRewardPool',
  'batchInbox',
  'dataRewards',
] as const;

export type ContractName = (typeof CONTRACT_NAMES)[number];
export type AddressBook = Partial<Record<ContractName, Address>>;

export type Feature = 'ioid' | 'staking' | 'restaking' | 'dataAnchoring' | 'dataRewards';

export const FEATURES: Readonly<Record<Feature, { label: string; needs: readonly ContractName[] }>> = {
  ioid: {
    label: 'Device identity (ioID)',
    needs: ['ioIDRegistry', 'ioID', 'ioIDStore', 'projectRegistry', 'project', 'erc6551Registry'],
  },
  staking: { label: 'Bucket staking', needs: ['systemStaking'] },
  restaking: { label: 'Restaking', needs: ['bucketStrategy', 'strategyManager'] },
  dataAnchoring: { label: 'Data batch anchoring', needs: ['batchInbox'] },
  dataRewards: { label: 'Data rewards', needs: ['dataRewards'] },
};

const ERC6551_REGISTRY: Address = '0x000000006551c19487814612e58FE06813775758';

/** IoTeX's own deployments. Devnet's book is written by the deploy script and loaded at run time. */
export const STATIC_ADDRESS_BOOKS: Readonly<Record<Exclude<NetworkId, 'devnet'>, AddressBook>> = {
  mainnet: {
    ioIDRegistry: '0x04e4655Cf258EC802D17c23ec6112Ef7d97Fa2aF',
    ioID: '0x1FCB980eD0287777ab05ADc93012332e11300e54',
    ioIDStore: '0xa822Fd390e8eD3FEC80Bd26c77DD036935463b5E',
    projectRegistry: '0x601B655c0a20FA1465C9a18e39387A33eEe7F777',
    project: '0xA596800891e6a95Bf737404411ef529c1F377b4e',
    erc6551Registry: ERC6551_REGISTRY,
    systemStaking: '0x65b0c0548ee8d899578513be0cb5305afbf05292',
  },
  testnet: {
    ioIDRegistry: '0x0A7e595C7889dF3652A19aF52C18377bF17e027D',
    ioID: '0x45Ce3E6f526e597628c73B731a3e9Af7Fc32f5b7',
    ioIDStore: '0x60cac5CE11cb2F98bF179BE5fd3D801C3D5DBfF2',
    projectRegistry: '0x060581AA1A4e0cC92FBd74d251913238De2F13cd',
    project: '0xf07336E1c77319B4e740b666eb0C2B19D11fc14F',
    erc6551Registry: ERC6551_REGISTRY,
    systemStaking: '0x0ddad4bb92d5d7aafecc9108e04b0ac9d7426322',
    strategyManager: '0xEa0e85eE83c176b166c83A0dC20abA59ef80f864',
    bucketStrategy: '0x699366f36DA4C2f69B27eC63a635FFB6Ea31D927',
    bucketRewardPool: '0x1EE8DcA520D219F0989a84A6E82ae2fa81299223',
  },
};

export type FeatureStatus =
  | { feature: Feature; available: true; contracts: Partial<Record<ContractName, Address>> }
  | { feature: Feature; available: false; missing: ContractName[]; reason: string };

export function featureStatus(book: AddressBook, feature: Feature, networkName: string): FeatureStatus {
  const { needs, label } = FEATURES[feature];
  const missing = needs.filter((name) => !book[name]);
  if (missing.length > 0) {
    return {
      feature,
      available: false,
      missing,
      reason: `${label} has no deployment on ${networkName} (missing: ${missing.join(', ')}).`,
    };
  }
  const contracts: Partial<Record<ContractName, Address>> = {};
  for (const name of needs) contracts[name] = book[name];
  return { feature, available: true, contracts };
}

export class ContractNotDeployedError extends OutpostError {
  override name = 'ContractNotDeployedError';
  constructor(contract: ContractName, networkName: string) {
    super('chain.contract_not_deployed', `${contract} has no deployment on ${networkName}.`, {
      hint: 'Switch to a network where this feature is deployed (Settings → Network).',
    });
  }
}

/** The address of one contract, or a clear error when the network lacks it. */
export function requireContract(book: AddressBook, contract: ContractName, networkName: string): Address {
  const address = book[contract];
  if (!address) throw new ContractNotDeployedError(contract, networkName);
  return address;
}
