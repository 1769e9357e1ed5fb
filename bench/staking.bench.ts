import { loadavg } from 'node:os';
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, type Address, type Hash, type PublicClient } from 'viem';
import { systemStakingAbi } from '../src/core/abis/index.js';
import { NETWORKS, toViemChain } from '../src/core/networks.js';
import { listAccountBuckets, memoryBucketScanCache } from '../src/core/staking/bucketIndex.js';
import { createMemoryJobStore, jobWalletFromClient, runJob, type JobWallet } from '../src/core/jobs/index.js';
import { restakeJob, type RestakeMode } from '../src/core/staking/restakingJobs.js';
import { createDeployContext, devAccount } from '../scripts/deploy/deployer.js';
import { anyFreePort } from '../scripts/stack/ports.js';
import { startDevnet } from '../scripts/stack/devnet.js';
import { writeBenchResults } from './lib/results.js';
import { median } from './lib/stats.js';

const BUCKETS = 1_000;
const PER_TX = 100;
/** Cold and warm listings, interleaved, each figure the median of this many. */
const RUNS = 7;


type RestakePath = { label: string; mode: RestakeMode; module: boolean; note: string };
/** The three ways to restake a locked bucket, as the Restake screen offers them. */
const RESTAKE_PATHS: RestakePath[] = [
  { label: 'IoTeX’s MSP calls: approve + stake(bucketId)', mode: 'approve-and-stake', module: false, note: 'IoTeX’s surface only (on our contract here): what the app sends on IoTeX testnet' },
  { label: 'ours: approve + stake(bucketId, moduleId)', mode: 'approve-and-stake', module: true, note: 'Outpost extension (devnet): restake into a module' },
  { label: 'ours: safeTransferFrom with the module in data', mode: 'one-transaction', module: true, note: 'Outpost extension (devnet); on IoTeX’s strategy it would park the bucket, so it is refused there' },
];

/**
 * Wallet confirmations per restake: each path runs as the app runs it (restakeJob on the job runner,
 * EIP-5792 off, as with the embedded wallet), through a wallet that counts what it is asked to sign;
 * gas is read from the receipts of the hashes it sent.
 */
