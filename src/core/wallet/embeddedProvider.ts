import {
  createPublicClient,
  http,
  numberToHex,
  type Address,
  type EIP1193Provider,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionSerializable,
} from 'viem';
import { toViemChain, type Network } from '../networks.js';

/**
 * The embedded wallet as an EIP-1193 provider, so wagmi (and every feature through it) talks to it
 * exactly as to MetaMask. Signing happens here, in memory, with the unlocked account; reads go to
 * the network's RPC. Confirmation is the app's job before it calls a signing method, as an
 * extension wallet's popup is for an injected one.
 */
export type EmbeddedProviderOptions = {
  getAccount: () => LocalAccount | null;
  network: Network;
  rpcUrl: string;
};

type RpcError = Error & { code: number };

function rpcError(code: number, message: string): RpcError {
  return Object.assign(new Error(message), { code });
}

export function createEmbeddedProvider({ getAccount, network, rpcUrl }: EmbeddedProviderOptions): EIP1193Provider {
  const client: PublicClient = createPublicClient({ chain: toViemChain(network, rpcUrl), transport: http(rpcUrl, { timeout: 10_000, retryCount: 1 }) });
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

  const requireAccount = (): LocalAccount => {
    const account = getAccount();
    if (!account) throw rpcError(4100, 'The Outpost wallet is locked');
    return account;
  };

  const request = async ({ method, params }: { method: string; params?: unknown }): Promise<unknown> => {
    const args = (Array.isArray(params) ? params : []) as unknown[];
    switch (method) {
      case 'eth_accounts': {
        const account = getAccount();
        return account ? [account.address] : [];
      }
      case 'eth_requestAccounts':
        return [requireAccount().address];
      case 'eth_chainId':
        return numberToHex(network.chainId);
      case 'wallet_switchEthereumChain': {
        const wanted = Number((args[0] as { chainId: Hex }).chainId);
        if (wanted !== network.chainId) throw rpcError(4902, `The Outpost wallet is on chain ${network.chainId}; change the network in Settings`);
        return null;
      }
      case 'eth_sendTransaction': {
        const account = requireAccount();
        const tx = args[0] as { from?: Address; to?: Address; value?: Hex; data?: Hex; gas?: Hex; nonce?: Hex; maxFeePerGas?: Hex; maxPriorityFeePerGas?: Hex; gasPrice?: Hex };
        if (tx.from && tx.from.toLowerCase() !== account.address.toLowerCase()) throw rpcError(4100, `Account ${tx.from} is not the unlocked account`);
        const prepared = await client.prepareTransactionRequest({
          account,
          chain: client.chain,
          to: tx.to ?? null,
          ...(tx.value ? { value: BigInt(tx.value) } : {}),
          ...(tx.data ? { data: tx.data } : {}),
          ...(tx.gas ? { gas: BigInt(tx.gas) } : {}),
          ...(tx.nonce ? { nonce: Number(tx.nonce) } : {}),
          ...(tx.maxFeePerGas ? { maxFeePerGas: BigInt(tx.maxFeePerGas) } : {}),
          ...(tx.maxPriorityFeePerGas ? { maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas) } : {}),
        });
        const signed = await account.signTransaction(prepared as TransactionSerializable);
        return client.sendRawTransaction({ serializedTransaction: signed });
      }
      case 'personal_sign': {
        const account = requireAccount();
        const [message] = args as [Hex];
        return account.signMessage({ message: { raw: message } });
      }
      case 'eth_signTypedData_v4': {
        const account = requireAccount();
        const [, json] = args as [Address, string];
        const typed = JSON.parse(json) as Parameters<LocalAccount['signTypedData']>[0];
        const { EIP712Domain: _domain, ...types } = typed.types as Record<string, unknown>;
        return account.signTypedData({ ...typed, types } as Parameters<LocalAccount['signTypedData']>[0]);
      }
      case 'eth_sign':
      case 'eth_signTransaction':
        throw rpcError(4200, `${method} is not offered by the Outpost wallet`);
      default:
        return client.request({ method, params } as never);
    }
  };

  return {
    request,
    on(event: string, listener: (...args: unknown[]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
    },
    removeListener(event: string, listener: (...args: unknown[]) => void) {
      listeners.get(event)?.delete(listener);
    },
  } as unknown as EIP1193Provider;
}
