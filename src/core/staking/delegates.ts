import { getAddress, type Address, type Chain, type PublicClient, type Transport } from 'viem';
import { delegateRegistryAbi } from '../abis/index.js';
import { toIoAddress } from '../address.js';
import { OutpostError } from '../errors.js';

/**
 * The delegates a bucket can vote for, with names. A bucket's `delegate` is the candidate's owner
 * address (../shared/spec/iotex-interfaces.md).
 * - Devnet: our DelegateRegistry (`delegates()`), seeded with three by the deploy script.
 * - IoTeX: the chain's staking candidates. IoTeX's API nodes answer them to a plain `eth_call` on
 *   the native staking protocol's address 0x04C2…3F12 with the method
 *   `candidates(uint32 offset, uint32 limit)` (iotex-core action/protocol/staking/ethabi/v1/
 *   stake_candidates.go; the node turns it into its native `ReadStakingData CANDIDATES` read).
 *   IoTeX's RPCs cannot be reached from this machine, so this path is tested against a recorded
 *   shape (tests/unit/core/staking/delegates.test.ts builds the answer with the ABI below), not
 *   against a live node.
 */

export type Delegate = {
  /** The address buckets name as their delegate (the candidate's owner). */
  address: Address;
  name: string;
  /** IoTeX only: the candidate's operator and total weighted votes. */
  operator?: Address;
  totalWeightedVotes?: bigint;
};

/** IoTeX's native staking protocol, reachable by eth_call on both networks. */
export const IOTEX_STAKING_PROTOCOL: Address = '0x04C22AfaE6a03438b8FED74cb1Cf441168DF3F12';

/** The read-only staking method IoTeX's nodes serve over eth_call (iotex-core ethabi v1 `candidates`). */
const iotexCandidatesAbi = [
  {
    type: 'function',
    name: 'candidates',
    stateMutability: 'view',
    inputs: [
      { name: 'offset', type: 'uint32' },
      { name: 'limit', type: 'uint32' },
    ],
    outputs: [
      {
        name: '',
        type: 'tuple[]',
        components: [
          { name: 'ownerAddress', type: 'address' },
          { name: 'operatorAddress', type: 'address' },
          { name: 'rewardAddress', type: 'address' },
          { name: 'name', type: 'string' },
          { name: 'totalWeightedVotes', type: 'uint256' },
          { name: 'selfStakeBucketIdx', type: 'uint64' },
          { name: 'selfStakingTokens', type: 'uint256' },
        ],
      },
    ],
  },
] as const;

type AnyClient = PublicClient<Transport, Chain | undefined>;

function delegatesFailed(where: string, error: unknown): OutpostError {
  return new OutpostError('staking.delegates_failed', `Outpost could not read the delegate list from ${where}.`, {
    hint: 'Check the connection and try again. You can still paste a delegate address.',
    cause: error,
  });
}

/** Devnet: every delegate in our DelegateRegistry. */
async function readRegistryDelegates(client: AnyClient, registry: Address): Promise<Delegate[]> {
  try {
    const listed = await client.readContract({ address: registry, abi: delegateRegistryAbi, functionName: 'delegates' });
    return listed.map(({ owner, name }) => ({ address: getAddress(owner), name }));
  } catch (error) {
    throw delegatesFailed('the delegate registry', error);
  }
}

/** IoTeX: every staking candidate, page by page until a short page. */
export async function readIotexCandidates(client: AnyClient, { pageSize = 100, maxPages = 50 }: { pageSize?: number; maxPages?: number } = {}): Promise<Delegate[]> {
  const found: Delegate[] = [];
  try {
    for (let page = 0; page < maxPages; page++) {
      const batch = await client.readContract({
        address: IOTEX_STAKING_PROTOCOL,
        abi: iotexCandidatesAbi,
        functionName: 'candidates',
        args: [page * pageSize, pageSize],
      });
      for (const candidate of batch) {
        found.push({
          address: getAddress(candidate.ownerAddress),
          name: candidate.name,
          operator: getAddress(candidate.operatorAddress),
          totalWeightedVotes: candidate.totalWeightedVotes,
        });
      }
      if (batch.length < pageSize) break;
    }
  } catch (error) {
    throw delegatesFailed('the IoTeX staking candidates', error);
  }
  // Most-voted first, as IoTeX Hub lists them.
  return found.sort((a, b) => ((b.totalWeightedVotes ?? 0n) > (a.totalWeightedVotes ?? 0n) ? 1 : (b.totalWeightedVotes ?? 0n) < (a.totalWeightedVotes ?? 0n) ? -1 : 0));
}

/** The list for a network: the registry where one is deployed (devnet), else IoTeX's candidates. */
export function readDelegates(client: AnyClient, { delegateRegistry }: { delegateRegistry?: Address | undefined }): Promise<Delegate[]> {
  return delegateRegistry ? readRegistryDelegates(client, delegateRegistry) : readIotexCandidates(client);
}

/** A delegate's name by address, or null when it is not in the list (show the address then). */
export function delegateName(delegates: readonly Delegate[], address: Address): string | null {
  const wanted = address.toLowerCase();
  return delegates.find((delegate) => delegate.address.toLowerCase() === wanted)?.name ?? null;
}

/**
 * Delegates matching what a person typed: a name (any part, case-blind) or an address in either
 * form (0x… or io1…, any prefix of it). Best matches first: exact name, then names starting with
 * the query, then names containing it, then address matches; the list's own order within each.
 */
export function searchDelegates(delegates: readonly Delegate[], query: string): Delegate[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...delegates];
  const rank = (delegate: Delegate): number => {
    const name = delegate.name.toLowerCase();
    if (name === q) return 0;
    if (name.startsWith(q)) return 1;
    if (name.includes(q)) return 2;
    if (q.length >= 3 && (delegate.address.toLowerCase().startsWith(q) || toIoAddress(delegate.address).startsWith(q))) return 3;
    return -1;
  };
  return delegates
    .map((delegate, index) => ({ delegate, index, rank: rank(delegate) }))
    .filter((entry) => entry.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.delegate);
}
