import { keccak256, parseEventLogs, stringToBytes } from 'viem';
import { batchInboxAbi } from '../../../src/core/abis/index.js';
import type { TestChain } from './chain.js';

/**
 * Reads every BatchAnchored event from the chain, fetches each anchor's published document from its
 * uri, checks it against the logged dataHash, and counts how often each batch id was anchored.
 * `fromBlock` leaves out earlier anchors (another test's, whose relay may be gone).
 */
export async function anchoredOnChain(chain: TestChain, fromBlock = 0n): Promise<{ anchors: number; timesAnchored: Map<string, number> }> {
  const logs = await chain.client.getLogs({ address: chain.devnet.contracts.batchInbox!, fromBlock, toBlock: 'latest' });
  const events = parseEventLogs({ abi: batchInboxAbi, logs, eventName: 'BatchAnchored' });
  const timesAnchored = new Map<string, number>();
  for (const event of events) {
    const text = await (await fetch(event.args.uri)).text();
    if (keccak256(stringToBytes(text)) !== event.args.dataHash) throw new Error(`anchor document at ${event.args.uri} does not match its dataHash`);
    const document = JSON.parse(text) as { batches: { id: string }[] };
    if (BigInt(document.batches.length) !== event.args.count) throw new Error(`anchor ${event.args.uri}: count differs from the document`);
    for (const batch of document.batches) timesAnchored.set(batch.id, (timesAnchored.get(batch.id) ?? 0) + 1);
  }
  return { anchors: events.length, timesAnchored };
}
