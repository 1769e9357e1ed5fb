import type { Abi, Address, Hash, Hex, TypedDataDefinition } from 'viem';
import { createContext } from 'svelte';
import type { StepConfirmation } from '../../core/jobs/types.js';
import type { Network } from '../../core/networks.js';
import type { Simulation } from '../../core/signing/decode.js';
import type { PreparedSend } from '../../browser/wallet/chain.js';
import type { ReplacementKind } from '../../browser/wallet/replace.js';
import type { TxRecord } from '../../browser/wallet/store.js';
import { UserRejectedError } from '../../core/wallet/errors.js';
import { networkState } from './network.svelte.js';
import type { TransactionHistory } from './transactionHistory.svelte.js';
import type { WalletSession } from './walletSession.svelte.js';

/** What the confirmation screen shows: a transaction (decoded, simulated) or typed data to sign. */
export type ConfirmRequest =
  | { kind: 'transaction'; title: string; network: Network; from: Address; to: Address; value: bigint; data?: Hex; abi?: Abi; fee?: bigint; gas?: bigint }
  | { kind: 'typedData'; title: string; network: Network; from: Address; typedData: TypedDataDefinition }
  | DevicePermitRequest
  | JobStepRequest;

/**
 * A Permit the DEVICE is about to sign (the ioID journey, docs/ioid.md), shown before the device is
 * asked: the typed data field by field, its digest (what the device receives) and a sentence. The
 * wallet signs nothing here; approving lets the app ask the device over its link.
 */
export type DevicePermitRequest = {
  kind: 'devicePermit';
  title: string;
  network: Network;
  /** The account the permit names as the ioID's owner. */
  from: Address;
  device: Address;
  deviceName: string;
  text: string;
  digest: Hex;
  typedData: TypedDataDefinition;
};

/**
 * A step (or, with EIP-5792, several steps as one batch) of a transaction job: each call decoded,
 * with the runner's simulation (`gas`; null for a batch member the node could not simulate alone,
 * which the wallet simulates as part of the batch), and how many wallet prompts it takes.
 */
export type JobStepRequest = {
  kind: 'jobStep';
  title: string;
  network: Network;
  from: Address;
  calls: { step: number; total: number; label: string; to: Address; value: bigint; data?: Hex; abi?: Abi; gas: bigint | null }[];
  /** True when every call goes to the wallet as one batch (one prompt). */
  batch: boolean;
};

export type PendingConfirmation = ConfirmRequest & { approve: () => void; reject: () => void };

/** `maxFeePerGas`/`maxPriorityFeePerGas`: the caps the shown fee was priced with, so the wallet cannot pick higher ones (a Max send would no longer fit). */
export type TransactionInput = { title: string; to: Address; value?: bigint; data?: Hex; abi?: Abi; gas?: bigint; fee?: bigint; maxFeePerGas?: bigint; maxPriorityFeePerGas?: bigint; label?: string };

/**
 * The one place any feature asks the user to approve a transaction or a signature: the request
 * waits here until the confirmation screen approves or rejects it, then goes to the active wallet,
 * and a sent transaction goes into the history.
 */
export class ConfirmationQueue {
  /** The request the confirmation screen shows; a new request replaces (and rejects) the one before. */
  pending = $state<PendingConfirmation | null>(null);

  readonly #session: WalletSession;
  readonly #history: TransactionHistory;

  constructor(session: WalletSession, history: TransactionHistory) {
    this.#session = session;
    this.#history = history;
  }

  /** Shows the confirmation; resolves once the user approves, rejects with UserRejectedError. */
  confirm(request: ConfirmRequest): Promise<void> {
    this.pending?.reject();
    return new Promise((resolve, reject) => {
      this.pending = {
        ...request,
        approve: () => {
          this.pending = null;
          resolve();
        },
        reject: () => {
          this.pending = null;
          reject(new UserRejectedError(request.kind === 'typedData' || request.kind === 'devicePermit' ? 'the signature request' : 'the transaction'));
        },
      };
    });
  }

