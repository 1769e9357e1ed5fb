import { getConnectorClient, type Config } from '@wagmi/core';
import { jobWalletFromClient } from '../../core/jobs/wallet.js';
import type { JobWallet } from '../../core/jobs/types.js';
import type { Network } from '../../core/networks.js';
import { ensureChain, sendWithActiveWallet } from './wagmi.js';

/**
 * The transaction-job runner's wallet for whichever wallet is active (docs/jobs.md, "In the app"):
 * EIP-5792 through viem's actions on wagmi's connector client, when the wallet reports atomic
 * batches; single transactions through `sendWithActiveWallet`, so a job's step gets the same chain
 * check, critical-flow guard (the service worker does not update mid-signing) and error naming
 * (UserRejectedError for a refusal, which pauses the job) as every other send in the app.
 */
export async function activeJobWallet(config: Config, network: Network): Promise<JobWallet> {
  // The connector client is per chain: a wallet left on another chain is asked to switch first.
  await ensureChain(config, network);
  const viemWallet = jobWalletFromClient(await getConnectorClient(config, { chainId: network.chainId as never }));
  return {
    ...viemWallet,
    sendTransaction: (call) =>
      sendWithActiveWallet(config, network, {
        to: call.to,
        ...(call.data ? { data: call.data } : {}),
        ...(call.value === undefined ? {} : { value: call.value }),
        ...(call.gas === undefined ? {} : { gas: call.gas }),
      }),
  };
}
