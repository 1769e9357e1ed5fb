import { createWalletClient, custom, type Account, type Address, type EIP1193Provider } from 'viem';
import { hardhat } from 'viem/chains';
import { jobWalletFromClient, type JobCall, type JobWallet } from '../../../src/core/jobs/index.js';

/**
 * A job wallet for `account` on the test chain (viem's wallet actions, as in the app) that records
 * every call it is asked to send: one entry per wallet prompt, so a test can count prompts and check
 * that a resumed job sent nothing twice.
 */
export function countingWallet(provider: EIP1193Provider, account: Address | Account): JobWallet & { address: Address; sent: JobCall[] } {
  const base = jobWalletFromClient(createWalletClient({ chain: hardhat, transport: custom(provider), account, pollingInterval: 5 }));
  const sent: JobCall[] = [];
  return {
    address: base.address,
    sent,
    async sendTransaction(call) {
      sent.push(call);
      return base.sendTransaction(call);
    },
  };
}
