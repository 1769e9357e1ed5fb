import type { Address } from 'viem';
import type { ReminderScope } from '../../browser/reminders/reminders.js';
import { createIndexedDbDeviceStore } from '../../browser/devices/store.js';
import { createIndexedDbScanCache } from '../../browser/staking/scanCache.js';
import { deviceFacts, withdrawableTimes, type ReminderFacts } from '../../core/reminders/reminders.js';
import { createNetworkClient } from '../../core/rpc.js';
import { listAccountBuckets } from '../../core/staking/bucketIndex.js';
import { networkState } from './network.svelte.js';

/**
 * Everything reminders need to know about an account on the network on screen, gathered in one
 * place: My devices' last syncs (IndexedDB) and when each bucket can be withdrawn (the staking
 * reads: the paged log scan with its cache, and the restaking strategy's freeze). The claimable
 * amount comes from the Rewards screen (reportClaimable) and is kept by saveReminderFacts.
 * A failed chain read (offline, RPC down) keeps the withdraw times gathered before.
 */
export async function gatherReminderFacts(account: Address, readPrevious: (scope: ReminderScope) => Promise<ReminderFacts | null>): Promise<ReminderFacts> {
  const { network, rpcUrl, addressBook, features } = networkState.context;
  const chainId = network.chainId;
  const at = Math.floor(Date.now() / 1000);
  const devices = deviceFacts(await createIndexedDbDeviceStore().list({ chainId, account }));
  const facts: ReminderFacts = { account, chainId, at, claimableWei: null, withdrawableAt: [], devices };
  if (!features.staking.available || !addressBook.systemStaking) return facts;
  try {
    const result = await listAccountBuckets(createNetworkClient(network, rpcUrl, 15_000), {
      contract: addressBook.systemStaking,
      account,
      cache: createIndexedDbScanCache(),
      ...(addressBook.bucketStrategy ? { strategy: addressBook.bucketStrategy } : {}),
    });
    return { ...facts, chainAt: Number(result.timestamp), withdrawableAt: withdrawableTimes(result.buckets, result.restaked) };
  } catch {
    const previous = await readPrevious({ account, chainId }).catch(() => null);
    if (!previous) return facts;
    // The old withdraw times with their own clock difference, so they still compare in chain time.
    const chainAt = previous.chainAt === undefined ? undefined : previous.chainAt + (at - previous.at);
    return { ...facts, withdrawableAt: previous.withdrawableAt, ...(chainAt === undefined ? {} : { chainAt }) };
  }
}
