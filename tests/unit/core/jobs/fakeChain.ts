/**
 * A small chain model for the runner's state machine: accounts with nonces, a transaction pool,
 * blocks, and "contracts" reduced to named actions that need flags set by earlier actions and set
 * their own. It answers the handful of viem PublicClient reads the runner makes. The real EVM
 * path (Hardhat, our contracts, viem's actions) is tests/contracts/jobs.test.ts; this one exists
 * to reach every point of the state machine quickly, including ones a real node makes hard to
 * hit on purpose (a crash between two writes, a dropped transaction).
 */
import { encodeErrorResult, hexToString, keccak256, stringToHex, toHex, type Address, type Hash, type Hex, type PublicClient } from 'viem';
import type { JobCall, JobWallet, StepSpec } from '../../../../src/core/jobs/index.js';

export const ALICE: Address = '0x00000000000000000000000000000000000a11ce';
const CONTRACT: Address = '0x00000000000000000000000000000000000c0de0';
export const CHAIN_ID = 31337;

type Action = {
  /** Flags that must be set for the action to succeed. */
  requires?: string[];
  /** The flag it sets (its effect). */
  sets: string;
  /** Flags it clears (an approval consumed by the stake that needed it). */
  clears?: string[];
  /** Reverts with this reason if its flag is already set (a claim). */
  once?: string;
  /** Passes simulation but reverts when mined. */
  revertsWhenMined?: boolean;
};

type Tx = { hash: Hash; from: Address; nonce: number; to: Address; data: Hex; value: bigint };
type Mined = { tx: Tx; block: number; status: 'success' | 'reverted' };

const reverted = (reason: string) =>
  Object.assign(new Error(`execution reverted: ${reason}`), {
    data: encodeErrorResult({ abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }], errorName: 'Error', args: [reason] }),
  });

export class FakeChain {
  automine = true;
  readonly flags = new Set<string>();
  readonly pool = new Map<Hash, Tx>();
  readonly mined = new Map<Hash, Mined>();
  /** Mined nonce per account after each block (index = block number). */
  readonly nonceHistory: Map<Address, number>[] = [new Map()];
  /** Every mined transaction, per action name, success or not. */
  readonly minedActions: string[] = [];
  private counter = 0;

  constructor(readonly actions: Record<string, Action>) {}

  get block(): number {
    return this.nonceHistory.length - 1;
  }

  latestNonce(account: Address): number {
    return this.nonceHistory.at(-1)!.get(account) ?? 0;
  }

  pendingNonce(account: Address): number {
    const inPool = [...this.pool.values()].filter((tx) => tx.from === account).map((tx) => tx.nonce + 1);
    return Math.max(this.latestNonce(account), ...inPool);
  }

  data(action: string): Hex {
    return stringToHex(action);
  }

  /** What the action would do now: null if fine, else the revert reason. */
  check(action: string): string | null {
    const spec = this.actions[action];
    if (!spec) return action === '' ? null : `unknown action ${action}`;
    if (spec.once && this.flags.has(spec.sets)) return spec.once;
    for (const flag of spec.requires ?? []) if (!this.flags.has(flag)) return `needs ${flag}`;
    return null;
  }

  send(tx: Omit<Tx, 'hash' | 'nonce'> & { nonce?: number }): Hash {
    const hash = keccak256(toHex(`tx-${++this.counter}`));
    const nonce = tx.nonce ?? this.pendingNonce(tx.from);
    // Same nonce in the pool: the new one replaces it (a speed-up or a cancel).
    for (const [other, pooled] of this.pool) if (pooled.from === tx.from && pooled.nonce === nonce) this.pool.delete(other);
    this.pool.set(hash, { ...tx, hash, nonce });
    if (this.automine) this.mine();
    return hash;
  }

  /** Mines everything in the pool, in nonce order, into one block. */
  mine(): void {
    const nonces = new Map(this.nonceHistory.at(-1)!);
    const block = this.nonceHistory.length;
    for (const tx of [...this.pool.values()].sort((a, b) => a.nonce - b.nonce)) {
      if (tx.nonce !== (nonces.get(tx.from) ?? 0)) continue;
      this.pool.delete(tx.hash);
      nonces.set(tx.from, tx.nonce + 1);
      const action = hexToString(tx.data);
      const spec = this.actions[action];
      const ok = this.check(action) === null && !spec?.revertsWhenMined;
      if (ok && spec) {
        this.flags.add(spec.sets);
        for (const flag of spec.clears ?? []) this.flags.delete(flag);
      }
      if (action) this.minedActions.push(action);
      this.mined.set(tx.hash, { tx, block, status: ok ? 'success' : 'reverted' });
    }
    this.nonceHistory.push(nonces);
  }

  /** The node forgets a pooled transaction (evicted), as if it were never sent. */
  drop(hash: Hash): void {
    this.pool.delete(hash);
  }

  timesMined(action: string): number {
    return this.minedActions.filter((name) => name === action).length;
  }

