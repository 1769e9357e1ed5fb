/**
 * The transaction-job runner (src/core/jobs) against Hardhat's EVM and our contracts, through
 * viem's own actions: restaking a bucket as a two-step job (SystemStaking.approve to the
 * BucketStrategy, then BucketStrategy.stake). The runner is "crashed" after the approval was sent,
 * before and after its hash was stored, and a fresh runner on the same store finishes the job
 * without a second approval; a user's speed-up or cancel of the pending approval (same nonce,
 * higher fee, automine off) is reported as replaced and decided by the chain. Expected figures
 * come from the chain (the account's nonce, Approval events, ownerOf/restakeOf), not the runner.
 *
 * The one thing mocked is an EIP-5792 wallet (no such wallet runs here): a test-only EIP-1193
 * wrapper that answers wallet_getCapabilities/sendCalls/getCallsStatus by sending the calls to
 * Hardhat one by one, so viem's 5792 actions and the runner's batch path run on the real chain.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createWalletClient,
  custom,
  encodeFunctionData,
  numberToHex,
  parseEther,
  parseEventLogs,
  type Address,
  type EIP1193Provider,
  type Hash,
  type Hex,
  type PublicClient,
} from 'viem';
import { hardhat } from 'viem/chains';
import { bucketStrategyDevnetAbi, systemStakingDevnetAbi } from '../../src/core/abis/index.js';
import { createMemoryJobStore, jobWalletFromClient, runJob, type JobProgress, type JobSpec, type JobWallet } from '../../src/core/jobs/index.js';
import { Crash, crashingView, diesAfterSending } from '../support/jobCrash.js';
import { deployFixture, type Fixture } from './helpers/fixture.js';

let f: Fixture;
let snap: Hex;
let alice: Address;
let S: Address;
let B: Address;
const DAY = 86_400n;

beforeAll(async () => {
  f = await deployFixture();
  alice = f.chain.accounts[2]!;
  S = f.c.systemStaking;
  B = f.c.bucketStrategy;
  snap = await f.chain.snapshot();
});
beforeEach(async () => {
  await f.chain.revert(snap);
  snap = await f.chain.snapshot();
});
afterEach(async () => {
  await rpc('evm_setAutomine', [true]);
});

const rpc = (method: string, params: unknown[] = []) => f.chain.provider.request({ method, params } as never) as Promise<unknown>;
const client = (): PublicClient => f.chain.publicClient;
const nonceOf = (account: Address) => client().getTransactionCount({ address: account });

/** A locked bucket of alice's, not approved to anyone. */
async function lockedBucket(): Promise<bigint> {
  const receipt = await f.chain.write(S, systemStakingDevnetAbi, 'stake', [30n * DAY, f.delegates[0]], { from: alice, value: parseEther('10') });
  return parseEventLogs({ abi: systemStakingDevnetAbi, logs: receipt.logs, eventName: 'Staked' })[0]!.args.id;
}

/** The restake job as a staking journey would define it. */
function restakeJob(bucket: bigint, moduleId: bigint): JobSpec<{ bucket: string; module: string }> {
  const ownerOf = () => f.chain.read<Address>(S, systemStakingDevnetAbi, 'ownerOf', [bucket]);
  const restakedByAlice = async () => (await ownerOf()) === B && (await f.chain.read<readonly [Address, bigint, bigint, bigint]>(B, bucketStrategyDevnetAbi, 'restakeOf', [bucket]))[0] === alice;
  return {
    id: `restake:${hardhat.id}:${alice}:${bucket}`,
    kind: 'restake',
    title: `Restake bucket #${bucket}`,
    account: alice,
    chainId: hardhat.id,
    params: { bucket: bucket.toString(), module: moduleId.toString() },
    steps: [
      {
        id: 'approve',
        label: `Approve bucket #${bucket} to the restaking contract`,
        // Landed while the approval stands, and after the stake used it up.
        landed: async () => (await f.chain.read<Address>(S, systemStakingDevnetAbi, 'getApproved', [bucket])) === B || (await restakedByAlice()),
        request: () => ({ to: S, data: encodeFunctionData({ abi: systemStakingDevnetAbi, functionName: 'approve', args: [B, bucket] }), abi: systemStakingDevnetAbi }),
      },
      {
        id: 'stake',
        label: `Restake bucket #${bucket} into module ${moduleId}`,
        landed: restakedByAlice,
        request: () => ({ to: B, data: encodeFunctionData({ abi: bucketStrategyDevnetAbi, functionName: 'stake', args: [bucket, moduleId] }), abi: bucketStrategyDevnetAbi }),
      },
    ],
  };
}

