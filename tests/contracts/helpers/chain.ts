/**
 * Contract test harness: Hardhat's EVM in-process (EDR, the same engine `hardhat node` runs),
 * reached by viem through a `custom()` transport. No ports, no child process; each vitest
 * file gets its own chain. Accounts are Hardhat's unlocked dev accounts (DEV ONLY keys).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  decodeErrorResult,
  encodeDeployData,
  getAddress,
  type Abi,
  type Address,
  type EIP1193Provider,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { hardhat } from 'viem/chains';
import { devAccount } from '../../../scripts/deploy/deployer.js';

const require = createRequire(import.meta.url);

type AbiError = Extract<Abi[number], { type: 'error' }>;

/** Every custom error of every compiled contract, so reverts bubbling through calls decode by name. */
function collectErrors(dir = 'artifacts/contracts'): AbiError[] {
  const seen = new Set<string>();
  const errors: AbiError[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.json') && !entry.endsWith('.dbg.json')) {
        const { abi } = JSON.parse(readFileSync(full, 'utf8')) as { abi: Abi };
        for (const item of abi) {
          if (item.type !== 'error') continue;
          const key = `${item.name}(${item.inputs.map((input) => input.type).join(',')})`;
          if (!seen.has(key)) {
            seen.add(key);
            errors.push(item);
          }
        }
      }
    }
  };
  walk(dir);
  walk('artifacts/@openzeppelin');
  return errors;
}

type WriteOptions = { from?: Address; value?: bigint };

export type TestChain = {
  provider: EIP1193Provider;
  publicClient: PublicClient;
  /** The unlocked dev accounts (Hardhat's defaults; DEV ONLY). */
  accounts: Address[];
  /** Simulates (for decoded custom errors), sends and mines a call; returns the receipt. */
  write: (address: Address, abi: Abi, functionName: string, args?: readonly unknown[], options?: WriteOptions) => Promise<TransactionReceipt>;
  read: <T = unknown>(address: Address, abi: Abi, functionName: string, args?: readonly unknown[]) => Promise<T>;
  deploy: (artifact: string, args?: readonly unknown[], options?: WriteOptions) => Promise<Address>;
  /** The custom error name a deployment would revert with (simulated), or null if it would succeed. */
  deployRevertName: (artifact: string, args?: readonly unknown[]) => Promise<string | null>;
  balance: (address: Address) => Promise<bigint>;
  now: () => Promise<bigint>;
  /** Moves the chain's clock forward and mines a block. */
  increaseTime: (seconds: bigint | number) => Promise<void>;
  snapshot: () => Promise<Hex>;
  revert: (id: Hex) => Promise<void>;
};

let errorsCache: AbiError[] | null = null;

