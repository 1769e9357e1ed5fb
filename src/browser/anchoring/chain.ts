/**
 * BatchInbox as the outbox reads it, with viem: anchors by (module, root), direct submissions by
 * (device, epoch), and this batch's BatchSubmitted event. The decision logic lives in verify.ts and
 * direct.ts; this file only reads.
 */
import { parseEventLogs, type Address, type Hex, type Log, type PublicClient } from 'viem';
import { batchInboxAbi } from '../../core/abis/index.js';
import type { BatchSubmission } from '../../core/outbox/batch.js';
import type { DirectChain } from './direct.js';
import { submissionWindow } from './hatch.js';
import type { AnchoredBatchView } from '../../core/anchoring/verify.js';

export function readAnchoredBatch(client: PublicClient, batchInbox: Address) {
  return async (moduleId: bigint, merkleRoot: Hex): Promise<AnchoredBatchView> => {
    const [epoch, count, anchoredAt, slashed] = await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'batchOf', args: [moduleId, merkleRoot] });
    return { epoch, count, anchoredAt, slashed };
  };
}

type SubmittedArgs = { device?: Address; commitment?: bigint; windowStart?: bigint; windowEnd?: bigint };

/** Whether a BatchSubmitted log is this batch's: same device, commitment and window. */
function isThisBatch(args: SubmittedArgs, submission: BatchSubmission): boolean {
  const window = submissionWindow(submission);
  return (
    args.device?.toLowerCase() === submission.device.toLowerCase() &&
    args.commitment === BigInt(submission.commitment) &&
    args.windowStart === window.windowStart &&
    args.windowEnd === window.windowEnd
  );
}

function submittedIn(logs: Log[], batchInbox: Address, submission: BatchSubmission): Log | null {
  const events = parseEventLogs({ abi: batchInboxAbi, logs: logs.filter((log) => log.address.toLowerCase() === batchInbox.toLowerCase()), eventName: 'BatchSubmitted' });
  return events.find((event) => isThisBatch(event.args as SubmittedArgs, submission)) ?? null;
}

export function directChain(client: PublicClient, batchInbox: Address): DirectChain {
  let epochSeconds: bigint | null = null;
  return {
    async epochSeconds() {
      epochSeconds ??= await client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'epochSeconds' });
      return epochSeconds;
    },
    async directSubmitted(device, epoch) {
      return client.readContract({ address: batchInbox, abi: batchInboxAbi, functionName: 'directSubmitted', args: [device, epoch] });
    },
    async receipt(txHash, submission) {
      const receipt = await client.getTransactionReceipt({ hash: txHash }).catch(() => null);
      if (!receipt) return null;
      return { success: receipt.status === 'success', blockNumber: Number(receipt.blockNumber), submitted: submittedIn(receipt.logs, batchInbox, submission) !== null };
    },
    async findSubmitted(submission) {
      // Only this device's events (device is an indexed topic). The whole history: BatchInbox runs on the devnet only.
      const logs = await client.getContractEvents({ address: batchInbox, abi: batchInboxAbi, eventName: 'BatchSubmitted', args: { device: submission.device }, fromBlock: 0n, toBlock: 'latest' });
      const found = submittedIn(logs, batchInbox, submission);
      return found?.transactionHash && found.blockNumber !== null ? { txHash: found.transactionHash, blockNumber: Number(found.blockNumber) } : null;
    },
  };
}