async function measureRestakePrompts(client: PublicClient, rpcUrl: string, contracts: { systemStaking: Address; bucketStrategy: Address }, delegate: Address, moduleId: bigint) {
  const account = devAccount(3);
  const walletClient = createWalletClient({ account, chain: toViemChain(NETWORKS.devnet, rpcUrl), transport: http(rpcUrl) });
  const ctx = createDeployContext(rpcUrl);
  const rows = [];
  // The first restake of an account writes its staker record from zero; each measured path is a later one.
  for (const path of [RESTAKE_PATHS[0]!, ...RESTAKE_PATHS]) {
    const stakeHash = await ctx.send(contracts.systemStaking, systemStakingAbi, 'stake', [30n * 86_400n, delegate], parseEther('1'), account);
    const receipt = await client.getTransactionReceipt({ hash: stakeHash });
    const bucketId = parseEventLogs({ abi: systemStakingAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
    const inner = jobWalletFromClient(walletClient);
    const sent: Hash[] = [];
    const wallet: JobWallet = {
      address: inner.address,
      sendTransaction: async (call) => {
        const hash = await inner.sendTransaction(call);
        sent.push(hash);
        return hash;
      },
    };
    const spec = restakeJob({ account: account.address, chainId: NETWORKS.devnet.chainId, ...contracts }, { bucketId, moduleId: path.module ? moduleId : null, mode: path.mode });
    const record = await runJob(client, wallet, createMemoryJobStore(), spec, { batch: false });
    if (record.status !== 'done') throw new Error(`${path.label}: the job ended ${record.status}`);
    const owner = await client.readContract({ address: contracts.systemStaking, abi: systemStakingAbi, functionName: 'ownerOf', args: [bucketId] });
    if (owner !== contracts.bucketStrategy) throw new Error(`${path.label}: bucket #${bucketId} is held by ${owner}, not the strategy`);
    let gas = 0n;
    for (const hash of sent) gas += (await client.getTransactionReceipt({ hash })).gasUsed;
    rows.push({ ...path, prompts: sent.length, gas });
  }
  return rows.slice(1);
}

/**
 * Lists 1,000 buckets of one account on a fresh devnet (a Hardhat node over HTTP, as the app
 * reaches it): cold (empty cache: the whole log history, then the reads) and warm (cursor
 * current: no log pages, only the reads), with the JSON-RPC requests each used.
 */
export async function run(): Promise<void> {
  const devnet = await startDevnet(await anyFreePort());
  try {
    const staking = devnet.config.contracts.systemStaking!;
    const staker = devAccount(2);
    const ctx = createDeployContext(devnet.rpcUrl);
    const delegate = (devnet.config.extra?.delegates as { address: Address }[])[0]!.address;
    for (let i = 0; i < BUCKETS / PER_TX; i++) {
      await ctx.send(staking, systemStakingAbi, 'stake', [parseEther('1'), 86_400n, delegate, BigInt(PER_TX)], parseEther('1') * BigInt(PER_TX), staker);
    }
    const requests: string[] = [];
    const transport = http(devnet.rpcUrl, { onFetchRequest: async (request) => { requests.push(String((await request.clone().json() as { method?: string }).method)); } });
    const client = createPublicClient({ chain: toViemChain(NETWORKS.devnet, devnet.rpcUrl), transport });
    const list = async (cache: ReturnType<typeof memoryBucketScanCache>) => {
      requests.length = 0;
      const started = performance.now();
      const result = await listAccountBuckets(client, { contract: staking, account: staker.address, cache });
      return { seconds: (performance.now() - started) / 1000, count: result.buckets.length, requests: [...requests], pages: result.scan.pages };
    };
    const loadBefore = loadavg();
    const colds: Awaited<ReturnType<typeof list>>[] = [];
    const warms: Awaited<ReturnType<typeof list>>[] = [];
    // Interleaved: each round lists cold (a fresh, empty cache) and then warm (the cache it just filled).
    for (let i = 0; i < RUNS; i++) {
      const cache = memoryBucketScanCache();
      colds.push(await list(cache));
      warms.push(await list(cache));
    }
    const loadAfter = loadavg();
    const restakes = await measureRestakePrompts(client, devnet.rpcUrl, { systemStaking: staking, bucketStrategy: devnet.config.contracts.bucketStrategy! }, delegate, BigInt(devnet.config.extra?.moduleId as number));
    const cold = { ...colds[0]!, seconds: median(colds.map((r) => r.seconds)) };
    const warm = { ...warms[0]!, seconds: median(warms.map((r) => r.seconds)) };
    for (const r of [...colds, ...warms]) if (r.count !== BUCKETS) throw new Error(`listed ${r.count} buckets, expected ${BUCKETS}`);
    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
    console.log(`staking bench: load average ${load(loadBefore)} at start, ${load(loadAfter)} at end (1/5/15 min)`);
    const byMethod = (methods: string[]) => Object.entries(methods.reduce<Record<string, number>>((acc, m) => ({ ...acc, [m]: (acc[m] ?? 0) + 1 }), {})).map(([m, n]) => `${m} ×${n}`).join(', ');
    const round = (s: number) => Math.round(s * 100) / 100;
    writeBenchResults({
      area: 'staking',
      title: 'Staking: listing 1,000 buckets of one account on the devnet, and wallet confirmations per restake',
      rows: [
        { figure: 'list 1,000 buckets, cold (empty cache)', value: round(cold.seconds), unit: 's', note: `median of ${RUNS}; ${cold.pages} log page(s)` },
        { figure: 'list 1,000 buckets, warm (cursor current)', value: round(warm.seconds), unit: 's', note: `median of ${RUNS}, interleaved with cold; ${warm.pages} log page(s)` },
        { figure: 'JSON-RPC requests, cold', value: cold.requests.length, unit: 'requests', note: byMethod(cold.requests) },
        { figure: 'JSON-RPC requests, warm', value: warm.requests.length, unit: 'requests', note: byMethod(warm.requests) },
        ...restakes.flatMap((r) => [
          { figure: `wallet confirmations per restake, ${r.label}`, value: r.prompts, unit: 'prompts', note: r.note },
          { figure: `gas per restake, ${r.label}`, value: Number(r.gas), unit: 'gas', note: 'sum of the receipts of the transactions the job sent; an account that has restaked before' },
        ]),
      ],
      notes: [
        `Load average (1/5/15 min): ${load(loadBefore)} at start, ${load(loadAfter)} at end. A run under load is not a result: run it again on a quiet machine.`,
        'Devnet: a Hardhat node over HTTP on this machine; the history is a few dozen blocks, so the cold scan is one 1,000-block page (two eth_getLogs). On IoTeX the cold scan is two eth_getLogs per 1,000 blocks since `fromBlock` (docs/staking.md); warm stays as here.',
        'Restakes: each path is a real restakeJob on the job runner (src/core/staking/restakingJobs.ts) with a wallet that counts what it is asked to send (EIP-5792 off, as with the embedded wallet; a wallet with wallet_sendCalls batches the two MSP calls into one prompt). The prompts and gas are counted, not timed, so load does not change them.',
        'Reads: bucketOf + ownerOf per bucket and paused(), through Multicall3 aggregate3 in 16 KiB calldata chunks, pinned to one block.',
      ],
    });
  } finally {
    await devnet.node.stop();
  }
}
