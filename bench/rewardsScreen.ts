/**
 * The Rewards screen's read for a big account: 100 devices whose ioIDs the account owns × 30 posted
 * epochs (3,000 data rewards), each checked against its on-chain root, plus the claim history, on
 * a Hardhat devnet with our contracts. What the screen waits for before it can show anything is
 * `readRewardsOverview` (src/core/rewards/read.ts): cold = a fresh client (no connection, no cache);
 * warm = the same client again (its connections and viem's caches kept), as after "Read again".
 *
 * The relay's side is served by a plain local HTTP server with the same wire shape
 * (GET /v1/rewards/:device), built from the same trees the bench posts on-chain: seeding 3,000
 * proven batches through the real relay would take hours of proving. Rendering is not timed here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createPublicClient, createWalletClient, http, parseEther, type Address, type Hex, type PublicClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { dataRewardsAbi } from '../src/core/abis/index.js';
import { buildMerkleTree, rewardLeaf } from '../src/core/batch/merkle.js';
import { NETWORKS, toViemChain } from '../src/core/networks.js';
import { readRewardsOverview } from '../src/core/rewards/read.js';
import { createNetworkClient } from '../src/core/rpc.js';
import { anyFreePort } from '../scripts/stack/ports.js';
import { startDevnet } from '../scripts/stack/devnet.js';
import { devAccount } from '../scripts/deploy/deployer.js';
import { registerDevice } from '../tests/relay/helpers/chain.js';
import type { BenchRow } from './lib/results.js';
import { median } from './lib/stats.js';

const DEVICES = 100;
const EPOCHS = 30;
const RUNS = 5;
const OWNER_INDEX = 5;
const AMOUNT = parseEther('0.001');

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

type Served = Record<string, unknown[]>;

function serveRelay(rewards: Served): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const device = /^\/v1\/rewards\/(0x[0-9a-fA-F]{40})$/.exec(request.url ?? '')?.[1];
    const body = device ? { device, rewards: rewards[device.toLowerCase()] ?? [] } : { error: 'not found' };
    response.writeHead(device ? 200 : 404, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end(JSON.stringify(body));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

/** 100 devices with ioIDs owned by dev account 5 and 30 posted epochs paying each of them. */
export async function measureRewardsScreen(): Promise<BenchRow[]> {
  const devnet = await startDevnet(await anyFreePort());
  const relay: { server: Server | null } = { server: null };
  try {
    const chain = toViemChain(NETWORKS.devnet, devnet.rpcUrl);
    const client = createPublicClient({ chain, transport: http(devnet.rpcUrl) }) as PublicClient;
    const testChain = { rpcUrl: devnet.rpcUrl, devnet: devnet.config, client, stop: async () => {} };
    const devices: Address[] = [];
    for (let index = 0; index < DEVICES; index++) {
      // DEV ONLY bench keys.
      const key = `0x${(index + 1).toString(16).padStart(4, '0').repeat(16)}` as Hex;
      await registerDevice(testChain, key, OWNER_INDEX);
      devices.push(privateKeyToAccount(key).address);
    }
    const dataRewards = devnet.config.contracts.dataRewards!;
    const operator = createWalletClient({ chain, transport: http(devnet.rpcUrl), account: devAccount(1) });
    const served: Served = {};
    const firstEpoch = 1_000;
    for (let epoch = firstEpoch; epoch < firstEpoch + EPOCHS; epoch++) {
      const leaves = devices.map((device) => rewardLeaf(BigInt(epoch), device, AMOUNT));
      const tree = buildMerkleTree(leaves);
      const hash = await operator.writeContract({ address: dataRewards, abi: dataRewardsAbi, functionName: 'postRewardRoot', args: [BigInt(epoch), tree.root, AMOUNT * BigInt(DEVICES)] });
      await client.waitForTransactionReceipt({ hash });
      devices.forEach((device, index) => {
        (served[device.toLowerCase()] ??= []).push({
          epoch, device, amount: AMOUNT.toString(), root: tree.root, leaf: leaves[index], proof: tree.proof(index), status: 'confirmed', txHash: hash,
          figures: { weight: '1000000', epochWeight: String(1_000_000 * DEVICES), pool: (AMOUNT * BigInt(DEVICES)).toString() },
        });
      });
    }
    const started = await serveRelay(served);
    relay.server = started.server;
    const account = devAccount(OWNER_INDEX).address;
    const book = devnet.config.contracts;
    const input = {
      account,
      chainId: 31337,
      contracts: { dataRewards, ioidRegistry: book.ioIDRegistry ?? null, ioid: book.ioID ?? null, bucketStrategy: book.bucketStrategy ?? null },
      relayUrl: started.url,
    };
    const loadStart = loadavg()[0]!;
    const cold: number[] = [];
    const warm: number[] = [];
    let shown = 0;
    for (let run = 0; run < RUNS; run++) {
      const fresh = createNetworkClient(NETWORKS.devnet, devnet.rpcUrl);
      let at = performance.now();
      const first = await readRewardsOverview(fresh, input);
      cold.push((performance.now() - at) / 1000);
      at = performance.now();
      await readRewardsOverview(fresh, input);
      warm.push((performance.now() - at) / 1000);
      shown = first.data.filter((reward) => reward.state === 'claimable').length;
    }
    const loadEnd = loadavg()[0]!;
    if (shown !== DEVICES * EPOCHS) throw new Error(`the overview showed ${shown} claimable rewards, not ${DEVICES * EPOCHS}`);
    const note = `${DEVICES} devices × ${EPOCHS} epochs, ${shown} rewards checked against their roots; median of ${RUNS}; load ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)}`;
    return [
      { figure: 'Rewards screen read, cold (fresh client)', value: round(median(cold)), unit: 's', note },
      { figure: 'Rewards screen read, warm (same client again)', value: round(median(warm)), unit: 's', note },
    ];
  } finally {
    relay.server?.close();
    await devnet.node.stop();
  }
}
