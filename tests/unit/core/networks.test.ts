import { describe, expect, it } from 'vitest';
import { requireContract, ContractNotDeployedError } from '../../../src/core/addressBook.js';
import { parseDevnetConfig, InvalidDevnetConfigError } from '../../../src/core/devnetConfig.js';
import { explorerAddressUrl, explorerTxUrl } from '../../../src/core/explorer.js';
import { resolveNetworkContext } from '../../../src/core/networkContext.js';
import { getNetwork, networkByChainId, UnknownNetworkError, toViemChain, NETWORKS } from '../../../src/core/networks.js';

const devnetFile = {
  version: 1,
  chainId: 31337,
  rpcUrl: 'http://127.0.0.1:8546',
  relayUrl: 'http://127.0.0.1:8787',
  deployedAt: '2026-11-22T00:00:00.000Z',
  contracts: {
    ioIDRegistry: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
    systemStaking: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  },
};

describe('networks', () => {
  it('knows the three networks by id and chain id', () => {
    expect(getNetwork('devnet').chainId).toBe(31337);
    expect(networkByChainId(4690).id).toBe('testnet');
    expect(networkByChainId(4689).id).toBe('mainnet');
    expect(NETWORKS.mainnet.rpcUrl).toBe('https://babel-api.mainnet.iotex.io');
  });

  it('rejects unknown networks and chain ids by name', () => {
    expect(() => getNetwork('ropsten')).toThrow(UnknownNetworkError);
    expect(() => networkByChainId(1)).toThrow(/does not know the network "1"/);
  });

  it('builds a viem chain with the RPC in use and IOTX as currency', () => {
    const chain = toViemChain(NETWORKS.testnet);
    expect(chain.id).toBe(4690);
    expect(chain.nativeCurrency.symbol).toBe('IOTX');
    expect(chain.contracts?.multicall3?.address).toBe('0xb5cecD6894c6f473Ec726A176f1512399A2e355d');
    expect(toViemChain(NETWORKS.devnet, 'http://127.0.0.1:9999').rpcUrls.default.http[0]).toBe('http://127.0.0.1:9999');
  });

  it('links to the explorer where one exists, and to nothing on devnet', () => {
    expect(explorerTxUrl(NETWORKS.mainnet, '0xabc')).toBe('https://iotexscan.io/tx/0xabc');
    expect(explorerAddressUrl(NETWORKS.testnet, '0xdef')).toBe('https://testnet.iotexscan.io/address/0xdef');
    expect(explorerTxUrl(NETWORKS.devnet, '0xabc')).toBeNull();
  });
});

describe('address book selection', () => {
  it("uses IoTeX's published ioID and staking addresses on mainnet and testnet", () => {
    const mainnet = resolveNetworkContext('mainnet', null);
    expect(mainnet.addressBook.ioIDRegistry).toBe('0x04e4655Cf258EC802D17c23ec6112Ef7d97Fa2aF');
    expect(mainnet.addressBook.systemStaking?.toLowerCase()).toBe('0x65b0c0548ee8d899578513be0cb5305afbf05292');
    expect(mainnet.features.ioid.available).toBe(true);
    const testnet = resolveNetworkContext('testnet', null);
    expect(testnet.addressBook.ioIDRegistry).toBe('0x0A7e595C7889dF3652A19aF52C18377bF17e027D');
    expect(testnet.features.restaking.available).toBe(true);
  });

  it('says plainly which features have no deployment on a network', () => {
    const mainnet = resolveNetworkContext('mainnet', null);
    const restaking = mainnet.features.restaking;
    expect(restaking.available).toBe(false);
    if (!restaking.available) expect(restaking.reason).toBe('Restaking has no deployment on IoTeX Mainnet (missing: bucketStrategy, strategyManager).');
    expect(mainnet.features.dataAnchoring.available).toBe(false);
    expect(() => requireContract(mainnet.addressBook, 'batchInbox', mainnet.network.name)).toThrow(ContractNotDeployedError);
  });

  it("uses the deploy script's addresses and RPC on devnet", () => {
    const devnet = resolveNetworkContext('devnet', parseDevnetConfig(devnetFile));
    expect(devnet.rpcUrl).toBe('http://127.0.0.1:8546');
    expect(devnet.relayUrl).toBe('http://127.0.0.1:8787');
    // Addresses are checksummed on the way in.
    expect(devnet.addressBook.ioIDRegistry).toBe('0x5FbDB2315678afecb367f032d93F642f64180aa3');
    expect(devnet.features.staking.available).toBe(true);
    expect(devnet.features.ioid.available).toBe(false);
  });

  it('treats devnet without a running stack as having no contracts, not stale ones', () => {
    const devnet = resolveNetworkContext('devnet', null);
    expect(devnet.addressBook).toEqual({});
    expect(devnet.rpcUrl).toBe('http://127.0.0.1:8545');
    expect(devnet.features.staking.available).toBe(false);
  });

  it('never lets one context change another network book', () => {
    const a = resolveNetworkContext('testnet', null);
    a.addressBook.ioIDRegistry = '0x0000000000000000000000000000000000000001';
    expect(resolveNetworkContext('testnet', null).addressBook.ioIDRegistry).toBe('0x0A7e595C7889dF3652A19aF52C18377bF17e027D');
  });
});

describe('devnet config validation', () => {
  it('rejects a config with a bad address, naming the field', () => {
    const bad = { ...devnetFile, contracts: { ioIDRegistry: '0x1234' } };
    expect(() => parseDevnetConfig(bad)).toThrow(InvalidDevnetConfigError);
    expect(() => parseDevnetConfig(bad)).toThrow(/contracts\.ioIDRegistry: must be a 0x address/);
  });

  it('rejects unknown contract names and the wrong chain', () => {
    expect(() => parseDevnetConfig({ ...devnetFile, contracts: { notAContract: devnetFile.contracts.ioIDRegistry } })).toThrow(InvalidDevnetConfigError);
    expect(() => parseDevnetConfig({ ...devnetFile, chainId: 1 })).toThrow(/chainId/);
  });
});