/** Alice's wallet: a viem wallet client on the chain, as wagmi's connector client would be. */
function aliceWallet(provider: EIP1193Provider = f.chain.provider): JobWallet {
  return jobWalletFromClient(createWalletClient({ chain: hardhat, transport: custom(provider), account: alice, pollingInterval: 5 }));
}

/** Approval events of the bucket to the strategy, counted on-chain. */
async function approvalsToStrategy(bucket: bigint): Promise<number> {
  const logs = await client().getContractEvents({ address: S, abi: systemStakingDevnetAbi, eventName: 'Approval', fromBlock: 0n });
  return logs.filter((log) => log.args.tokenId === bucket && log.args.approved === B && log.args.owner === alice).length;
}

/** The bucket is restaked by alice, approved to the strategy exactly once, and alice's nonce is `nonce` (every transaction she sent counted). */
async function expectRestakedWithOneApproval(bucket: bigint, nonce: number): Promise<void> {
  expect(await f.chain.read(S, systemStakingDevnetAbi, 'ownerOf', [bucket])).toBe(B);
  expect((await f.chain.read<readonly unknown[]>(B, bucketStrategyDevnetAbi, 'restakeOf', [bucket]))[0]).toBe(alice);
  expect(await approvalsToStrategy(bucket)).toBe(1);
  expect(await nonceOf(alice)).toBe(nonce);
}

