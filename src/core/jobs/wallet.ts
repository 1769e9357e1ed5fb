import type { Account, Chain, Client, Transport } from 'viem';
import { getCallsStatus, getCapabilities, sendCalls, sendTransaction } from 'viem/actions';
import type { BatchStatus, JobCall, JobWallet } from './types.js';

/**
 * A JobWallet over a viem wallet client (wagmi's `getConnectorClient` gives one for whichever
 * wallet is connected), with viem's own EIP-5792 actions. Batches are used only when the wallet
 * says, for the job's chain, that it runs calls atomically (`atomic: supported | ready`, or the
 * older `atomicBatch.supported`). A wallet without `wallet_getCapabilities` (the embedded wallet
 * forwards it to the RPC, which does not know it; Hardhat; most injected wallets today) goes one
 * transaction per step.
 */
export function jobWalletFromClient(client: Client<Transport, Chain | undefined, Account>): JobWallet {
  return {
    address: client.account.address,
    sendTransaction: (call) => sendTransaction(client, { account: client.account, chain: client.chain ?? null, ...txFields(call) } as never),
    async supportsAtomicBatch(chainId) {
      const capabilities = (await getCapabilities(client, { account: client.account, chainId })) as Record<string, unknown> | undefined;
      return atomicFrom(capabilities);
    },
    async sendCalls(calls, chainId) {
      const { id } = await sendCalls(client, {
        account: client.account,
        chain: client.chain ?? ({ id: chainId } as Chain),
        calls: calls.map(txFields),
        forceAtomic: true,
      } as never);
      return id;
    },
    async getCallsStatus(id) {
      const answer = await getCallsStatus(client, { id });
      const status: BatchStatus['status'] = answer.status === undefined ? 'pending' : answer.status;
      return {
        status,
        receipts: (answer.receipts ?? []).map((receipt) => ({ transactionHash: receipt.transactionHash, blockNumber: receipt.blockNumber, status: receipt.status })),
      };
    },
  };
}

/** Whether one chain's capabilities say the wallet executes a batch atomically. */
export function atomicFrom(capabilities: Record<string, unknown> | undefined): boolean {
  const atomic = capabilities?.atomic as { status?: unknown } | undefined;
  if (atomic?.status === 'supported' || atomic?.status === 'ready') return true;
  const legacy = capabilities?.atomicBatch as { supported?: unknown } | undefined;
  return legacy?.supported === true;
}

function txFields(call: JobCall) {
  return { to: call.to, ...(call.data ? { data: call.data } : {}), ...(call.value === undefined ? {} : { value: call.value }), ...(call.gas === undefined ? {} : { gas: call.gas }) };
}