  /** For any feature: confirm (decoded + simulated), send with the active wallet, track in history. */
  async requestTransaction(input: TransactionInput): Promise<Hash> {
    const { rt, config, active } = await this.#session.connection();
    const { network } = networkState.context;
    const from = active.address;
    const value = input.value ?? 0n;
    await this.confirm({ kind: 'transaction', title: input.title, network, from, to: input.to, value, ...(input.data ? { data: input.data } : {}), ...(input.abi ? { abi: input.abi } : {}), ...(input.fee !== undefined ? { fee: input.fee } : {}), ...(input.gas !== undefined ? { gas: input.gas } : {}) });
    const hash = await rt.sendWithActiveWallet(config, network, { to: input.to, value, ...(input.data ? { data: input.data } : {}), ...(input.gas ? { gas: input.gas } : {}), ...(input.maxFeePerGas ? { maxFeePerGas: input.maxFeePerGas, maxPriorityFeePerGas: input.maxPriorityFeePerGas ?? input.maxFeePerGas } : {}) });
    await this.#history.track({ hash, from, to: input.to, value, label: input.label ?? input.title });
    return hash;
  }

  async requestTypedSignature(title: string, typedData: TypedDataDefinition): Promise<Hex> {
    const { rt, config, active } = await this.#session.connection();
    await this.confirm({ kind: 'typedData', title, network: networkState.context.network, from: active.address, typedData });
    return rt.signTypedDataWithActiveWallet(config, typedData);
  }

  /** Checks the recipient and amount ('max': the balance less the fee) and prices the transfer, before anything is confirmed. */
  async prepareSend(to: string, amount: string | 'max'): Promise<PreparedSend> {
    const { rt, active } = await this.#session.connection();
    const { network, rpcUrl } = networkState.context;
    return rt.prepareSend(rt.walletClientFor(network, rpcUrl), network, rpcUrl, { from: active.address, to, amount });
  }

  send(prepared: PreparedSend): Promise<Hash> {
    return this.requestTransaction({ title: 'Send IOTX', to: prepared.to, value: prepared.value, gas: prepared.gas, fee: prepared.fee, maxFeePerGas: prepared.maxFeePerGas, maxPriorityFeePerGas: prepared.maxPriorityFeePerGas, label: 'Send' });
  }

  /** Speed up or cancel a pending transaction: its nonce again with higher fees, through the same confirmation. */
  async requestReplacement(original: TxRecord, kind: ReplacementKind): Promise<Hash> {
    const { rt, config, active } = await this.#session.connection();
    const { network, rpcUrl } = networkState.context;
    return rt.replaceTransaction({
      config, network, rpcUrl, walletName: active.connectorName, original, kind,
      confirm: (call) => this.confirm({ kind: 'transaction', network, from: active.address, ...call }),
      onRecord: (record) => this.#history.show(record),
      onSettled: () => void this.#history.refresh(),
    });
  }

  /**
   * The job runner's `confirm` (docs/jobs.md): the job's step(s), as the runner simulated them,
   * through the same confirmation as every other transaction; a reject pauses the job.
   */
  confirmJobStep(request: StepConfirmation): Promise<void> {
    const { network } = networkState.context;
    return this.confirm({
      kind: 'jobStep',
      title: request.job.title,
      network,
      from: request.job.account,
      batch: request.batch,
      calls: request.calls.map(({ step, total, label, call, gas }) => ({
        step, total, label, to: call.to, value: call.value ?? 0n, gas,
        ...(call.data ? { data: call.data } : {}),
        ...(call.abi ? { abi: call.abi } : {}),
      })),
    });
  }

  /** The ioID journey's `showPermit`: resolves once the user lets the device sign, rejects (UserRejectedError) otherwise, which pauses the job. */
  confirmDevicePermit(request: Omit<DevicePermitRequest, 'kind' | 'network'>): Promise<void> {
    return this.confirm({ kind: 'devicePermit', network: networkState.context.network, ...request });
  }

  /** What the pending transaction would do on-chain, for the confirmation screen. */
  async simulate(request: ConfirmRequest & { kind: 'transaction' }): Promise<Simulation> {
    const rt = await this.#session.runtime();
    const { network, rpcUrl } = networkState.context;
    return rt.simulateCall(rt.walletClientFor(network, rpcUrl), request);
  }
}

export const [getConfirmationQueue, setConfirmationQueue] = createContext<ConfirmationQueue>();