describe('a restake job on the chain', () => {
  it('runs approve then stake: two transactions, one approval, the bucket restaked', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const progress: string[] = [];
    const record = await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeJob(bucket, f.moduleId), { onProgress: (p) => progress.push(p.text) });
    expect(record.status).toBe('done');
    await expectRestakedWithOneApproval(bucket, before + 2);
    expect(progress).toContain(`Step 2 of 2: Restake bucket #${bucket} into module ${f.moduleId} (waiting for the wallet)`);
    // The hashes in the record are the chain's transactions from alice.
    const hashes = record.steps.map((step) => (step.status.kind === 'confirmed' ? step.status.hash : null));
    for (const hash of hashes) expect((await client().getTransaction({ hash: hash! })).from.toLowerCase()).toBe(alice.toLowerCase());
  });

  it('a bucket approved before the job (in another app) skips the approval: one transaction, the stake', async () => {
    const bucket = await lockedBucket();
    await f.chain.write(S, systemStakingDevnetAbi, 'approve', [B, bucket], { from: alice });
    const before = await nonceOf(alice);
    const record = await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeJob(bucket, f.moduleId));
    expect(record.steps.map((step) => step.status.kind)).toEqual(['skipped-already-landed', 'confirmed']);
    await expectRestakedWithOneApproval(bucket, before + 1);
  });

  it('crashed after the approval’s hash was stored: a fresh runner follows that hash and stakes; no second approval', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const store = createMemoryJobStore();
    const spec = restakeJob(bucket, f.moduleId);
    await expect(runJob(client(), aliceWallet(), crashingView(store, (r) => r.steps[0]!.status.kind === 'sent'), spec)).rejects.toBeInstanceOf(Crash);
    expect(await nonceOf(alice)).toBe(before + 1);

    const record = await runJob(client(), aliceWallet(), store, restakeJob(bucket, f.moduleId));
    expect(record.status).toBe('done');
    expect(record.steps.map((step) => step.status.kind)).toEqual(['confirmed', 'confirmed']);
    await expectRestakedWithOneApproval(bucket, before + 2);
  });

  it('crashed after the wallet sent the approval but before its hash was stored: the chain shows it landed; no second approval', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const store = createMemoryJobStore();
    await expect(runJob(client(), diesAfterSending(aliceWallet()), store, restakeJob(bucket, f.moduleId))).rejects.toBeInstanceOf(Crash);
    expect((await store.get(restakeJob(bucket, f.moduleId).id))!.steps[0]!.status.kind).toBe('awaiting-signature');

    const record = await runJob(client(), aliceWallet(), store, restakeJob(bucket, f.moduleId));
    expect(record.steps.map((step) => step.status.kind)).toEqual(['skipped-already-landed', 'confirmed']);
    await expectRestakedWithOneApproval(bucket, before + 2);
  });

  it('the same crash with the approval still pending (automine off): the resume waits for it to be mined, then stakes; no second approval', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const store = createMemoryJobStore();
    await rpc('evm_setAutomine', [false]);
    await expect(runJob(client(), diesAfterSending(aliceWallet()), store, restakeJob(bucket, f.moduleId))).rejects.toBeInstanceOf(Crash);
    expect(await client().getTransactionCount({ address: alice, blockTag: 'pending' })).toBe(before + 1);
    expect(await nonceOf(alice)).toBe(before);

    const chainWork: Promise<unknown>[] = [];
    const phases: JobProgress['phase'][] = [];
    const record = await runJob(client(), aliceWallet(), store, restakeJob(bucket, f.moduleId), {
      onProgress: (p) => {
        phases.push(p.phase);
        // The pending approval is mined while the runner waits for it; later sends are mined at once.
        if (p.phase === 'waiting-for-earlier-transaction') chainWork.push(rpc('evm_setAutomine', [true]).then(() => rpc('evm_mine')));
      },
    });
    await Promise.all(chainWork);
    expect(phases).toContain('waiting-for-earlier-transaction');
    expect(record.steps.map((step) => step.status.kind)).toEqual(['skipped-already-landed', 'confirmed']);
    await expectRestakedWithOneApproval(bucket, before + 2);
  });

  describe('the user replaces the pending approval in the wallet (same nonce, higher fee)', () => {
    async function runWithReplacement(kind: 'speed-up' | 'cancel') {
      const bucket = await lockedBucket();
      const before = await nonceOf(alice);
      await rpc('evm_setAutomine', [false]);
      const chainWork: Promise<Hash>[] = [];
      const record = await runJob(client(), aliceWallet(), createMemoryJobStore(), restakeJob(bucket, f.moduleId), {
        onProgress: (p) => {
          if (p.step !== 1 || p.phase !== 'pending' || chainWork.length > 0) return;
          chainWork.push(
            (async () => {
              const pending = await client().getTransaction({ hash: p.hash! });
              const fee = (pending.maxFeePerGas ?? pending.gasPrice ?? 10n ** 9n) * 2n;
              const replacement = (await rpc('eth_sendTransaction', [
                {
                  from: alice,
                  nonce: numberToHex(pending.nonce),
                  maxFeePerGas: numberToHex(fee),
                  maxPriorityFeePerGas: numberToHex(fee),
                  ...(kind === 'speed-up' ? { to: pending.to, data: pending.input } : { to: alice, value: '0x0' }),
                },
              ])) as Hash;
              await rpc('evm_mine');
              await rpc('evm_setAutomine', [true]);
              return replacement;
            })(),
          );
        },
      });
      const [replacement] = await Promise.all(chainWork);
      return { bucket, before, record, replacement: replacement! };
    }

    it('a speed-up is reported as replaced with the new hash; landed() says the approval is there, so only the stake follows', async () => {
      const { bucket, before, record, replacement } = await runWithReplacement('speed-up');
      expect(record.status).toBe('done');
      expect(record.steps[0]!.status).toMatchObject({ kind: 'replaced', newHash: replacement, landed: true });
      expect((await client().getTransactionReceipt({ hash: replacement })).status).toBe('success');
      await expectRestakedWithOneApproval(bucket, before + 2);
    });

    it('a cancel is reported as replaced; landed() says no approval, so the approval is sent again, then the stake', async () => {
      const { bucket, before, record, replacement } = await runWithReplacement('cancel');
      expect(record.status).toBe('done');
      expect(record.steps[0]!.history[0]).toMatchObject({ kind: 'replaced', newHash: replacement, landed: false });
      expect(record.steps[0]!.status.kind).toBe('confirmed');
      // cancel + approval + stake
      await expectRestakedWithOneApproval(bucket, before + 3);
    });
  });

  it('a step that would revert is a named failure, and is not sent: restaking an unlocked bucket', async () => {
    const bucket = await lockedBucket();
    await f.chain.write(S, systemStakingDevnetAbi, 'unlock', [bucket], { from: alice });
    const before = await nonceOf(alice);
    const store = createMemoryJobStore();
    const error = await runJob(client(), aliceWallet(), store, restakeJob(bucket, f.moduleId)).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('job.simulation_reverted');
    expect((error as { details?: string }).details).toContain('not locking bucket');
    // The approval went; the stake did not.
    expect(await nonceOf(alice)).toBe(before + 1);
    const record = await store.get(restakeJob(bucket, f.moduleId).id);
    expect(record?.status).toBe('failed');
    expect(record?.steps.map((step) => step.status.kind)).toEqual(['confirmed', 'failed']);
  });
});

