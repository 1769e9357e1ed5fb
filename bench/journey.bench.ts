/**
 * The ioID journey (issue 15) on the devnet with the simulated device: seconds from "connect" to
 * "ioID minted" (no human clicks), by phase, and the wallet confirmations per device, for the first
 * device of the demo NFT contract on a fresh account and then a second and a third on the same one.
 *
 * Everything the app runs is real: the simulated device (SimDevice) behind an in-process link
 * (MemoryLink), detected and checked through the device stack (detectDevice → OutpostDeviceClient
 * or IoConnectClient, then verifyAuthenticity), the mint job (ioidMintJob) on the job runner
 * (runJob) against a Hardhat node over HTTP, with the app's public client (createNetworkClient) and
 * a viem wallet over a fresh local key, funded with 10 IOTX. The device signs the Permit through
 * client.signDigest (RecoveredSignature.serialized). Only the radio is not real.
 */
import { loadavg } from 'node:os';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { createWalletClient, http, numberToHex, parseEther, type Address, type Hash, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { detectDevice, type ConnectedDevice } from '../src/browser/device/connect.js';
import { ioidMintJob, rebuildIoidJob, type DevicePermitSigner, type IoidContracts } from '../src/core/ioid/index.js';
import { createMemoryJobStore, jobWalletFromClient, runJob, type JobStore, type JobWallet } from '../src/core/jobs/index.js';
import { NETWORKS, toViemChain } from '../src/core/networks.js';
import { createNetworkClient } from '../src/core/rpc.js';
import { MemoryLink } from '../src/device/simulator/memoryLink.js';
import { SimDevice, type SimMode } from '../src/device/simulator/model.js';
import { anyFreePort } from '../scripts/stack/ports.js';
import { startDevnet } from '../scripts/stack/devnet.js';
import { dropLinkWhileSigning } from '../tests/e2e/support/bleEmulation.js';
import { countApprovalForAll, countSentTransactions, ioidChainAt, readIoidOnChain } from '../tests/e2e/support/ioidChain.js';
import { writeBenchResults, type BenchRow } from './lib/results.js';
import { median } from './lib/stats.js';

/** Rounds; each runs both modes (order alternating), each mode a fresh account and three devices. */
const RUNS = 9;
const DEVICES = ['first', 'second', 'third'] as const;
const IOTEX_BLOCK_SECONDS = 5;
const STEPS = ['mint-nft', 'approve', 'register'] as const;

const round = (s: number) => Math.round(s * 1000) / 1000;
const seconds = (from: number, to: number) => (to - from) / 1000;

type Devnet = Awaited<ReturnType<typeof startDevnet>>;
type Journey = {
  connect: number;
  genuine: number;
  build: number;
  steps: Record<(typeof STEPS)[number], number>;
  signing: number;
  total: number;
  sends: number;
  sentSteps: string[];
};

/** A wallet over the account's own key (as the embedded wallet) that counts what it is asked to send. */
function countingWallet(devnet: Devnet, key: Hex): JobWallet & { sent: { step: string; hash: Hash }[]; current: { step: string } } {
  const inner = jobWalletFromClient(createWalletClient({ account: privateKeyToAccount(key), chain: toViemChain(NETWORKS.devnet, devnet.rpcUrl), transport: http(devnet.rpcUrl) }));
  const sent: { step: string; hash: Hash }[] = [];
  const current = { step: '' };
  return {
    address: inner.address,
    sent,
    current,
    async sendTransaction(call) {
      const hash = await inner.sendTransaction(call);
      sent.push({ step: current.step, hash });
      return hash;
    },
  };
}

async function freshAccount(devnet: Devnet) {
  const key = generatePrivateKey(); // DEV ONLY: a throwaway bench key, in memory only
  const address = privateKeyToAccount(key).address;
  await fetch(devnet.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hardhat_setBalance', params: [address, numberToHex(parseEther('10'))] }) });
  return { key, address };
}

/** The Permit signer the app builds over the connected device: the device layer's checked signature, serialized. */
function permitSigner(connected: ConnectedDevice): DevicePermitSigner & { ms: number; asked: number } {
  const signer = {
    address: connected.address,
    ms: 0,
    asked: 0,
    async signDigest(digest: Hex) {
      signer.asked++;
      const started = performance.now();
      try {
        return (await connected.client.signDigest(digest)).serialized;
      } finally {
        signer.ms += performance.now() - started;
      }
    },
  };
  return signer;
}

function contractsOf(devnet: Devnet) {
  const c = devnet.config.contracts;
  const ioid: IoidContracts = { ioIDRegistry: c.ioIDRegistry!, ioID: c.ioID!, ioIDStore: c.ioIDStore! };
  return { ioid, deviceNFT: devnet.config.extra?.deviceNFT as Address };
}

/** One device: connect (detect the protocol) → genuine check → build and run the mint job → ioID minted. */
async function journey(devnet: Devnet, mode: SimMode, account: { key: Hex; address: Address }, store: JobStore = createMemoryJobStore()): Promise<Journey> {
  const client = createNetworkClient(NETWORKS.devnet, devnet.rpcUrl);
  const { ioid, deviceNFT } = contractsOf(devnet);
  const device = new SimDevice({ name: `journey-${mode}`, secretKey: secp256k1.utils.randomSecretKey(), mode });
  const wallet = countingWallet(devnet, account.key);
  const before = await readIoidOnChain(device.did.replace('did:io:', '') as Address, ioidChainAt(devnet.config));
  if (before.exists || before.owner !== null || before.nftHolder !== null) throw new Error('a fresh device already has an ioID on the chain');

  const t0 = performance.now();
  const connected = await detectDevice(new MemoryLink(device));
  const t1 = performance.now();
  const genuine = await connected.client.verifyAuthenticity();
  if (genuine.address !== connected.address) throw new Error('the genuine check answered for another address');
  const t2 = performance.now();
  const signer = permitSigner(connected);
  const spec = await ioidMintJob(client, { account: account.address, chainId: NETWORKS.devnet.chainId, contracts: ioid, demoDeviceNFT: deviceNFT }, { device: connected.address, deviceNFT }, { signer });
  const t3 = performance.now();
  const stepDone: Record<string, number> = {};
  const record = await runJob(client, wallet, store, spec, {
    batch: false,
    onProgress: (progress) => {
      const id = spec.steps[progress.step - 1]!.id;
      wallet.current.step = id;
      if (progress.phase === 'step-done') stepDone[id] = performance.now();
    },
  });
  const t4 = performance.now();
  await connected.link.close();
  if (record.status !== 'done') throw new Error(`the job ended ${record.status}`);

  // The chain, read independently of src/core/ioid: the device has its ioID, owned by the account, its NFT in the ioID's wallet.
  const onChain = await readIoidOnChain(connected.address, ioidChainAt(devnet.config));
  if (!onChain.exists || onChain.owner !== account.address || onChain.nftHolder !== onChain.wallet || onChain.did !== device.did) {
    throw new Error(`device ${connected.address}: the chain says ${JSON.stringify(onChain, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  }
  let previous = t3;
  const steps = {} as Journey['steps'];
  for (const id of STEPS) {
    const done = stepDone[id] ?? previous;
    steps[id] = seconds(previous, done);
    previous = done;
  }
  return {
    connect: seconds(t0, t1),
    genuine: seconds(t1, t2),
    build: seconds(t2, t3),
    steps,
    signing: signer.ms / 1000,
    total: seconds(t0, t4),
    sends: wallet.sent.length,
    sentSteps: wallet.sent.map((s) => s.step),
  };
}

/** Three devices on one fresh account; after them the account's nonce and its approvals must match what was counted. */
async function deviceSeries(devnet: Devnet, mode: SimMode): Promise<Journey[]> {
  const account = await freshAccount(devnet);
  const series: Journey[] = [];
  for (let i = 0; i < DEVICES.length; i++) series.push(await journey(devnet, mode, account));
  const chain = ioidChainAt(devnet.config);
  const { ioid, deviceNFT } = contractsOf(devnet);
  const nonce = await countSentTransactions(account.address, chain);
  const approvals = await countApprovalForAll(account.address, ioid.ioIDRegistry, deviceNFT, chain);
  const counted = series.reduce((sum, j) => sum + j.sends, 0);
  if (nonce !== counted || approvals !== 1) throw new Error(`${mode}: nonce ${nonce} vs ${counted} sends counted; ${approvals} approvals (expected 1)`);
  return series;
}

/**
 * The link drops half-way through the device's answer to the Permit, on every retry the session
 * makes: the job pauses at register (ioid.device_unreachable); a resume asks the device again and
 * nothing already sent is sent twice.
 */
async function dropWhileSigning(devnet: Devnet): Promise<{ sends: number; asked: number; pausedCode: string | undefined }> {
  const client = createNetworkClient(NETWORKS.devnet, devnet.rpcUrl);
  const { ioid, deviceNFT } = contractsOf(devnet);
  const account = await freshAccount(devnet);
  const device = new SimDevice({ name: 'journey-drop', secretKey: secp256k1.utils.randomSecretKey() });
  const wallet = countingWallet(devnet, account.key);
  const store = createMemoryJobStore();
  const connected = await detectDevice(new MemoryLink(device));
  await connected.client.verifyAuthenticity();
  const signer = permitSigner(connected);
  const drops = dropLinkWhileSigning(device);
  const spec = await ioidMintJob(client, { account: account.address, chainId: NETWORKS.devnet.chainId, contracts: ioid, demoDeviceNFT: deviceNFT }, { device: connected.address, deviceNFT }, { signer });
  const failed = await runJob(client, wallet, store, spec, { batch: false }).then(() => null, (error: unknown) => error as { code?: string });
  const paused = (await store.list({ account: account.address, chainId: NETWORKS.devnet.chainId }))[0]!;
  if (paused.status !== 'paused' || failed?.code !== 'ioid.device_unreachable') throw new Error(`after the drop the job is ${paused.status} (${failed?.code})`);
  if (drops.signed.length === 0) throw new Error('the device was never asked to sign');
  const record = await runJob(client, wallet, store, rebuildIoidJob(paused, { signer }), { batch: false });
  await connected.link.close();
  const onChain = await readIoidOnChain(connected.address, ioidChainAt(devnet.config));
  if (record.status !== 'done' || onChain.owner !== account.address) throw new Error(`after the resume the job is ${record.status}`);
  return { sends: wallet.sent.length, asked: drops.signed.length, pausedCode: paused.error?.code ?? undefined };
}

export async function run(): Promise<void> {
  const devnet = await startDevnet(await anyFreePort());
  try {
    // One untimed series first: Node's module loading and the node's first calls are not the journey.
    await deviceSeries(devnet, 'outpost');
    const loadBefore = loadavg();
    const runs: Record<SimMode, Journey[][]> = { outpost: [], ioconnect: [] };
    for (let i = 0; i < RUNS; i++) {
      const order: SimMode[] = i % 2 === 0 ? ['outpost', 'ioconnect'] : ['ioconnect', 'outpost'];
      for (const mode of order) runs[mode].push(await deviceSeries(devnet, mode));
    }
    const loadAfter = loadavg();
    const drop = await dropWhileSigning(devnet);

    const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' / ');
    const busy = Math.max(loadBefore[0]!, loadAfter[0]!) > 1;
    console.log(`journey bench: load average ${load(loadBefore)} at start, ${load(loadAfter)} at end (1/5/15 min)`);

    const rows: BenchRow[] = [];
    const modeLabel: Record<SimMode, string> = { outpost: 'Outpost protocol', ioconnect: 'ioConnect mode' };
    for (const mode of ['outpost', 'ioconnect'] as const) {
      DEVICES.forEach((rank, index) => {
        const all = runs[mode].map((series) => series[index]!);
        const sends = all[0]!.sends;
        if (all.some((j) => j.sends !== sends || j.sentSteps.join() !== all[0]!.sentSteps.join())) throw new Error(`${mode} ${rank}: the sends differ between runs`);
        const m = (pick: (j: Journey) => number) => round(median(all.map(pick)));
        const label = `${modeLabel[mode]}, ${rank} device`;
        const total = m((j) => j.total);
        rows.push(
          { figure: `${label}: connect → ioID minted`, value: total, unit: 's', note: `median of ${RUNS}; devnet (instant blocks)` },
          { figure: `${label}: connect + genuine check`, value: m((j) => j.connect + j.genuine), unit: 's', note: `connect (detect) ${m((j) => j.connect)} s, genuine ${m((j) => j.genuine)} s` },
          { figure: `${label}: job build / mint-nft / approve / register`, value: `${m((j) => j.build)} / ${m((j) => j.steps['mint-nft'])} / ${m((j) => j.steps.approve)} / ${m((j) => j.steps.register)}`, unit: 's', note: `register includes the device signing the Permit (${m((j) => j.signing)} s); a skipped step is its landed check` },
          { figure: `${label}: wallet confirmations`, value: sends, unit: 'prompts', note: all[0]!.sentSteps.join(' + ') },
          { figure: `${label}: ESTIMATE with IoTeX 5 s blocks`, value: round(total + sends * IOTEX_BLOCK_SECONDS), unit: 's', note: `estimate: measured + ${sends} transaction(s) × ${IOTEX_BLOCK_SECONDS} s` },
        );
      });
    }
    rows.push({ figure: 'link dropped while the device signs the Permit, then resumed: wallet confirmations', value: drop.sends, unit: 'prompts', note: `first device; paused with ${drop.pausedCode}; the device was asked ${drop.asked} times before the pause, once more on resume; nothing sent twice` });

    writeBenchResults({
      area: 'journey',
      title: 'ioID journey: connect → ioID minted with the simulated device on the devnet, and wallet confirmations per device',
      rows,
      notes: [
        `Load average (1/5/15 min): ${load(loadBefore)} at start, ${load(loadAfter)} at end.${busy ? ' This run was under load (1-minute average above 1): the seconds are upper bounds; run it again on a quiet machine.' : ''}`,
        'Block time: the devnet is a Hardhat node with automine, so every transaction is mined the instant it is sent. The seconds above are the app’s and the device’s own time (device I/O, signature checks, chain reads, gas estimation, signing and sending), not IoTeX’s. The “ESTIMATE with IoTeX 5 s blocks” rows add 5 s per transaction the job waits for (each step waits for its receipt before the next is built): an estimate, not a measurement.',
        'Wallet confirmations on the devnet: first device of the demo NFT for an account = 3 (demo NFT mintOpen + setApprovalForAll + register), later devices = 2 (demo mint + register: the approval stays). On IoTeX the project hands out the device NFT, so there is no mint step: 2 for the first device (approve + register), then 1 (register). Counted by a wallet that records each call it is asked to send; checked against the account’s nonce and the ApprovalForAll events on the chain (tests/e2e/support/ioidChain.ts).',
        `Runs: ${RUNS} rounds after one untimed warm-up series; each round runs both modes, alternating which goes first; each mode a fresh account (10 IOTX, nothing else) and three fresh simulated devices in a row. Every minted ioID is checked on the chain (exists, owner, DID, device NFT held by the ioID’s ERC-6551 wallet).`,
        '“Connect” is detectDevice over the link, as the app does after the port or Bluetooth chooser: an Outpost device answers the info probe at once; an ioConnect board does not speak frames, so detection waits out the 1.5 s probe timeout before asking `getdid`. That wait is the app’s own design, and it dominates ioConnect’s connect time.',
        'Genuine check: verifyAuthenticity (Outpost: a challenge signed over a fresh nonce; ioConnect: the sign command over the challenge digest). Device signing of the Permit goes through client.signDigest, which verifies the signature against the device’s did:io before the job sees it.',
        'Phases: job build = ioidMintJob (network check, the device’s ioID status); each step runs from the end of the previous one to its receipt (its landed check, building the call, simulation, the wallet’s gas estimate and send, the receipt). Register is the longest: it reads the most (device status, the account’s unused NFT from Transfer logs, the project and its quota, the nonce), asks the device, and its transaction (which creates the ioID’s ERC-6551 account) is the heaviest to simulate and estimate.',
        'The link is an in-process MemoryLink to the simulator: no radio or serial latency. Over BLE each request adds GATT round trips (bench/results/device.md); over a real IoTeX RPC each chain read adds network latency.',
      ],
    });
  } finally {
    await devnet.node.stop();
  }
}