  readonly client = {
    pollingInterval: 1,
    getChainId: async () => CHAIN_ID,
    getBlockNumber: async () => BigInt(this.block),
    getTransactionCount: async ({ address, blockTag, blockNumber }: { address: Address; blockTag?: string; blockNumber?: bigint }) => {
      if (blockNumber !== undefined) return this.nonceHistory[Number(blockNumber)]?.get(address) ?? 0;
      return blockTag === 'pending' ? this.pendingNonce(address) : this.latestNonce(address);
    },
    getTransactionReceipt: async ({ hash }: { hash: Hash }) => {
      const mined = this.mined.get(hash);
      if (!mined) throw new Error('TransactionReceiptNotFoundError');
      return { transactionHash: hash, blockNumber: BigInt(mined.block), status: mined.status };
    },
    getTransaction: async ({ hash }: { hash: Hash }) => {
      const tx = this.pool.get(hash) ?? this.mined.get(hash)?.tx;
      if (!tx) throw new Error('TransactionNotFoundError');
      return tx;
    },
    getBlock: async ({ blockNumber }: { blockNumber: bigint }) => ({
      transactions: [...this.mined.values()].filter((m) => m.block === Number(blockNumber)).map((m) => m.tx),
    }),
    call: async ({ data }: { data?: Hex }) => {
      const reason = this.check(data ? hexToString(data) : '');
      if (reason) throw reverted(reason);
      return { data: '0x' };
    },
    estimateGas: async ({ data }: { data?: Hex }) => {
      const reason = this.check(data ? hexToString(data) : '');
      if (reason) throw reverted(reason);
      return 50_000n;
    },
    request: async ({ method }: { method: string }) => {
      throw Object.assign(new Error(`Method ${method} is not supported`), { code: -32601 });
    },
  } as unknown as PublicClient;

  /** A step for an action: landed when its flag is set, or when any of `alsoLandedWhen` is (its effect was used by a later step). */
  step(action: string, alsoLandedWhen: string[] = []): StepSpec {
    const spec = this.actions[action]!;
    return {
      id: action,
      label: action[0]!.toUpperCase() + action.slice(1),
      landed: async () => this.flags.has(spec.sets) || alsoLandedWhen.some((flag) => this.flags.has(flag)),
      request: (): JobCall => ({ to: CONTRACT, data: this.data(action) }),
    };
  }
}

/** An EOA wallet over the fake chain that counts what it was asked, with hooks to fail. */
export class FakeWallet implements JobWallet {
  readonly address = ALICE;
  readonly sent: string[] = [];
  /** Runs after the transaction is in the pool, before the hash is returned (a crash here loses the hash). */
  afterSend: ((hash: Hash) => void) | null = null;
  /** Runs before anything is sent (a rejection here sends nothing). */
  beforeSend: ((action: string) => void) | null = null;

  constructor(readonly chain: FakeChain) {}

  async sendTransaction(call: JobCall): Promise<Hash> {
    const action = hexToString(call.data ?? '0x');
    this.beforeSend?.(action);
    const hash = this.chain.send({ from: this.address, to: call.to, data: call.data ?? '0x', value: call.value ?? 0n });
    this.sent.push(action);
    this.afterSend?.(hash);
    return hash;
  }
}

/**
 * An EIP-5792 wallet over the fake chain: `sendCalls` runs the calls as one atomic batch in one
 * block (all or nothing), ids are its own, and `getCallsStatus` answers from the chain.
 */
export class FakeBatchWallet extends FakeWallet {
  readonly batches = new Map<string, { hashes: Hash[]; status: 'success' | 'failure' }>();
  batchCalls = 0;
  atomic = true;
  /** Runs after the batch executed, before its id is returned. */
  afterSendCalls: ((id: string) => void) | null = null;
  forgetIds = false;

  capabilityQueries = 0;

  async supportsAtomicBatch(chainId: number): Promise<boolean> {
    this.capabilityQueries++;
    return this.atomic && chainId === CHAIN_ID;
  }

  async sendCalls(calls: readonly JobCall[]): Promise<string> {
    this.batchCalls++;
    const names = calls.map((call) => hexToString(call.data ?? '0x'));
    // Atomic: checked in order on a copy of the flags; all land or none.
    const flags = new Set(this.chain.flags);
    let ok = true;
    for (const name of names) {
      const spec = this.chain.actions[name]!;
      const missing = (spec.requires ?? []).some((flag) => !flags.has(flag)) || (spec.once && flags.has(spec.sets)) || spec.revertsWhenMined;
      if (missing) ok = false;
      flags.add(spec.sets);
      for (const flag of spec.clears ?? []) flags.delete(flag);
    }
    const id = `batch-${this.batches.size + 1}`;
    const hash = keccak256(toHex(id));
    const block = this.chain.block + 1;
    this.chain.nonceHistory.push(new Map(this.chain.nonceHistory.at(-1)!));
    if (ok) {
      for (const flag of flags) this.chain.flags.add(flag);
      for (const flag of [...this.chain.flags]) if (!flags.has(flag)) this.chain.flags.delete(flag);
      this.chain.minedActions.push(...names);
    }
    this.chain.mined.set(hash, { tx: { hash, from: this.address, nonce: -1, to: CONTRACT, data: '0x', value: 0n }, block, status: ok ? 'success' : 'reverted' });
    this.batches.set(id, { hashes: [hash], status: ok ? 'success' : 'failure' });
    this.sent.push(...names.map((name) => `batch:${name}`));
    this.afterSendCalls?.(id);
    return id;
  }

  async getCallsStatus(id: string) {
    const batch = this.batches.get(id);
    if (!batch || this.forgetIds) throw Object.assign(new Error('Unknown bundle id'), { code: 5730 });
    return {
      status: batch.status,
      receipts: batch.hashes.map((hash) => ({ transactionHash: hash, blockNumber: BigInt(this.chain.mined.get(hash)!.block), status: batch.status === 'success' ? ('success' as const) : ('reverted' as const) })),
    };
  }
}