/**
 * TEST-ONLY EIP-5792 wallet over Hardhat: capabilities say atomic, sendCalls sends the calls in
 * order from the account (automine mines each), getCallsStatus answers from their receipts. Every
 * other request goes to Hardhat.
 */
function eip5792TestProvider(base: EIP1193Provider): EIP1193Provider & { batches: Map<string, Hash[]> } {
  const batches = new Map<string, Hash[]>();
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    const args = (params ?? []) as unknown[];
    switch (method) {
      case 'wallet_getCapabilities':
        return { [numberToHex(hardhat.id)]: { atomic: { status: 'supported' } } };
      case 'wallet_sendCalls': {
        const { from, calls } = args[0] as { from: Address; calls: { to: Address; data?: Hex; value?: Hex }[] };
        const hashes: Hash[] = [];
        for (const call of calls) hashes.push((await base.request({ method: 'eth_sendTransaction', params: [{ from, to: call.to, data: call.data, value: call.value ?? '0x0' }] } as never)) as Hash);
        const id = numberToHex(batches.size + 1, { size: 32 });
        batches.set(id, hashes);
        return { id };
      }
      case 'wallet_getCallsStatus': {
        const hashes = batches.get(args[0] as string);
        if (!hashes) throw Object.assign(new Error('Unknown bundle id'), { code: 5730 });
        const receipts = await Promise.all(hashes.map((hash) => base.request({ method: 'eth_getTransactionReceipt', params: [hash] } as never) as Promise<{ status: Hex } | null>));
        const done = receipts.every((receipt) => receipt !== null);
        const ok = done && receipts.every((receipt) => receipt!.status === '0x1');
        return { version: '2.0.0', id: args[0], chainId: numberToHex(hardhat.id), atomic: true, status: !done ? 100 : ok ? 200 : 500, receipts: receipts.filter(Boolean) };
      }
      default:
        return base.request({ method, params } as never);
    }
  };
  return { request, on: base.on.bind(base), removeListener: base.removeListener.bind(base), batches } as unknown as EIP1193Provider & { batches: Map<string, Hash[]> };
}

describe('the EIP-5792 path, through viem’s actions', () => {
  it('a wallet that reports atomic batches gets both steps in one wallet_sendCalls; the job is confirmed from wallet_getCallsStatus', async () => {
    const bucket = await lockedBucket();
    const before = await nonceOf(alice);
    const provider = eip5792TestProvider(f.chain.provider);
    const confirmations: boolean[] = [];
    const record = await runJob(client(), aliceWallet(provider), createMemoryJobStore(), restakeJob(bucket, f.moduleId), { confirm: async (c) => void confirmations.push(c.batch) });
    expect(record.status).toBe('done');
    expect(confirmations).toEqual([true]);
    expect(provider.batches.size).toBe(1);
    const [hashes] = [...provider.batches.values()];
    expect(record.steps.map((step) => (step.status.kind === 'confirmed' ? step.status.hash : null))).toEqual(hashes);
    await expectRestakedWithOneApproval(bucket, before + 2);
  });

  it('the Hardhat node as a wallet (no wallet_getCapabilities, like the embedded wallet forwarding it to its RPC) goes one transaction per step', async () => {
    const bucket = await lockedBucket();
    const wallet = aliceWallet();
    expect(await wallet.supportsAtomicBatch!(hardhat.id).catch(() => false)).toBe(false);
    const record = await runJob(client(), wallet, createMemoryJobStore(), restakeJob(bucket, f.moduleId));
    expect(record.status).toBe('done');
    expect(record.batch).toBeNull();
  });
});