export async function startChain(): Promise<TestChain> {
  const hre = require('hardhat') as { network: { provider: EIP1193Provider } };
  const provider = hre.network.provider;
  // Hardhat's in-process errors carry the revert data but no JSON-RPC code; give them code 3
  // (execution reverted) as a node would, so viem decodes custom errors by name.
  const transport = custom({
    async request(args: { method: string; params?: unknown }) {
      try {
        return await provider.request(args as never);
      } catch (error) {
        const data = (error as { data?: unknown }).data;
        if (typeof data === 'string' && data.startsWith('0x')) {
          throw Object.assign(new Error((error as Error).message), { code: 3, data });
        }
        throw error;
      }
    },
  }, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport, pollingInterval: 5 }) as PublicClient;
  const accounts = Array.from({ length: 10 }, (_, i) => devAccount(i).address);
  const errors = (errorsCache ??= collectErrors());
  const withErrors = (abi: Abi): Abi => [...abi, ...errors];
  const rpc = (method: string, params: unknown[] = []) => provider.request({ method, params } as never) as Promise<unknown>;
  const wallets = new Map<Address, ReturnType<typeof createWalletClient>>();
  const wallet = (from: Address) => {
    let client = wallets.get(from);
    if (!client) {
      client = createWalletClient({ chain: hardhat, transport, account: from, pollingInterval: 5 });
      wallets.set(from, client);
    }
    return client;
  };

  const chain: TestChain = {
    provider,
    publicClient,
    accounts,
    async write(address, abi, functionName, args = [], options = {}) {
      const from = options.from ?? accounts[0]!;
      const { request } = await publicClient.simulateContract({
        address,
        abi: withErrors(abi),
        functionName,
        args,
        account: from,
        ...(options.value ? { value: options.value } : {}),
      });
      const hash = await wallet(from).writeContract({ ...request, chain: hardhat, account: from } as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== 'success') throw new Error(`${functionName} reverted on-chain (tx ${hash})`);
      return receipt;
    },
    read: (address, abi, functionName, args = []) =>
      publicClient.readContract({ address, abi: withErrors(abi), functionName, args }) as never,
    async deploy(artifact, args = [], options = {}) {
      const [source, name] = artifact.split(':') as [string, string];
      const { abi, bytecode } = JSON.parse(readFileSync(join('artifacts', source, `${name}.json`), 'utf8')) as { abi: Abi; bytecode: Hex };
      const from = options.from ?? accounts[0]!;
      const hash = await wallet(from).deployContract({ abi, bytecode, args, account: from, chain: hardhat, ...(options.value ? { value: options.value } : {}) } as never);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (!receipt.contractAddress) throw new Error(`Deploying ${artifact} failed`);
      return getAddress(receipt.contractAddress);
    },
    async deployRevertName(artifact, args = []) {
      const [source, name] = artifact.split(':') as [string, string];
      const { abi, bytecode } = JSON.parse(readFileSync(join('artifacts', source, `${name}.json`), 'utf8')) as { abi: Abi; bytecode: Hex };
      try {
        await publicClient.call({ account: accounts[0]!, data: encodeDeployData({ abi, bytecode, args }) });
        return null;
      } catch (error) {
        const data = (error as BaseError).walk((cause) => typeof (cause as { data?: unknown }).data === 'string') as { data?: Hex } | null;
        if (!data?.data) throw error;
        return decodeErrorResult({ abi: withErrors(abi), data: data.data }).errorName;
      }
    },
    balance: (address) => publicClient.getBalance({ address }),
    async now() {
      const block = await publicClient.getBlock();
      return block.timestamp;
    },
    async increaseTime(seconds) {
      // Exactly `seconds` after the latest block: evm_increaseTime adds the offset to the wall clock,
      // so on a busy machine the next block landed a second late and exact time reads were off by one.
      const latest = (await publicClient.getBlock({ blockTag: 'latest' })).timestamp;
      // (A block is always at least one second after the one before.)
      await rpc('evm_setNextBlockTimestamp', [Number(latest + (BigInt(seconds) > 0n ? BigInt(seconds) : 1n))]);
      await rpc('evm_mine');
    },
    snapshot: () => rpc('evm_snapshot') as Promise<Hex>,
    async revert(id) {
      await rpc('evm_revert', [id]);
    },
  };
  return chain;
}

/** The custom error name a rejected call carries (searching the whole cause chain), or null. */
export function revertName(error: unknown): string | null {
  if (!(error instanceof BaseError)) return null;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) return reverted.data?.errorName ?? null;
  return null;
}

/** Awaits a call that must revert with custom error `name` (and, if given, these arguments). */
export async function expectRevert(promise: Promise<unknown>, name: string, args?: readonly unknown[]): Promise<void> {
  let caught: unknown = null;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (caught === null) throw new Error(`Expected a revert with ${name}, but the call succeeded`);
  const got = revertName(caught);
  if (got !== name) throw new Error(`Expected revert ${name}, got ${got ?? String(caught).slice(0, 400)}`);
  if (args) {
    const reverted = (caught as BaseError).walk((c) => c instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError;
    const actual = reverted.data?.args ?? [];
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
    if (JSON.stringify(actual.map(norm), bigintJson) !== JSON.stringify(args.map(norm), bigintJson)) {
      throw new Error(`Revert ${name} args ${JSON.stringify(actual, bigintJson)} != expected ${JSON.stringify(args, bigintJson)}`);
    }
  }
}

function bigintJson(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
